"""What each slot is for: the event of a nominal phrase, birth and death, measures,
relative dates, negation and hedging on the claim and its slots."""

from __future__ import annotations

from typing import Any

import pytest

from accord.model import SUBJECT_KEY, DateValue, Quantity, TextValue

TITLE = "Treaty of Hollin\n\n"


def _slots(claims: list[Any]) -> list[Any]:
    return [s for c in claims for s in c.slots]


@pytest.mark.parametrize(
    ("text", "event", "role", "iso"),
    [
        ("The signing of the treaty on 12 July 1941 ended the talks.", "sign", "date",
         "1941-07-12"),
        ("The invasion of Poland on 1 September 1939 began the war.", "invade", "date",
         "1939-09-01"),
        ("He was born on 3 May 1900.", "bear", "date", "1900-05-03"),
        ("He died on 4 June 1950.", "die", "date", "1950-06-04"),
        ("The treaty was signed on 3 March 1878. The next year it was ratified.", "ratify",
         "date", "1879"),
        ("It was signed on 3 March 1878. Two years later, it was ratified.", "ratify", "date",
         "1880"),
        ("The treaty was drafted one month before the vote on 1 September 1877.", "draft",
         "date", "1877-08"),
    ],
)  # fmt: skip
def test_roles_date_of_event(extract: Any, text: str, event: str, role: str, iso: str) -> None:
    _, claims = extract(TITLE + text)
    dates = [
        s.value.to_iso()
        for s in _slots(claims)
        if isinstance(s.value, DateValue) and s.event == event and s.role == role
    ]
    assert iso in dates


@pytest.mark.parametrize(
    "text", ["The treaty was drafted one month before the vote on 1 September 1877."]
)
def test_roles_anchor_date_is_not_the_verbs_date(extract: Any, text: str) -> None:
    _, claims = extract(TITLE + text)
    roles = {s.value.to_iso(): s.role for s in _slots(claims) if isinstance(s.value, DateValue)}
    assert roles["1877-09-01"] != "date"  # "date:anchor", or hung off "vote" by the parse


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("He was born in Paris.", "Paris"),
        ("He died in Lyon.", "Lyon"),
        # the place that holds the place of the event
        ("He died at his home in Lyon.", "Lyon"),
        # a thing ends at a place, even one the tagger takes for a person's name
        ("Line 3 ends at Quarry Hill.", "Quarry Hill"),
    ],
)
def test_roles_place_of_birth_and_death(extract: Any, text: str, place: str) -> None:
    _, claims = extract(TITLE + text)
    assert [s.value.name for s in _slots(claims) if s.role == "place"] == [place]


@pytest.mark.parametrize(
    ("text", "role"),
    [
        ("The bridge is 6,650 km long.", "measure:long"),
        ("The town has a population of 4,000.", "measure:population"),
        ("The war lasted 2 weeks.", "measure:last"),
    ],
)
def test_roles_measure_names_what_is_measured(extract: Any, text: str, role: str) -> None:
    _, claims = extract(TITLE + text)
    assert [s.role for s in _slots(claims) if isinstance(s.value, Quantity)] == [role]


@pytest.mark.parametrize(
    ("text", "negated"),
    [
        ("The treaty was never ratified in 1942.", True),
        ("The treaty did not require ratification in 1942.", True),
        ("The treaty was ratified in 1942.", False),
    ],
)
def test_roles_negation_on_claim_and_slot(extract: Any, text: str, negated: bool) -> None:
    _, claims = extract(TITLE + text)
    (claim,) = [c for c in claims if "1942" in c.text]
    assert claim.negated is negated
    assert [s.negated for s in claim.slots if s.role == "date"] == [negated]


@pytest.mark.parametrize(
    ("text", "hedged"),
    [
        ("The treaty is said to have been signed in 1941.", True),
        ("The treaty was reportedly signed in 1941.", True),
        ("The treaty was presumably signed in 1941.", True),
        ("The treaty seems to have been signed in 1941.", True),
        ("The treaty was signed in 1941.", False),
    ],
)
def test_roles_hedge_on_claim(extract: Any, text: str, hedged: bool) -> None:
    _, claims = extract(TITLE + text)
    assert any(c.hedged for c in claims if "1941" in c.text) is hedged


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("The treaty was signed on 31 February 1918.", "no day 31 in February 1918"),
        ("It was attended by about ¾ of a million people.", "fraction"),
        ("The bridge is 12 кm long.", "scripts"),
    ],
)
def test_roles_bad_input_is_an_unparsed_slot(extract: Any, text: str, reason: str) -> None:
    _, claims = extract(TITLE + text)
    unparsed = [s for s in _slots(claims) if s.role == "unparsed"]
    assert unparsed and isinstance(unparsed[0].value, TextValue)
    assert reason in unparsed[0].value.text


@pytest.mark.parametrize("text", ["Stafford Cripps signed the treaty. Later, Cripps left Moscow."])
def test_roles_surname_resolves_to_full_name_in_document(extract: Any, text: str) -> None:
    _, claims = extract(TITLE + text)
    people = {
        s.value.name
        for s in _slots(claims)
        if getattr(s.value, "kind", None) and s.value.kind.value == "person"
    }
    assert people == {"Stafford Cripps"}


@pytest.mark.parametrize("about", [SUBJECT_KEY])
def test_roles_nominal_event_without_object_compares_nothing(extract: Any, about: str) -> None:
    _, claims = extract(TITLE + "After the signing on 12 July 1941, the talks ended.")
    assert not [s for s in _slots(claims) if s.event == "sign" and s.about == about]


@pytest.mark.parametrize(
    ("text", "event", "about_subject"),
    [
        # the subject of a clause of time is the main clause's
        ("Kettlewick Folk Festival\n\nThe Kettlewick Folk Festival has brought music to the "
         "town since it was first held in 1974.", "hold", True),
        # not when the main clause is about something else
        ("Kettlewick Folk Festival\n\nThe pub has been busy since it was first opened in 1974.",
         "open", False),
        # "it" as an object stands for the subject
        ("The House of Tides\n\nThe House of Tides is a novel. Editora Ribeira published it in "
         "1961.", "publish", True),
        # a footpath is also "the trail"
        ("Wealdmoor Way\n\nThe Wealdmoor Way is a long-distance footpath. The trail was "
         "opened on 21 May 1994.", "open", True),
        # what the subject is "one of" is its kind: a maker is "the firm"; the sale to a
        # buyer is the buyer's purchase
        ("Alsing\n\nAlsing is one of the oldest piano makers in Europe. In 2011 the founding "
         "family sold the firm to Veldhuis Capital.", "buy", True),
        # an activity ongoing since a year is the subject's beginning
        ("Kettlewick Folk Festival\n\nKettlewick Folk Festival has been going since 1971.",
         "begin", True),
    ],
)  # fmt: skip
def test_roles_dates_about_the_subject(
    extract: Any, text: str, event: str, about_subject: bool
) -> None:
    _, claims = extract(text)
    abouts = {
        s.about for s in _slots(claims) if isinstance(s.value, DateValue) and s.event == event
    }
    assert abouts, [(s.event, s.role, s.about) for s in _slots(claims)]
    assert (SUBJECT_KEY in abouts) is about_subject
