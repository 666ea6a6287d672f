"""The spaCy claim extractor on small texts written for the test."""

from __future__ import annotations

from typing import Any

import pytest

from accord.model import SUBJECT_KEY, DateValue, EntityRef, Precision

TREATY = (
    "The Treaty of Hollin was a trade agreement signed by France and Spain on 3 March 1878. "
    "It did not require ratification.\n\n"
    "On 1 September 1879, Spain invaded Portugal and, on 17 September, France invaded "
    "Portugal from the north.\n\n"
    "The treaty was signed in Paris. The USSR and the Soviets are one country."
)


def _slots(claims: list[Any], role: str) -> list[Any]:
    return [s for c in claims for s in c.slots if s.role == role]


@pytest.mark.parametrize("text", [TREATY])
def test_extractor_spans_point_into_the_text(extract: Any, text: str) -> None:
    document, claims = extract(text)
    assert claims
    for claim in claims:
        assert document.text[claim.span.start : claim.span.end] == claim.text
        for slot in claim.slots:
            assert document.text[slot.span.start : slot.span.end] == slot.surface


@pytest.mark.parametrize("text", [TREATY])
def test_extractor_date_of_the_signing_is_about_the_subject(extract: Any, text: str) -> None:
    document, claims = extract(text)
    assert document.title == "Treaty of Hollin"
    dates = [s for s in _slots(claims, "date") if s.event == "sign"]
    assert [(s.value.year, s.value.month, s.value.day) for s in dates] == [(1878, 3, 3)]
    assert dates[0].about == SUBJECT_KEY
    assert dates[0].value.precision is Precision.DAY


@pytest.mark.parametrize("text", [TREATY])
def test_extractor_splits_clauses_and_infers_bare_years(extract: Any, text: str) -> None:
    _, claims = extract(text)
    invasions = [c for c in claims if c.predicate == "invade"]
    assert len(invasions) == 2
    first, second = (next(s for s in c.slots if s.role == "date") for c in invasions)
    assert (first.value.year, first.value.month, first.value.day) == (1879, 9, 1)
    assert first.value.inferred_from is None
    assert (second.value.year, second.value.month, second.value.day) == (1879, 9, 17)
    assert second.value.inferred_from is not None
    agents = [{s.value.name for s in c.slots if s.role == "agent"} for c in invasions]
    assert agents == [{"Spain"}, {"France"}]


@pytest.mark.parametrize("text", [TREATY])
def test_extractor_resolves_it_and_the_treaty_to_the_subject(extract: Any, text: str) -> None:
    _, claims = extract(text)
    negated = next(c for c in claims if "ratification" in c.text)
    assert negated.negated
    assert negated.subject == "Treaty of Hollin"
    place = next(s for s in _slots(claims, "place") if s.event == "sign")
    assert place.value.name == "Paris" and place.about == SUBJECT_KEY


@pytest.mark.parametrize(("surface", "canonical"), [("USSR", "Soviet Union")])
def test_extractor_maps_aliases_to_canonical_names(
    extract: Any, surface: str, canonical: str
) -> None:
    _, claims = extract(TREATY)
    names = {
        (s.surface, s.value.name) for c in claims for s in c.slots if isinstance(s.value, EntityRef)
    }
    assert (surface, canonical) in names


INFOBOX = (
    "Treaty of Hollin\n\n"
    "Type of treaty Trade agreement\n"
    "July 25, 1878\n"
    "Paris, France\n"
    "Signatories France\n"
    "Spain\n"
    "Languages French\n\n"
    "The Treaty of Hollin was a trade agreement between France and Spain.\n"
)


