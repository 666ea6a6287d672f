"""The quality gate: the shipped backends hold their pinned bounds on the development samples,
and the gate's own rules (ratio floors only from enough given items, else count bounds; no
bound is loosened silently; changed data is reported)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).parent))
import gate

BASELINE = gate.load_baseline()


@pytest.mark.integration
@pytest.mark.parametrize("backend", sorted(BASELINE["backends"]))
def test_gate_backend_holds_its_floors(backend: str) -> None:
    figures = gate.measure(backend, BASELINE)
    misses = gate.compare(backend, BASELINE, figures)
    assert not misses, "\n".join(map(str, misses))


def _label(correct: int, given: int, precision: float | None = None) -> dict[str, Any]:
    """One label's figures as ``gate.measure`` gives them, of 100 gold items."""
    if precision is None:
        precision = round(correct / given, 3) if given else 0.0
    recall = correct / 100
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "correct": correct,
        "given": given,
        "gold": 100,
        "precision": precision,
        "recall": recall,
        "f1": round(f1, 3),
    }


def _figures(contradicts: dict[str, Any], supports: dict[str, Any], digest: str = "abc") -> Any:
    return {"s": {"sha256": digest, "contradicts": contradicts, "supports": supports}}


def _toy() -> dict[str, Any]:
    """CONTRADICTS given 30 times (a ratio floor), SUPPORTS 4 times (count bounds)."""
    return {
        "sets": {"s": {"path": "s.jsonl", "sha256": "abc"}},
        "backends": {
            "b": {
                "floors": {
                    "s": {
                        "contradicts": {
                            "correct": 27,
                            "given": 30,
                            "gold": 100,
                            "floor": {"precision": 0.9},
                        },
                        "supports": {
                            "correct": 3,
                            "given": 4,
                            "gold": 100,
                            "floor": {"correct": 3},
                            "ceiling": {"wrong": 1},
                        },
                    }
                }
            }
        },
    }


@pytest.mark.parametrize(
    ("given", "kind"),
    [(gate.MIN_GIVEN_FOR_RATIO - 1, "counts"), (gate.MIN_GIVEN_FOR_RATIO, "ratios")],
)
def test_gate_pinned_bounds_take_ratios_only_from_enough_given_items(given: int, kind: str) -> None:
    floor, ceiling = gate.pinned_bounds(_label(given - 2, given))
    if kind == "ratios":
        assert (sorted(floor), ceiling) == (sorted(gate.RATIOS), {})
    else:
        assert (floor, ceiling) == ({"correct": given - 2}, {"wrong": 2})


@pytest.mark.parametrize(
    ("precision", "supports", "digest", "missed"),
    [
        (0.9, (3, 4), "abc", []),
        (0.8996, (3, 4), "abc", []),
        (0.85, (3, 4), "abc", ["contradicts.precision"]),
        (0.9, (2, 3), "abc", ["supports.correct"]),
        (0.9, (3, 5), "abc", ["supports.wrong"]),
        (0.95, (4, 4), "changed", ["sha256"]),
    ],
    ids=["holds", "rounding", "ratio-floor", "count-floor", "wrong-ceiling", "changed-data"],
)
def test_gate_compare_reports_each_missed_bound_and_changed_data(
    precision: float, supports: tuple[int, int], digest: str, missed: list[str]
) -> None:
    figures = _figures(_label(27, 30, precision), _label(*supports), digest)
    assert [m.metric for m in gate.compare("b", _toy(), figures)] == missed


