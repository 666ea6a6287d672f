"""Quantities in text and their comparison (accord.normalize.quantities)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from accord.model import Quantity
from accord.normalize.quantities import compare_quantities, find_quantities


@pytest.mark.parametrize(
    ("text", "amount", "unit", "approximate"),
    [
        ("6,650 km", "6650", "km", False),
        ("1.5 kg", "1.5", "kg", False),
        ("about 6,650 km", "6650", "km", True),
        ("4,130 miles", "4130", "mi", False),
        ("two", "2", None, False),
        ("twenty-one men", "21", "man", False),
        ("three hundred troops", "300", "troop", False),
        ("three hundred and fifty ships", "350", "ship", False),
        ("nearly two thousand people", "2000", "person", True),
        ("some 300 soldiers", "300", "soldier", True),
        ("at least 12 tanks", "12", "tank", True),
        ("50%", "50", "%", False),
        ("12 per cent", "12", "%", False),
        ("$5 million", "5000000", "USD", False),
        ("$5m", "5000000", "USD", False),
        ("5 million dollars", "5000000", "USD", False),
        ("£200", "200", "GBP", False),
        ("20 years", "20", "year", False),
        ("Three weeks", "3", "week", False),
        ("the two Governments", "2", "government", False),
        ("5 tonnes", "5", "t", False),
    ],
)
def test_find_quantities_reads_form(
    text: str, amount: str, unit: str | None, approximate: bool
) -> None:
    (match,) = find_quantities(text)
    assert match.value == Quantity(amount=Decimal(amount), unit=unit, approximate=approximate)
    assert text[match.start : match.end] == match.text


@pytest.mark.parametrize(
    "text",
    [
        "signed on 12 July 1941",
        "in 1941",
        "(1923-1955)",
        "the first clause",
        "no one came",
        "(1) The clause",
        "  2. Removal of trade",
        "one another",
        "someone often",
    ],
)
def test_find_quantities_skips_dates_ordinals_and_markers(text: str) -> None:
    assert find_quantities(text) == []


@pytest.mark.parametrize(("text", "bound"), [("over 5,000 men", "lower"), ("up to 40 km", "upper")])
def test_find_quantities_marks_bounds(text: str, bound: str) -> None:
    (match,) = find_quantities(text)
    assert match.bound == bound and match.value.approximate


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        (
            Quantity(amount=Decimal(20), unit="year"),
            Quantity(amount=Decimal(20), unit="year"),
            "equal",
        ),
        (
            Quantity(amount=Decimal(20), unit="year"),
            Quantity(amount=Decimal(25), unit="year"),
            "incompatible",
        ),
        (
            Quantity(amount=Decimal(6650), unit="km", approximate=True),
            Quantity(amount=Decimal(4130), unit="mi"),
            "compatible",
        ),
        (
            Quantity(amount=Decimal(6650), unit="km"),
            Quantity(amount=Decimal(4130), unit="mi"),
            "compatible",
        ),
        (
            Quantity(amount=Decimal(6650), unit="km"),
            Quantity(amount=Decimal(3000), unit="mi"),
            "incompatible",
        ),
        (
            Quantity(amount=Decimal(100), unit="man", approximate=True),
            Quantity(amount=Decimal(108), unit="man"),
            "compatible",
        ),
        (
            Quantity(amount=Decimal(100), unit="man", approximate=True),
            Quantity(amount=Decimal(150), unit="man"),
            "incompatible",
        ),
        (
            Quantity(amount=Decimal(100), unit="man"),
            Quantity(amount=Decimal(108), unit="man"),
            "incompatible",
        ),
        (
            Quantity(amount=Decimal(1), unit="t"),
            Quantity(amount=Decimal(1000), unit="kg"),
            "compatible",
        ),
        (
            Quantity(amount=Decimal(1), unit="kg"),
            Quantity(amount=Decimal("2.2"), unit="lb"),
            "compatible",
        ),
        (
            Quantity(amount=Decimal(3), unit="week"),
            Quantity(amount=Decimal(21), unit="day"),
            "compatible",
        ),
        (
            Quantity(amount=Decimal(5), unit="km"),
            Quantity(amount=Decimal(5), unit="kg"),
            "incomparable",
        ),
        (Quantity(amount=Decimal(5), unit="man"), Quantity(amount=Decimal(5)), "incomparable"),
        (
            Quantity(amount=Decimal(5), unit="ton"),
            Quantity(amount=Decimal(5), unit="t"),
            "incomparable",
        ),
    ],
)
def test_compare_quantities_table(a: Quantity, b: Quantity, expected: str) -> None:
    assert compare_quantities(a, b) == expected
    assert compare_quantities(b, a) == expected


@pytest.mark.parametrize(
    ("a", "a_bound", "b", "b_bound", "expected"),
    [
        (5000, "lower", 6000, None, "compatible"),
        (5000, "lower", 3000, None, "incompatible"),
        (5000, "upper", 3000, None, "compatible"),
        (5000, "lower", 3000, "lower", "compatible"),
        (5000, "lower", 3000, "upper", "incompatible"),
        (3000, "lower", 5000, "upper", "compatible"),
    ],
)
def test_compare_quantities_bounds(
    a: int, a_bound: str, b: int, b_bound: str | None, expected: str
) -> None:
    qa = Quantity(amount=Decimal(a), unit="man", approximate=True)
    qb = Quantity(amount=Decimal(b), unit="man", approximate=b_bound is not None)
    assert compare_quantities(qa, qb, a_bound=a_bound, b_bound=b_bound) == expected  # type: ignore[arg-type]
    assert compare_quantities(qb, qa, a_bound=b_bound, b_bound=a_bound) == expected  # type: ignore[arg-type]


def test_find_quantities_seed_documents(seeds_dir: Path) -> None:
    text = (seeds_dir / "wikipedia_anglo_soviet_agreement.txt").read_text(encoding="utf-8")
    found = {(m.text, m.value.amount, m.value.unit) for m in find_quantities(text)}
    assert ("20 years", Decimal(20), "year") in found
    assert ("Three weeks", Decimal(3), "week") in found
    assert not any(m.value.amount in (1939, 1941, 1942, 1921) for m in find_quantities(text))


_quantities = st.builds(
    Quantity,
    amount=st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False),
    unit=st.sampled_from([None, "km", "mi", "kg", "t", "lb", "man", "%"]),
    approximate=st.booleans(),
)


@given(a=_quantities, b=_quantities)
def test_compare_quantities_is_symmetric(a: Quantity, b: Quantity) -> None:
    assert compare_quantities(a, b) == compare_quantities(b, a)


@given(q=_quantities)
def test_compare_quantities_value_never_contradicts_itself(q: Quantity) -> None:
    assert compare_quantities(q, q) == "equal"


@given(n=st.integers(0, 10**7))
def test_find_quantities_reads_rendered_number(n: int) -> None:
    (match,) = find_quantities(f"{n:,} tanks")
    assert match.value == Quantity(amount=Decimal(n), unit="tank")
