"""BM25 fused with sentence-embedding retrieval, plus the BM25 aligner's slot keys.

For each claim and each other document, two ranked candidate lists are fused by reciprocal
rank fusion (RRF): the BM25 candidates ``accord.bm25.v1`` proposes when asked for
``DEPTH * top_k``, ranked by BM25 score, and the ``DEPTH * top_k`` claims of that document
nearest by embedding cosine (all-MiniLM-L6-v2, at least ``MIN_COSINE``). A candidate's
fused score is the sum, over the lists it appears in, of ``1 / (RRF_K + rank)`` (rank from
1); the ``top_k`` best are kept. Every slot-key and internal pair of the BM25 aligner is
kept too, so what BM25 alone must compare, the hybrid compares. ``Pair.retriever`` names
every retriever that found the pair (``bm25+embed+slots``); ``Pair.score`` is the fused
score when fusion kept the pair, else the BM25 aligner's score (1.0 for slot keys).
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from accord.align.base import aligners
from accord.align.bm25 import BM25Aligner
from accord.model import Claim, Pair

if TYPE_CHECKING:
    from accord.embed.cache import CachedEncoder

logger = logging.getLogger(__name__)

# The usual RRF constant (Cormack et al. 2009): damps the weight of the first few ranks so
# that one list's top hit does not outweigh agreement between the two lists.
RRF_K = 60
# Below this cosine two MiniLM sentence vectors share little more than the language; such
# neighbours would only pad the candidates with unrelated claims.
MIN_COSINE = 0.3
DEFAULT_ENCODER = "accord.minilm-onnx.v1"
# Each retriever's list is this many times ``top_k`` deep before fusion keeps ``top_k``: a
# claim second-best in both lists must be able to beat one that only a single list ranks.
DEPTH = 2
_RETRIEVER_ORDER = ("bm25", "embed", "slots", "internal")
# Cosines computed at once (query rows x target claims): 16M floats, 64 MB, whatever the
# documents' sizes.
_BLOCK_CELLS = 1 << 24


def _tags(retriever: str) -> set[str]:
    return set(retriever.split("+")) if retriever else set()


def _join(tags: set[str]) -> str:
    known = [t for t in _RETRIEVER_ORDER if t in tags]
    return "+".join(known + sorted(tags - set(_RETRIEVER_ORDER)))


@aligners.register("accord.hybrid.v1")
class HybridAligner:
    """Candidates by BM25 and sentence embeddings, fused by reciprocal rank, plus slot keys.

    Args:
        top_k: candidates kept per claim from each other document, after fusion of the
            ``DEPTH * top_k`` best of each retriever.
        encoder: registry name of the sentence encoder (``accord.embed.encoders``).
        cache_dir: a directory for the on-disk vector cache (SQLite) and the built ONNX
            graph; ``None``: vectors are cached in memory only and the graph under
            the user cache directory (``$XDG_CACHE_HOME/accord`` on Linux).
        batch_size: texts per encoder forward pass.
        min_cosine: embedding neighbours below this cosine are not candidates.
    """

    name: ClassVar[str] = "accord.hybrid.v1"
    uses_embeddings: ClassVar[bool] = True

    def __init__(
        self,
        top_k: int = 5,
        encoder: str = DEFAULT_ENCODER,
        cache_dir: str | Path | None = None,
        batch_size: int = 64,
        min_cosine: float = MIN_COSINE,
    ) -> None:
        self.top_k = top_k
        self.encoder = encoder
        self.cache_dir = Path(cache_dir) if cache_dir is not None else None
        self.batch_size = batch_size
        self.min_cosine = min_cosine
        self._bm25 = BM25Aligner(top_k=DEPTH * top_k)
        self._cached: CachedEncoder | None = None

    def __getstate__(self) -> dict[str, Any]:
        # a loaded model does not pickle; a copy loads its own (the disk cache is shared)
        state = dict(self.__dict__)
        state["_cached"] = None
        return state

    def _encoder(self) -> CachedEncoder:
        if self._cached is None:
            from accord.embed import CachedEncoder, EmbeddingCache, encoders

            factory: Any = encoders.get(self.encoder)
            inner = factory(batch_size=self.batch_size, cache_dir=self.cache_dir)
            self._cached = CachedEncoder(inner, EmbeddingCache(self.cache_dir))
        return self._cached

    def warm_up(self) -> None:
        """Load the sentence encoder (``align`` does it when needed).

        Raises:
            accord.errors.MissingExtraError: the ``embed`` extra is not installed.
        """
        encoder = self._encoder().encoder
        encoder.warm_up()

    def embedding_backend(self) -> str:
        """Say which embedding model runs on which runtime, without loading it."""
        from accord.embed import encoders

        factory: Any = encoders.get(self.encoder)
        described: str = factory(batch_size=self.batch_size).describe()
        return described

    def describe(self) -> str:
        """Say how candidates are found."""
        return (
            f"top-{self.top_k} by reciprocal rank fusion (k={RRF_K}) of BM25 top-"
            f"{DEPTH * self.top_k} and {self.encoder} cosine top-{DEPTH * self.top_k}"
            f" (>= {self.min_cosine:g}), + slot keys"
        )

    def align(self, claims: Sequence[Claim]) -> list[Pair]:
        """Return fused candidate pairs across documents plus the BM25 aligner's slot-key and
        internal pairs; each unordered pair once, left from the earlier document.

        Raises:
            accord.errors.MissingExtraError: the ``embed`` extra is not installed.
        """
        import numpy as np

        base = self._bm25.align(claims)
        by_doc: dict[str, list[int]] = defaultdict(list)
        for index, claim in enumerate(claims):
            by_doc[claim.doc_id].append(index)
        if len(by_doc) < 2:
            return base
        order = {doc_id: i for i, doc_id in enumerate(by_doc)}
        position = {claim.id: i for i, claim in enumerate(claims)}

        # BM25's candidates per (query claim, other document), from the pairs it proposed.
        lexical: dict[tuple[int, str], list[tuple[float, int]]] = defaultdict(list)
        for pair in base:
            if "bm25" in _tags(pair.retriever) and pair.left.doc_id != pair.right.doc_id:
                i, j = position[pair.left.id], position[pair.right.id]
                lexical[(i, pair.right.doc_id)].append((pair.score, j))
                lexical[(j, pair.left.doc_id)].append((pair.score, i))

        vectors = self._encoder().encode([claim.text for claim in claims])
        semantic: dict[tuple[int, str], list[int]] = {}
        for source_id, sources in by_doc.items():
            for target_id, targets in by_doc.items():
                if target_id == source_id:
                    continue
                k = min(DEPTH * self.top_k, len(targets))
                target_vectors = vectors[targets]
                rows = max(1, _BLOCK_CELLS // len(targets))
                for start in range(0, len(sources), rows):
                    block = sources[start : start + rows]
                    sims = vectors[block] @ target_vectors.T
                    top = np.argpartition(-sims, k - 1, axis=1)[:, :k]
                    for row, query in enumerate(block):
                        candidates = top[row]
                        # nearest first; ties by position, so runs are reproducible
                        ranked = candidates[np.lexsort((candidates, -sims[row, candidates]))]
                        semantic[(query, target_id)] = [
                            targets[j] for j in ranked if sims[row, j] >= self.min_cosine
                        ]

        fused: dict[tuple[int, int], tuple[float, set[str]]] = {}
        for query_key in lexical.keys() | semantic.keys():
            query = query_key[0]
            scores: dict[int, float] = defaultdict(float)
            found_by: dict[int, set[str]] = defaultdict(set)
            bm25_ranked = [
                c for _, c in sorted(lexical.get(query_key, []), key=lambda s: (-s[0], s[1]))
            ]
            for tag, ranked in (("bm25", bm25_ranked), ("embed", semantic.get(query_key, []))):
                for rank, candidate in enumerate(ranked, start=1):
                    scores[candidate] += 1.0 / (RRF_K + rank)
                    found_by[candidate].add(tag)
            best = sorted(scores, key=lambda c: (-scores[c], c))[: self.top_k]
            for candidate in best:
                a, b = query, candidate
                if order[claims[a].doc_id] > order[claims[b].doc_id]:
                    a, b = b, a
                previous = fused.get((a, b))
                if previous is None:
                    fused[(a, b)] = (scores[candidate], set(found_by[candidate]))
                else:
                    fused[(a, b)] = (
                        max(previous[0], scores[candidate]),
                        previous[1] | found_by[candidate],
                    )

        pairs: dict[tuple[str, str], Pair] = {}
        for (a, b), (score, tags) in fused.items():
            left, right = claims[a], claims[b]
            pairs[(left.id, right.id)] = Pair(
                left=left, right=right, score=score, retriever=_join(tags)
            )
        for pair in base:
            key = (pair.left.id, pair.right.id)
            tags = _tags(pair.retriever)
            kept = pairs.get(key)
            if kept is not None:
                merged = _tags(kept.retriever) | tags
                pairs[key] = Pair(
                    left=kept.left, right=kept.right, score=kept.score, retriever=_join(merged)
                )
            elif tags & {"slots", "internal"}:
                pairs[key] = pair
        result = list(pairs.values())
        logger.info(
            "aligned %d claims into %d candidate pairs (BM25 alone: %d)",
            len(claims),
            len(result),
            len(base),
        )
        return result
