"""How many parts a thing has ("its 24 cabins", "Cabins 24"), label lines of infoboxes and
fact sheets whose labels no list names, and whether a clause says an event happened."""

from __future__ import annotations

from decimal import Decimal
from functools import cache
from typing import Any

import pytest

from accord.claims.infobox import InfoboxReader
from accord.claims.subject import SubjectResolver
from accord.ingest import read_text
from accord.lexicon import load_lexicon
from accord.model import (
    NATIONALITY,
    SUBJECT_KEY,
    DateValue,
    EntityRef,
    Precision,
    Quantity,
    TextValue,
)
from accord.normalize import EntityIndex

COURT = "Blue Mesa Motor Court\n\n"
FACT_SHEET = (
    "# Blue Mesa Motor Court\n\n## At a glance\n\n- Opened: May 1937\n"
    "- Cabins: 24, with attached carports\n\n## History\n\nThe court closed in 1985.\n"
)


def _counts(claims: list[Any]) -> list[Any]:
    return [s for c in claims for s in c.slots if s.role.startswith("count:")]


@cache
def _reader_parts() -> tuple[Any, Any]:
    return load_lexicon(), EntityIndex.load(())


def _reader(title: str) -> InfoboxReader:
    lexicon, entities = _reader_parts()
    document = read_text(f"{title}\n\nA line of text.", name="infobox.txt")
    resolver = SubjectResolver.for_document(document, lexicon)
    return InfoboxReader(document.id, resolver, lexicon, entities)


@pytest.mark.parametrize(
    ("text", "role", "amount", "about"),
    [
        (COURT + "Its 24 cabins face the road.", "count:cabin", 24, SUBJECT_KEY),
        (COURT + "Its twenty-four cabins face the road.", "count:cabin", 24, SUBJECT_KEY),
        ("Neustrand Concert Hall\n\nThe hall has 1,850 seats.", "count:seat", 1850,
         SUBJECT_KEY),
        ("Neustrand Konzerthaus\n\nIts main hall has 1,850 seats.", "count:seat", 1850, "hall"),
        # what a noun is "with"; "the main hall" is a part of the concert hall, not it
        ("Neustrand Konzerthaus\n\nNeustrand Konzerthaus is a concert hall. The heart of the "
         "building is the main hall, a vineyard-style auditorium with 2,100 seats.",
         "count:seat", 2100, "hall"),
        pytest.param(
            COURT + "Its two dozen cabins face the road.", "count:cabin", 24, SUBJECT_KEY
        ),
        # a word between the number and the noun it counts
        (COURT + "Its two dozen stucco cabins face Route 66.", "count:cabin", 24, SUBJECT_KEY),
        # deep in a phrase, but its noun names its owner
        ("Isle of Carra\n\nIsle of Carra is a ferry. She was built in Leith. On a summer "
         "Saturday, with a queue on the pier and her 560 passengers packed into every corner, "
         "she still looks busy.", "count:passenger", 560, SUBJECT_KEY),
        # a number joined to a noun that describes the thing
        ("Meridian Tower\n\nCompleted in 2009, the 54-floor tower remains the tallest "
         "building in the city.", "count:floor", 54, SUBJECT_KEY),
    ],
)  # fmt: skip
def test_counts_how_many_parts_a_thing_has(
    extract: Any, text: str, role: str, amount: int, about: str
) -> None:
    _, claims = extract(text)
    (slot,) = _counts(claims)
    assert (slot.role, slot.event, slot.about) == (role, "have", about)
    assert isinstance(slot.value, Quantity) and slot.value.amount == Decimal(amount)
    assert slot.value.unit == role.split(":", 1)[1]


@pytest.mark.parametrize(
    "text",
    [
        "Hexley Athletic\n\nThe club played in blue for its first eight seasons.",
        "Kestrel Ferry Bridge\n\nThe bridge is 412 metres long.",
        "Kestrel Ferry Bridge\n\nThe bridge cost 3 million dollars.",
        "Meridian Tower\n\nThe tower carries a 40-metre mast.",
    ],
)
def test_counts_none_for_spans_of_time_units_or_money(extract: Any, text: str) -> None:
    _, claims = extract(text)
    assert _counts(claims) == []


