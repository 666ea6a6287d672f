"""Calibrated confidence of slot comparison's clashes (accord.verify.calibration)."""

from __future__ import annotations

import json
from importlib.resources import files
from typing import Any

import pytest

from accord.model import Label
from accord.verify import calibration
from accord.verify.calibration import (
    DEFAULT_RATES,
    PRIOR_WEIGHT,
    Calibration,
    calibrate,
    load_calibration,
)
from accord.verify.values import Finding


class _Packaged:
    """Stands in for the package's data folder, holding one calibration file text."""

    def __init__(self, text: str | None) -> None:
        self.text = text

    def joinpath(self, name: str) -> _Packaged:
        return self

    def read_text(self, encoding: str = "utf-8") -> str:
        if self.text is None:
            raise FileNotFoundError("calibration.json")
        return self.text


def _reload(monkeypatch: pytest.MonkeyPatch, text: str | None) -> Calibration:
    monkeypatch.setattr(calibration, "files", lambda package: _Packaged(text))
    load_calibration.cache_clear()
    try:
        return load_calibration()
    finally:
        load_calibration.cache_clear()  # the next caller reads the packaged file again


@pytest.mark.parametrize("default", [0.9, 0.5])
def test_calibration_rate_without_counts_is_the_default(default: float) -> None:
    assert Calibration({}).rate("slots:date", default) == pytest.approx(default)
    assert Calibration({"slots:rank": (1, 1)}).rate("slots:date", default) == pytest.approx(default)


@pytest.mark.parametrize(
    ("right", "given", "default"),
    [(46, 49, 0.9), (2, 3, 0.7), (0, 4, 0.8), (7, 7, 0.85)],
)
def test_calibration_rate_is_the_posterior_mean(right: int, given: int, default: float) -> None:
    rate = Calibration({"m": (right, given)}).rate("m", default)
    assert rate == pytest.approx((right + PRIOR_WEIGHT * default) / (given + PRIOR_WEIGHT))
    # between the default and the observed share
    low, high = sorted((default, right / given))
    assert low <= rate <= high


@pytest.mark.parametrize("given", [1, 10, 1000])
def test_calibration_rate_moves_towards_the_data_with_more_counts(given: int) -> None:
    few = Calibration({"m": (0, given)}).rate("m", 0.8)
    more = Calibration({"m": (0, given * 2)}).rate("m", 0.8)
    assert 0 <= more < few < 0.8


def _finding(label: Label, method: str, confidence: float = 0.9) -> Finding:
    return Finding(label, confidence, method, "a reason", None)


@pytest.mark.parametrize("method", ["slots:date", "slots:holder", "slots:masked-date"])
def test_calibrate_rescales_contradictions_of_known_methods(method: str) -> None:
    default = DEFAULT_RATES[method]
    table = Calibration({method: (1, 4)})
    out = calibrate(_finding(Label.CONTRADICTS, method, 0.6), table)
    assert out.confidence == pytest.approx(0.6 * table.rate(method, default) / default)
    assert (out.label, out.method, out.reason) == (Label.CONTRADICTS, method, "a reason")


@pytest.mark.parametrize("method", ["slots:date"])
def test_calibrate_caps_confidence_at_one(method: str) -> None:
    out = calibrate(_finding(Label.CONTRADICTS, method, 0.99), Calibration({method: (100, 100)}))
    assert out.confidence == 1.0


@pytest.mark.parametrize(
    ("label", "method"),
    [
        (Label.SUPPORTS, "slots:date"),
        (Label.NOT_MENTIONED, "slots:date"),
        (Label.CONTRADICTS, "slots:type"),  # no rate: a method calibration does not know
        (Label.CONTRADICTS, "overlap"),
    ],
)
def test_calibrate_leaves_other_findings(label: Label, method: str) -> None:
    finding = _finding(label, method, 0.6)
    assert calibrate(finding, Calibration({method: (0, 100)})) is finding


@pytest.mark.parametrize("path", ["calibration.json"])
def test_load_calibration_reads_the_packaged_counts(path: str) -> None:
    raw = json.loads(files("accord.data").joinpath(path).read_text(encoding="utf-8"))
    methods: dict[str, Any] = raw["methods"]
    assert methods
    unknown = sorted(set(methods) - set(DEFAULT_RATES))
    assert unknown == [], f"counted methods with no hand-set rate: {unknown}"
    table = load_calibration()
    assert table.counts == {m: (row["right"], row["given"]) for m, row in methods.items()}
    assert all(0 <= right <= given for right, given in table.counts.values())
    assert raw.get("prior_weight", PRIOR_WEIGHT) == PRIOR_WEIGHT


@pytest.mark.parametrize(
    "text",
    [
        None,  # missing
        "not json {",
        '{"methods": {"slots:date": {"right": "many", "given": 3}}}',
        '{"methods": {"slots:date": {"given": 3}}}',
        '{"methods": {"slots:date": null}}',
        pytest.param("[]"),
        pytest.param('{"methods": []}'),
    ],
)
def test_load_calibration_falls_back_to_the_defaults(
    monkeypatch: pytest.MonkeyPatch, text: str | None
) -> None:
    table = _reload(monkeypatch, text)
    assert table.counts == {}
    assert table.rate("slots:date", DEFAULT_RATES["slots:date"]) == DEFAULT_RATES["slots:date"]


@pytest.mark.parametrize("text", ['{"methods": {"slots:date": {"right": 3, "given": 4}}}'])
def test_load_calibration_reads_a_replaced_file(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    assert _reload(monkeypatch, text).counts == {"slots:date": (3, 4)}
