"""Score slot comparison alone on labelled claim/evidence sets (``accord eval``).

Each item becomes two tiny documents (the claim; the evidence) about one subject; the
default extractor reads both, every claim of one is paired with every claim of the other,
and the slot verifier labels the pairs. An item is CONTRADICTS when any pair is, else
SUPPORTS when any pair is, else undecided. Per label the report gives precision (over the
items given that label), recall (over the items gold-labelled so) and coverage (the share
of all items given any label).
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from accord.errors import ConfigError
from accord.model import DocKind, Document, Label, Pair, Verdict, content_id

logger = logging.getLogger(__name__)

__all__ = [
    "Item",
    "SetScore",
    "compare_texts",
    "evaluate_set",
    "load_items",
    "run_eval",
    "score",
    "untokenize",
]

_GOLD = {
    "supports": Label.SUPPORTS,
    "refutes": Label.CONTRADICTS,
    "not enough info": Label.NOT_MENTIONED,
}
# FEVER's Penn-Treebank tokenisation, undone so the English pipeline reads normal text.
_PTB = {"-LRB-": "(", "-RRB-": ")", "-LSB-": "[", "-RSB-": "]", "-LCB-": "{", "-RCB-": "}"}
_SPACE_BEFORE = re.compile(r"\s+([.,;:!?%)\]}]|'s\b|n't\b|'re\b|'ve\b|'d\b|'ll\b)")
_SPACE_AFTER = re.compile(r"([(\[{$])\s+")


@dataclass(frozen=True, slots=True, kw_only=True)
class Item:
    """One labelled pair: a claim, its evidence, the gold label and the subject's title."""

    id: str
    claim: str
    evidence: str
    gold: Label
    title: str = ""


@dataclass(slots=True)
class SetScore:
    """Counts for one set: ``given[label]`` items labelled so, ``right[label]`` of them
    correct, ``gold[label]`` items gold-labelled so, ``total`` items."""

    name: str
    total: int = 0
    given: dict[str, int] = field(default_factory=dict)
    right: dict[str, int] = field(default_factory=dict)
    gold: dict[str, int] = field(default_factory=dict)
    errors: list[tuple[Item, str, str]] = field(default_factory=list)

    def add(self, item: Item, label: Label | None, reason: str) -> None:
        """Count one item's outcome."""
        self.total += 1
        self.gold[item.gold.value] = self.gold.get(item.gold.value, 0) + 1
        if label is None:
            return
        self.given[label.value] = self.given.get(label.value, 0) + 1
        if label is item.gold:
            self.right[label.value] = self.right.get(label.value, 0) + 1
        else:
            self.errors.append((item, label.value, reason))

    def metrics(self, label: Label) -> dict[str, float | int | None]:
        """Precision, recall and coverage of ``label`` (None where undefined)."""
        given = self.given.get(label.value, 0)
        right = self.right.get(label.value, 0)
        gold = self.gold.get(label.value, 0)
        return {
            "given": given,
            "correct": right,
            "gold": gold,
            "precision": round(right / given, 3) if given else None,
            "recall": round(right / gold, 3) if gold else None,
            "coverage": round(given / self.total, 3) if self.total else None,
        }


def untokenize(text: str) -> str:
    """Undo Penn-Treebank spacing and bracket tokens (``-LRB-`` -> ``(``)."""
    for token, char in _PTB.items():
        text = text.replace(token, char)
    text = _SPACE_BEFORE.sub(r"\1", text)
    text = _SPACE_AFTER.sub(r"\1", text)
    return re.sub(r"\s+", " ", text).strip()


def load_items(path: Path) -> Iterator[Item]:
    """Read FM2, FEVER-Symmetric or VitaminC JSON lines as items.

    Raises:
        ConfigError: the file cannot be read or a line is not an item of a known format.
    """
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise ConfigError(f"cannot read evaluation file {path}: {exc.strerror or exc}") from exc
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            gold = _GOLD[str(row.get("label", row.get("gold_label", ""))).lower()]
            if "gold_evidence" in row:  # FM2
                evidence = " ".join(e["text"] for e in row["gold_evidence"])
                yield Item(
                    id=str(row["id"]),
                    claim=row["text"],
                    evidence=evidence,
                    gold=gold,
                    title=str(row.get("wikipedia_page", "")).replace("_", " "),
                )
            else:  # FEVER-Symmetric, VitaminC
                yield Item(
                    id=str(row["id"]),
                    claim=untokenize(row["claim"]),
                    evidence=untokenize(row["evidence"]),
                    gold=gold,
                )
        except (KeyError, TypeError, ValueError) as exc:
            raise ConfigError(f"{path}:{number}: not an evaluation item ({exc})") from exc


