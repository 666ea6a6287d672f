"""Slot comparison on two short texts read by the real extractor: the traps a careless
comparison falls into (different events, approximate figures, units, aliases)."""

from __future__ import annotations

from typing import Any

import pytest

from accord.model import Label

SIGNED_1941 = "The treaty was signed on 12 July 1941."


def _labels(verdicts: list[Any]) -> set[Label]:
    return {v.label for v in verdicts} - {Label.NOT_MENTIONED}


@pytest.mark.parametrize(
    ("left", "right"),
    [
        (SIGNED_1941, "The treaty was signed on 25 July 1939."),
        ("The signing of the treaty on 12 July 1941 ended the talks.",
         "The treaty was signed on 25 July 1939."),
        ("The treaty was signed in London.", "The treaty was signed in Moscow."),
        ("He was born in Paris on 3 May 1900.", "He was born in Lyon on 3 May 1900."),
        ("The bridge is 6,650 km long.", "The bridge is 5,000 km long."),
        ("The town has a population of about 4,000.", "The town has a population of 6,000."),
        ("The treaty was signed on 3 March 1878. Two years later it was ratified.",
         "The treaty was ratified in 1885."),
        ("Germany invaded Poland on 1 September 1939.",
         "The invasion of Poland on 3 September 1939 began the war."),
        ("The war lasted 2 weeks.", "The war lasted 25 days."),
        # the same thing begun, dated two ways
        ("The airline began scheduled service in 1981.",
         "The airline began scheduled service in 1984."),
        # a lowercase word the tagger took for a name is not a second founder
        ("It was founded in 1978 by the former bush pilot Harold Brandt.",
         "It was founded in 1978 by the former bush pilot Walter Brandt."),
    ],
)  # fmt: skip
def test_slots_contradict_on_same_slot(slot_verdicts: Any, left: str, right: str) -> None:
    verdicts = slot_verdicts(left, right)
    found = [v for v in verdicts if v.label is Label.CONTRADICTS]
    assert found
    assert all(v.method.startswith("slots:") and v.reason for v in found)


@pytest.mark.parametrize(
    ("left", "right"),
    [
        (SIGNED_1941, "The treaty was signed in July 1941."),
        (SIGNED_1941, "The treaty was signed in 1941."),
        ("The treaty was signed in London.", "The treaty was signed in the United Kingdom."),
        ("The treaty was signed in Moscow.", "The treaty was signed in the USSR."),
        ("The treaty was signed by the USSR and Britain.",
         "The treaty was signed by the Soviet Union and the United Kingdom."),
        ("The bridge is 6,650 km long.", "The bridge is 4,130 miles long."),
        ("The bridge is about 4,000 km long.", "The bridge is 4,300 km long."),
        ("The war lasted 2 weeks.", "The war lasted 14 days."),
        ("The treaty was signed by Sir Stafford Cripps.",
         "The treaty was signed by Stafford Cripps."),
    ],
)  # fmt: skip
def test_slots_agree_across_precision_units_and_aliases(
    slot_verdicts: Any, left: str, right: str
) -> None:
    assert _labels(slot_verdicts(left, right)) == {Label.SUPPORTS}


@pytest.mark.parametrize(
    ("left", "right"),
    [
        # different events of one subject never compare
        (SIGNED_1941, "The treaty was ratified on 25 July 1939."),
        (SIGNED_1941, "The treaty came into force on 25 July 1942."),
        ("He was born in Paris on 3 May 1900.", "He died in Lyon on 3 May 1950."),
        # the same event by different agents is two events
        ("Germany invaded Poland on 1 September 1939.",
         "The Soviet Union invaded Poland on 17 September 1939."),
        # negated: says nothing of when it was signed
        (SIGNED_1941, "The treaty was not signed on 25 July 1939."),
        # different things counted
        ("The town has a population of 4,000.", "The town has 6,000 schools."),
        # a date that does not exist is no date
        ("The treaty was signed on 31 February 1918.", "The treaty was signed on 3 March 1918."),
        # an event that happens more than once
        ("The team won the cup in 2014.", "The team won the cup in 2006."),
        # counts as of different dates
        ("By February 2016, the album had sold more than 160,000 copies.",
         "As of February 1, 2016, the album has sold 159,500 copies."),
        # sums of money of different years
        ("In 2017 the company earned $30 million.", "In 2018 the company earned $19.5 million."),
        # one sentence gives two figures for the same slot
        ("The album has sold less than 6.4 million copies.",
         "The album has sold 6.4 million copies in the US and 15 million copies worldwide."),
        # two counts, each dated: the dates say when each was taken
        ("In 1989 the airline carried 212,000 passengers.",
         "In 1991 the airline carried 248,000 passengers."),
        # what began is part of the beginning: service and jet service, or the airline
        ("The airline began scheduled service in 1981.",
         "The airline began scheduled jet service in 1987."),
        ("Commenced: 1981", "Lakeshore Air, the carrier that Harold Brandt started in 1978, grew."),
    ],
)  # fmt: skip
def test_slots_do_not_contradict_across_events_or_things(
    slot_verdicts: Any, left: str, right: str
) -> None:
    assert Label.CONTRADICTS not in _labels(slot_verdicts(left, right))


@pytest.mark.parametrize("word", ["tolerance", "rounded to the nearest", "±10%"])
def test_slots_quantity_reason_names_tolerance(slot_verdicts: Any, word: str) -> None:
    verdicts = slot_verdicts(
        "The town has a population of about 4,000.", "The town has a population of 6,000."
    )
    (found,) = [v for v in verdicts if v.label is Label.CONTRADICTS]
    assert word in found.reason


@pytest.mark.parametrize("hedge", ["reportedly", "is said to have been"])
def test_slots_hedged_contradiction_is_weaker(slot_verdicts: Any, hedge: str) -> None:
    plain = slot_verdicts(SIGNED_1941, "The treaty was signed on 25 July 1939.")
    hedged_text = (
        f"The treaty was {hedge} signed on 25 July 1939."
        if hedge == "reportedly"
        else f"The treaty {hedge} signed on 25 July 1939."
    )
    hedged = slot_verdicts(SIGNED_1941, hedged_text)
    best = max(v.confidence for v in plain if v.label is Label.CONTRADICTS)
    weak = [v.confidence for v in hedged if v.label is Label.CONTRADICTS]
    assert all(c < best for c in weak)
