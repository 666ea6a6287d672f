"""Quality gate: score the shipped backends on fixed samples of the unseen evaluation splits
and compare each figure with the floor pinned in ``baseline.json``.

    python tests/quality/gate.py                 # check every backend; exit 1 on a regression
    python tests/quality/gate.py --update        # raise floors to the current figures
    python tests/quality/gate.py --update --allow-regression   # also lower them (explicit)

The samples are the first ``limit`` items of each split (a backend may name the sets it is
scored on: the model verifiers skip RAMDocs, whose document pairs are slow to run through a
model on a CPU), and the baseline records a sha256 of them, so a changed data file is
reported rather than silently scored. The splits are read only to hold a floor; nothing is
tuned on them. ``tests/quality/test_gate.py`` runs the check in the test suite.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
BASELINE = Path(__file__).with_name("baseline.json")
DATA = ROOT.parent / "shared" / "data"
# Figures are rounded to 3 decimals; a floor is missed only below this margin, so a change
# of rounding alone never fails the gate.
EPSILON = 0.0005


@dataclass(frozen=True)
class Miss:
    """A figure below its floor, or data that changed."""

    backend: str
    set_name: str
    metric: str
    floor: float | str
    value: float | str

    def __str__(self) -> str:
        return f"{self.backend} {self.set_name} {self.metric}: {self.value} < floor {self.floor}"


def load_baseline(path: Path = BASELINE) -> dict[str, Any]:
    """The pinned samples, backends and floors."""
    baseline: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return baseline


def measure(backend: str, baseline: dict[str, Any], data: Path = DATA) -> dict[str, Any]:
    """Score ``backend`` on every pinned sample: ``{set: {"sha256": ..., metric: value}}``."""
    from accord.evaluate import evaluate_set, items_digest, load_items
    from accord.pipeline import Settings, make_stages

    spec = baseline["backends"][backend]
    settings = Settings(**spec.get("settings", {}))
    extractor, aligner, verifier = make_stages(settings)
    figures: dict[str, Any] = {}
    for name, sample in baseline["sets"].items():
        if name not in spec.get("sets", baseline["sets"]):
            continue
        path = data / sample["path"]
        if not path.is_file():
            raise SystemExit(f"error: evaluation file not found: {path} (is ../shared beside?)")
        items = list(load_items(path))[: sample["limit"]]
        use_aligner = aligner if spec.get("aligned") else None
        row = evaluate_set(name, items, extractor, verifier, use_aligner).as_row()
        figures[name] = {"sha256": items_digest(items)}
        for metric in baseline["metrics"]:
            label, key = metric.split(".")
            figures[name][metric] = row[label][key] or 0.0
    return figures


def compare(backend: str, baseline: dict[str, Any], figures: dict[str, Any]) -> list[Miss]:
    """Every figure below its floor, and every sample whose data changed."""
    misses = []
    floors = baseline["backends"][backend].get("floors", {})
    for name, sample in baseline["sets"].items():
        if name not in figures:
            continue
        got = figures[name]
        if sample.get("sha256") and got["sha256"] != sample["sha256"]:
            misses.append(Miss(backend, name, "sha256", sample["sha256"], got["sha256"]))
        for metric, floor in floors.get(name, {}).items():
            if got[metric] < floor - EPSILON:
                misses.append(Miss(backend, name, metric, floor, got[metric]))
    return misses


def update(
    backend: str, baseline: dict[str, Any], figures: dict[str, Any], *, allow_regression: bool
) -> list[Miss]:
    """Set ``backend``'s floors to ``figures``; a lowered floor needs ``allow_regression``.

    Returns:
        The floors that would have been lowered (and were not, unless allowed).
    """
    lowered = []
    floors = baseline["backends"][backend].setdefault("floors", {})
    for name, sample in baseline["sets"].items():
        if name not in figures:
            continue
        sample["sha256"] = figures[name]["sha256"]
        current = floors.setdefault(name, {})
        for metric in baseline["metrics"]:
            value = figures[name][metric]
            old = current.get(metric)
            if old is not None and value < old - EPSILON:
                lowered.append(Miss(backend, name, metric, old, value))
                if not allow_regression:
                    continue
            current[metric] = value
    return lowered


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", action="append", help="only this backend (repeatable)")
    parser.add_argument("--update", action="store_true", help="raise floors to current figures")
    parser.add_argument("--allow-regression", action="store_true", help="let --update lower one")
    parser.add_argument("--data", type=Path, default=DATA, help="the evaluation data folder")
    args = parser.parse_args(argv)
    baseline = load_baseline()
    failed = False
    for backend in args.backend or list(baseline["backends"]):
        figures = measure(backend, baseline, args.data)
        for name, values in figures.items():
            shown = ", ".join(f"{k} {v:.3f}" for k, v in values.items() if k != "sha256")
            print(f"{backend:8} {name:34} {shown}")
        if args.update:
            for miss in update(backend, baseline, figures, allow_regression=args.allow_regression):
                verb = "lowered" if args.allow_regression else "NOT lowered (--allow-regression)"
                print(f"floor {verb}: {miss}")
        else:
            for miss in compare(backend, baseline, figures):
                print(f"REGRESSION: {miss}")
                failed = True
    if args.update:
        BASELINE.write_text(json.dumps(baseline, indent=2) + "\n", encoding="utf-8")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "src"))
    raise SystemExit(main())
