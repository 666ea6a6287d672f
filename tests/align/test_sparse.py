"""Sparse BM25: exact Lucene BM25 on documents without common terms, a bounded search with
exact re-scoring on documents with them, and a deterministic ranking."""

from __future__ import annotations

import math
import random
from collections import Counter

import pytest

from accord.align import sparse
from accord.align.sparse import DocTerms, Vocabulary, retrieve
from accord.model import Claim, Span


def _claims(doc: str, rows: list[tuple[str, ...]]) -> list[Claim]:
    return [
        Claim(id=f"{doc}:{i}", doc_id=doc, span=Span(doc_id=doc, start=i, end=i + 1),
              text=" ".join(t), subject=None, predicate="be", terms=t)
        for i, t in enumerate(rows)
    ]  # fmt: skip


def _brute_bm25(query: tuple[str, ...], index: list[tuple[str, ...]]) -> list[float]:
    """BM25 (Lucene variant) written out directly, the reference for the matrices."""
    n = len(index)
    average = sum(len(t) for t in index) / n
    df = Counter(term for terms in index for term in set(terms))
    scores = []
    for terms in index:
        tf = Counter(terms)
        total = 0.0
        for term in query:
            if tf[term]:
                idf = math.log(1 + (n - df[term] + 0.5) / (df[term] + 0.5))
                norm = sparse.K1 * (1 - sparse.B + sparse.B * len(terms) / average)
                total += idf * tf[term] / (tf[term] + norm)
        scores.append(total)
    return scores


def _random_rows(rng: random.Random, count: int, vocabulary: int) -> list[tuple[str, ...]]:
    words = [f"w{i}" for i in range(vocabulary)]
    return [tuple(rng.choices(words, k=rng.randint(1, 8))) for _ in range(count)]


@pytest.mark.parametrize(("seed", "k"), [(1, 3), (2, 5), (3, 1)])
def test_retrieve_is_exact_bm25_without_common_terms(seed: int, k: int) -> None:
    rng = random.Random(seed)
    queries, index = _random_rows(rng, 30, 60), _random_rows(rng, 50, 60)
    vocabulary = Vocabulary()
    found = retrieve(
        DocTerms.build(_claims("q", queries), vocabulary),
        DocTerms.build(_claims("t", index), vocabulary),
        k,
    )
    for row, query in enumerate(queries):
        reference = _brute_bm25(query, index)
        expected = sorted(
            ((-s, j) for j, s in enumerate(reference) if s > 0), key=lambda x: (x[0], x[1])
        )[:k]
        got = [(j, score) for i, j, score in found if i == row]
        assert [j for j, _ in got] == [j for _, j in expected]
        for (_, score), (neg, _) in zip(got, expected, strict=True):
            assert score == pytest.approx(-neg, rel=1e-5)


@pytest.mark.parametrize("k", [5])
def test_retrieve_blocked_search_finds_the_rare_match_in_a_large_document(k: int) -> None:
    # Every claim of the large document shares the common term "the"; one also shares the
    # query's rare terms. The search skips "the", the re-scoring counts it.
    rows = [("the", f"filler{i}", f"other{i}") for i in range(sparse.MAX_POSTINGS * 3)]
    rows[417] = ("the", "separate", "peace", "germany")
    vocabulary = Vocabulary()
    target = DocTerms.build(_claims("t", rows), vocabulary)
    query = DocTerms.build(_claims("q", [("the", "separate", "peace")]), vocabulary)
    found = retrieve(query, target, k)
    assert found[0][1] == 417
    assert found[0][2] == pytest.approx(_brute_bm25(("the", "separate", "peace"), rows)[417])
    assert len(found) <= k


@pytest.mark.parametrize("seed", [4])
def test_retrieve_blocked_search_keeps_most_of_the_exact_top_k(seed: int) -> None:
    rng = random.Random(seed)
    words = [f"w{i}" for i in range(2000)]
    weights = [1 / (r + 1) for r in range(len(words))]  # Zipf-like: a few very common terms
    rows = [tuple(rng.choices(words, weights, k=rng.randint(3, 10))) for _ in range(1500)]
    queries = [tuple(rng.choices(words, weights, k=rng.randint(3, 10))) for _ in range(100)]
    vocabulary = Vocabulary()
    found = retrieve(
        DocTerms.build(_claims("q", queries), vocabulary),
        DocTerms.build(_claims("t", rows), vocabulary),
        5,
    )
    hits = total = 0
    for row, query in enumerate(queries):
        reference = _brute_bm25(query, rows)
        best = {j for j in sorted(range(len(rows)), key=lambda j: -reference[j])[:5]}
        got = {j for i, j, _ in found if i == row}
        hits += len(best & got)
        total += len(best)
    assert hits / total >= 0.8  # recall of the exact top 5 (0.95 measured at this size)


@pytest.mark.parametrize("rows", [[(), ()], [("a",), ()]])
def test_retrieve_handles_claims_without_terms(rows: list[tuple[str, ...]]) -> None:
    vocabulary = Vocabulary()
    index = DocTerms.build(_claims("t", rows), vocabulary)
    assert retrieve(DocTerms.build(_claims("q", [()]), vocabulary), index, 3) == []
