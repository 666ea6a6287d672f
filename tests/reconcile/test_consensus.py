"""Consensus over many sources and per-source reliability (accord.reconcile)."""

from __future__ import annotations

import itertools

import pytest

from accord.errors import ConfigError
from accord.model import (
    SUBJECT_KEY,
    Claim,
    DateValue,
    DocKind,
    Document,
    Label,
    Pair,
    Precision,
    Record,
    Removed,
    Slot,
    Span,
    Verdict,
)
from accord.reconcile import reconcile
from accord.reconcile.reliability import KIND_PRIOR, kind_priors

FIELD = "signed on"


def _doc(name: str, kind: DocKind = DocKind.NEWS, junk: int = 0) -> Document:
    text = f"The treaty was signed. Report {name}."
    removed = (Removed(text="x" * junk, reason="advertisement", at=0),) if junk else ()
    return Document(
        id=f"doc-{name}",
        source=f"{name}.txt",
        title="Treaty of Valdoria",
        kind=kind,
        format="text",
        text=text,
        removed=removed,
    )


def _claim(doc: Document, year: int, n: int = 0) -> Claim:
    span = Span(doc_id=doc.id, start=0, end=10)
    slot = Slot(
        role="date",
        value=DateValue(year=year, month=5, day=3, precision=Precision.DAY),
        event="sign",
        surface=str(year),
        span=span,
        about=SUBJECT_KEY,
    )
    return Claim(
        id=f"{doc.id}-c{n}",
        doc_id=doc.id,
        span=span,
        text=f"signed in {year}",
        subject="Treaty of Valdoria",
        predicate="sign",
        slots=(slot,),
    )


def _verdicts(claims: list[Claim]) -> list[Verdict]:
    """Every pair of claims: SUPPORTS when the years agree, else CONTRADICTS."""
    out = []
    for left, right in itertools.combinations(claims, 2):
        same = left.slots[0].value == right.slots[0].value
        out.append(
            Verdict(
                pair=Pair(left=left, right=right, score=1.0, retriever="slots"),
                label=Label.SUPPORTS if same else Label.CONTRADICTS,
                confidence=0.9,
                method="slots:date",
                reason="dates compared",
                evidence=(left.span, right.span),
                field=FIELD,
            )
        )
    return out


def _check(years: list[int], kinds: list[DocKind] | None = None, **kw: object) -> Record:
    kinds = kinds or [DocKind.NEWS] * len(years)
    docs = [_doc(str(i), kind) for i, kind in enumerate(kinds)]
    claims = [_claim(doc, year) for doc, year in zip(docs, years, strict=True)]
    return reconcile(docs, claims, _verdicts(claims), **kw)  # type: ignore[arg-type]


def _field(record: Record) -> tuple[str | None, str, str]:
    (item,) = [f for f in record.fields if f.name == FIELD]
    return item.consensus, item.status, item.reason


def _scores(record: Record) -> dict[str, float]:
    return {r.doc_id: r.score for r in record.reliability}


@pytest.mark.parametrize(
    ("years", "consensus"),
    [([1852, 1852, 1852, 1849], "1852-05-03"), ([1849, 1852, 1852, 1852, 1852], "1852-05-03")],
)
def test_reconcile_majority_value_wins(years: list[int], consensus: str) -> None:
    found, status, reason = _field(_check(years))
    assert (found, status) == (consensus, "contradicted")
    assert f"{years.count(1852)} of {len(years)} sources give {consensus}" in reason


@pytest.mark.parametrize("years", [[1852, 1852, 1852, 1849], [1849, 1852, 1852, 1852]])
def test_reconcile_outlier_gets_the_lowest_reliability(years: list[int]) -> None:
    record = _check(years)
    outlier = f"doc-{years.index(1849)}"
    scores = _scores(record)
    assert min(scores, key=scores.__getitem__) == outlier
    assert all(scores[outlier] < s for d, s in scores.items() if d != outlier)
    reasons = {r.doc_id: r.reasons for r in record.reliability}
    assert (
        "1 claim is contradicted by better-backed claims (believed less likely than not)"
        in (reasons[outlier])
    )
    majority = reasons["doc-" + str(years.index(1852))]
    assert "1 contradicted claim of it the evidence still favours" in majority
    assert any(
        r.startswith("of its 1 claim other sources speak to, 1 is backed by another source")
        for r in majority
    )


@pytest.mark.parametrize("years", [[1852, 1849], [1852, 1852, 1849, 1849], [1852, 1849, 1846]])
def test_reconcile_even_split_is_reported_not_guessed(years: list[int]) -> None:
    record = _check(years)
    consensus, status, reason = _field(record)
    assert consensus is None and status == "contradicted"
    assert reason.startswith("the sources split evenly")
    assert "both sides are equally trusted" in reason
    # Nobody is outvoted in an even split, so every source keeps the same score.
    assert len(set(_scores(record).values())) == 1


