"""Quantities as intervals their wording allows, compared across units (normalize.measure)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from accord.model import Quantity
from accord.normalize.measure import compare_measures, read_quantity
from accord.normalize.quantities import find_unparsed_quantities
from accord.normalize.units import convert, dimension


def _read(surface: str, amount: str, unit: str | None, approximate: bool = False) -> object:
    value = Quantity(amount=Decimal(amount), unit=unit, approximate=approximate)
    return read_quantity(value, surface)


@pytest.mark.parametrize(
    ("surface", "amount", "unit", "approx", "low", "high", "how"),
    [
        ("4,130 miles", "4130", "mi", False, "4125", "4135", "nearest 10"),
        ("4,000 miles", "4000", "mi", False, "3500", "4500", "nearest 1,000"),
        ("about 4,000 miles", "4000", "mi", True, "3600", "4400", "±10%"),
        ("around 250 men", "250", "man", True, "225", "275", "±10%"),
        ("3.25 km", "3.25", "km", False, "3.245", "3.255", "nearest 0.01"),
        ("7 ships", "7", "ship", False, "6.5", "7.5", "nearest 1"),
        ("over 5,000 troops", "5000", "troop", True, "5000", None, "lower bound"),
        ("at least 12 tanks", "12", "tank", True, "12", None, "lower bound"),
        ("more than 40%", "40", "%", True, "40", None, "lower bound"),
        ("up to 300 people", "300", "person", True, None, "300", "upper bound"),
        ("fewer than 20 ships", "20", "ship", True, None, "20", "upper bound"),
        ("under 2 km", "2", "km", True, None, "2", "upper bound"),
        ("nearly 2,000 people", "2000", "person", True, "1800", "2200", "±10%"),
        ("$5 million", "5000000", "USD", False, "4500000", "5500000", "nearest 1,000,000"),
    ],
)
def test_read_quantity_interval_from_wording(
    surface: str,
    amount: str,
    unit: str,
    approx: bool,
    low: str | None,
    high: str | None,
    how: str,
) -> None:
    reading = _read(surface, amount, unit, approx)
    assert reading.low == (Decimal(low) if low else None)  # type: ignore[attr-defined]
    assert reading.high == (Decimal(high) if high else None)  # type: ignore[attr-defined]
    assert how in reading.how  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        # unit differences that are not contradictions
        (("6,650 km", "6650", "km"), ("4,130 miles", "4130", "mi"), "compatible"),
        (("4,130 miles", "4130", "mi"), ("6,650 km", "6650", "km"), "compatible"),
        (("1 mile", "1", "mi"), ("1.6 km", "1.6", "km"), "compatible"),
        (("100 kg", "100", "kg"), ("220 lb", "220", "lb"), "compatible"),
        (("2 weeks", "2", "week"), ("14 days", "14", "day"), "compatible"),
        (("5 tonnes", "5", "t"), ("5,000 kg", "5000", "kg"), "compatible"),
        (("30 ft", "30", "ft"), ("9 m", "9", "m"), "compatible"),
        (("3 hours", "3", "hour"), ("180 minutes", "180", "minute"), "compatible"),
        # real clashes after conversion
        (("6,650 km", "6650", "km"), ("5,000 miles", "5000", "mi"), "incompatible"),
        (("120 kg", "120", "kg"), ("120 lb", "120", "lb"), "incompatible"),
        (("2 weeks", "2", "week"), ("25 days", "25", "day"), "incompatible"),
        # a round figure is read to its last significant digit: "100" may be 50 to 150
        (("100 kg", "100", "kg"), ("100 lb", "100", "lb"), "compatible"),
        # exact vs exact
        (("7 ships", "7", "ship"), ("7 ships", "7", "ship"), "equal"),
        (("2 clauses", "2", "clause"), ("3 clauses", "3", "clause"), "incompatible"),
        (("4,130 miles", "4130", "mi"), ("4,132 miles", "4132", "mi"), "compatible"),
        # different dimensions or things never compare
        (("2 km", "2", "km"), ("2 kg", "2", "kg"), "incomparable"),
        (("300 tanks", "300", "tank"), ("300 ships", "300", "ship"), "incomparable"),
        (("£200", "200", "GBP"), ("$200", "200", "USD"), "incomparable"),
        (("3 months", "3", "month"), ("90 days", "90", "day"), "incomparable"),
        (("5 km", "5", "km"), ("5", "5", None), "incomparable"),
        (("50%", "50", "%"), ("50 km", "50", "km"), "incomparable"),
    ],
)
def test_compare_measures_table(
    a: tuple[str, str, str | None], b: tuple[str, str, str | None], expected: str
) -> None:
    assert compare_measures(_read(*a), _read(*b)) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        # approximate vs exact
        (("about 4,000", "4000", "man", True), ("4,300", "4300", "man", False), "compatible"),
        (("about 4,000", "4000", "man", True), ("6,000", "6000", "man", False), "incompatible"),
        (("some 300", "300", "man", True), ("320", "320", "man", False), "compatible"),
        (("roughly 10 km", "10", "km", True), ("12 km", "12", "km", False), "incompatible"),
        # bounds
        (("over 5,000", "5000", "man", True), ("7,000", "7000", "man", False), "compatible"),
        (("over 5,000", "5000", "man", True), ("4,000", "4000", "man", False), "incompatible"),
        (("up to 300", "300", "man", True), ("250", "250", "man", False), "compatible"),
        (("up to 300", "300", "man", True), ("400", "400", "man", False), "incompatible"),
        (("over 5,000", "5000", "man", True), ("over 9,000", "9000", "man", True), "compatible"),
        (("under 10", "10", "man", True), ("over 20", "20", "man", True), "incompatible"),
    ],
)
def test_compare_measures_tolerance_from_wording(
    a: tuple[str, str, str, bool], b: tuple[str, str, str, bool], expected: str
) -> None:
    assert compare_measures(_read(*a), _read(*b)) == expected  # type: ignore[arg-type]
    assert compare_measures(_read(*b), _read(*a)) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("amount", "unit", "target", "expected"),
    [
        ("6650", "km", "mi", "4132"),
        ("1", "mi", "km", "1.609"),
        ("1", "t", "kg", "1000"),
        ("1", "acre", "ha", "0.405"),
        ("10", "gal", "l", "37.854"),
        ("100", "km/h", "mph", "62.137"),
    ],
)
def test_convert_through_units_library(amount: str, unit: str, target: str, expected: str) -> None:
    result = convert(Decimal(amount), unit, target)
    assert result is not None
    assert abs(result - Decimal(expected)) < Decimal("0.001") * max(1, abs(Decimal(expected)))


@pytest.mark.parametrize(
    ("unit", "target"),
    [("km", "kg"), ("USD", "GBP"), ("year", "day"), ("soldier", "man"), (None, "km")],
)
def test_convert_refuses_different_dimensions(unit: str | None, target: str) -> None:
    assert convert(Decimal(1), unit, target) is None


@pytest.mark.parametrize(("unit", "same"), [("km", "mi"), ("kg", "lb"), ("day", "week")])
def test_dimension_groups_units(unit: str, same: str) -> None:
    assert dimension(unit) == dimension(same)
    assert dimension(unit) != dimension("soldier")


@pytest.mark.parametrize(
    ("text", "surface"),
    [
        ("about ¾ of a million people", "¾ of a million"),
        ("a bridge 2½ miles long", "2½"),
        ("a road 12 кm long", "12 кm"),
    ],
)
def test_find_unparsed_quantities_gives_reason(text: str, surface: str) -> None:
    (found,) = find_unparsed_quantities(text)
    assert found[2] == surface and found[3]


_AMOUNTS = st.decimals(min_value=1, max_value=10**9, places=2, allow_nan=False)
_UNITS = st.sampled_from(["km", "mi", "kg", "lb", "man", "%", None])


@given(_AMOUNTS, _UNITS, st.booleans())
def test_compare_measures_value_never_contradicts_itself(
    amount: Decimal, unit: str | None, approx: bool
) -> None:
    reading = read_quantity(Quantity(amount=amount, unit=unit, approximate=approx), "x")
    assert compare_measures(reading, reading) in ("equal", "compatible")


@given(_AMOUNTS, _UNITS, _AMOUNTS, _UNITS)
def test_compare_measures_is_symmetric_in_one_unit(
    x: Decimal, unit: str | None, y: Decimal, other: str | None
) -> None:
    a = read_quantity(Quantity(amount=x, unit=unit), "x")
    b = read_quantity(Quantity(amount=y, unit=unit), "y")
    assert compare_measures(a, b) == compare_measures(b, a)


@given(st.text(max_size=60))
def test_find_unparsed_quantities_never_raises(text: str) -> None:
    for start, end, surface, reason in find_unparsed_quantities(text):
        assert text[start:end] == surface and reason
