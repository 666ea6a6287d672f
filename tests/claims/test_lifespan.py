"""Birth and death dates read from the parenthesis after a person's name, and years that
date a work ("a 1940 comedy"), table-driven: what is read, and what is left alone."""

from __future__ import annotations

from typing import Any

import pytest

from accord.model import DateValue, Quantity


def _dates(claims: list[Any], event: str) -> list[tuple[str, str | None]]:
    return [
        (s.value.to_iso(), s.about)
        for c in claims
        for s in c.slots
        if s.event == event and s.role == "date" and isinstance(s.value, DateValue)
    ]


@pytest.mark.parametrize(
    ("text", "born", "died"),
    [
        ("Anne Rice (born Howard Allen O'Brien; October 4, 1941) is an American author.",
         ["1941-10-04"], []),
        ("Chris Kyle (April 8, 1974 \u2013 February 2, 2013) was a Navy sniper.",
         ["1974-04-08"], ["2013-02-02"]),
        ("Aleister Crowley (born Edward Crowley; 12 June 1875 -- 1 December 1947) was a poet.",
         ["1875-06-12"], ["1947-12-01"]),
        ("Ada Lovelace (10 December 1815 to 27 November 1852) was a mathematician.",
         ["1815-12-10"], ["1852-11-27"]),
        ("Sidse Babett Knudsen (born 22 November 1948) is a Danish actress.",
         ["1948-11-22"], []),
        ("John Smith (died 3 May 1901) was a farmer.", [], ["1901-05-03"]),
        ("John Smith (b. 1820, d. 1899) was a farmer.", ["1820"], ["1899"]),
    ],
)  # fmt: skip
def test_lifespan_reads_birth_and_death(
    extract: Any, text: str, born: list[str], died: list[str]
) -> None:
    _, claims = extract(text)
    assert [iso for iso, _ in _dates(claims, "bear")] == born
    assert [iso for iso, _ in _dates(claims, "die")] == died
    assert len({about for _, about in _dates(claims, "bear") + _dates(claims, "die")}) <= 1


@pytest.mark.parametrize(
    "text",
    [
        "The war (1939\u20131945) was long.",  # not a person
        "Paris (1998) is a film.",  # a place, and a lone date with no keyword
        "John Smith (1998) is a film.",  # a lone date with no keyword says nothing
        "He met John Smith (a farmer) in 1901.",  # no date inside
    ],
)
def test_lifespan_leaves_other_parentheses_alone(extract: Any, text: str) -> None:
    _, claims = extract(text)
    assert _dates(claims, "bear") == [] and _dates(claims, "die") == []


@pytest.mark.parametrize(
    ("text", "year"),
    [
        ("Private Lives is a 1930 comedy of manners by Noel Coward.", "1930"),
        ("Colombiana is a 2011 French action film.", "2011"),
        ("Thriller is a 1982 studio album by Michael Jackson.", "1982"),
        ("Dune was a 1965 novel by Frank Herbert.", "1965"),
    ],
)
def test_work_year_dates_the_work(extract: Any, text: str, year: str) -> None:
    _, claims = extract(text)
    assert [iso for iso, _ in _dates(claims, "dating")] == [year]
    assert not any(isinstance(s.value, Quantity) for c in claims for s in c.slots)


@pytest.mark.parametrize(
    "text",
    [
        "He is a 1992 graduate of Harvard.",  # not a work: a modifier, never compared
        "The 2016 election was close.",  # dates the election, not the subject's work
        "The army had 1940 soldiers.",  # no determiner before it: a count
        "They sold the 1500 copies.",  # plural noun: a count
    ],
)
def test_work_year_leaves_other_years_uncompared(extract: Any, text: str) -> None:
    _, claims = extract(text)
    assert _dates(claims, "dating") == []


@pytest.mark.parametrize(
    ("left", "right", "label"),
    [
        ("Anne Rice was born in 1997.",
         "Anne Rice (born Howard O'Brien; October 4, 1941) is an American author.",
         "contradicts"),
        ("Anne Rice was born in 1941.",
         "Anne Rice (born Howard O'Brien; October 4, 1941) is an American author.",
         "supports"),
        # without a title, two years of one name may be two works (a remake)
        ("Private Lives is a 1940 comedy.", "Private Lives is a 1930 comedy of manners.",
         None),
        ("He is a 1992 graduate of Harvard.", "He was a 1995 Olympic champion.", None),
    ],
)  # fmt: skip
def test_lifespan_and_work_year_verdicts(
    slot_verdicts: Any, left: str, right: str, label: str | None
) -> None:
    verdicts = slot_verdicts(left, right, "")
    decided = {v.label.value for v in verdicts if v.label.value != "not_mentioned"}
    assert decided == ({label} if label else set())


@pytest.mark.parametrize(
    ("title", "left", "right", "label"),
    [
        # a bare surname and a fuller name of the title's person are the page's subject
        ("Vic Willis", "Willis passed away in 1955.",
         "Victor Gazaway Willis (April 12, 1876 - August 3, 1947) was a pitcher.",
         "contradicts"),
        ("Vic Willis", "Willis died in 1947.",
         "Victor Gazaway Willis (April 12, 1876 - August 3, 1947) was a pitcher.", "supports"),
        # another first name with the same surname is someone else
        ("Vic Willis", "John Willis died in 1955.",
         "Victor Gazaway Willis (April 12, 1876 - August 3, 1947) was a pitcher.", None),
        # the documents' own subject is one work: its years must agree
        ("Private Lives", "Private Lives is a 1940 comedy.",
         "Private Lives is a 1930 comedy of manners.", "contradicts"),
        # a place named in the title is not the title's subject
        ("Battle of Hastings", "Hastings was founded in 1066.", "The battle was fought in 1066.",
         None),
    ],
)  # fmt: skip
def test_person_titles_and_phrasal_verbs_in_verdicts(
    slot_verdicts: Any, title: str, left: str, right: str, label: str | None
) -> None:
    verdicts = slot_verdicts(left, right, title)
    decided = {v.label.value for v in verdicts if v.label.value != "not_mentioned"}
    assert decided == ({label} if label else set())


@pytest.mark.parametrize(
    ("text", "event"),
    [
        ("Willis passed away in 1955.", "die"),
        ("The band broke up in 1990.", "break"),  # a phrasal verb the lexicon does not know
        ("He was assassinated in 1610.", "kill"),
    ],
)
def test_phrasal_and_synonym_events(extract: Any, text: str, event: str) -> None:
    _, claims = extract(text)
    assert [s.event for c in claims for s in c.slots if s.role == "date"] == [event]