@pytest.mark.parametrize(
    ("precision", "supports", "missed"),
    [
        (0.86, (2, 3), []),
        (0.84, (3, 4), ["contradicts.precision"]),
        (0.9, (0, 1), ["supports.correct"]),
        (0.9, (3, 6), []),
        (0.9, (3, 7), ["supports.wrong"]),
    ],
    ids=["within", "ratio-past", "count-past", "wrong-within", "wrong-past"],
)
def test_gate_cpu_tolerance_widens_the_check_by_its_margins(
    precision: float, supports: tuple[int, int], missed: list[str]
) -> None:
    baseline = _toy()
    baseline["backends"]["b"]["cpu_tolerance"] = {"ratio": 0.05, "count": 2, "why": "int8"}
    figures = _figures(_label(27, 30, precision), _label(*supports))
    assert [m.metric for m in gate.compare("b", baseline, figures)] == missed
    # without the tolerance the same figures miss at least as many bounds
    assert len(gate.compare("b", _toy(), figures)) >= len(missed)


@pytest.mark.parametrize(("contradicts", "supports"), [((29, 30), (4, 4))])
def test_gate_update_tightens_bounds_and_records_counts(
    contradicts: tuple[int, int], supports: tuple[int, int]
) -> None:
    baseline = _toy()
    figures = _figures(_label(*contradicts), _label(*supports))
    assert gate.update("b", baseline, figures, allow_regression=False) == []
    pinned = baseline["backends"]["b"]["floors"]["s"]
    assert pinned["contradicts"]["floor"] == {"precision": 0.967, "recall": 0.29, "f1": 0.446}
    assert pinned["contradicts"]["given"] == 30
    assert pinned["supports"] == {
        "correct": 4,
        "given": 4,
        "gold": 100,
        "floor": {"correct": 4},
        "ceiling": {"wrong": 0},
    }


@pytest.mark.parametrize(
    ("label", "counts", "bound", "kept", "loosened"),
    [
        ("contradicts", (15, 30), "floor.precision", 0.9, 0.5),
        ("supports", (2, 3), "floor.correct", 3, 2),
        ("supports", (3, 6), "ceiling.wrong", 1, 3),
    ],
    ids=["ratio-floor", "count-floor", "wrong-ceiling"],
)
@pytest.mark.parametrize("allow", [False, True])
def test_gate_update_loosens_a_bound_only_when_allowed(
    label: str, counts: tuple[int, int], bound: str, kept: float, loosened: float, allow: bool
) -> None:
    baseline = _toy()
    holding = {"contradicts": _label(27, 30), "supports": _label(3, 4)}
    figures = _figures(**{**holding, label: _label(*counts)})
    missed = gate.update("b", baseline, figures, allow_regression=allow)
    kind, key = bound.split(".")
    assert [m.metric for m in missed] == [f"{label}.{key}"]
    pinned = baseline["backends"]["b"]["floors"]["s"][label]
    assert pinned[kind][key] == (loosened if allow else kept)
    assert (pinned["correct"], pinned["given"]) == counts


@pytest.mark.parametrize(
    ("contradicts", "supports", "missed"),
    [
        ((19, 19), (3, 4), ["contradicts.recall", "contradicts.f1"]),
        ((27, 30), (24, 25), []),
    ],
    ids=["ratios-to-counts", "counts-to-ratios"],
)
@pytest.mark.parametrize("allow", [False, True])
def test_gate_update_switches_bound_kind_keeping_missed_bounds_unless_allowed(
    contradicts: tuple[int, int], supports: tuple[int, int], missed: list[str], allow: bool
) -> None:
    baseline = _toy()
    old = baseline["backends"]["b"]["floors"]["s"]["contradicts"]["floor"]
    old.update({"recall": 0.27, "f1": 0.415})
    figures = _figures(_label(*contradicts), _label(*supports))
    loosened = gate.update("b", baseline, figures, allow_regression=allow)
    assert [m.metric for m in loosened] == missed
    pinned = baseline["backends"]["b"]["floors"]["s"]
    for label, counts in (("contradicts", contradicts), ("supports", supports)):
        floor, ceiling = gate.pinned_bounds(_label(*counts))
        for miss in loosened if not allow else []:
            if miss.metric.startswith(f"{label}."):
                floor[miss.metric.split(".")[1]] = float(miss.bound)
        assert (pinned[label]["floor"], pinned[label].get("ceiling", {})) == (floor, ceiling)
