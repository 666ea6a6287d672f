"""Can sentence embeddings tell that two sentences state the same relation of a date?

For the development cases in tests/fixtures/cases, three sets of sentence pairs, each
sentence holding a date: the two sides of a gold date contradiction (same relation, another
value), the two sides of a gold agreement (same relation, same value), and the two sides of a
trap (different relations: a birth and a baptism, a founding and a chairmanship). Each date is
masked ("DATE") and the pair's all-MiniLM-L6-v2 cosine similarity printed as percentiles,
with the most similar traps and the least similar contradictions.

    .venv/bin/python scripts/relation_similarity.py      # needs the embed extra
"""

from __future__ import annotations

import re
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from accord.cases import find_cases, load_case, statement_pairs
from accord.embed.minilm import OnnxMiniLMEncoder

CASES = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "cases"
_MONTH = r"(January|February|March|April|May|June|July|August|September|October|November|December)"
DATE = re.compile(
    rf"(\b(the )?\d{{1,2}}(st|nd|rd|th)?( of)? {_MONTH},? \d{{4}}"
    rf"|{_MONTH} \d{{1,2}}(st|nd|rd|th)?,? \d{{4}}|{_MONTH} \d{{4}}"
    r"|\bthe \d{4}s|'\d\d\b|\b1[5-9]\d\d\b|\b20\d\d\b)"
)

Pair = tuple[str, str, str]


def _dated_pairs(items: Sequence[Mapping[str, Any]], *, differing: bool) -> list[Pair]:
    """The statement pairs the scorer matches verdicts against (``statement_pairs``), kept
    where both are dated sentences (infobox lines, "open = 3 September 1971", are none)."""
    pairs = []
    for item in items:
        why = str(item.get("why") or item.get("field") or "")
        for _, a, _, b in statement_pairs(item, differing=differing):
            if "=" not in a + b and DATE.search(a) and DATE.search(b):
                pairs.append((a, b, why))
    return pairs


def main() -> int:
    """Print the three similarity distributions."""
    contradictions: list[Pair] = []
    agreements: list[Pair] = []
    traps: list[Pair] = []
    for folder in find_cases(CASES):
        gold = load_case(folder).gold
        dates = [c for c in gold.get("contradictions", []) if c.get("type") == "date"]
        contradictions += _dated_pairs(dates, differing=True)
        agreements += _dated_pairs(gold.get("agreements", []), differing=False)
        traps += _dated_pairs(gold.get("must_not_flag", []), differing=False)
    encoder = OnnxMiniLMEncoder()
    encoder.warm_up()

    def similarity(pairs: list[Pair]) -> NDArray[np.float64]:
        left = encoder.encode([DATE.sub("DATE", p[0]) for p in pairs])
        right = encoder.encode([DATE.sub("DATE", p[1]) for p in pairs])
        norms = np.linalg.norm(left, axis=1) * np.linalg.norm(right, axis=1)
        return np.asarray((left * right).sum(axis=1) / norms, dtype=np.float64)

    scored = {
        "contradictions (same relation)": (contradictions, similarity(contradictions)),
        "agreements (same relation)": (agreements, similarity(agreements)),
        "traps (different relations)": (traps, similarity(traps)),
    }
    print("pairs of dated sentences, dates masked; cosine similarity percentiles 10/25/50/75/90")
    for name, (pairs, sims) in scored.items():
        cuts = " ".join(f"{x:.2f}" for x in np.percentile(sims, [10, 25, 50, 75, 90]))
        print(f"  {name:32} {len(pairs):4}  {cuts}")
    pairs, sims = scored["traps (different relations)"]
    print("most similar traps:")
    for i in np.argsort(-sims)[:5]:
        print(f"  {sims[i]:.2f}  {pairs[i][2][:90]}")
    pairs, sims = scored["contradictions (same relation)"]
    print("least similar contradictions:")
    for i in np.argsort(sims)[:5]:
        print(f"  {sims[i]:.2f}  {pairs[i][0][:44]} | {pairs[i][1][:44]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
