"""BM25 over claim terms as sparse matrices, with a blocked index for large documents.

Each document is its own BM25 index (its claims are the indexed "documents"; Lucene's
variant: ``idf = ln(1 + (N - df + 0.5) / (df + 0.5))``, ``k1 = 1.5``, ``b = 0.75``). Scoring
a batch of queries is one sparse product, so its cost follows the postings the queries
touch rather than ``queries x claims``.

That alone stays quadratic when a document grows: its common terms are in a share of all its
claims, so every query touches a share of all claims. So candidates come only from terms
found in at most ``MAX_POSTINGS`` of the document's claims (a blocked index: the work per
query is bounded); when the document has commoner terms, the best candidates of each query
are re-scored with every term, common ones included, and the top ``k`` kept. A document of
up to ``MAX_POSTINGS`` claims has no such term, so its scores and ranking are exact.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from accord.model import Claim

__all__ = ["MAX_POSTINGS", "DocTerms", "Vocabulary", "retrieve"]

K1 = 1.5  # Lucene's defaults
B = 0.75
# A term in more of a document's claims than this is too common to find candidates by (its
# idf is low, and it would make each query's work grow with the document); it still counts
# when the candidates are scored. Articles rarely have more claims than this in all.
MAX_POSTINGS = 200
# Candidates per query kept from the blocked search for exact re-scoring (times k, at least).
CANDIDATES_PER_RESULT = 8
MIN_CANDIDATES = 40
QUERY_CHUNK = 4096  # queries scored per sparse product: bounds the product's memory


class Vocabulary:
    """Term ids shared by every document of one alignment."""

    def __init__(self) -> None:
        self._ids: dict[str, int] = {}

    def ids(self, terms: Sequence[str]) -> list[int]:
        """The ids of ``terms``, new terms getting the next free ids."""
        get = self._ids.setdefault
        return [get(term, len(self._ids)) for term in terms]


@dataclass(frozen=True, slots=True)
class DocTerms:
    """One document's claims as BM25 matrices over the document's own terms.

    Attributes:
        terms: the document's term ids (global), sorted; column ``c`` is ``terms[c]``.
        counts: claims x columns, how often each term occurs in each claim (queries).
        weights: claims x columns, each term's BM25 weight in each claim (the index).
        postings: columns x claims, ``weights`` transposed, for scoring queries.
        df: per column, how many claims hold the term.
    """

    terms: Any
    counts: Any
    weights: Any
    postings: Any
    df: Any

    @property
    def size(self) -> int:
        """How many claims the document has."""
        return int(self.counts.shape[0])

    @classmethod
    def build(cls, claims: Sequence[Claim], vocabulary: Vocabulary) -> DocTerms:
        """Index the claims' terms; an empty claim has no terms (it still counts in N)."""
        from scipy.sparse import csr_matrix

        rows: list[int] = []
        ids: list[int] = []
        for row, claim in enumerate(claims):
            found = vocabulary.ids(claim.terms)
            rows.extend([row] * len(found))
            ids.extend(found)
        global_ids = np.asarray(ids, dtype=np.int64)
        terms, columns = np.unique(global_ids, return_inverse=True)
        shape = (len(claims), len(terms))
        ones = np.ones(len(ids), dtype=np.float32)
        counts = csr_matrix((ones, (np.asarray(rows, dtype=np.int64), columns)), shape=shape)
        counts.sum_duplicates()
        lengths = np.asarray(counts.sum(axis=1), dtype=np.float64).ravel()
        average = float(lengths.mean()) if len(claims) and lengths.mean() > 0 else 1.0
        df = np.bincount(counts.indices, minlength=len(terms)).astype(np.float64)
        idf = np.log1p((len(claims) - df + 0.5) / (df + 0.5))
        per_row = np.repeat(lengths, np.diff(counts.indptr))
        tf = counts.data.astype(np.float64)
        norm = K1 * ((1 - B) + B * per_row / average)
        data = (idf[counts.indices] * tf / (tf + norm)).astype(np.float32)
        weights = csr_matrix((data, counts.indices, counts.indptr), shape=shape)
        return cls(
            terms=terms,
            counts=counts,
            weights=weights,
            postings=weights.T.tocsr(),
            df=df,
        )


