"""What a thing is, read off the parse: who holds a role of it ("its first director"), a
person's nationality ("the Danish composer") and a thing's rank ("the second-largest lake")."""

from __future__ import annotations

from typing import Any

import pytest

from accord.model import HOLDER, NATIONALITY, SUBJECT_KEY, EntityRef, TextValue

MUSEUM = "Harwick Museum\n\n"


def _slots(claims: list[Any], role: str) -> list[Any]:
    return [s for c in claims for s in c.slots if s.role == role]


def _ranks(claims: list[Any]) -> list[Any]:
    return [s for c in claims for s in c.slots if s.role.startswith("rank:")]


@pytest.mark.parametrize(
    ("text", "event", "holder"),
    [
        (MUSEUM + "Its first director was Anna Berg.", "first director", "Anna Berg"),
        (MUSEUM + "Anna Berg, the museum's first director, retired in 1950.", "first director",
         "Anna Berg"),
        (MUSEUM + "The museum opened in 1901 under its founding director, Anna Berg.",
         "first director", "Anna Berg"),
        (MUSEUM + "The first director was Anna Berg.", "first director", "Anna Berg"),
        ("Hexley Athletic\n\nUnder its first president, the Rev. Edward Lowther, the club "
         "joined the league.", "first president", "Edward Lowther"),
    ],
)  # fmt: skip
def test_attributes_holder_of_the_subjects_role(
    extract: Any, text: str, event: str, holder: str
) -> None:
    document, claims = extract(text)
    found = [(s.event, s.about, s.value.name) for s in _slots(claims, HOLDER)]
    assert found == [(event, SUBJECT_KEY, holder)]
    (slot,) = _slots(claims, HOLDER)
    assert document.text[slot.span.start : slot.span.end] == holder


@pytest.mark.parametrize(
    ("text", "about"),
    [(MUSEUM + "Anna Berg was the first director of the Lenne Institute.", "Lenne Institute")],
)
def test_attributes_holder_of_another_things_role(extract: Any, text: str, about: str) -> None:
    _, claims = extract(text)
    assert [s.about for s in _slots(claims, HOLDER)] == [about]


@pytest.mark.parametrize(
    "text",
    [
        # a former holder is one of several over time
        MUSEUM + "Anna Berg, a former mill schoolteacher, ran the museum.",
        MUSEUM + "John Hale, the museum's current director, spoke.",
        # someone else's role
        MUSEUM + "Anna Berg was appointed in 1950; her successor, John Hale, came in 1960.",
        # a plural role has several holders
        MUSEUM + "Its directors, Anna Berg and John Hale, opened the museum.",
    ],
)
def test_attributes_no_single_holder(extract: Any, text: str) -> None:
    _, claims = extract(text)
    assert _slots(claims, HOLDER) == []


@pytest.mark.parametrize(
    ("text", "about", "country"),
    [
        ("Sigrid Aamodt\n\nThe Danish composer Sigrid Aamodt was born in 1901.", SUBJECT_KEY,
         "Denmark"),
        ("Sigrid Aamodt\n\nSigrid Aamodt, the Norwegian composer, was born in 1901.",
         SUBJECT_KEY, "Norway"),
        ("Sigrid Aamodt\n\nSigrid Aamodt is a Norwegian composer.", SUBJECT_KEY, "Norway"),
        ("Sigrid Aamodt\n\nThe Danish composer Carl Nielsen wrote the piece.", "carl nielsen",
         "Denmark"),
    ],
)  # fmt: skip
def test_attributes_nationality_is_the_country(
    extract: Any, text: str, about: str, country: str
) -> None:
    _, claims = extract(text)
    (slot,) = _slots(claims, NATIONALITY)
    assert isinstance(slot.value, EntityRef)
    assert (slot.about, slot.value.name) == (about, country)


@pytest.mark.parametrize(
    ("text", "role", "rank", "scope"),
    [
        ("Orvsjön\n\nOrvsjön is the largest lake in Sweden.", "rank:large", "1",
         "lake in sweden"),
        ("Orvsjön\n\nOrvsjön is the municipality's second-largest lake.", "rank:large", "2",
         "lake in municipality"),
        ("Orvsjön\n\nOrvsjön is the third-largest lake in Sweden.", "rank:large", "3",
         "lake in sweden"),
        ("Orvsjön\n\nOrvsjön is the deepest lake in Sweden.", "rank:deep", "1",
         "lake in sweden"),
    ],
)  # fmt: skip
def test_attributes_rank_of_the_subject(
    extract: Any, text: str, role: str, rank: str, scope: str
) -> None:
    _, claims = extract(text)
    (slot,) = _ranks(claims)
    assert (slot.role, slot.value, slot.event, slot.about) == (
        role,
        TextValue(text=rank),
        scope,
        SUBJECT_KEY,
    )


@pytest.mark.parametrize(
    "text",
    [
        "Orvsjön\n\nOrvsjön is one of the largest lakes in Sweden.",
        # a rank in the world is no rank in a place
        "Orvsjön\n\nOrvsjön is the largest lake in the world.",
    ],
)
def test_attributes_no_rank(extract: Any, text: str) -> None:
    _, claims = extract(text)
    assert _ranks(claims) == []
