"""Slot comparison on hand-built claims: no parser involved."""

from __future__ import annotations

from typing import Any

import pytest

from accord.model import (
    SUBJECT_KEY,
    Claim,
    DateValue,
    EntityKind,
    EntityRef,
    Label,
    Pair,
    Precision,
    Slot,
    Span,
    TextValue,
    Value,
)
from accord.verify.slots import SlotVerifier


def _slot(doc: str, role: str, value: Value, event: str = "sign", about: str = SUBJECT_KEY,
          negated: bool = False) -> Slot:  # fmt: skip
    return Slot(role=role, value=value, event=event, surface="x",
                span=Span(doc_id=doc, start=0, end=1), about=about, negated=negated)  # fmt: skip


def _claim(doc: str, *slots: Slot, predicate: str = "sign", terms: tuple[str, ...] = (),
           negated: bool = False, kind: str = "sentence") -> Claim:  # fmt: skip
    return Claim(id=f"{doc}-{len(slots)}-{predicate}-{terms}", doc_id=doc,
                 span=Span(doc_id=doc, start=0, end=10), text="t", subject="S",
                 predicate=predicate, slots=slots, negated=negated, kind=kind,
                 terms=terms)  # fmt: skip


def _verdict(a: Claim, b: Claim):  # type: ignore[no-untyped-def]
    return SlotVerifier().verify([Pair(left=a, right=b, score=1.0, retriever="test")])[0]


def _day(y: int, m: int, d: int) -> DateValue:
    return DateValue(year=y, month=m, day=d, precision=Precision.DAY)


PLACE = EntityKind.PLACE


@pytest.mark.parametrize(
    ("left", "right", "label"),
    [
        (_day(1941, 7, 12), _day(1939, 7, 25), Label.CONTRADICTS),
        (_day(1941, 7, 12), _day(1941, 7, 12), Label.SUPPORTS),
        (_day(1941, 7, 12), DateValue(year=1941, precision=Precision.YEAR), Label.SUPPORTS),
        (DateValue(year=1918, month=3, precision=Precision.MONTH),
         DateValue(year=1918, month=4, precision=Precision.MONTH), Label.CONTRADICTS),
    ],
)  # fmt: skip
def test_structured_verifier_dates_of_one_event(
    left: DateValue, right: DateValue, label: Label
) -> None:
    verdict = _verdict(
        _claim("a", _slot("a", "date", left)), _claim("b", _slot("b", "date", right))
    )
    assert verdict.label is label
    assert verdict.method == "slots:date"
    assert verdict.field == "signed on"
    assert len(verdict.evidence) == 2
    if label is Label.CONTRADICTS:
        assert left.to_iso() in verdict.reason and right.to_iso() in verdict.reason


@pytest.mark.parametrize(
    ("left_slots", "right_slots"),
    [
        # different events: a signing and an invasion
        ([("date", _day(1941, 7, 12), "sign", SUBJECT_KEY)],
         [("date", _day(1941, 6, 22), "invade", SUBJECT_KEY)]),
        # same event word, different topic: the subject vs another treaty
        ([("date", _day(1941, 7, 12), "sign", SUBJECT_KEY)],
         [("date", _day(1942, 1, 1), "sign", "tripartite treaty alliance")]),
        # date bound, not the date of the event
        ([("date", _day(1941, 7, 12), "sign", SUBJECT_KEY)],
         [("date:until", _day(1945, 5, 8), "sign", SUBJECT_KEY)]),
    ],
)  # fmt: skip
def test_structured_verifier_never_compares_different_events(
    left_slots: list[tuple[str, Value, str, str]], right_slots: list[tuple[str, Value, str, str]]
) -> None:
    a = _claim("a", *(_slot("a", r, v, e, ab) for r, v, e, ab in left_slots))
    b = _claim("b", *(_slot("b", r, v, e, ab) for r, v, e, ab in right_slots))
    assert _verdict(a, b).label is Label.NOT_MENTIONED


@pytest.mark.parametrize("agents", [(("Germany",), ("Soviet Union",))])
def test_structured_verifier_different_agents_are_different_events(
    agents: tuple[tuple[str, ...], tuple[str, ...]],
) -> None:
    def claim(doc: str, names: tuple[str, ...], date: DateValue) -> Claim:
        slots = [_slot(doc, "agent", EntityRef(name=n, kind=PLACE), "invade", "Poland")
                 for n in names]  # fmt: skip
        return _claim(doc, *slots, _slot(doc, "date", date, "invade", "Poland"),
                      predicate="invade")  # fmt: skip

    a = claim("a", agents[0], _day(1939, 9, 1))
    b = claim("b", agents[1], _day(1939, 9, 17))
    assert _verdict(a, b).label is Label.NOT_MENTIONED