def _document(text: str, title: str, name: str) -> Document:
    return Document(
        id=content_id(name, text),
        source=name,
        title=title,
        kind=DocKind.UNKNOWN,
        format="text",
        text=text,
    )


def evaluate_set(name: str, items: Sequence[Item], extractor: object, verifier: object) -> SetScore:
    """Label every item by slot comparison and count the outcomes.

    Args:
        name: The set's name, for the report.
        items: The labelled items.
        extractor: A claim extractor (``accord.spacy.v1``).
        verifier: A verifier (``accord.slots.v1``).
    """
    result = SetScore(name=name)
    for item in items:
        verdicts = compare_texts(item.claim, item.evidence, extractor, verifier, item.title)
        label, reason = score(verdicts)
        result.add(item, label, reason)
    return result


def compare_texts(
    left: str, right: str, extractor: object, verifier: object, title: str = ""
) -> list[Verdict]:
    """Verdicts on every pair of a claim of ``left`` with a claim of ``right``.

    The two texts become two documents about ``title``; nothing is aligned away.
    """
    left_doc = _document(left, title, "left")
    right_doc = _document(right, title, "right")
    claims = extractor.extract([left_doc, right_doc])  # type: ignore[attr-defined]
    first = [c for c in claims if c.doc_id == left_doc.id]
    second = [c for c in claims if c.doc_id == right_doc.id]
    pairs = [Pair(left=a, right=b, score=1.0, retriever="all") for a in first for b in second]
    return list(verifier.verify(pairs)) if pairs else []  # type: ignore[attr-defined]


def score(verdicts: Sequence[object]) -> tuple[Label | None, str]:
    """An item's label from its pair verdicts: any CONTRADICTS, else any SUPPORTS."""
    for wanted in (Label.CONTRADICTS, Label.SUPPORTS):
        found = [v for v in verdicts if v.label is wanted]  # type: ignore[attr-defined]
        if found:
            return wanted, str(found[0].reason)  # type: ignore[attr-defined]
    return None, ""


def run_eval(paths: Sequence[Path], *, as_json: bool = False, limit: int | None = None) -> str:
    """Score every JSON-lines file in ``paths`` and render the table (or JSON).

    Args:
        paths: FM2, FEVER-Symmetric or VitaminC ``.jsonl`` files.
        as_json: Render JSON instead of a text table.
        limit: Score only the first ``limit`` items of each file.

    Returns:
        The rendered scores, one set per file, for CONTRADICTS and SUPPORTS.
    """
    from accord.claims import extractors
    from accord.verify import verifiers

    extractor = extractors.get("accord.spacy.v1")()
    verifier = verifiers.get("accord.slots.v1")()
    rows: list[dict[str, object]] = []
    for path in paths:
        items = list(load_items(Path(path)))[:limit]
        name = f"{Path(path).parent.name}/{Path(path).stem}"
        scored = evaluate_set(name, items, extractor, verifier)
        logger.info("scored %d items of %s", scored.total, name)
        rows.append(
            {
                "set": name,
                "items": scored.total,
                "contradicts": scored.metrics(Label.CONTRADICTS),
                "supports": scored.metrics(Label.SUPPORTS),
            }
        )
    if as_json:
        return json.dumps({"method": "accord.slots.v1", "sets": rows}, indent=2) + "\n"
    lines = [f"{'set':34} {'items':>5}  label        P      R      coverage  (given/correct)"]
    for row in rows:
        for label in ("contradicts", "supports"):
            m = row[label]
            assert isinstance(m, dict)
            lines.append(
                f"{row['set']!s:34} {row['items']!s:>5}  {label:11}  {_fmt(m['precision'])}  "
                f"{_fmt(m['recall'])}  {_fmt(m['coverage'])}     ({m['given']}/{m['correct']})"
            )
    return "\n".join(lines) + "\n"


def _fmt(value: object) -> str:
    return f"{value:.3f}" if isinstance(value, float) else "  -  "
