"""How the values of two slots of one relation compare: dates as intervals, quantities
within the tolerance their wording allows, lists that only agree, the one holder of a role,
the one agent of an event, ranks. Each comparison gives a ``Finding``: a label, its
confidence, the method and a reason; ``accord.verify.slots`` decides which slots to compare.
"""

from __future__ import annotations

from dataclasses import dataclass

from accord.model import (
    SUBJECT_KEY,
    Claim,
    DateValue,
    EntityKind,
    EntityRef,
    Label,
    Quantity,
    Slot,
    TextValue,
)
from accord.normalize import compare_dates
from accord.normalize.entities import same_name
from accord.normalize.measure import compare_measures, read_quantity
from accord.relations import agent_names, is_holder_kind, single_agent, slot_names

__all__ = [
    "AGREE_CONFIDENCE",
    "CURRENCIES",
    "EDITED_WORD_CONFIDENCE",
    "MASKED_CONFIDENCE",
    "NATIONALITY_CONFIDENCE",
    "NEGATION_CONFIDENCE",
    "PLACE_CONFIDENCE",
    "UNKNOWN_PLACE_CONFIDENCE",
    "Finding",
    "agent_finding",
    "date_finding",
    "dated_apart",
    "has_many",
    "holder_finding",
    "is_snapshot",
    "polarity_finding",
    "quantity_finding",
    "rank_finding",
    "set_finding",
    "text_finding",
    "unify_names",
    "weakness",
]

# Confidence of a date clash between two explicit, directly attached dates.
DATE_CONFIDENCE = 0.9
# Multipliers for weaker evidence: a year taken from context, an event read off an
# infobox line (the event is inferred from the subject's kind), hedged wording.
INFERRED_YEAR_FACTOR = 0.85
INFOBOX_FACTOR = 0.9
# A label line in running text ("Published: 7 March 2024" on a shop page) may describe the
# page's own thing (an edition, a listing) rather than the subject.
FIELD_FACTOR = 0.7
HEDGED_FACTOR = 0.7
PLACE_CONFIDENCE = 0.75
UNKNOWN_PLACE_CONFIDENCE = 0.72
# A clash of two measures of one thing ("6,650 km" vs "5,000 km" long): below a date
# clash, since which thing a number measures is read less surely than a date's event.
QUANTITY_CONFIDENCE = 0.75
# Two holders of a role that has one ("its first director"), two nationalities of one
# person, two ranks of one thing in one scope.
HOLDER_CONFIDENCE = 0.85
NATIONALITY_CONFIDENCE = 0.8
RANK_CONFIDENCE = 0.8
# One claim says an event of a thing happened, the other that it never did.
NEGATION_CONFIDENCE = 0.75
# Two different agents of one event of the subject ("built by Denny" / "built by Fairfield"),
# each the only one named, where no document names several: below a holder's, since an event
# may have agents a document leaves unnamed.
AGENT_CONFIDENCE = 0.7
# One value differs between two clauses that are otherwise the same statement.
MASKED_CONFIDENCE = 0.85
EDITED_WORD_CONFIDENCE = 0.6
AGREE_CONFIDENCE = 0.8
SUBSET_FACTOR = 0.8  # one source lists part of what the other lists


@dataclass(frozen=True, slots=True)
class Finding:
    """What comparing two values found: a label with its confidence, the method that
    decided, a one-sentence reason and the record field it bears on."""

    label: Label
    confidence: float
    method: str
    reason: str
    field: str | None


# Date roles that make a claim's counts a snapshot: "by 2016", "as of May", "since 2010".
_SNAPSHOT_ROLES = frozenset(
    {"date:by", "date:as", "date:since", "date:until", "date:till", "date:from", "date:after"}
)


# Currency codes the quantity reader gives; a sum of money is tied to its year.
CURRENCIES = frozenset({"USD", "GBP", "EUR", "JPY", "RUB"})


def dated_apart(a: Claim, b: Claim, event: str | None = None) -> bool:
    """True when the two claims are dated differently: their event ("earned $30 million in
    2017" / "$19.5 million in 2018"), or anything else in them ("according to the 2016
    census, ... a population of 11,012" / "as per the 2021 census, ... 10,929"). Amounts
    of different times are different occurrences, not one fact.

    Given an ``event`` that both claims date, only those dates count: "founded in 1962 by
    X, who owned it until 1988" and "Y founded it in 1962" date one founding alike.
    """

    def dates(claim: Claim, only: str | None) -> list[DateValue]:
        return [
            t.value
            for t in claim.slots
            if isinstance(t.value, DateValue) and (only is None or t.event == only)
        ]

    left, right = dates(a, event), dates(b, event)
    if not (left and right):
        left, right = dates(a, None), dates(b, None)
    return any(compare_dates(x, y) == "incompatible" for x in left for y in right)


