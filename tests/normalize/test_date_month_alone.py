"""A month named with no year after a preposition ("closed since March"): a date whose year
the context gives. tests/normalize/test_dates.py has "in" and "by"; these are the others,
the span it covers and what is no bare month."""

from __future__ import annotations

import pytest

from accord.model import DateValue, Precision
from accord.normalize.dates import find_dates


@pytest.mark.parametrize(
    ("text", "surface", "month"),
    [
        ("closed since March", "March", 3),
        ("open until October", "October", 10),
        ("open till October", "October", 10),
        ("built during August", "August", 8),
        ("before June they met", "June", 6),
        ("after early July the gates opened", "early July", 7),
        ("the storms of June", "June", 6),
        ("from March the hall was shut", "March", 3),
        pytest.param(
            "In May the museum reopened.", "May", 5
        ),
    ],
)  # fmt: skip
def test_month_alone_after_a_preposition(text: str, surface: str, month: int) -> None:
    (match,) = find_dates(text)
    assert (match.value, match.month, match.day) == (None, month, None)
    assert match.text == surface == text[match.start : match.end]  # not the preposition
    assert match.with_year(1990, None) == DateValue(
        year=1990, month=month, precision=Precision.MONTH
    )


@pytest.mark.parametrize("text", ["in May, 1920", "in March of 1920"])
def test_month_alone_not_before_a_year(text: str) -> None:
    matches = find_dates(text)
    assert matches and all(m.value is not None for m in matches)
    assert {m.value.year for m in matches if m.value is not None} == {1920}


@pytest.mark.parametrize("text", ["to May", "may be late", "a May Day fair"])
def test_month_alone_needs_its_preposition(text: str) -> None:
    assert [m for m in find_dates(text) if m.value is None and m.month] == []