@pytest.mark.parametrize("text", [INFOBOX])
def test_extractor_reads_infobox_lines(extract: Any, text: str) -> None:
    _, claims = extract(text)
    infobox = [c for c in claims if c.kind == "infobox"]
    found = {(s.role, s.event): s.value for c in infobox for s in c.slots}
    date = found[("date", "sign")]
    assert isinstance(date, DateValue) and (date.year, date.month, date.day) == (1878, 7, 25)
    assert found[("place", "sign")].name == "Paris"
    assert found[("language", "be")].name == "French"
    agents = {s.value.name for c in infobox for s in c.slots if s.role == "agent"}
    assert agents == {"France", "Spain"}


@pytest.mark.parametrize(
    "text",
    ["The war began in 1914. The war ended in 1918. On 11 November, an armistice was signed."],
)
def test_extractor_different_events_keep_their_own_dates(extract: Any, text: str) -> None:
    _, claims = extract(text)
    events = {(s.event, s.value.year) for s in _slots(claims, "date")}
    assert ("begin", 1914) in events
    assert ("end", 1918) in events
    assert ("sign", 1918) in events


@pytest.mark.parametrize(
    ("text", "hedged"),
    [
        ("The Treaty of Vell was signed on 4 May 1820 in Lisbon.", False),
        ("The Treaty of Vell may have been signed in Lisbon.", True),
        ("The Treaty of Vell was reportedly signed in Lisbon.", True),
        ("Hale wrote that the Treaty of Vell was signed in Porto.", True),
    ],
)
def test_extractor_marks_hedged_and_reported_claims(extract: Any, text: str, hedged: bool) -> None:
    _, claims = extract(text)
    assert claims[0].hedged is hedged


@pytest.mark.parametrize(
    "text",
    ["The Treaty of Vell was signed in 1820. The war that preceded it began in 1815."],
)
def test_extractor_it_in_a_relative_clause_is_not_the_subject(extract: Any, text: str) -> None:
    _, claims = extract(text)
    began = [s for s in _slots(claims, "date") if s.event == "begin"]
    assert began and all(s.about != SUBJECT_KEY for s in began)


@pytest.mark.parametrize("text", ["The Treaty of Vell was signed in Porto, not Lisbon."])
def test_extractor_negated_place_is_marked(extract: Any, text: str) -> None:
    _, claims = extract(text)
    places = {s.value.name: s.negated for s in _slots(claims, "place")}
    assert places == {"Porto": False, "Lisbon": True}


def test_extractor_finds_known_names_in_every_sentence_of_a_paragraph(extract: Any) -> None:
    # The alias gazetteer's matches were placed as if counted from the sentence's start, so a
    # known name after a paragraph's first sentence was lost (or misplaced).
    text = (
        "The Treaty of Hollin was signed in 1878 by the kingdom of spain. "
        "It was denounced by the kingdom of spain in 1901."
    )
    _, claims = extract(text)
    agents = [
        (s.surface, s.value.name)
        for c in claims
        for s in c.slots
        if isinstance(s.value, EntityRef) and s.value.name == "Spain"
    ]
    assert agents == [("kingdom of spain", "Spain"), ("kingdom of spain", "Spain")]


@pytest.mark.parametrize(
    ("text", "agents"),
    [
        # a partner named in the firm's name, inside the designer's own phrase, designed nothing
        ("Cordova Narrows Bridge\n\nThe bridge was designed by Harold Birkett, chief engineer "
         "of the Vancouver firm Birkett and Lyle.", {"Harold Birkett"}),
        # the parse joins the second signatory to the place of the first one's title: he
        # signed too
        ("Treaty of Hollin\n\nThe treaty was signed on 12 July 1941 by Sir Stafford Cripps, "
         "British Ambassador to the Soviet Union and Vyacheslav Molotov, the Soviet People's "
         "Commissar of Foreign Affairs.", {"Stafford Cripps", "Vyacheslav Molotov"}),
    ],
)  # fmt: skip
def test_extractor_agents_of_a_by_phrase(extract: Any, text: str, agents: set[str]) -> None:
    _, claims = extract(text)
    found = {s.value.name for s in _slots(claims, "agent")}
    assert {name.removeprefix("Sir ") for name in found} == agents