@pytest.mark.parametrize(
    ("line", "role", "event", "value", "surface"),
    [
        ("Birth date 3 May 1933", "date", "bear", DateValue(year=1933, month=5, day=3),
         "3 May 1933"),
        ("Length 412 m", "measure:long", "be", Quantity(amount=Decimal(412), unit="m"),
         "412 m"),
        ("Designer Margaret Olufsen", "agent", "design", "Margaret Olufsen",
         "Margaret Olufsen"),
        ("Nationality Irish", NATIONALITY, "be", "Ireland", "Irish"),
        ("Death place Dublin, Ireland", "place", "die", "Dublin", "Dublin"),
        ("Cabins 24", "count:cabin", "have", Quantity(amount=Decimal(24), unit="cabin"), "24"),
    ],
)  # fmt: skip
def test_infobox_reader_reads_lines_of_unknown_labels(
    line: str, role: str, event: str, value: Any, surface: str
) -> None:
    start = 100
    claim = _reader("Kestrel Ferry Bridge").read(line, start)
    assert claim is not None and claim.kind == "infobox"
    (slot,) = claim.slots
    assert (slot.role, slot.event, slot.about, slot.surface) == (role, event, SUBJECT_KEY, surface)
    got = slot.value.name if isinstance(slot.value, EntityRef) else slot.value
    assert got == value
    assert line[slot.span.start - start : slot.span.end - start] == surface


@pytest.mark.parametrize("line", ["Kestrel Ferry Bridge", "Some words here", "   "])
def test_infobox_reader_skips_the_title_and_lines_without_values(line: str) -> None:
    assert _reader("Kestrel Ferry Bridge").read(line, 0) is None


@pytest.mark.parametrize(
    ("text", "line", "role", "value"),
    [
        (FACT_SHEET, "Opened: May 1937", "date",
         DateValue(year=1937, month=5, precision=Precision.MONTH)),
        (FACT_SHEET, "Cabins: 24, with attached carports", "count:cabin",
         Quantity(amount=Decimal(24), unit="cabin")),
    ],
)  # fmt: skip
def test_fact_sheet_label_line_is_a_field_claim(
    extract: Any, text: str, line: str, role: str, value: Any
) -> None:
    _, claims = extract(text, "fact_sheet.md")
    (claim,) = [c for c in claims if c.text == line]
    assert claim.kind == "field"
    assert [(s.role, s.about, s.value) for s in claim.slots] == [(role, SUBJECT_KEY, value)]
    prose = [c for c in claims if c.text.startswith("The court closed")]
    assert [c.kind for c in prose] == ["sentence"]


@pytest.mark.parametrize(
    ("text", "polarity"),
    [
        ("The council approved the plan in 1962.", "yes"),
        ("The plan was never approved.", "no"),
        ("The council did not approve the plan.", "no"),
    ],
)
def test_polarity_says_whether_the_event_happened(extract: Any, text: str, polarity: str) -> None:
    _, claims = extract("Cordova Plan\n\n" + text)
    found = [s for c in claims for s in c.slots if s.role == "polarity"]
    assert [(s.event, s.about, s.value) for s in found] == [
        ("approve", SUBJECT_KEY, TextValue(text=polarity))
    ]


@pytest.mark.parametrize(
    "text",
    [
        "The railway did not open until 1901.",  # dates the opening, denies nothing
        "The council could not approve the plan.",  # a modal
        "The plan was large.",  # a general verb
    ],
)
def test_polarity_none_for_limits_modals_and_general_verbs(extract: Any, text: str) -> None:
    _, claims = extract("Cordova Plan\n\n" + text)
    assert [s for c in claims for s in c.slots if s.role == "polarity"] == []


@pytest.mark.parametrize(
    ("text", "number"),
    [
        (
            "Port Cardell Tram Line 3\n\nLine 3 starts at Central Station and runs for "
            "seven miles.",
            3,
        ),
        ("City of Victoria\n\nOur Boeing 747 carried 452 passengers.", 747),
        ("Apollo 11\n\nApollo 11 landed on the Moon with three astronauts.", 11),
    ],
)
def test_counts_a_number_in_a_name_is_no_amount(extract: Any, text: str, number: int) -> None:
    _, claims = extract(text)
    amounts = {s.value.amount for c in claims for s in c.slots if isinstance(s.value, Quantity)}
    assert Decimal(number) not in amounts
    assert amounts  # the other amount is still read
