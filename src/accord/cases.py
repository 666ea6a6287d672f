"""End-to-end cases: whole documents checked as a user checks them, scored against what a
careful reader found in them (a folder per case: the documents and a ``gold.json``).

The format and the scoring rules are in docs/evaluation.md ("End-to-end cases"). In short:
a gold contradiction is found when some CONTRADICTS verdict pairs a claim holding one
document's evidence with a claim holding the evidence of a document whose value differs
(for an outlier, one of them the outlier; for an internal one, both statements of the one
document). Every CONTRADICTS verdict that matches no gold contradiction counts against
precision, traps included.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from accord.errors import ConfigError
from accord.model import Claim, Label, Report, Verdict

if TYPE_CHECKING:
    pass

__all__ = [
    "Case",
    "CaseScore",
    "Tally",
    "clash_hits",
    "evidence_matches",
    "find_cases",
    "fmt",
    "load_case",
    "render_cases",
    "run_cases",
    "score_case",
    "statement_pairs",
    "summarize",
]

# Evidence matches a claim when the claim holds the evidence's first this many characters,
# or most of its words and all of its numbers (docs/evaluation.md).
PREFIX_CHARS = 60
WORD_SHARE = 0.9
_WORD = re.compile(r"[^\W\d_]{3,}")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_SPACE = re.compile(r"\s+")
_TYPOGRAPHY = str.maketrans(
    {"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-"}
)


@dataclass(frozen=True, slots=True)
class Case:
    """One case: its folder, document file names and the parsed ``gold.json``."""

    name: str
    folder: Path
    documents: tuple[str, ...]
    gold: Mapping[str, Any]


def find_cases(root: Path) -> list[Path]:
    """The case folders under ``root`` (itself, when it holds a ``gold.json``), sorted."""
    if (root / "gold.json").is_file():
        return [root]
    return sorted(p.parent for p in root.glob("*/gold.json"))


def load_case(folder: Path) -> Case:
    """Read a case folder.

    Raises:
        ConfigError: ``gold.json`` is missing or malformed, or names a missing document.
    """
    path = folder / "gold.json"
    try:
        gold = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ConfigError(f"{path}: cannot read the case's gold file ({exc})") from None
    documents = gold.get("documents")
    if not isinstance(documents, list) or len(documents) < 2:
        raise ConfigError(f"{path}: 'documents' must list two or more files")
    for name in documents:
        if not (folder / name).is_file():
            raise ConfigError(f"{path}: document {name!r} is not in {folder}")
    return Case(folder.name, folder, tuple(documents), gold)


def _normal(text: str) -> str:
    return _SPACE.sub(" ", text.translate(_TYPOGRAPHY)).strip().casefold()


def evidence_matches(evidence: str, text: str) -> bool:
    """True when ``text`` (a claim's) holds ``evidence``: its first 60 characters, or at
    least 90 % of its words of three letters or more and every one of its numbers."""
    evidence, text = _normal(evidence).rstrip(" ."), _normal(text)
    if evidence[:PREFIX_CHARS] in text:
        return True
    words = _WORD.findall(evidence)
    if not words:
        return False
    have = set(_WORD.findall(text))
    share = sum(word in have for word in words) / len(words)
    return share >= WORD_SHARE and set(_NUMBER.findall(evidence)) <= set(_NUMBER.findall(text))


@dataclass(slots=True)
class Tally:
    """Found / gold counts of one kind of gold item."""

    found: int = 0
    gold: int = 0

    def add(self, found: bool) -> None:
        """Count one gold item."""
        self.gold += 1
        self.found += int(found)

    @property
    def recall(self) -> float | None:
        """found / gold, or ``None`` when there is nothing to find."""
        return round(self.found / self.gold, 3) if self.gold else None


@dataclass(slots=True)
class CaseScore:
    """What one case's report got right and wrong.

    ``contradicts_given``: CONTRADICTS verdicts between or within documents;
    ``contradicts_right``: of them, those that match a gold contradiction. ``supports_*``
    the same for SUPPORTS verdicts between documents, judged only where a gold item decides
    (a gold agreement: right; a gold contradiction's two statements: wrong); the rest are
    ``supports_unjudged``. ``possible_*``: possible conflicts, scored like contradictions.
    """

    name: str
    contradicts_given: int = 0
    contradicts_right: int = 0
    possible_given: int = 0
    possible_right: int = 0
    supports_given: int = 0
    supports_right: int = 0
    supports_wrong: int = 0
    traps_flagged: int = 0
    traps: int = 0
    by_type: dict[str, Tally] = field(default_factory=dict)
    by_tag: dict[str, Tally] = field(default_factory=dict)
    contradictions: Tally = field(default_factory=Tally)
    possible: Tally = field(default_factory=Tally)
    agreements: Tally = field(default_factory=Tally)
    only_in: Tally = field(default_factory=Tally)
    boilerplate: Tally = field(default_factory=Tally)
    least_reliable: Tally = field(default_factory=Tally)
    false_contradictions: list[str] = field(default_factory=list)
    missed: list[str] = field(default_factory=list)
    error: str = ""

    @property
    def supports_unjudged(self) -> int:
        """SUPPORTS verdicts no gold item decides."""
        return self.supports_given - self.supports_right - self.supports_wrong


class _Index:
    """The report's claims by document file name, and which claims hold which evidence."""

    def __init__(self, case: Case, report: Report) -> None:
        by_source = {Path(d.source).name: d.id for d in report.documents}
        self.doc_id = {name: by_source.get(name, "") for name in case.documents}
        self._cache: dict[tuple[str, str], frozenset[str]] = {}
        self._claims: dict[str, list[Claim]] = {}
        for claim in report.claims:
            self._claims.setdefault(claim.doc_id, []).append(claim)

    def holding(self, name: str, evidence: str) -> frozenset[str]:
        """Ids of the claims of document ``name`` that hold ``evidence``."""
        key = (name, evidence)
        if key not in self._cache:
            claims = self._claims.get(self.doc_id.get(name, ""), [])
            self._cache[key] = frozenset(c.id for c in claims if evidence_matches(evidence, c.text))
        return self._cache[key]


def _statements(evidence: Any) -> list[str]:
    return [evidence] if isinstance(evidence, str) else [e for e in evidence if isinstance(e, str)]


def statement_pairs(
    item: Mapping[str, Any], *, differing: bool
) -> Iterator[tuple[str, str, str, str]]:
    """(document, statement, document, statement) pairs a verdict must join to match
    ``item``: across documents whose values differ (``differing``) or any two documents,
    and within one document for an internal item."""
    evidence: Mapping[str, Any] = item.get("evidence", {})
    values: Mapping[str, Any] = item.get("values", {})
    outlier = item.get("outlier")
    if item.get("internal"):
        for name, statements in evidence.items():
            texts = _statements(statements)
            for i, first in enumerate(texts):
                for second in texts[i + 1 :]:
                    yield name, first, name, second
        return
    names = list(evidence)
    for i, x in enumerate(names):
        for y in names[i + 1 :]:
            if differing and values and values.get(x) == values.get(y):
                continue
            if outlier and outlier not in (x, y):
                continue
            for ex in _statements(evidence[x]):
                for ey in _statements(evidence[y]):
                    yield x, ex, y, ey


def _joins(verdict: Verdict, index: _Index, pairs: Iterable[tuple[str, str, str, str]]) -> bool:
    ids = (verdict.pair.left.id, verdict.pair.right.id)
    for x, ex, y, ey in pairs:
        held_x, held_y = index.holding(x, ex), index.holding(y, ey)
        if (ids[0] in held_x and ids[1] in held_y) or (ids[1] in held_x and ids[0] in held_y):
            return True
    return False


def score_case(case: Case, report: Report) -> CaseScore:
    """Score ``report`` (a check of the case's documents) against the case's gold."""
    gold = case.gold
    index = _Index(case, report)
    result = CaseScore(case.name)
    contradictions = [c for c in gold.get("contradictions", []) if isinstance(c, dict)]
    gold_pairs = [list(statement_pairs(c, differing=True)) for c in contradictions]
    verdicts = list(report.verdicts)
    contradicting = [v for v in verdicts if v.label is Label.CONTRADICTS]
    possible = [v for v in verdicts if v.possible_conflict]
    matched: set[int] = set()
    matched_possible: set[int] = set()
    wrong: list[Verdict] = []
    for verdict in contradicting:
        hits = [i for i, pairs in enumerate(gold_pairs) if _joins(verdict, index, pairs)]
        result.contradicts_given += 1
        if hits:
            result.contradicts_right += 1
            matched.update(hits)
        else:
            wrong.append(verdict)
            result.false_contradictions.append(_describe(verdict))
    for verdict in possible:
        hits = [i for i, pairs in enumerate(gold_pairs) if _joins(verdict, index, pairs)]
        result.possible_given += 1
        result.possible_right += bool(hits)
        matched_possible.update(hits)
    for i, item in enumerate(contradictions):
        found = i in matched
        result.contradictions.add(found)
        result.possible.add(found or i in matched_possible)
        for key, table in ((item.get("type"), result.by_type), ("internal", result.by_tag)):
            if key == "internal" and not item.get("internal"):
                continue
            table.setdefault(str(key or "other"), Tally()).add(found)
        for tag in item.get("tags", []):
            if tag != "internal":
                result.by_tag.setdefault(str(tag), Tally()).add(found)
        if not found:
            result.missed.append(f"{item.get('field', '?')} ({item.get('type', '?')})")
    _score_supports(result, gold, index, verdicts, gold_pairs)
    traps = [t for t in gold.get("must_not_flag", []) if isinstance(t, dict)]
    result.traps = len(traps)
    # Only wrong verdicts flag traps: a verdict on a gold contradiction is right even where
    # its two sentences also hold a trap on another of their values ("in March 1911" is
    # compatible with "on 4 March 1911", but the same two sentences name two venues).
    for trap in traps:
        pairs = list(statement_pairs(trap, differing=False))
        result.traps_flagged += any(_joins(v, index, pairs) for v in wrong)
    _score_only_in(result, gold, index, report)
    _score_boilerplate(result, gold, index, report)
    _score_least_reliable(result, gold, index, report)
    return result


def _score_supports(
    result: CaseScore,
    gold: Mapping[str, Any],
    index: _Index,
    verdicts: Sequence[Verdict],
    gold_pairs: Sequence[list[tuple[str, str, str, str]]],
) -> None:
    agreements = [a for a in gold.get("agreements", []) if isinstance(a, dict)]
    agree_pairs = [list(statement_pairs(a, differing=False)) for a in agreements]
    found: set[int] = set()
    for verdict in verdicts:
        if (
            verdict.label is not Label.SUPPORTS
            or verdict.pair.left.doc_id == verdict.pair.right.doc_id
        ):
            continue
        result.supports_given += 1
        hits = [i for i, pairs in enumerate(agree_pairs) if _joins(verdict, index, pairs)]
        if hits:
            result.supports_right += 1
            found.update(hits)
        elif any(_joins(verdict, index, pairs) for pairs in gold_pairs):
            result.supports_wrong += 1
    for i in range(len(agreements)):
        result.agreements.add(i in found)


def _score_only_in(
    result: CaseScore, gold: Mapping[str, Any], index: _Index, report: Report
) -> None:
    from accord.report.views import single_source

    alone = {only.document.id: only.claims for only in single_source(report)}
    for name, phrases in (gold.get("only_in") or {}).items():
        claims = alone.get(index.doc_id.get(name, ""), ())
        for phrase in _statements(phrases):
            result.only_in.add(any(_normal(phrase) in _normal(c.text) for c in claims))


def _score_boilerplate(
    result: CaseScore, gold: Mapping[str, Any], index: _Index, report: Report
) -> None:
    documents = {d.id: d for d in report.documents}
    for name, phrases in (gold.get("boilerplate") or {}).items():
        document = documents.get(index.doc_id.get(name, ""))
        for phrase in _statements(phrases):
            result.boilerplate.add(
                document is not None and _normal(phrase) not in _normal(document.text)
            )


def _score_least_reliable(
    result: CaseScore, gold: Mapping[str, Any], index: _Index, report: Report
) -> None:
    expected = gold.get("least_reliable")
    if not expected:
        return
    scores = {r.doc_id: r.score for r in report.record.reliability}
    wanted = index.doc_id.get(expected)
    if wanted not in scores:
        result.least_reliable.add(False)
        return
    lowest = min(scores.values())
    tied = [d for d, s in scores.items() if s == lowest]
    result.least_reliable.add(tied == [wanted])


def _describe(verdict: Verdict) -> str:
    return f"{verdict.reason} [{verdict.method}, {verdict.confidence:.2f}]"


def summarize(scores: Sequence[CaseScore]) -> dict[str, Any]:
    """Totals over cases: precision and recall of contradictions (overall, per type, per tag),
    of possible conflicts, SUPPORTS precision (judged) and the other figures."""

    def merge(name: str) -> dict[str, Tally]:
        merged: dict[str, Tally] = {}
        for score in scores:
            for key, tally in getattr(score, name).items():
                total = merged.setdefault(key, Tally())
                total.found += tally.found
                total.gold += tally.gold
        return dict(sorted(merged.items()))

    def total(name: str) -> Tally:
        tally = Tally()
        for score in scores:
            part = getattr(score, name)
            tally.found += part.found
            tally.gold += part.gold
        return tally

    def ratio(numerator: int, denominator: int) -> float | None:
        return round(numerator / denominator, 3) if denominator else None

    given = sum(s.contradicts_given for s in scores)
    right = sum(s.contradicts_right for s in scores)
    possible_given = sum(s.possible_given for s in scores)
    possible_right = sum(s.possible_right for s in scores)
    s_right = sum(s.supports_right for s in scores)
    s_wrong = sum(s.supports_wrong for s in scores)
    found = total("contradictions")
    return {
        "cases": len(scores),
        "errors": [f"{s.name}: {s.error}" for s in scores if s.error],
        "contradicts": {
            "given": given,
            "correct": right,
            "precision": ratio(right, given),
            "found": found.found,
            "gold": found.gold,
            "recall": found.recall,
        },
        "possible_conflicts": {
            "given": possible_given,
            "correct": possible_right,
            "recall_with_possible": total("possible").recall,
        },
        "supports": {
            "given": sum(s.supports_given for s in scores),
            "correct": s_right,
            "wrong": s_wrong,
            "precision_judged": ratio(s_right, s_right + s_wrong),
        },
        "traps": {
            "flagged": sum(s.traps_flagged for s in scores),
            "total": sum(s.traps for s in scores),
        },
        "agreements": _tally_dict(total("agreements")),
        "only_in": _tally_dict(total("only_in")),
        "boilerplate": _tally_dict(total("boilerplate")),
        "least_reliable": _tally_dict(total("least_reliable")),
        "by_type": {k: _tally_dict(v) for k, v in merge("by_type").items()},
        "by_tag": {k: _tally_dict(v) for k, v in merge("by_tag").items()},
        "per_case": [
            {
                "case": s.name,
                "contradicts": f"{s.contradicts_right}/{s.contradicts_given}",
                "found": f"{s.contradictions.found}/{s.contradictions.gold}",
                "traps_flagged": s.traps_flagged,
                "missed": s.missed,
                "false": s.false_contradictions,
                **({"error": s.error} if s.error else {}),
            }
            for s in scores
        ],
    }


def _tally_dict(tally: Tally) -> dict[str, Any]:
    return {"found": tally.found, "gold": tally.gold, "recall": tally.recall}


def run_cases(folders: Sequence[Path], check: Callable[[list[Path]], Report]) -> list[CaseScore]:
    """Check each case's documents with ``check`` and score the report; a case whose check
    fails is scored as finding nothing, with the error kept."""
    from accord.errors import AccordError

    scores = []
    for folder in folders:
        case = load_case(folder)
        try:
            report = check([case.folder / name for name in case.documents])
        except AccordError as exc:
            empty = CaseScore(case.name, error=str(exc))
            for item in case.gold.get("contradictions", []):
                empty.contradictions.add(False)
                empty.by_type.setdefault(str(item.get("type", "other")), Tally()).add(False)
            scores.append(empty)
            continue
        scores.append(score_case(case, report))
    return scores


def render_cases(summary: Mapping[str, Any], *, verbose: bool = False) -> str:
    """The summary as text: headline figures, recall per type and per tag, and per case."""
    c, s = summary["contradicts"], summary["supports"]
    p = summary["possible_conflicts"]
    lines = [
        f"{summary['cases']} cases",
        f"contradictions: precision {fmt(c['precision'])} ({c['correct']}/{c['given']} "
        f"verdicts), recall {fmt(c['recall'])} ({c['found']}/{c['gold']})",
        f"possible conflicts: {p['given']} verdicts ({p['correct']} on gold contradictions); "
        f"recall counting them {fmt(p['recall_with_possible'])}",
        f"supports: precision {fmt(s['precision_judged'])} over judged verdicts "
        f"({s['correct']} right, {s['wrong']} wrong, {s['given'] - s['correct'] - s['wrong']} "
        "unjudged)",
        f"traps flagged: {summary['traps']['flagged']}/{summary['traps']['total']}",
    ]
    for key in ("agreements", "only_in", "boilerplate", "least_reliable"):
        t = summary[key]
        lines.append(f"{key.replace('_', ' ')}: {t['found']}/{t['gold']} ({fmt(t['recall'])})")
    for title in ("by_type", "by_tag"):
        lines.append("")
        lines.append(f"recall {title.replace('_', ' ')}:")
        for key, t in summary[title].items():
            lines.append(f"  {key:22} {t['found']:3}/{t['gold']:<3} {fmt(t['recall'])}")
    if verbose:
        lines.append("")
        for row in summary["per_case"]:
            lines.append(
                f"{row['case']}: contradicts {row['contradicts']}, found {row['found']}, "
                f"traps flagged {row['traps_flagged']}"
            )
            lines.extend(f"    missed: {m}" for m in row["missed"])
            lines.extend(f"    false: {f}" for f in row["false"])
            if row.get("error"):
                lines.append(f"    error: {row['error']}")
    for error in summary["errors"]:
        lines.append(f"error: {error}")
    return "\n".join(lines)


def fmt(value: float | None) -> str:
    """A figure to three places, or "-" when there is none."""
    return "-" if value is None else f"{value:.3f}"


def clash_hits(case: Case, report: Report) -> list[tuple[Verdict, frozenset[int]]]:
    """Each clash of ``report`` (a CONTRADICTS verdict or a possible conflict) with the
    indices of the case's gold contradictions whose evidence it joins (none: a wrong one)."""
    index = _Index(case, report)
    contradictions = [c for c in case.gold.get("contradictions", []) if isinstance(c, dict)]
    gold_pairs = [list(statement_pairs(c, differing=True)) for c in contradictions]
    return [
        (
            verdict,
            frozenset(i for i, pairs in enumerate(gold_pairs) if _joins(verdict, index, pairs)),
        )
        for verdict in report.verdicts
        if verdict.label is Label.CONTRADICTS or verdict.possible_conflict
    ]
