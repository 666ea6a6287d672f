"""Dates that need context: relative phrases, bare days and people named by surname."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from accord.claims.timeline import People, Timeline, find_relative, shift
from accord.model import DateValue, EntityKind, EntityRef, Precision, Span

SOURCE = Span(doc_id="d", start=0, end=10)
DAY = DateValue(year=1939, month=7, day=25)
MONTH = DateValue(year=1939, month=7, precision=Precision.MONTH)
YEAR = DateValue(year=1939, precision=Precision.YEAR)


@pytest.mark.parametrize(
    ("text", "unit", "months", "days", "after"),
    [
        ("The following month it was ratified.", "month", 1, 0, False),
        ("the next month", "month", 1, 0, False),
        ("the previous month", "month", -1, 0, False),
        ("the preceding year", "year", -12, 0, False),
        ("the next year", "year", 12, 0, False),
        ("the following day", "day", 0, 1, False),
        ("the same day", "day", 0, 0, False),
        ("that day", "day", 0, 0, False),
        ("that year", "year", 0, 0, False),
        ("the same year", "year", 0, 0, False),
        ("two years later", "year", 24, 0, False),
        ("Three months later", "month", 3, 0, False),
        ("10 days later", "day", 0, 10, False),
        ("a year earlier", "year", -12, 0, False),
        ("one month before the invasion", "month", -1, 0, True),
        ("two weeks after the signing", "day", 0, 14, True),
        ("six days prior to the vote", "day", 0, -6, True),
        ("an hour later", None, 0, 0, False),
    ],
)
def test_find_relative_reads_step(
    text: str, unit: str | None, months: int, days: int, after: bool
) -> None:
    found = find_relative(text)
    if unit is None:
        assert found == []
        return
    (match,) = found
    assert (match.unit, match.months, match.days, match.anchored_after) == (
        unit,
        months,
        days,
        after,
    )
    assert text[match.start : match.end] == match.text


@pytest.mark.parametrize(
    "text", ["this year", "in the year of the dragon", "months of talks", "later that week"]
)
def test_find_relative_ignores_non_relative_wording(text: str) -> None:
    assert find_relative(text) == []


@pytest.mark.parametrize(
    ("anchor", "phrase", "iso", "precision"),
    [
        (DAY, "the following month", "1939-08", Precision.MONTH),
        (DAY, "the next year", "1940", Precision.YEAR),
        (DAY, "the following day", "1939-07-26", Precision.DAY),
        (DAY, "that day", "1939-07-25", Precision.DAY),
        (DAY, "two years later", "1941", Precision.YEAR),
        (DAY, "one month before", "1939-06", Precision.MONTH),
        (DateValue(year=1939, month=12, day=31), "the next day", "1940-01-01", Precision.DAY),
        (DateValue(year=1939, month=12, day=5), "the following month", "1940-01", Precision.MONTH),
        (DateValue(year=1940, month=1, day=5), "the previous month", "1939-12", Precision.MONTH),
        (MONTH, "the following month", "1939-08", Precision.MONTH),
        (MONTH, "the next year", "1940", Precision.YEAR),
        (YEAR, "the next year", "1940", Precision.YEAR),
        (YEAR, "two years later", "1941", Precision.YEAR),
    ],
)
def test_shift_counts_from_anchor(
    anchor: DateValue, phrase: str, iso: str, precision: Precision
) -> None:
    (match,) = find_relative(phrase)
    value = shift(anchor, match, SOURCE)
    assert value is not None
    assert value.to_iso() == iso
    assert value.precision is precision
    assert value.inferred_from == SOURCE


@pytest.mark.parametrize(
    ("anchor", "phrase"),
    [
        (YEAR, "the following month"),
        (YEAR, "that day"),
        (MONTH, "the next day"),
        (DateValue(year=1939, year_end=1945, precision=Precision.YEAR), "two years later"),
        (DateValue(year=9999, month=12, day=31), "the following day"),
    ],
)
def test_shift_refuses_anchor_too_coarse(anchor: DateValue, phrase: str) -> None:
    (match,) = find_relative(phrase)
    assert shift(anchor, match, SOURCE) is None


@pytest.mark.parametrize(
    ("sentences", "expected"),
    [
        (["It was signed on 3 March 1878.", "The following month it was ratified."], "1878-04"),
        (["It was signed on 3 March 1878.", "Two years later, Spain left."], "1880"),
        (["It was signed on 3 March 1878.", "On 17 March, it was published."], "1878-03-17"),
        (["The talks began in 1878.", "That year the treaty was signed."], "1878"),
        (["It was drafted one month before the vote on 1 September 1877."], "1877-08"),
    ],
)
def test_timeline_resolves_from_context(sentences: list[str], expected: str) -> None:
    timeline = Timeline()
    found = []
    base = 0
    for sentence in sentences:
        found = timeline.resolve(sentence, base, "d")
        base += len(sentence) + 1
    inferred = [f for f in found if f.value.inferred_from is not None]
    assert [f.value.to_iso() for f in inferred] == [expected]


@pytest.mark.parametrize("phrase", ["The following month", "Two years later", "On 17 March"])
def test_timeline_leaves_dates_unresolved_without_context(phrase: str) -> None:
    assert Timeline().resolve(f"{phrase}, it was ratified.", 0, "d") == []


@pytest.mark.parametrize("kind", ["anchor"])
def test_timeline_marks_anchor_of_before_phrase(kind: str) -> None:
    found = Timeline().resolve("Drafted one month before the vote on 1 September 1877.", 0, "d")
    assert [f.kind for f in found] == ["relative", kind]


@pytest.mark.parametrize("day", ["29 February"])
def test_timeline_skips_day_missing_from_context_year(day: str) -> None:
    timeline = Timeline()
    timeline.resolve("It was signed in March 1941.", 0, "d")
    assert timeline.resolve(f"On {day}, it was published.", 40, "d") == []


def _person(name: str) -> EntityRef:
    return EntityRef(name=name, kind=EntityKind.PERSON)


@pytest.mark.parametrize(
    ("named", "later", "expected"),
    [
        (["Stafford Cripps"], "Cripps", "Stafford Cripps"),
        (["Vyacheslav Molotov"], "Molotov", "Vyacheslav Molotov"),
        (["Stafford Cripps", "Richard Stafford Cripps"], "Cripps", "Richard Stafford Cripps"),
        (["Stafford Cripps", "Isobel Cripps"], "Cripps", "Cripps"),
        ([], "Cripps", "Cripps"),
        (["Stafford Cripps"], "Molotov", "Molotov"),
    ],
)
def test_people_resolve_surname_to_full_name(named: list[str], later: str, expected: str) -> None:
    people = People()
    for name in named:
        people.resolve(_person(name))
    assert people.resolve(_person(later)).name == expected


@given(st.text(max_size=80))
def test_timeline_never_raises_on_any_text(text: str) -> None:
    timeline = Timeline()
    timeline.resolve("It was signed on 29 February 1940.", 0, "d")
    for found in timeline.resolve(text, 40, "d"):
        assert found.start <= found.end
