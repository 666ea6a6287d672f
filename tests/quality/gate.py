"""Quality gate: score the shipped backends on fixed samples of public development splits
and compare each figure with the floor pinned in ``baseline.json``.

    python tests/quality/gate.py                 # check every backend; exit 1 on a regression
    python tests/quality/gate.py --update        # raise floors to the current figures
    python tests/quality/gate.py --update --allow-regression   # also lower them (explicit)

The samples live in ``tests/quality/data/`` (sources, lines taken and licences in its
README.md) and come from development or training splits only: the public test splits are
kept for published figures and never read here (``test_data_provenance.py`` checks that by
digest). A backend may name the sets it is scored on: the model verifiers skip RAMDocs,
whose document pairs are slow to run through a model on a CPU.

A set with ``cases`` instead of ``path`` is a folder of end-to-end cases (a path from the
repository root), checked case by case and scored with ``accord.cases``: CONTRADICTS counts
contradiction verdicts (``correct``: those on a gold contradiction) and gold contradictions
(``gold``; recall is found / gold, ``found`` recorded too); SUPPORTS counts only the verdicts
a gold item judges (``correct``: on a gold agreement; the rest on a gold contradiction) and
gold agreements (recall: agreements found / gold).

For each backend, set and label (CONTRADICTS, SUPPORTS) the baseline records the counts
``correct``, ``given`` and ``gold`` and pins either ratio floors (precision, recall, F1) or,
where too few items were given the label for a ratio to mean anything, count bounds: a
floor on ``correct`` and a ceiling on ``wrong`` (given minus correct). The baseline also
records a sha256 of each sample's items, so changed data is reported rather than silently
scored. ``tests/quality/test_gate.py`` runs the check in the test suite.

A backend whose figures depend on the CPU (the int8 verifier model: onnxruntime picks its
integer kernels by the CPU's instructions, AVX-512 VNNI or AVX2 alone) carries a
``cpu_tolerance``: ``ratio`` (how far a ratio may fall below its floor), ``count`` (how many
items a count may fall below its floor or rise above its ceiling) and ``why``, with the two
CPUs measured. It widens the check only; ``--update`` pins the figures as measured.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
BASELINE = Path(__file__).with_name("baseline.json")
DATA = Path(__file__).with_name("data")
# Figures are rounded to 3 decimals; a floor is missed only below this margin, so a change
# of rounding alone never fails the gate.
EPSILON = 0.0005
# Below this many items given a label, one item moves its precision by more than 5 points,
# so a ratio floor would fail on noise or pass on a collapse (3 of 3 right is "precision
# 1.0"); such a label is held by its counts instead.
MIN_GIVEN_FOR_RATIO = 20
LABELS = ("contradicts", "supports")
RATIOS = ("precision", "recall", "f1")
COUNTS = ("correct", "given", "gold")


@dataclass(frozen=True)
class Miss:
    """A figure past its bound (below a floor, above a ceiling) or data that changed.

    ``kind``: ``floor``, ``ceiling`` or ``sha256``.
    """

    backend: str
    set_name: str
    metric: str
    bound: float | str
    value: float | str
    kind: str = "floor"

    def __str__(self) -> str:
        where = f"{self.backend} {self.set_name} {self.metric}"
        if self.kind == "ceiling":
            return f"{where}: {self.value} > ceiling {self.bound}"
        if self.kind == "sha256":
            return f"{where}: data changed ({self.value}, pinned {self.bound})"
        return f"{where}: {self.value} < floor {self.bound}"


def load_baseline(path: Path = BASELINE) -> dict[str, Any]:
    """The pinned samples, backends and floors."""
    baseline: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return baseline


def measure(backend: str, baseline: dict[str, Any], data: Path = DATA) -> dict[str, Any]:
    """Score ``backend`` on every pinned sample.

    Returns:
        ``{set: {"sha256": ..., label: {"correct", "given", "gold", "precision", "recall",
        "f1"}}}`` for each label in ``LABELS``; an undefined ratio is 0.0.
    """
    from accord.evaluate import evaluate_set, items_digest, load_items
    from accord.pipeline import Settings, make_stages

    spec = baseline["backends"][backend]
    settings = Settings(**spec.get("settings", {}))
    extractor, aligner, verifier = make_stages(settings)
    figures: dict[str, Any] = {}
    for name, sample in baseline["sets"].items():
        if name not in spec.get("sets", baseline["sets"]):
            continue
        if "cases" in sample:
            figures[name] = measure_cases(ROOT / sample["cases"], settings)
            continue
        path = data / sample["path"]
        if not path.is_file():
            raise SystemExit(f"error: evaluation sample not found: {path}")
        items = list(load_items(path))
        use_aligner = aligner if spec.get("aligned") else None
        row = evaluate_set(name, items, extractor, verifier, use_aligner).as_row()
        figures[name] = {"sha256": items_digest(items)}
        for label in LABELS:
            figures[name][label] = {
                **{key: row[label][key] for key in COUNTS},
                **{key: row[label][key] or 0.0 for key in RATIOS},
            }
    return figures


def _label_figures(correct: int, given: int, found: int, gold: int) -> dict[str, Any]:
    precision = round(correct / given, 3) if given else 0.0
    recall = round(found / gold, 3) if gold else 0.0
    f1 = round(2 * precision * recall / (precision + recall), 3) if precision + recall else 0.0
    return {
        "correct": correct,
        "given": given,
        "gold": gold,
        "found": found,
        "precision": precision,
        "recall": recall,
        "f1": f1,
    }


def cases_digest(folders: list[Path]) -> str:
    """sha256 over every file of the case folders: its path in the folder and its bytes."""
    digest = hashlib.sha256()
    for folder in folders:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            digest.update(f"{folder.name}/{path.relative_to(folder).as_posix()}\0".encode())
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def measure_cases(root: Path, settings: Any) -> dict[str, Any]:
    """Check every case under ``root`` with ``settings`` and score it as ``measure`` does a
    sample: ``{"sha256": ..., label: {...}}``, with ``found`` next to the counts."""
    from accord import pipeline
    from accord.cases import find_cases, run_cases, summarize

    folders = find_cases(root)
    if not folders:
        raise SystemExit(f"error: no end-to-end cases found under {root}")
    summary = summarize(run_cases(folders, lambda paths: pipeline.run(paths, settings)))
    if summary["errors"]:
        raise SystemExit("error: a case could not be checked: " + "; ".join(summary["errors"]))
    c, s = summary["contradicts"], summary["supports"]
    agreements = summary["agreements"]
    judged = s["correct"] + s["wrong"]
    return {
        "sha256": cases_digest(folders),
        "contradicts": _label_figures(c["correct"], c["given"], c["found"], c["gold"]),
        "supports": _label_figures(s["correct"], judged, agreements["found"], agreements["gold"]),
    }


def pinned_bounds(counts: dict[str, Any]) -> tuple[dict[str, float], dict[str, float]]:
    """The floors and ceilings one label's measured figures would pin.

    Args:
        counts: The label's figures as ``measure`` gives them.

    Returns:
        ``(floor, ceiling)``: ratio floors where at least ``MIN_GIVEN_FOR_RATIO`` items were
        given the label, else a floor on ``correct`` and a ceiling on ``wrong``.
    """
    if counts["given"] >= MIN_GIVEN_FOR_RATIO:
        return {key: counts[key] for key in RATIOS}, {}
    return {"correct": counts["correct"]}, {"wrong": counts["given"] - counts["correct"]}


def _value(figures: dict[str, Any], key: str) -> float:
    if key == "wrong":
        return float(figures["given"] - figures["correct"])
    return float(figures[key])


def _below(value: float, floor: float, key: str) -> bool:
    return value < floor - EPSILON if key in RATIOS else value < floor


def cpu_tolerance(backend: str, baseline: dict[str, Any]) -> tuple[float, int]:
    """How far ``backend``'s ratios and counts may stray past their bounds across CPUs
    (``(0.0, 0)`` for a backend whose figures do not depend on the CPU)."""
    spec = baseline["backends"][backend].get("cpu_tolerance", {})
    return float(spec.get("ratio", 0.0)), int(spec.get("count", 0))


def compare(backend: str, baseline: dict[str, Any], figures: dict[str, Any]) -> list[Miss]:
    """Every figure below its floor or above its ceiling (by more than the backend's
    ``cpu_tolerance``), and every sample whose data changed."""
    misses = []
    pinned = baseline["backends"][backend].get("floors", {})
    ratio_slack, count_slack = cpu_tolerance(backend, baseline)
    for name, sample in baseline["sets"].items():
        if name not in figures:
            continue
        got = figures[name]
        if sample.get("sha256") and got["sha256"] != sample["sha256"]:
            misses.append(Miss(backend, name, "sha256", sample["sha256"], got["sha256"], "sha256"))
        for label, entry in pinned.get(name, {}).items():
            for key, floor in entry.get("floor", {}).items():
                value = _value(got[label], key)
                slack = ratio_slack if key in RATIOS else count_slack
                if _below(value, floor - slack, key):
                    misses.append(Miss(backend, name, f"{label}.{key}", floor, got[label][key]))
            for key, ceiling in entry.get("ceiling", {}).items():
                value = _value(got[label], key)
                if value > ceiling + count_slack:
                    misses.append(
                        Miss(backend, name, f"{label}.{key}", ceiling, int(value), "ceiling")
                    )
    return misses


def update(
    backend: str, baseline: dict[str, Any], figures: dict[str, Any], *, allow_regression: bool
) -> list[Miss]:
    """Pin ``backend``'s bounds on ``figures``; loosening one needs ``allow_regression``.

    The counts are always recorded as measured, and each label gets the bounds
    ``pinned_bounds`` gives at its figures. A pinned bound the figures miss (a floor they
    fall below, a ceiling they rise above) is loosened, or dropped, only with
    ``allow_regression``; without it the old bound stays. A bound the figures still meet
    is only ever tightened; one of the other kind (the label's given count crossed
    ``MIN_GIVEN_FOR_RATIO``) gives way to the new bounds, which are pinned at figures that
    meet it.

    Returns:
        The bounds the figures miss (loosened only if allowed).
    """
    loosened: list[Miss] = []
    floors = baseline["backends"][backend].setdefault("floors", {})
    for name, sample in baseline["sets"].items():
        if name not in figures:
            continue
        sample["sha256"] = figures[name]["sha256"]
        per_set = floors.setdefault(name, {})
        for label in LABELS:
            got = figures[name][label]
            old = per_set.get(label, {})
            floor, ceiling = pinned_bounds(got)
            for key, previous in old.get("floor", {}).items():
                if _below(_value(got, key), previous, key):
                    loosened.append(Miss(backend, name, f"{label}.{key}", previous, got[key]))
                    if not allow_regression:
                        floor[key] = previous
                elif key in floor:
                    # within EPSILON of the floor: keep the higher of the two
                    floor[key] = max(floor[key], previous)
            for key, previous in old.get("ceiling", {}).items():
                count = int(_value(got, key))
                if count > previous:
                    loosened.append(
                        Miss(backend, name, f"{label}.{key}", previous, count, "ceiling")
                    )
                    if not allow_regression:
                        ceiling[key] = previous
            entry: dict[str, Any] = {key: got[key] for key in (*COUNTS, "found") if key in got}
            entry["floor"] = floor
            if ceiling:
                entry["ceiling"] = ceiling
            per_set[label] = entry
    return loosened


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", action="append", help="only this backend (repeatable)")
    parser.add_argument("--update", action="store_true", help="raise floors to current figures")
    parser.add_argument("--allow-regression", action="store_true", help="let --update lower one")
    parser.add_argument("--data", type=Path, default=DATA, help="the folder of the samples")
    args = parser.parse_args(argv)
    baseline = load_baseline()
    failed = False
    for backend in args.backend or list(baseline["backends"]):
        figures = measure(backend, baseline, args.data)
        for name, values in figures.items():
            shown = "; ".join(
                f"{label} {values[label]['correct']}/{values[label]['given']}/"
                f"{values[label]['gold']} P {values[label]['precision']:.3f} "
                f"R {values[label]['recall']:.3f} F1 {values[label]['f1']:.3f}"
                for label in LABELS
            )
            print(f"{backend:16} {name:20} {shown}")
        if args.update:
            for miss in update(backend, baseline, figures, allow_regression=args.allow_regression):
                verb = "loosened" if args.allow_regression else "NOT loosened (--allow-regression)"
                print(f"{verb}: {miss}")
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
