"""Count, per method, how many of slot comparison's clashes are real contradictions on the
development data, and write the counts accord calibrates its confidence with
(``src/accord/data/calibration.json``, read by ``accord.verify.calibration``).

    python training/calibrate.py                       # cases + dev splits in ../shared/data
    python training/calibrate.py --cases-only          # the repository's cases alone

Development data only: the end-to-end cases in ``tests/fixtures/cases`` (a clash is right
when it joins the evidence of a gold contradiction, as ``accord.cases`` scores), FM2 dev,
FEVER-Symmetric dev, the VitaminC train sample and RAMDocs lines 1–250 (a clash is right
when its item is gold CONTRADICTS; each method counts once per item). Test splits are never
read: the script refuses their file names.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CASES = ROOT / "tests" / "fixtures" / "cases"
OUTPUT = ROOT / "src" / "accord" / "data" / "calibration.json"
DEV_SETS = (
    "fm2/dev.jsonl",
    "fever_symmetric/fever_symmetric_dev.jsonl",
    "vitaminc_sample/train_0.jsonl",
    "vitaminc_sample/train_1.jsonl",
    "vitaminc_sample/train_2.jsonl",
    "vitaminc_sample/train_3.jsonl",
    "vitaminc_sample/train_4.jsonl",
)
RAMDOCS = "ramdocs/RAMDocs_test.jsonl"
RAMDOCS_DEV_LINES = 250  # lines 251-500 are the held-out half
_TEST_NAMES = ("test.jsonl", "fever_symmetric_test.jsonl")


def _clash(verdict: object) -> bool:
    label = getattr(verdict, "label", None)
    return getattr(label, "value", "") == "contradicts" or bool(
        getattr(verdict, "possible_conflict", False)
    )


def count_cases(right: Counter[str], given: Counter[str]) -> None:
    """Every clash of every case, right when it joins a gold contradiction's evidence."""
    import accord
    from accord.cases import clash_hits, find_cases, load_case

    for folder in find_cases(CASES):
        case = load_case(folder)
        report = accord.check([folder / n for n in case.documents], min_confidence=0.0)
        for verdict, hits in clash_hits(case, report):
            given[verdict.method] += 1
            right[verdict.method] += bool(hits)


def count_items(path: Path, right: Counter[str], given: Counter[str]) -> None:
    """Each item's clash methods, once each; right when the item is gold CONTRADICTS."""
    from accord.evaluate import compare_texts, load_items
    from accord.pipeline import Settings, make_stages

    if path.name in _TEST_NAMES:
        raise SystemExit(f"error: {path} is a test split; calibration reads development data")
    extractor, _, verifier = make_stages(Settings())
    for item in load_items(path):
        verdicts = compare_texts(
            item.claim, item.evidence, extractor, verifier, item.title, min_confidence=0.0
        )
        for method in {v.method for v in verdicts if _clash(v)}:
            given[method] += 1
            right[method] += item.gold.value == "contradicts"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--cases-only", action="store_true")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT / "src"))
    right: Counter[str] = Counter()
    given: Counter[str] = Counter()
    sources = ["tests/fixtures/cases"]
    count_cases(right, given)
    if not args.cases_only:
        for name in DEV_SETS:
            count_items(args.data / name, right, given)
            sources.append(name)
        with tempfile.TemporaryDirectory() as tmp:
            dev = Path(tmp) / "ramdocs_dev.jsonl"
            lines = (args.data / RAMDOCS).read_text(encoding="utf-8").splitlines(keepends=True)
            dev.write_text("".join(lines[:RAMDOCS_DEV_LINES]), encoding="utf-8")
            count_items(dev, right, given)
        sources.append(f"{RAMDOCS} lines 1-{RAMDOCS_DEV_LINES}")
    from accord.verify.calibration import DEFAULT_RATES, PRIOR_WEIGHT

    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    methods = {method: {"right": right[method], "given": given[method]} for method in sorted(given)}
    payload = {
        "description": (
            "Right and given clashes of slot comparison per method on development data; "
            "accord.verify.calibration turns them into each method's confidence. Made by "
            "training/calibrate.py."
        ),
        "made": datetime.now(UTC).strftime("%Y-%m-%d"),
        "commit": commit,
        "sources": sources,
        "prior_weight": PRIOR_WEIGHT,
        "methods": methods,
    }
    args.output.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    print(f"{'method':28} {'right':>6} {'given':>6} {'default':>8} {'calibrated':>10}")
    for method, row in methods.items():
        default = DEFAULT_RATES.get(method)
        if default is None:
            print(f"{method:28} {row['right']:6} {row['given']:6}   (not calibrated)")
            continue
        rate = (row["right"] + PRIOR_WEIGHT * default) / (row["given"] + PRIOR_WEIGHT)
        print(f"{method:28} {row['right']:6} {row['given']:6} {default:8.2f} {rate:10.3f}")
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