def is_snapshot(claim: Claim) -> bool:
    return any(slot.role in _SNAPSHOT_ROLES for slot in claim.slots)


def has_many(claim: Claim, slot: Slot) -> bool:
    """True when the claim gives another date or amount for the same slot ("in 2006 and
    2014", "6.4 million in the US and 15 million worldwide"). Places are left out: "in
    Tordesillas, Spain" names one place twice."""
    if not isinstance(slot.value, DateValue | Quantity):
        return False
    return any(
        other.event == slot.event
        and other.role == slot.role
        and other.about == slot.about
        and other.value != slot.value
        and type(other.value) is type(slot.value)
        for other in claim.slots
    )


def unify_names(left: set[str], right: set[str], kind: EntityKind) -> set[str]:
    """``right`` with each name that means one of ``left``'s ("Cripps" for "Stafford
    Cripps", "NATO" for "North Atlantic Treaty Organization") replaced by that name."""
    out = set()
    for name in right:
        ref = EntityRef(name=name, kind=kind)
        matches = [m for m in left if same_name(EntityRef(name=m, kind=kind), ref)]
        out.add(matches[0] if len(matches) == 1 else name)
    return out


def weakness(a: Claim, b: Claim, *, hedge: bool = True) -> float:
    """How much weaker than a plain statement the claims are: infobox or label lines, and
    hedged wording (unless ``hedge`` is False: what a thing is, said in an appositive
    of a hedged sentence, "Thomas Crane, the first director, is said to have...", is not
    what the hedge is about)."""
    factor = 1.0
    if "infobox" in (a.kind, b.kind):
        factor *= INFOBOX_FACTOR
    if "field" in (a.kind, b.kind):
        factor *= FIELD_FACTOR
    if hedge and (a.hedged or b.hedged):
        factor *= HEDGED_FACTOR
    return factor


def date_finding(
    a: Claim, b: Claim, x: DateValue, y: DateValue, topic: str, field: str | None
) -> Finding:
    relation = compare_dates(x, y)
    method = "slots:date"
    factor = weakness(a, b)
    inferred = [v for v in (x, y) if v.inferred_from is not None]
    if inferred:
        factor *= INFERRED_YEAR_FACTOR
    note = " (a date inferred from context)" if inferred else ""
    if relation == "incompatible":
        return Finding(
            Label.CONTRADICTS,
            DATE_CONFIDENCE * factor,
            method,
            f"{topic}: {x.to_iso()} vs {y.to_iso()}{note}",
            field,
        )
    same = "the same date" if relation == "equal" else "compatible dates"
    confidence = DATE_CONFIDENCE * factor * (1.0 if relation == "equal" else 0.85)
    return Finding(
        Label.SUPPORTS,
        confidence,
        method,
        f"{topic}: {same} ({x.to_iso()}, {y.to_iso()}){note}",
        field,
    )


def quantity_finding(
    a: Claim, b: Claim, s: Slot, t: Slot, topic: str, field: str | None
) -> Finding | None:
    """Two measures of one thing: compatible within the tolerance their wording allows."""
    assert isinstance(s.value, Quantity) and isinstance(t.value, Quantity)
    if (s.value.unit is None or t.value.unit is None) and not s.role.startswith(
        ("measure:", "count:")
    ):
        return None  # a bare number measures something only when its noun says what
    x, y = read_quantity(s.value, s.surface), read_quantity(t.value, t.surface)
    relation = compare_measures(x, y)
    if relation == "incomparable":
        return None
    method = "slots:count" if s.role.startswith("count:") else "slots:quantity"
    tolerance = f"tolerance: {s.surface!r} {x.how}, {t.surface!r} {y.how}"
    if relation == "incompatible":
        return Finding(
            Label.CONTRADICTS,
            QUANTITY_CONFIDENCE * weakness(a, b),
            method,
            f"{topic}: {s.surface} vs {t.surface} ({tolerance})",
            field,
        )
    same = "the same amount" if relation == "equal" else "compatible amounts"
    return Finding(
        Label.SUPPORTS,
        QUANTITY_CONFIDENCE * weakness(a, b),
        method,
        f"{topic}: {same}, {s.surface} and {t.surface} ({tolerance})",
        field,
    )