@pytest.mark.parametrize("years", [[1852, 1852, 1849, 1849]])
def test_reconcile_even_split_names_the_more_trusted_side(years: list[int]) -> None:
    kinds = [DocKind.ENCYCLOPEDIA, DocKind.ENCYCLOPEDIA, DocKind.WIKI, DocKind.WIKI]
    consensus, _, reason = _field(_check(years, kinds))
    assert consensus is None
    assert "the more trusted side gives 1852-05-03" in reason


@pytest.mark.parametrize(("wiki_prior", "consensus"), [(0.5, "1849-05-03"), (0.0, None)])
def test_reconcile_majority_must_hold_by_reliability_weight_too(
    wiki_prior: float, consensus: str | None
) -> None:
    kinds = [DocKind.ENCYCLOPEDIA] * 2 + [DocKind.WIKI] * 3
    record = _check([1852, 1852, 1849, 1849, 1849], kinds, priors={"wiki": wiki_prior})
    found, _, reason = _field(record)
    assert found == consensus
    if consensus is None:
        assert reason.startswith("no consensus: 3 of 5 sources give 1849-05-03")


@pytest.mark.parametrize("irrelevant", [1, 5])
def test_reconcile_reliability_stable_under_irrelevant_documents(irrelevant: int) -> None:
    docs = [_doc(str(i)) for i in range(4)]
    claims = [_claim(doc, year) for doc, year in zip(docs, [1852, 1852, 1852, 1849], strict=True)]
    verdicts = _verdicts(claims)
    before = reconcile(docs, claims, verdicts).reliability
    extra = [_doc(f"other{i}", DocKind.WIKI, junk=50) for i in range(irrelevant)]
    extra_claims = [
        Claim(
            id=f"{d.id}-x",
            doc_id=d.id,
            span=Span(doc_id=d.id, start=0, end=5),
            text="An unrelated statement.",
            subject=None,
            predicate="state",
        )
        for d in extra
    ]
    unrelated = [
        Verdict(
            pair=Pair(left=a, right=b, score=0.1, retriever="bm25"),
            label=Label.NOT_MENTIONED,
            confidence=0.0,
            method="slots",
            reason="no shared slot",
        )
        for a, b in zip(claims, extra_claims, strict=False)
    ]
    after = reconcile([*docs, *extra], [*claims, *extra_claims], [*verdicts, *unrelated])
    assert after.reliability[: len(docs)] == before


@pytest.mark.parametrize("internal", [1, 2])
def test_reconcile_internal_contradictions_lower_reliability(internal: int) -> None:
    docs = [_doc("a"), _doc("b")]
    claims = [_claim(docs[0], 1852), _claim(docs[1], 1852)]
    base = reconcile(docs, claims, _verdicts(claims))
    own = [_claim(docs[1], 1840 + i, n=i + 1) for i in range(internal)]
    inside = [
        Verdict(
            pair=Pair(left=claims[1], right=c, score=1.0, retriever="internal"),
            label=Label.CONTRADICTS,
            confidence=0.9,
            method="slots:date",
            reason="differs",
        )
        for c in own
    ]
    record = reconcile(docs, [*claims, *own], [*_verdicts(claims), *inside])
    before, after = _scores(base), _scores(record)
    assert after["doc-b"] < before["doc-b"]
    # doc-a is backed by a source now trusted less, so it gains less from the backing; it
    # loses less than doc-b, which contradicts itself, and stays above it
    assert before["doc-b"] - after["doc-b"] > before["doc-a"] - after["doc-a"] >= 0
    assert after["doc-a"] > after["doc-b"]
    reasons = {r.doc_id: r.reasons for r in record.reliability}["doc-b"]
    assert any(r.startswith(f"{internal} internal contradiction") for r in reasons)


@pytest.mark.parametrize(("kind", "value"), [("news", 0.9), ("WIKI", 0.1), ("unknown", 0.0)])
def test_kind_priors_override_one_kind(kind: str, value: float) -> None:
    priors = kind_priors({kind: value})
    changed = DocKind.from_str(kind)
    assert priors[changed] == value
    assert all(priors[k] == v for k, v in KIND_PRIOR.items() if k is not changed)


@pytest.mark.parametrize("bad", [{"blog": 0.5}, {"news": 1.5}, {"news": -0.1}])
def test_kind_priors_reject_bad_values(bad: dict[str, float]) -> None:
    with pytest.raises(ConfigError):
        kind_priors(bad)


@pytest.mark.parametrize("prior", [0.2, 0.95])
def test_reconcile_prior_setting_changes_scores(prior: float) -> None:
    default = _scores(_check([1852, 1852]))
    custom = _scores(_check([1852, 1852], priors={"news": prior}))
    assert all((custom[d] > default[d]) == (prior > KIND_PRIOR[DocKind.NEWS]) for d in default)
