"""Date finding, parsing and interval comparison (accord.normalize.dates)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from accord.model import DateValue, Precision
from accord.normalize.dates import compare_dates, date_bounds, find_dates, parse_date

D, M, S, Y = Precision.DAY, Precision.MONTH, Precision.SEASON, Precision.YEAR


@pytest.mark.parametrize(
    ("text", "year", "month", "day", "precision"),
    [
        ("12 July 1941", 1941, 7, 12, D),
        ("July 12, 1941", 1941, 7, 12, D),
        ("July 12 1941", 1941, 7, 12, D),
        ("12th of July 1941", 1941, 7, 12, D),
        ("the 12th of July, 1941", 1941, 7, 12, D),
        ("July 12th, 1941", 1941, 7, 12, D),
        ("Jul. 12, 1941", 1941, 7, 12, D),
        ("Sept. 3, 1939", 1939, 9, 3, D),
        ("1941-07-12", 1941, 7, 12, D),
        ("25/07/1941", 1941, 7, 25, D),
        ("07/25/1941", 1941, 7, 25, D),
        ("25.07.1941", 1941, 7, 25, D),
        ("05/05/1941", 1941, 5, 5, D),
        ("July 1941", 1941, 7, None, M),
        ("in July 1941", 1941, 7, None, M),
        ("January 1942", 1942, 1, None, M),
        ("1941", 1941, None, None, Y),
        ("in 1941", 1941, None, None, Y),
        ("(1921)", 1921, None, None, Y),
        ("500 BC", -500, None, None, Y),
        ("AD 800", 800, None, None, Y),
        ("summer of 1918", 1918, 6, None, S),
        ("spring 1918", 1918, 3, None, S),
    ],
)
def test_parse_date_reads_form(
    text: str, year: int, month: int | None, day: int | None, precision: Precision
) -> None:
    value = parse_date(text)
    assert value is not None
    assert (value.year, value.month, value.day, value.precision) == (year, month, day, precision)


@pytest.mark.parametrize(
    ("text", "year", "year_end", "precision", "approximate"),
    [
        ("the 1930s", 1930, 1939, Precision.DECADE, False),
        ("the early 1930s", 1930, 1933, Precision.DECADE, True),
        ("the 19th century", 1800, 1899, Precision.CENTURY, False),
        ("the nineteenth century", 1800, 1899, Precision.CENTURY, False),
        ("the 1800s", 1800, 1899, Precision.CENTURY, True),
        ("5th century BC", -500, -401, Precision.CENTURY, False),
        ("between 1939 and 1945", 1939, 1945, Y, False),
        ("from 1939 to 1945", 1939, 1945, Y, False),
        ("1939–1945", 1939, 1945, Y, False),
        ("1939-45", 1939, 1945, Y, False),
        ("(1923-1955)", 1923, 1955, Y, False),
        ("c. 1066", 1066, None, Y, True),
        ("circa 1066", 1066, None, Y, True),
        ("early 1942", 1942, None, S, True),
        ("late 1942", 1942, None, S, True),
    ],
)
def test_parse_date_reads_coarse_form(
    text: str, year: int, year_end: int | None, precision: Precision, approximate: bool
) -> None:
    value = parse_date(text)
    assert value is not None
    assert (value.year, value.year_end, value.precision, value.approximate) == (
        year,
        year_end,
        precision,
        approximate,
    )


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ("early 1942", dt.date(1942, 1, 1), dt.date(1942, 4, 30)),
        ("mid-1942", dt.date(1942, 5, 1), dt.date(1942, 8, 31)),
        ("summer of 1918", dt.date(1918, 6, 1), dt.date(1918, 8, 31)),
        ("winter of 1918", dt.date(1918, 1, 1), dt.date(1919, 2, 28)),
        ("12–14 July 1941", dt.date(1941, 7, 12), dt.date(1941, 7, 14)),
        ("12 July – 3 August 1941", dt.date(1941, 7, 12), dt.date(1941, 8, 3)),
        ("from 12 July 1941 to 3 March 1942", dt.date(1941, 7, 12), dt.date(1942, 3, 3)),
        ("February 1940", dt.date(1940, 2, 1), dt.date(1940, 2, 29)),
    ],
)
def test_date_bounds_covers_interval(text: str, first: dt.date, last: dt.date) -> None:
    value = parse_date(text)
    assert value is not None
    assert date_bounds(value) == (first.toordinal(), last.toordinal())


@pytest.mark.parametrize("text", ["12/07/1941", "12.07.1941", "07/12/1941"])
def test_parse_date_ambiguous_numeric_keeps_year_only(text: str) -> None:
    assert parse_date(text) == DateValue(year=1941, precision=Y, approximate=True)


@pytest.mark.parametrize(
    ("text", "dayfirst", "month", "day"),
    [("12/07/1941", True, 7, 12), ("12/07/1941", False, 12, 7), ("25/07/1941", False, 7, 25)],
)
def test_parse_date_numeric_order_option(text: str, dayfirst: bool, month: int, day: int) -> None:
    assert parse_date(text, dayfirst=dayfirst) == DateValue(year=1941, month=month, day=day)


@pytest.mark.parametrize(
    "text",
    ["in May", "May", "31 June 1941", "13/14/1941", "20 years", "1941 tonnes", "the 1942 x 2", ""],
)
def test_parse_date_rejects_non_date(text: str) -> None:
    assert parse_date(text) is None


@pytest.mark.parametrize(
    ("text", "month", "day"),
    [
        ("On July 25, the same day", 7, 25),
        ("on 17 September, the USSR", 9, 17),
        ("declared war on 3 September.", 9, 3),
        ("by September 3rd they", 9, 3),
    ],
)
def test_find_dates_yearless_day_month(text: str, month: int, day: int) -> None:
    (match,) = find_dates(text)
    assert (match.value, match.month, match.day) == (None, month, day)
    assert match.with_year(1939, None) == DateValue(year=1939, month=month, day=day)


@pytest.mark.parametrize(
    ("text", "month"),
    [("in May they met", 5), ("the court opened in May", 5), ("it was closed by late June", 6)],
)
def test_month_without_year_takes_a_year_from_context(text: str, month: int) -> None:
    (match,) = find_dates(text)
    assert (match.value, match.month, match.day) == (None, month, None)
    assert match.with_year(1937, None) == DateValue(
        year=1937, month=month, precision=Precision.MONTH
    )


@pytest.mark.parametrize(
    "text",
    ["He may go", "May Morris designed it", "In May 2020"],
)
def test_month_name_alone_is_no_bare_date(text: str) -> None:
    assert all(m.value is not None for m in find_dates(text))


@pytest.mark.parametrize(
    "text",
    [
        "lasting 20 years",
        "they shipped 1941 tonnes of grain",
        "in 1941 troops",
        "a total of 1941.",
        "rose to 1945 points",
        "we may 12 times",
        "call 1941 now",
        "item 1,941 in stock",
        "prices rose 19.41 percent",
        "the score was 1941-1",
    ],
)
def test_find_dates_ignores_non_date(text: str) -> None:
    assert find_dates(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "It was built about 1835 for the tanner Aldous Pike.",
        "It was built about 1835, and is a two-story dwelling.",
        "The mill dates from about 1835.",
    ],
)
def test_find_dates_about_a_year_ending_its_phrase_is_an_approximate_year(text: str) -> None:
    (match,) = find_dates(text)
    assert (match.value.year, match.value.approximate) == (1835, True)


@pytest.mark.parametrize(
    "text",
    [
        "The hall holds about 1500 people.",  # what the number counts follows it
        "About 1500 of them were sold.",
        "The estate covered about 1835 acres.",
        "It weighs about 9000 kg.",
    ],
)
def test_find_dates_about_a_number_that_counts_is_no_year(text: str) -> None:
    assert find_dates(text) == []


@pytest.mark.parametrize(
    ("text", "relation"),
    [("before 1941 it", "before"), ("after 12 July 1941", "after"), ("in 1941", None)],
)
def test_find_dates_records_relation(text: str, relation: str | None) -> None:
    (match,) = find_dates(text)
    assert match.relation == relation


def test_find_dates_offsets_point_into_text() -> None:
    text = "Signed on 12 July 1941 (1921) and on July 25."
    found = find_dates(text)
    assert [text[m.start : m.end] for m in found] == ["12 July 1941", "1921", "July 25"]
    assert [m.text for m in found] == ["12 July 1941", "1921", "July 25"]


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("12 July 1941", "July 12, 1941", "equal"),
        ("12 July 1941", "1941-07-12", "equal"),
        ("1941", "12 July 1941", "compatible"),
        ("July 1941", "12 July 1941", "compatible"),
        ("March 1918", "April 1918", "incompatible"),
        ("12 July 1941", "25 July 1939", "incompatible"),
        ("12 July 1941", "13 July 1941", "incompatible"),
        ("c. 1066", "1067", "compatible"),
        ("c. 1066", "1080", "incompatible"),
        ("the 1930s", "1939", "compatible"),
        ("the 1930s", "1941", "incompatible"),
        ("1939–1945", "12 July 1941", "compatible"),
        ("12/07/1941", "12 July 1941", "compatible"),
        ("12/07/1941", "1950", "incompatible"),
        ("500 BC", "AD 800", "incompatible"),
        ("500 BC", "5th century BC", "compatible"),
        ("the 19th century", "the 20th century", "incompatible"),
    ],
)
def test_compare_dates_table(a: str, b: str, expected: str) -> None:
    va, vb = parse_date(a), parse_date(b)
    assert va is not None and vb is not None
    assert compare_dates(va, vb) == expected
    assert compare_dates(vb, va) == expected


_SEED_DATES = {
    "wikipedia_anglo_soviet_agreement.txt": [
        ("12 July 1941", (1941, 7, 12)),
        ("23 August 1939", (1939, 8, 23)),
        ("1 September 1939", (1939, 9, 1)),
        ("17 September", (None, 9, 17)),
        ("3 September", (None, 9, 3)),
        ("22 June 1941", (1941, 6, 22)),
        ("12 July 1941", (1941, 7, 12)),
        ("January 1942", (1942, 1, None)),
        ("January 1942", (1942, 1, None)),
        ("1942", (1942, None, None)),
        ("1921", (1921, None, None)),
        ("July 12, 1941", (1941, 7, 12)),
    ],
    "fanwiki_anglo_soviet_agreement.txt": [
        ("July 25, 1939", (1939, 7, 25)),
        ("1923-1955", (1923, None, None)),
        ("July 25, 1939", (1939, 7, 25)),
        ("July 25", (None, 7, 25)),
    ],
}


@pytest.mark.parametrize("name", sorted(_SEED_DATES))
def test_find_dates_seed_documents(seeds_dir: Path, name: str) -> None:
    text = (seeds_dir / name).read_text(encoding="utf-8")
    found = [
        (m.text, (m.value.year if m.value else None, m.month, m.day)) for m in find_dates(text)
    ]
    assert found == _SEED_DATES[name]


def test_find_dates_seed_range_is_years(seeds_dir: Path) -> None:
    text = (seeds_dir / "fanwiki_anglo_soviet_agreement.txt").read_text(encoding="utf-8")
    (value,) = [m.value for m in find_dates(text) if m.text == "1923-1955"]
    assert value == DateValue(year=1923, year_end=1955, precision=Y)


_FORMATS = [
    lambda d: f"{d.day} {d:%B} {d.year}",
    lambda d: f"{d:%B} {d.day}, {d.year}",
    lambda d: f"{d:%B} {d.day} {d.year}",
    lambda d: f"{d.day}{_suffix(d.day)} of {d:%B} {d.year}",
    lambda d: f"{d:%B} {d.day}{_suffix(d.day)}, {d.year}",
    lambda d: f"{d:%b}. {d.day}, {d.year}",
    lambda d: d.isoformat(),
    lambda d: f"{d.day:02d}.{d.month:02d}.{d.year}" if d.day > 12 else d.isoformat(),
]


def _suffix(day: int) -> str:
    if day in (11, 12, 13):
        return "th"
    return {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")


_days = st.dates(min_value=dt.date(1000, 1, 1), max_value=dt.date(2999, 12, 31))


@given(day=_days, fmt=st.sampled_from(_FORMATS))
def test_parse_date_round_trips_rendered_day(day: dt.date, fmt: object) -> None:
    value = DateValue(year=day.year, month=day.month, day=day.day)
    text = fmt(day)  # type: ignore[operator]
    assert parse_date(text) == value
    assert parse_date(f"It was signed on {text}.") is None  # not one whole expression
    (match,) = find_dates(f"It was signed on {text}.")
    assert match.value == value


@given(day=_days)
def test_parse_date_round_trips_numeric_with_option(day: dt.date) -> None:
    value = DateValue(year=day.year, month=day.month, day=day.day)
    assert parse_date(f"{day.day}/{day.month}/{day.year}", dayfirst=True) == value
    assert parse_date(f"{day.month}/{day.day}/{day.year}", dayfirst=False) == value


_values = st.one_of(
    _days.map(lambda d: DateValue(year=d.year, month=d.month, day=d.day)),
    st.builds(
        lambda y, m: DateValue(year=y, month=m, precision=M),
        st.integers(1000, 2999),
        st.integers(1, 12),
    ),
    st.builds(
        lambda y, a: DateValue(year=y, precision=Y, approximate=a),
        st.integers(-3000, 2999).filter(bool),
        st.booleans(),
    ),
    st.builds(
        lambda y, n: DateValue(year=y, year_end=y + n, precision=Y),
        st.integers(1000, 2900),
        st.integers(1, 50),
    ),
)


@given(a=_values, b=_values)
def test_compare_dates_is_symmetric(a: DateValue, b: DateValue) -> None:
    assert compare_dates(a, b) == compare_dates(b, a)


@given(v=_values)
def test_compare_dates_value_never_contradicts_itself(v: DateValue) -> None:
    assert compare_dates(v, v) == "equal"
    first, last = date_bounds(v)
    assert first <= last


@given(a=_values, b=_values)
def test_date_bounds_order_matches_years(a: DateValue, b: DateValue) -> None:
    if a.year < b.year and (a.year_end or a.year) < b.year:
        assert date_bounds(a)[1] < date_bounds(b)[0]
