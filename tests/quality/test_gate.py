"""The quality gate: the shipped backends hold their pinned floors on the unseen samples,
and the gate's own rules (a floor is never lowered silently; changed data is reported)."""

from __future__ import annotations

import copy
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


def _toy() -> dict[str, Any]:
    return {
        "metrics": ["contradicts.precision"],
        "sets": {"s": {"path": "s.jsonl", "limit": 1, "sha256": "abc"}},
        "backends": {"b": {"floors": {"s": {"contradicts.precision": 0.9}}}},
    }


@pytest.mark.parametrize(
    ("value", "digest", "missed"),
    [
        (0.9, "abc", []),
        (0.9004, "abc", []),
        (0.85, "abc", ["contradicts.precision"]),
        (0.95, "changed", ["sha256"]),
    ],
)
def test_gate_compare_reports_drops_and_changed_data(
    value: float, digest: str, missed: list[str]
) -> None:
    figures = {"s": {"sha256": digest, "contradicts.precision": value}}
    assert [m.metric for m in gate.compare("b", _toy(), figures)] == missed


@pytest.mark.parametrize(("allow", "floor"), [(False, 0.9), (True, 0.5)])
def test_gate_update_lowers_a_floor_only_when_allowed(allow: bool, floor: float) -> None:
    baseline = copy.deepcopy(_toy())
    figures = {"s": {"sha256": "abc", "contradicts.precision": 0.5}}
    lowered = gate.update("b", baseline, figures, allow_regression=allow)
    assert [m.metric for m in lowered] == ["contradicts.precision"]
    assert baseline["backends"]["b"]["floors"]["s"]["contradicts.precision"] == floor


@pytest.mark.parametrize("value", [0.97])
def test_gate_update_raises_a_floor(value: float) -> None:
    baseline = copy.deepcopy(_toy())
    figures = {"s": {"sha256": "abc", "contradicts.precision": value}}
    assert gate.update("b", baseline, figures, allow_regression=False) == []
    assert baseline["backends"]["b"]["floors"]["s"]["contradicts.precision"] == value