def _in_target(queries: DocTerms, target: DocTerms, keep: Any = None) -> Any:
    """The queries' term counts over the target's columns (terms it lacks dropped); with
    ``keep`` (a boolean per target column) only those columns."""
    from scipy.sparse import csr_matrix

    counts = queries.counts
    wanted = queries.terms[counts.indices]
    at = np.searchsorted(target.terms, wanted)
    at[at >= len(target.terms)] = 0
    ok = target.terms[at] == wanted if len(target.terms) else np.zeros(len(at), dtype=bool)
    if keep is not None:
        ok &= keep[at]
    row_of = np.repeat(np.arange(counts.shape[0]), np.diff(counts.indptr))
    indptr = np.zeros(counts.shape[0] + 1, dtype=np.int64)
    np.cumsum(np.bincount(row_of[ok], minlength=counts.shape[0]), out=indptr[1:])
    shape = (counts.shape[0], len(target.terms))
    return csr_matrix((counts.data[ok], at[ok], indptr), shape=shape)


def _top(rows: Any, cols: Any, scores: Any, k: int) -> tuple[Any, Any, Any]:
    """Per row, the ``k`` best positive scores, by row; ``rows`` must be ascending and, within
    a row, ``cols`` ascending (ties then keep the earlier column first)."""
    positive = scores > 0
    rows, cols, scores = rows[positive], cols[positive], scores[positive]
    if len(rows) == 0:
        return rows, cols, scores
    # One stable sort on "row, then descending score": scores scaled into [0, 1) cannot
    # cross into the next row. Much faster than a lexsort on three keys.
    key = rows.astype(np.float64) - scores / (float(scores.max()) * 2.0)
    order = np.argsort(key, kind="stable")
    rows, cols, scores = rows[order], cols[order], scores[order]
    starts = np.flatnonzero(np.r_[True, rows[1:] != rows[:-1]])
    first = np.repeat(starts, np.diff(np.r_[starts, len(rows)]))
    keep = np.arange(len(rows)) - first < k
    return rows[keep], cols[keep], scores[keep]


def _coo(matrix: Any) -> tuple[Any, Any, Any]:
    matrix.sort_indices()
    rows = np.repeat(np.arange(matrix.shape[0]), np.diff(matrix.indptr))
    return rows, matrix.indices.astype(np.int64), matrix.data.astype(np.float64)


def retrieve(queries: DocTerms, target: DocTerms, k: int) -> list[tuple[int, int, float]]:
    """The ``k`` best claims of ``target`` for each claim of ``queries``, by BM25.

    Returns:
        ``(query row, target row, score)`` with a positive score, by query row, then by
        descending score (ties: the earlier target claim first).
    """
    if queries.size == 0 or target.size == 0 or k < 1:
        return []
    rare = target.df <= MAX_POSTINGS
    blocked = not bool(rare.all())
    full = _in_target(queries, target)
    search = _in_target(queries, target, rare) if blocked else full
    wide = max(k * CANDIDATES_PER_RESULT, MIN_CANDIDATES) if blocked else k
    out: list[tuple[int, int, float]] = []
    for start in range(0, queries.size, QUERY_CHUNK):
        stop = min(start + QUERY_CHUNK, queries.size)
        rows, cols, scores = _top(*_coo(search[start:stop] @ target.postings), wide)
        if blocked and len(rows):
            # Re-score the candidates with every term the two claims share.
            chunk = full[start:stop]
            exact = chunk[rows].multiply(target.weights[cols]).sum(axis=1)
            rows, cols, scores = _top(rows, cols, np.asarray(exact, dtype=np.float64).ravel(), k)
        out.extend(
            zip(
                (rows + start).tolist(),
                cols.tolist(),
                scores.astype(np.float32).astype(float).tolist(),
                strict=True,
            )
        )
    return out
