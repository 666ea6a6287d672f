"""Amounts written as words that scale a count: dozens and halves."""

from __future__ import annotations

from decimal import Decimal

import pytest

from accord.normalize.quantities import find_quantities


@pytest.mark.parametrize(
    ("text", "amount", "unit"),
    [
        ("two dozen", "24", None),
        ("a dozen", "12", None),
        ("twelve dozen", "144", None),
        ("2 dozen", "24", None),
        ("one and a half thousand", "1500", None),
        ("three and a half million people", "3500000", "person"),
        ("half a million", "500000", None),
        ("half a dozen boats", "6", "boat"),
        ("two dozen cabins", "24", "cabin"),
        ("Half a million visitors came.", "500000", "visitor"),
    ],
)
def test_quantity_words_scale_the_count(text: str, amount: str, unit: str | None) -> None:
    (match,) = find_quantities(text)
    assert match.value.amount == Decimal(amount)
    assert match.value.unit == unit
    assert text[match.start : match.end] == match.text


@pytest.mark.parametrize(("text", "amount"), [("about two dozen cabins", "24")])
def test_quantity_words_keep_approximation(text: str, amount: str) -> None:
    (match,) = find_quantities(text)
    assert match.value.amount == Decimal(amount) and match.value.approximate


@pytest.mark.parametrize(
    ("text", "amounts"),
    [
        ("It has two dozen cabins and 3 pools.", ["24", "3"]),
        ("Half a million came; a dozen stayed.", ["500000", "12"]),
    ],
)
def test_quantity_words_are_read_once_beside_other_numbers(text: str, amounts: list[str]) -> None:
    assert [m.value.amount for m in find_quantities(text)] == [Decimal(a) for a in amounts]
