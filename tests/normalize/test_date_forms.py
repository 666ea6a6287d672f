"""Written date forms as intervals with a precision, and date-shaped text that names no date."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from accord.model import Precision
from accord.normalize import compare_dates, parse_date
from accord.normalize.dates import find_unparsed_dates


@pytest.mark.parametrize(
    ("text", "iso", "precision", "approximate"),
    [
        ("3 March 1918", "1918-03-03", Precision.DAY, False),
        ("March 3rd, 1918", "1918-03-03", Precision.DAY, False),
        ("3rd of March, 1918", "1918-03-03", Precision.DAY, False),
        ("Mar. 3, 1918", "1918-03-03", Precision.DAY, False),
        ("3 Mar 1918", "1918-03-03", Precision.DAY, False),
        ("1918-03-03", "1918-03-03", Precision.DAY, False),
        ("3/3/1918", "1918-03-03", Precision.DAY, False),
        ("25/07/1939", "1939-07-25", Precision.DAY, False),
        ("07/25/1939", "1939-07-25", Precision.DAY, False),
        ("March 1918", "1918-03", Precision.MONTH, False),
        ("mid-July 1941", "1941-07", Precision.MONTH, True),
        ("spring of 1918", "1918", Precision.SEASON, True),
        ("the summer of 1941", "1941", Precision.SEASON, True),
        ("early 1942", "1942", Precision.SEASON, True),
        ("late 1941", "1941", Precision.SEASON, True),
        ("c. 1066", "1066", Precision.YEAR, True),
        ("ca. 1500", "1500", Precision.YEAR, True),
        ("around 1900", "1900", Precision.YEAR, True),
        ("between 1939 and 1945", "1939/1945", Precision.YEAR, False),
        ("1939–1945", "1939/1945", Precision.YEAR, False),
        ("the 1930s", "1930/1939", Precision.DECADE, False),
        ("the late 1930s", "1936/1939", Precision.DECADE, True),
        ("the 19th century", "1800/1899", Precision.CENTURY, False),
        ("44 BC", "-0044", Precision.YEAR, False),
        ("AD 800", "0800", Precision.YEAR, False),
        ("1066 AD", "1066", Precision.YEAR, False),
    ],
)
def test_parse_date_written_forms(
    text: str, iso: str, precision: Precision, approximate: bool
) -> None:
    value = parse_date(text)
    assert value is not None
    assert (value.to_iso(), value.precision, value.approximate) == (iso, precision, approximate)


@pytest.mark.parametrize(
    ("a", "b", "relation"),
    [
        ("1918", "3 March 1918", "compatible"),
        ("March 1918", "April 1918", "incompatible"),
        ("March 1918", "3 March 1918", "compatible"),
        ("the 1930s", "1939", "compatible"),
        ("the 1930s", "1941", "incompatible"),
        ("c. 1066", "1067", "compatible"),
        ("1066", "1067", "incompatible"),
        ("between 1939 and 1945", "1941", "compatible"),
        ("early 1942", "December 1942", "incompatible"),
        ("12 July 1941", "25 July 1939", "incompatible"),
        ("44 BC", "45 BC", "incompatible"),
    ],
)
def test_compare_dates_precision_traps(a: str, b: str, relation: str) -> None:
    x, y = parse_date(a), parse_date(b)
    assert x is not None and y is not None
    assert compare_dates(x, y) == relation
    assert compare_dates(y, x) == relation


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("signed on 31 February 1918", "no day 31 in February 1918"),
        ("signed on 29 February 1900", "no day 29 in February 1900"),
        ("signed on 31 April", "no day 31 in April"),
        ("signed on April 31, 1920", "no day 31 in April 1920"),
        ("in March 99999", "year 99999 is out of range"),
    ],
)
def test_find_unparsed_dates_gives_reason(text: str, reason: str) -> None:
    (found,) = find_unparsed_dates(text)
    start, end, surface, why = found
    assert text[start:end] == surface
    assert reason in why
    assert parse_date(surface) is None


@pytest.mark.parametrize(
    "text", ["signed on 29 February 2000", "on 28 February 1900", "in March 1999", "3 March"]
)
def test_find_unparsed_dates_accepts_real_dates(text: str) -> None:
    assert find_unparsed_dates(text) == []


@given(st.text(max_size=80))
def test_find_unparsed_dates_never_raises(text: str) -> None:
    for start, end, surface, reason in find_unparsed_dates(text):
        assert text[start:end] == surface and reason


@given(st.integers(min_value=-(10**6), max_value=10**6), st.integers(1, 40), st.integers(1, 14))
def test_parse_date_absurd_numbers_never_raise(year: int, day: int, month: int) -> None:
    for text in (f"{day} March {year}", f"{day}/{month}/{year}", f"{year}-{month:02d}-{day:02d}"):
        parse_date(text)
