"""Near-copies among the sources (accord.reconcile.copies) and what they do to trust."""

from __future__ import annotations

import pytest

from accord.model import Claim, DocKind, Document, Label, Pair, Record, Span, Verdict
from accord.reconcile import reconcile
from accord.reconcile.copies import COPY_SHARE, find_copies
from accord.reconcile.truth import Conflict, Fact, discover

PARISH = (
    "Saint Brendan is a Catholic parish in the diocese of Harlow, on the east bank of the "
    "river. The parish was founded in {year} by Irish settlers who had come to work in the "
    "quarries, and its first church was a small wooden chapel near the ferry landing. The "
    "present stone church was consecrated by the bishop after a long campaign of fundraising "
    "among the quarry workers and their families, and it still holds the original bell."
)
UNRELATED = (
    "Harlow Rovers is an amateur football club that plays its home matches on a pitch beside "
    "the old quarry road. The club wears green shirts and has won the county cup twice, most "
    "recently after a penalty shoot-out against a side from the coast."
)


def _doc(name: str, text: str) -> Document:
    return Document(
        id=f"doc-{name}",
        source=f"<{name}>",
        title="Saint Brendan",
        kind=DocKind.UNKNOWN,
        format="text",
        text=text,
    )


def _claim(doc: Document, n: int, text: str) -> Claim:
    start = doc.text.find(text)
    span = Span(doc_id=doc.id, start=max(start, 0), end=max(start, 0) + len(text))
    return Claim(
        id=f"{doc.id}-c{n}",
        doc_id=doc.id,
        span=span,
        text=text,
        subject="Saint Brendan",
        predicate="found",
    )


def _verdict(left: Claim, right: Claim, label: Label) -> Verdict:
    return Verdict(
        pair=Pair(left=left, right=right, score=1.0, retriever="test"),
        label=label,
        confidence=0.9,
        method="test",
        reason="scripted",
    )


def _scores(record: Record) -> dict[str, float]:
    return {r.doc_id: r.score for r in record.reliability}


@pytest.mark.parametrize("changed", ["1900", "nineteen hundred"])
def test_find_copies_finds_the_one_place_two_copies_differ(changed: str) -> None:
    original = _doc("a", PARISH.format(year="1856"))
    copy = _doc("b", PARISH.format(year=changed))
    found = find_copies([original, copy])
    assert found.of(original.id, copy.id) >= COPY_SHARE
    assert found.near_copies(original.id) == [copy.id]
    (edit,) = found.edits
    assert (edit.left_text, edit.right_text) == ("1856", changed)
    assert original.text[edit.left_span[0] : edit.left_span[1]] == "1856"


@pytest.mark.parametrize(
    "variant",
    [
        # spacing, case and punctuation are not a difference
        PARISH.format(year="1856").replace(", on the east", " , On the east"),
        # one text says more: an addition, not a different statement
        PARISH.format(year="1856").replace(
            "small wooden chapel", "small and draughty wooden chapel"
        ),
        # an excerpt of the same page that starts and ends elsewhere
        "Diocesan records. " + PARISH.format(year="1856")[60:-40] + " Further reading.",
    ],
)
def test_find_copies_sees_no_edit_where_the_texts_do_not_disagree(variant: str) -> None:
    found = find_copies([_doc("a", PARISH.format(year="1856")), _doc("b", variant)])
    assert found.of("doc-a", "doc-b") >= COPY_SHARE
    assert found.edits == ()


def test_independent_texts_sharing_a_short_phrase_are_not_copies() -> None:
    first = _doc("a", PARISH.format(year="1856"))
    second = _doc("b", UNRELATED + " The parish was founded in 1856 by settlers.")
    found = find_copies([first, second])
    assert found.dependence == {}
    assert found.edits == ()


def test_find_copies_names_the_sources_that_back_each_wording() -> None:
    original = _doc("a", PARISH.format(year="1856"))
    copy = _doc("b", PARISH.format(year="1900"))
    witness = _doc("c", "Parish registers from 1856 list the first baptisms at Saint Brendan.")
    (edit,) = find_copies([original, copy, witness]).edits
    assert edit.left_backers == (witness.id,)
    assert edit.right_backers == ()