@pytest.mark.parametrize("negated_side", ["left", "right"])
def test_structured_verifier_negated_slot_does_not_contradict(negated_side: str) -> None:
    a = _claim("a", _slot("a", "date", _day(1941, 7, 12), negated=negated_side == "left"))
    b = _claim("b", _slot("b", "date", _day(1939, 7, 25), negated=negated_side == "right"))
    assert _verdict(a, b).label is not Label.CONTRADICTS


@pytest.mark.parametrize(
    ("left", "right", "label"),
    [
        ("London", "United Kingdom", Label.SUPPORTS),
        ("London", "London", Label.SUPPORTS),
        ("London", "Moscow", Label.CONTRADICTS),
        ("London", "Atlantis Minor", None),  # unknown place: cannot tell
    ],
)
def test_structured_verifier_places_use_containment(
    left: str, right: str, label: Label | None
) -> None:
    a = _claim("a", _slot("a", "place", EntityRef(name=left, kind=PLACE)))
    b = _claim("b", _slot("b", "place", EntityRef(name=right, kind=PLACE)))
    verdict = _verdict(a, b)
    assert verdict.label is (label or Label.NOT_MENTIONED)


@pytest.mark.parametrize(
    ("left", "right", "label"),
    [
        (("United Kingdom", "Soviet Union"), ("Soviet Union", "United Kingdom"), Label.SUPPORTS),
        (("United Kingdom", "Soviet Union"), ("United Kingdom",), Label.SUPPORTS),
        (("United Kingdom", "Soviet Union"), ("United Kingdom", "France"), Label.NOT_MENTIONED),
    ],
)
def test_structured_verifier_entity_sets_only_agree(
    left: tuple[str, ...], right: tuple[str, ...], label: Label
) -> None:
    a = _claim("a", *(_slot("a", "agent", EntityRef(name=n, kind=PLACE)) for n in left))
    b = _claim("b", *(_slot("b", "agent", EntityRef(name=n, kind=PLACE)) for n in right))
    assert _verdict(a, b).label is label


@pytest.mark.parametrize(
    ("left", "right", "label"),
    [("military alliance", "military alliance", Label.SUPPORTS),
     ("declaration", "military alliance", Label.NOT_MENTIONED)],
)  # fmt: skip
def test_structured_verifier_descriptions_never_contradict(
    left: str, right: str, label: Label
) -> None:
    a = _claim("a", _slot("a", "type", TextValue(text=left), "be"), predicate="be")
    b = _claim("b", _slot("b", "type", TextValue(text=right), "be"), predicate="be")
    assert _verdict(a, b).label is label


@pytest.mark.parametrize(
    ("left", "right", "negated", "label"),
    [
        (("pledge", "assist", "separate", "peace", "germany"),
         ("pledge", "cooperate", "war", "germany", "separate", "peace"), False, Label.SUPPORTS),
        (("pledge", "assist", "separate", "peace", "germany"),
         ("pledge", "cooperate", "war", "germany", "separate", "peace"), True,
         Label.NOT_MENTIONED),
        (("pledge", "assist"), ("pledge", "trade", "ship", "mine", "passport"), False,
         Label.NOT_MENTIONED),
    ],
)  # fmt: skip
def test_structured_verifier_overlap_needs_same_polarity(
    left: tuple[str, ...], right: tuple[str, ...], negated: bool, label: Label
) -> None:
    a = _claim("a", predicate="pledge", terms=left)
    b = _claim("b", predicate="pledge", terms=right, negated=negated)
    verdict = _verdict(a, b)
    assert verdict.label is label
    if label is Label.SUPPORTS:
        assert verdict.method == "overlap:terms"


@pytest.mark.parametrize(("left_place", "right_place"), [("London", "Moscow")])
def test_structured_verifier_reports_every_clashing_field_of_a_pair(
    left_place: str, right_place: str
) -> None:
    a = _claim("a", _slot("a", "date", _day(1941, 7, 12)),
               _slot("a", "place", EntityRef(name=left_place, kind=PLACE)))  # fmt: skip
    b = _claim("b", _slot("b", "date", _day(1939, 7, 25)),
               _slot("b", "place", EntityRef(name=right_place, kind=PLACE)))  # fmt: skip
    verdict = _verdict(a, b)
    assert verdict.label is Label.CONTRADICTS
    assert verdict.field == "signed on"
    assert verdict.other_fields == ("signed at",)
    assert left_place in verdict.reason and "1939-07-25" in verdict.reason


