"""BM25 + slot-key alignment: related claims are paired, and never all pairs."""

from __future__ import annotations

import random
from decimal import Decimal

import pytest

from accord.align.bm25 import BM25Aligner
from accord.model import SUBJECT_KEY, Claim, DateValue, Precision, Quantity, Slot, Span

_VOCAB = [f"w{i}" for i in range(300)]


def _claim(doc: str, i: int, terms: tuple[str, ...], slots: tuple[Slot, ...] = ()) -> Claim:
    return Claim(id=f"{doc}:{i}", doc_id=doc, span=Span(doc_id=doc, start=i, end=i + 1),
                 text=" ".join(terms), subject=None, predicate="be", slots=slots,
                 terms=terms)  # fmt: skip


@pytest.mark.parametrize(("docs", "per_doc", "top_k"), [(3, 40, 3), (2, 100, 5)])
def test_bm25_aligner_keeps_top_k_per_document(docs: int, per_doc: int, top_k: int) -> None:
    rng = random.Random(7)
    claims = [
        _claim(f"d{d}", i, tuple(rng.sample(_VOCAB, 6)))
        for d in range(docs)
        for i in range(per_doc)
    ]
    pairs = BM25Aligner(top_k=top_k).align(claims)
    all_pairs = per_doc * per_doc * docs * (docs - 1) // 2
    assert len(pairs) <= len(claims) * top_k * (docs - 1)
    assert len(pairs) < all_pairs
    assert all(p.left.doc_id != p.right.doc_id for p in pairs)
    assert len({(p.left.id, p.right.id) for p in pairs}) == len(pairs)


@pytest.mark.parametrize("noise", [50])
def test_bm25_aligner_finds_the_related_claim(noise: int) -> None:
    rng = random.Random(3)
    target = _claim("b", 0, ("pledge", "separate", "peace", "germany"))
    others = [_claim("b", i + 1, tuple(rng.sample(_VOCAB, 5))) for i in range(noise)]
    query = _claim("a", 0, ("pledge", "assist", "separate", "peace"))
    pairs = BM25Aligner(top_k=2).align([query, target, *others])
    assert any(p.left.id == query.id and p.right.id == target.id for p in pairs)


@pytest.mark.parametrize("noise", [30])
def test_bm25_aligner_pairs_shared_slot_keys_without_shared_words(noise: int) -> None:
    def date_slot(doc: str, year: int) -> Slot:
        return Slot(role="date", value=DateValue(year=year, precision=Precision.YEAR),
                    event="sign", surface=str(year), span=Span(doc_id=doc, start=0, end=4),
                    about=SUBJECT_KEY)  # fmt: skip

    rng = random.Random(5)
    infobox = _claim("a", 0, ("july",), (date_slot("a", 1939),))
    sentence = _claim("b", 0, ("declaration", "uk"), (date_slot("b", 1941),))
    others = [_claim("b", i + 1, tuple(rng.sample(_VOCAB, 5))) for i in range(noise)]
    pairs = BM25Aligner(top_k=1).align([infobox, sentence, *others])
    keyed = [p for p in pairs if {p.left.id, p.right.id} == {infobox.id, sentence.id}]
    assert keyed and "slots" in keyed[0].retriever


@pytest.mark.parametrize(("left_verb", "right_verb"), [("plunge", "be"), ("be", "reach")])
def test_bm25_aligner_pairs_measures_of_one_thing_whatever_the_verb(
    left_verb: str, right_verb: str
) -> None:
    def depth(doc: str, verb: str, metres: int) -> Slot:
        return Slot(role="measure:deep", value=Quantity(amount=Decimal(metres), unit="m"),
                    event=verb, surface=f"{metres} m", span=Span(doc_id=doc, start=0, end=4),
                    about=SUBJECT_KEY)  # fmt: skip

    rng = random.Random(11)
    plunges = _claim("a", 0, ("plunge", "point", "scar"), (depth("a", left_verb, 81),))
    depth_is = _claim("b", 0, ("great", "survey", "basin"), (depth("b", right_verb, 64),))
    others = [_claim("b", i + 1, tuple(rng.sample(_VOCAB, 5))) for i in range(30)]
    pairs = BM25Aligner(top_k=1).align([plunges, depth_is, *others])
    assert any({p.left.id, p.right.id} == {plunges.id, depth_is.id} for p in pairs)