def _copies_case(with_witness: bool) -> tuple[list[Document], list[Claim], list[Verdict]]:
    """An original, a copy of it with the year changed and an unrelated page; the verifier
    found nothing (no verdicts): only the texts say the two copies disagree."""
    docs = [
        _doc("original", PARISH.format(year="1856")),
        _doc("altered", PARISH.format(year="1900")),
        _doc("unrelated", UNRELATED),
    ]
    if with_witness:
        docs.append(_doc("witness", "Parish registers from 1856 list the first baptisms."))
    claims = [_claim(d, 0, d.text.split(".")[0]) for d in docs]
    return docs, claims, []


def test_an_unrelated_source_is_not_ranked_below_two_copies_that_disagree() -> None:
    record = reconcile(*_copies_case(with_witness=False))
    scores = _scores(record)
    # nothing tells which copy is right: they tie, below the source nobody speaks to
    assert scores["doc-original"] == scores["doc-altered"] < scores["doc-unrelated"]
    assert scores["doc-unrelated"] == pytest.approx(0.6)
    reasons = {r.doc_id: r.reasons for r in record.reliability}
    assert (
        "no other source speaks to its claims: its trust is its prior" in (reasons["doc-unrelated"])
    )
    assert any(
        r.startswith("differs from its near-copy <altered> in 1 place ('1856' here, '1900' there)")
        for r in reasons["doc-original"]
    )


def test_the_copy_whose_wording_nobody_else_has_is_lowest() -> None:
    record = reconcile(*_copies_case(with_witness=True))
    scores = _scores(record)
    assert min(scores, key=scores.__getitem__) == "doc-altered"
    assert scores["doc-altered"] < scores["doc-unrelated"] < scores["doc-original"]
    reasons = {r.doc_id: r.reasons for r in record.reliability}
    assert "its wording is believed less likely than not in 1 place" in reasons["doc-altered"]


@pytest.mark.parametrize("copied", [True, False])
def test_a_copy_agreeing_with_its_original_is_not_a_second_vote(copied: bool) -> None:
    """Two sources say 1856 and one says 1900 (the verifier says so). When the two are
    copies of one text, they are one voice, and the 1900 source is not outvoted."""
    first = _doc("first", PARISH.format(year="1856"))
    second = _doc("second", PARISH.format(year="1856") if copied else UNRELATED + " 1856.")
    other = _doc("other", "Saint Brendan parish dates from 1900, when the diocese was created.")
    claims = [_claim(first, 0, "The parish was founded in 1856"), _claim(other, 0, "1900")]
    claims.append(
        _claim(second, 0, "The parish was founded in 1856")
        if copied
        else _claim(second, 0, "1856.")
    )
    verdicts = [
        _verdict(claims[0], claims[2], Label.SUPPORTS),
        _verdict(claims[0], claims[1], Label.CONTRADICTS),
        _verdict(claims[2], claims[1], Label.CONTRADICTS),
    ]
    record = reconcile([first, second, other], claims, verdicts)
    scores = _scores(record)
    if copied:
        assert scores["doc-other"] == pytest.approx(scores["doc-first"], abs=0.002)
        (first_reliability, *_) = record.reliability
        assert any(
            r.startswith("a near-copy of <second> (100% the same word for word")
            for r in first_reliability.reasons
        )
    else:
        assert scores["doc-other"] < scores["doc-first"] - 0.05


def test_discover_counts_exact_copies_as_one_source() -> None:
    priors = {"a": 0.6, "a2": 0.6, "b": 0.6}
    copies = {frozenset(("a", "a2")): 1.0}
    facts = [Fact(sources=frozenset(("a", "a2"))), Fact(sources=frozenset(("b",)))]
    found = discover(facts, [Conflict(0, 1)], priors, dependence=copies)
    assert found.belief == pytest.approx((0.5, 0.5))
    independent = discover(facts, [Conflict(0, 1)], priors)
    assert independent.belief[0] > 0.5 > independent.belief[1]


def test_discover_agreement_between_copies_alone_leaves_the_prior() -> None:
    priors = {"a": 0.6, "a2": 0.6}
    fact = [Fact(sources=frozenset(("a", "a2")))]
    assert discover(fact, [], priors, dependence={frozenset(("a", "a2")): 1.0}).trust == priors
    assert discover(fact, [], priors).trust["a"] > 0.6
