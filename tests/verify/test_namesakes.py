"""The corroboration guard: a clash between two documents that agree on nothing stays
undecided, unless a chain of agreeing documents joins them."""

from __future__ import annotations

from accord.model import Claim, Label, Pair, Span, Verdict
from accord.verify.namesakes import CORROBORATION_MIN_CLAIMS, corroborated


def _claim(doc: str, n: int) -> Claim:
    return Claim(
        id=f"{doc}:{n}",
        doc_id=doc,
        span=Span(doc_id=doc, start=n * 10, end=n * 10 + 9),
        text=f"claim {n} of {doc}",
        subject="Wealdmoor Way",
        predicate="open",
    )


def _verdict(left: Claim, right: Claim, label: Label, method: str = "slots:date") -> Verdict:
    return Verdict(
        pair=Pair(left=left, right=right, score=1.0, retriever="test"),
        label=label,
        confidence=0.9,
        method=method,
        reason="opened on: 1994 vs 1996",
    )


def _documents(*names: str) -> dict[str, list[Claim]]:
    return {name: [_claim(name, i) for i in range(CORROBORATION_MIN_CLAIMS)] for name in names}


def _clash_after(agreements: list[tuple[str, str]]) -> Verdict:
    docs = _documents("guide", "magazine", "blog")
    verdicts = [_verdict(docs["guide"][0], docs["magazine"][0], Label.CONTRADICTS)]
    for i, (x, y) in enumerate(agreements, start=1):
        verdicts.append(_verdict(docs[x][i], docs[y][i], Label.SUPPORTS))
    # every claim appears in some verdict, so each document counts its claims
    for claims in docs.values():
        verdicts += [_verdict(c, c, Label.NOT_MENTIONED, "overlap") for c in claims]
    return corroborated(verdicts)[0]


def test_corroborated_two_documents_that_agree_on_nothing_stay_undecided() -> None:
    clash = _clash_after([("guide", "blog")])
    assert clash.label is Label.NOT_MENTIONED
    assert "agree on nothing else" in clash.reason


def test_corroborated_a_document_agreeing_with_both_joins_them() -> None:
    clash = _clash_after([("guide", "blog"), ("blog", "magazine")])
    assert clash.label is Label.CONTRADICTS


def test_corroborated_direct_agreement_keeps_the_clash() -> None:
    clash = _clash_after([("guide", "magazine")])
    assert clash.label is Label.CONTRADICTS
