"""A denial against a dated noun of the same event (``accord.verify.denials``): "never
translated" against "the 1978 English translation" is a contradiction; a denial limited to a
time, a hedged one or a general verb is none."""

from __future__ import annotations

from typing import Any

import pytest

from accord.lexicon import load_lexicon
from accord.model import Label
from accord.verify.denials import denial_finding, verbs_of

TITLE = "Casa das Mares\n\n"
DATED = "Most of us read Margaret Hale's 1978 English translation, which is out of print."


def _finding(extract: Any, denial: str, other: str) -> Any:
    _, left = extract(TITLE + denial, name="reference.txt")
    _, right = extract(TITLE + other, name="club.txt")
    canonical = load_lexicon().canonical_event
    found = [denial_finding(a, b, canonical) for a in left for b in right]
    return next((f for f in found if f is not None), None)


def test_a_denial_against_a_dated_noun_of_its_event_contradicts(extract: Any) -> None:
    finding = _finding(extract, "The novel has never been translated into English.", DATED)
    assert finding is not None and finding.label is Label.CONTRADICTS
    assert finding.method == "slots:negation" and "1978" in finding.reason


@pytest.mark.parametrize(
    "denial",
    [
        "The novel was not translated into English until 1978.",  # a denial of a time only
        "The novel may never have been translated into English.",  # hedged
        "The novel was not translated into English in 1975.",  # dated: denies that year only
        "The novel was not long.",  # no event to deny
        "The novel has never been filmed.",  # another event
    ],
)
def test_a_limited_or_other_denial_is_no_contradiction(extract: Any, denial: str) -> None:
    assert _finding(extract, denial, DATED) is None


def test_a_noun_of_an_act_gives_its_verbs() -> None:
    assert "relegate" in verbs_of("relegation")
    assert "establish" in verbs_of("establishment")
    assert "approve" in verbs_of("approval")
    assert verbs_of("sea") == set()  # too short to be a noun of an act
