"""A denial against a dated mention of the same event as a noun: "The novel has never been
translated into English" / "Margaret Hale's 1978 English translation"; "The club has never
been relegated" / "The relegation of 1978 was the low point".

The noun is matched to the denied verb by its form ("relegation" is the act of relegating,
"approval" of approving), through the lexicon's canonical events, not by a list of nouns.
A denial limited by a date, a place, an amount or a word of time ("not until 1901", "no
longer") denies only that, and is left alone; so is a hedged one.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from accord.model import Claim, DateValue, Label, Quantity, Slot
from accord.verify.values import NEGATION_CONFIDENCE, Finding, weakness

__all__ = ["denial_finding", "verbs_of"]

# How a noun of an act ends, and what its verb ends in instead: "relegation" -> "relegate",
# "construction" -> "construct", "establishment" -> "establish", "approval" -> "approve".
_NOMINAL_ENDINGS = (
    ("ation", ("ate", "e", "")),
    ("ition", ("ite", "")),
    ("ion", ("", "e")),
    ("ment", ("",)),
    ("al", ("e", "")),
    ("ure", ("e",)),
    ("ing", ("", "e")),
)
MIN_STEM = 3  # letters a verb keeps after its ending is taken off
# Words that limit a denial to a time, a degree or a possibility: "was not translated until
# 1978", "no longer", "could not be".
_LIMITING = frozenset(
    """until till longer only just yet again before could might may would should
    fully entirely""".split()
)
_WORD = re.compile(r"[a-z]+")
_GENERAL_VERBS = frozenset({"be", "have", "do"})  # "was not large" denies no event


def verbs_of(noun: str) -> set[str]:
    """The verbs a noun of an act may come from, by its ending.

    >>> sorted(verbs_of("relegation"))
    ['releg', 'relegat', 'relegate', 'relege']
    """
    noun = noun.lower()
    out: set[str] = set()
    for ending, replacements in _NOMINAL_ENDINGS:
        if noun.endswith(ending) and len(noun) - len(ending) >= MIN_STEM:
            stem = noun[: -len(ending)]
            out.update(stem + r for r in replacements)
    return out


def _denied(claim: Claim) -> bool:
    """The claim denies its event outright: negated, not hedged, and with no date, place or
    amount or word of time that would limit the denial."""
    if not claim.negated or claim.hedged or claim.kind != "sentence":
        return False
    if any(isinstance(s.value, DateValue | Quantity) or s.role == "place" for s in claim.slots):
        return False
    return not _LIMITING & set(_WORD.findall(claim.text.lower()))


def _dated_nominal(claim: Claim, event: str, canonical: Callable[[str], str]) -> Slot | None:
    """A date the claim gives to a noun of ``event`` ("the relegation of 1978"), if any."""
    if claim.negated or claim.hedged:
        return None
    for slot in claim.slots:
        if slot.negated or not isinstance(slot.value, DateValue):
            continue
        for noun in (slot.event, slot.about):
            if noun and " " not in noun and any(canonical(v) == event for v in verbs_of(noun)):
                return slot
    return None


def denial_finding(a: Claim, b: Claim, canonical: Callable[[str], str]) -> Finding | None:
    """One claim denies an event outright, the other dates it: a contradiction."""
    for denial, other in ((a, b), (b, a)):
        if denial.doc_id == other.doc_id or not _denied(denial):
            continue
        event = canonical(denial.predicate)
        if event in _GENERAL_VERBS:
            continue
        slot = _dated_nominal(other, event, canonical)
        if slot is None:
            continue
        assert isinstance(slot.value, DateValue)
        return Finding(
            Label.CONTRADICTS,
            NEGATION_CONFIDENCE * weakness(a, b),
            "slots:negation",
            f"{event}: one denies it happened, the other dates it to {slot.value.to_iso()}",
            None,
        )
    return None