def set_finding(a: Claim, b: Claim, s: Slot, topic: str, field: str | None) -> Finding | None:
    kind = s.value.kind if isinstance(s.value, EntityRef) else None
    left, right = slot_names(a, s), slot_names(b, s)
    if not left or not right:
        return None
    if kind is not None:
        right = unify_names(left, right, kind)
    listed = " and ".join(sorted(left & right))
    if left == right:
        confidence = AGREE_CONFIDENCE
    elif left <= right or right <= left:
        # One list is part of the other: what the shorter says agrees, the rest is unsaid.
        confidence = AGREE_CONFIDENCE * SUBSET_FACTOR
    else:
        return None
    return Finding(
        Label.SUPPORTS, confidence, f"slots:{s.role}", f"{topic}: both name {listed}", field
    )


def holder_finding(a: Claim, b: Claim, s: Slot, t: Slot, field: str | None) -> Finding:
    """Two holders of a role with one holder ("its first director"): one person, or a clash."""
    assert isinstance(s.value, EntityRef) and isinstance(t.value, EntityRef)
    topic = field or s.event
    method = "slots:holder"
    x, y = s.value, t.value
    if same_name(EntityRef(name=x.name, kind=y.kind), y) or x.name == y.name:
        return Finding(Label.SUPPORTS, AGREE_CONFIDENCE, method, f"{topic}: both {x.name}", field)
    return Finding(
        Label.CONTRADICTS,
        HOLDER_CONFIDENCE * weakness(a, b, hedge=False),
        method,
        f"{topic}: {x.name} vs {y.name}",
        field,
    )


def agent_finding(
    a: Claim, b: Claim, s: Slot, t: Slot, topic: str, field: str | None
) -> Finding | None:
    """Different agents of one event of the subject, each the only one its claim names:
    a clash of who did it ("built by Denny" / "built by Fairfield"). The event's being a list
    elsewhere in the run is checked by ``_why_not_exclusive``."""
    assert isinstance(s.value, EntityRef) and isinstance(t.value, EntityRef)
    if s.about != SUBJECT_KEY or not (
        is_holder_kind(s.value.kind) and s.value.kind == t.value.kind
    ):
        return None
    if not (single_agent(a, s) and single_agent(b, t)) or dated_apart(a, b, s.event):
        return None  # several agents, or two occurrences of different dates
    return Finding(
        Label.CONTRADICTS,
        AGENT_CONFIDENCE * weakness(a, b),
        "slots:agent",
        f"{topic}: {s.value.name} vs {t.value.name}",
        field,
    )


def rank_finding(a: Claim, b: Claim, s: Slot, t: Slot, field: str | None) -> Finding:
    """Two ranks of one thing among its kind in one scope: "the largest" is 1, "second-largest"
    2."""
    assert isinstance(s.value, TextValue) and isinstance(t.value, TextValue)
    quality = s.role.split(":", 1)[1]
    topic = field or f"rank by {quality}"
    method = "slots:rank"
    if s.value.text == t.value.text:
        return Finding(
            Label.SUPPORTS, AGREE_CONFIDENCE, method, f"{topic}: both {s.surface}", field
        )
    return Finding(
        Label.CONTRADICTS,
        RANK_CONFIDENCE * weakness(a, b, hedge=False),
        method,
        f"{topic}: {s.surface} ({s.event}) vs {t.surface} ({t.event})",
        field,
    )


def text_finding(x: TextValue, y: TextValue, topic: str, field: str | None) -> Finding | None:
    if x.text == y.text:
        return Finding(Label.SUPPORTS, 0.7, "slots:type", f"{topic}: both say {x.text!r}", field)
    return None


def polarity_finding(a: Claim, b: Claim, s: Slot, t: Slot, field: str | None) -> Finding | None:
    """One claim says the event happened, the other denies it ("the council approved the
    plan" / "the plan was never approved"). A denial that names a date, place or amount
    denies only that ("was not signed in 1939"), and two different agents make two events:
    neither clashes. Agreeing polarity says nothing by itself."""
    assert isinstance(s.value, TextValue) and isinstance(t.value, TextValue)
    if s.value.text == t.value.text:
        return None
    denial = a if s.value.text == "no" else b
    specific = any(
        isinstance(slot.value, DateValue | Quantity)
        or (slot.role in ("place", "date") and slot.event == s.event)
        for slot in denial.slots
    )
    if specific or not _same_agents(a, b, s.event):
        return None
    return Finding(
        Label.CONTRADICTS,
        NEGATION_CONFIDENCE * weakness(a, b),
        "slots:negation",
        f"one says they {s.event}, the other that they did not",
        field,
    )


def _same_agents(a: Claim, b: Claim, event: str) -> bool:
    """False when both claims name who did it and the names differ."""
    left, right = agent_names(a, event), agent_names(b, event)
    return not left or not right or bool(left & right)
