"""Alignment growth: BM25 alignment time on synthetic claims at growing sizes.

Claims are generated reproducibly (seeded): each has a handful of terms drawn from a fixed
vocabulary with Zipf-like frequencies (rank ``r`` drawn with weight ``1/r``), and some fill a
slot from a few (event, role, about) keys, so that both retrievers of the aligner work. The
claims are spread round-robin over a fixed number of documents, so growing the size grows
the documents, as when more is written about one subject.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Sequence

from accord.model import Claim, DateValue, Pair, Precision, Slot, Span, TextValue

VOCABULARY_SIZE = 5000  # distinct terms; large enough that a 100k-claim run is not saturated
TERMS_PER_CLAIM = (4, 12)  # inclusive range, about what the claims stage yields per clause
SLOT_SHARE = 0.3  # claims that fill a key slot; the rest are found by BM25 alone
EVENTS = ("sign", "found", "build", "elect", "die")
ROLES = ("date", "place")
ABOUTS = tuple(f"subject {i}" for i in range(40))  # a few dozen things the events are about


def synthetic_claims(count: int, documents: int, seed: int = 7) -> list[Claim]:
    """``count`` claims over ``documents`` documents, the same for the same arguments."""
    rng = random.Random(seed)
    vocabulary = [f"term{i}" for i in range(VOCABULARY_SIZE)]
    weights = list(itertools.accumulate(1.0 / rank for rank in range(1, VOCABULARY_SIZE + 1)))
    claims = []
    for i in range(count):
        doc_id = f"doc{i % documents}"
        span = Span(doc_id=doc_id, start=i, end=i + 1)
        terms = rng.choices(vocabulary, cum_weights=weights, k=rng.randint(*TERMS_PER_CLAIM))
        slots: tuple[Slot, ...] = ()
        if rng.random() < SLOT_SHARE:
            role = rng.choice(ROLES)
            value = (
                DateValue(year=rng.randint(1800, 2000), precision=Precision.YEAR)
                if role == "date"
                else TextValue(text="city")
            )
            slots = (
                Slot(
                    role=role,
                    value=value,
                    event=rng.choice(EVENTS),
                    surface="x",
                    span=span,
                    about=rng.choice(ABOUTS),
                ),
            )
        claims.append(
            Claim(
                id=f"c{i}",
                doc_id=doc_id,
                span=span,
                text=" ".join(terms),
                subject=None,
                predicate="be",
                slots=slots,
                terms=tuple(dict.fromkeys(terms)),
            )
        )
    return claims


def all_pairs(claims: Sequence[Claim]) -> list[Pair]:
    """The naive baseline: every claim against every claim of every other document."""
    return [
        Pair(left=a, right=b, score=0.0, retriever="all-pairs")
        for i, a in enumerate(claims)
        for b in claims[i + 1 :]
        if a.doc_id != b.doc_id
    ]
