"""An edit between near-copies that the verifier already contradicts: the sources that repeat
one side's words in a row state that side's claim (``evidence_from``)."""

from __future__ import annotations

from accord.model import Label, Pair, Verdict
from accord.reconcile.copies import Copies, Edit
from accord.reconcile.reliability import evidence_from
from accord.testing.fakes import text_claim

ORIGINAL = "The parish was founded in 1856 by settlers from Ohio"
EDITED = "The parish was founded in 1900 by settlers from Ohio"


def test_backers_of_a_contradicted_edit_state_its_side() -> None:
    original = text_claim(ORIGINAL, "a", predicate="found", claim_id="a-claim")
    edited = text_claim(EDITED, "b", predicate="found", claim_id="b-claim")
    verdict = Verdict(
        pair=Pair(left=original, right=edited, score=1.0, retriever="all"),
        label=Label.CONTRADICTS,
        confidence=0.9,
        method="slots:edited-date",
        reason="1856 vs 1900",
    )
    at = ORIGINAL.index("1856")
    edit = Edit(
        left="a",
        right="b",
        left_text="1856",
        right_text="1900",
        left_words=("1856",),
        right_words=("1900",),
        left_span=(at, at + 4),
        right_span=(at, at + 4),
        left_backers=("c",),  # a third source has "founded in 1856 by" in a row
    )
    copies = Copies(dependence={frozenset(("a", "b")): 0.9}, edits=(edit,))
    evidence = evidence_from([original, edited], [verdict], copies=copies)
    mine = evidence.facts[evidence.fact_of[original.id]]
    theirs = evidence.facts[evidence.fact_of[edited.id]]
    assert mine.sources == {"a", "c"}
    assert theirs.sources == {"b"}
    # the difference is counted once: as the verdict's conflict, not again as an edit
    assert len(evidence.conflicts) == 1
    assert evidence.edit_facts == ()