@pytest.mark.parametrize(
    ("title", "left", "right"),
    [
        # the same wording with different numbers, or opposite words, is no agreement
        ("Honus Wagner", "Honus Wagner dropped out of school at age 14 to help his father.",
         "Wagner dropped out of school at age 12 to help his father in the coal mines."),
        ("Humphrey Bogart", "Humphrey Bogart was ranked greatest male star of American cinema.",
         "In 1999, the Institute ranked Bogart as the worst male star of American cinema."),
        # the subject's own name is neither its type nor a mention of what the name contains
        ("Han dynasty", "The Han dynasty was the third dynasty in China.",
         "The Han dynasty was the second imperial dynasty of China."),
        ("Excuse My French", "Excuse My French is a TV series.",
         "Excuse My French is the debut studio album by rapper French Montana."),
    ],
)  # fmt: skip
def test_slots_no_agreement_from_overlap_that_differs_or_from_the_name(
    slot_verdicts: Any, title: str, left: str, right: str
) -> None:
    verdicts = slot_verdicts(left, right, title)
    assert not [v for v in verdicts if v.label.value == "supports"], [v.reason for v in verdicts]


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("Both powers pledged to assist each other and not make separate peace with Germany.",
         "The two powers pledged to assist each other and not to make a separate peace with "
         "Germany."),
    ],
)  # fmt: skip
def test_slots_overlap_still_supports_without_differences(
    slot_verdicts: Any, left: str, right: str
) -> None:
    verdicts = slot_verdicts(left, right)
    assert [v.method for v in verdicts if v.label.value == "supports"] == ["overlap:terms"]


@pytest.mark.parametrize(
    ("left", "right", "label"),
    [
        # a statistic of an unnamed thing is no measure of a known one
        ("The median age was 45.7 years.", "The median age was 37 years.", None),
        # a named owner makes it one: the same place, two figures
        ("Leeds had a population of 11,012.", "Leeds had a population of 9,500.", "contradicts"),
        # the figures of different census years are of different times
        ("According to the 2016 census, Leeds had a population of 11,012.",
         "As per the 2021 census, Leeds had a population of 10,929.", None),
        # a count of the whole that "one of" picks from is not the subject's measure
        ("Rush Township is one of the sixteen townships of Scioto County.",
         "Rush Township is one of the twenty-two townships of Tuscarawas County.", None),
        # "a total of 5,002" names an amount, not whose it is
        ("A total of 5,002 were under the age of six.",
         "A total of 150,699 were under the age of six.", None),
        # appointments happen more than once
        ("In 1612, he was appointed Bishop of Nepi.",
         "On 17 March 1621, he was appointed Bishop of Orvieto.", None),
        # two things of one name that the documents call different kinds of thing
        ("Monkey Grip is a novel. Monkey Grip was released in 1982.",
         "Monkey Grip is a film. Monkey Grip was released in 1977.", None),
        ("Monkey Grip is a film. Monkey Grip was released in 1982.",
         "Monkey Grip is a film. Monkey Grip was released in 1977.", "contradicts"),
    ],
)  # fmt: skip
def test_slots_statistics_times_and_namesakes(
    slot_verdicts: Any, left: str, right: str, label: str | None
) -> None:
    verdicts = slot_verdicts(left, right, "")
    found = {v.label.value for v in verdicts if v.label.value == "contradicts"}
    assert found == ({label} if label else set()), [v.reason for v in verdicts]


@pytest.mark.parametrize(
    ("left", "right", "label"),
    [
        # documents of several claims that share no fact: namesakes as likely as a conflict
        ("Talk Show is an album. It was released on January 26, 1999. Jones sang on it. "
         "Uptown Records issued it.",
         "Talk Show is an album. It was released in 1984. The band toured. IRS issued it.",
         None),
        # the same clash between documents that agree on something else stands
        ("The treaty was signed on 12 July 1941. It was signed in Moscow. Cripps signed it.",
         "The treaty was signed on 25 July 1939. It was signed in Moscow. Molotov signed it.",
         "contradicts"),
        # a claim and its evidence, one sentence each: nothing else could agree
        ("The treaty was signed on 12 July 1941.", "The treaty was signed on 25 July 1939.",
         "contradicts"),
    ],
)  # fmt: skip
def test_slots_clash_needs_corroboration_between_long_documents(
    slot_verdicts: Any, left: str, right: str, label: str | None
) -> None:
    verdicts = slot_verdicts(left, right)
    found = {v.label.value for v in verdicts if v.label.value == "contradicts"}
    assert found == ({label} if label else set()), [v.reason for v in verdicts]
