"""An edit between near-copies that the verifier already contradicts: the sources that repeat
one side's words in a row state that side's claim (``evidence_from``), and a source that
states a claim only so is told it does (``reliability``)."""

from __future__ import annotations

from accord.model import Claim, DocKind, Document, Label, Pair, Verdict
from accord.reconcile.copies import Copies, Edit
from accord.reconcile.reliability import (
    KIND_PRIOR,
    Evidence,
    discover_trust,
    evidence_from,
    reliability,
)
from accord.testing.fakes import text_claim

ORIGINAL = "The parish was founded in 1856 by settlers from Ohio"
EDITED = "The parish was founded in 1900 by settlers from Ohio"


def _contradicted_edit() -> tuple[Claim, Claim, Evidence]:
    """ "a" and "b" are near-copies that differ on the year, a contradiction the verifier
    found; "c" has "founded in 1856 by" in a row and no claim of its own."""
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
        left_backers=("c",),
    )
    copies = Copies(dependence={frozenset(("a", "b")): 0.9}, edits=(edit,))
    return original, edited, evidence_from([original, edited], [verdict], copies=copies)


def test_backers_of_a_contradicted_edit_state_its_side() -> None:
    original, edited, evidence = _contradicted_edit()
    mine = evidence.facts[evidence.fact_of[original.id]]
    theirs = evidence.facts[evidence.fact_of[edited.id]]
    assert mine.sources == {"a", "c"}
    assert theirs.sources == {"b"}
    # the difference is counted once: as the verdict's conflict, not again as an edit
    assert len(evidence.conflicts) == 1
    assert evidence.edit_facts == ()


def test_a_backer_without_claims_is_told_what_it_states() -> None:
    _, _, evidence = _contradicted_edit()
    documents = [
        Document(id=d, source=d, title="t", kind=DocKind.UNKNOWN, format="text", text="x")
        for d in ("a", "b", "c")
    ]
    discovery = discover_trust(documents, evidence, {}, KIND_PRIOR)
    reasons = reliability(documents[2], discovery, evidence, 0, KIND_PRIOR, [], {"a": "<text 1>"})
    # "c" has no claim here, yet it states "a"'s founding year: its reasons say so, not that
    # nobody speaks to it
    assert any("repeats the words of 1 claim of <text 1>" in r for r in reasons.reasons)
    assert not any("no other source speaks" in r for r in reasons.reasons)
