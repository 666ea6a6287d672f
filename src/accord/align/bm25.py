"""BM25 retrieval over claim terms, fused with exact slot keys.

For every claim, the ``top_k`` best BM25 matches in each other document are candidates, and
so is every claim of the other documents that fills the same slot (event, role, about) — a
date of the same signing must be compared even when the two sentences share few words.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Sequence
from typing import Any, ClassVar

from accord.align.base import aligners
from accord.model import Claim, DateValue, EntityRef, Pair, Quantity, TextValue

logger = logging.getLogger(__name__)

# Slot roles whose values can agree or clash; claims sharing one are always compared.
KEY_ROLES = frozenset({"date", "place", "agent", "type", "language"})
# Roles whose values exclude each other: two claims of one document filling the same one
# are paired too, so that a document contradicting itself is found.
INTERNAL_ROLES = frozenset({"date", "place"})
# Most slot-key candidates kept per claim and document: beyond this a key is too common to
# say anything (every sentence "about" the subject), and BM25 takes over.
MAX_KEY_CANDIDATES = 20
_EMPTY = "\u2205"  # stands in for a claim with no terms; bm25s needs one token per row


def slot_keys(claim: Claim) -> set[tuple[str, str, str]]:
    """The (event, role, about) keys of the claim's comparable slots."""
    keys = set()
    for slot in claim.slots:
        comparable = isinstance(slot.value, DateValue | Quantity | TextValue | EntityRef)
        if comparable and _is_key_role(slot.role, slot.value) and slot.about:
            keys.add((slot.event, slot.role, slot.about))
    return keys


def _is_key_role(role: str, value: object) -> bool:
    """Key roles, and the roles of a quantity that measures its thing (``measure:long``)."""
    return role in KEY_ROLES or (isinstance(value, Quantity) and role.startswith("measure:"))


def _is_internal_key(key: tuple[str, str, str]) -> bool:
    return key[1] in INTERNAL_ROLES or key[1].startswith("measure:")


@aligners.register("accord.bm25.v1")
class BM25Aligner:
    """Candidates by BM25 (``bm25s``) over claim terms, plus shared slot keys.

    Args:
        top_k: BM25 candidates kept per claim from each other document.
    """

    name: ClassVar[str] = "accord.bm25.v1"

    def __init__(self, top_k: int = 5) -> None:
        self.top_k = top_k

    def describe(self) -> str:
        """Say how candidates are found."""
        return f"bm25s top-{self.top_k} + slot keys"

    def align(self, claims: Sequence[Claim]) -> list[Pair]:
        """Return candidate pairs across documents, each unordered pair once, plus pairs of
        claims of one document that fill the same exclusive slot (date, place, measure)."""
        by_doc: dict[str, list[Claim]] = defaultdict(list)
        for claim in claims:
            by_doc[claim.doc_id].append(claim)
        order = {doc_id: i for i, doc_id in enumerate(by_doc)}
        found: dict[tuple[str, str], Pair] = {}

        def add(a: Claim, b: Claim, score: float, retriever: str) -> None:
            if a.doc_id == b.doc_id:
                left, right = (a, b) if a.span.start <= b.span.start else (b, a)
            else:
                left, right = (a, b) if order[a.doc_id] < order[b.doc_id] else (b, a)
            key = (left.id, right.id)
            previous = found.get(key)
            if previous is None:
                found[key] = Pair(left=left, right=right, score=score, retriever=retriever)
            elif retriever not in previous.retriever.split("+"):
                found[key] = Pair(
                    left=left,
                    right=right,
                    score=max(score, previous.score),
                    retriever=f"{previous.retriever}+{retriever}",
                )

        indexes = {doc_id: _index(members) for doc_id, members in by_doc.items()}
        keyed: dict[str, dict[tuple[str, str, str], list[Claim]]] = {}
        for doc_id, members in by_doc.items():
            keyed[doc_id] = defaultdict(list)
            for member in members:
                for key in slot_keys(member):
                    keyed[doc_id][key].append(member)
        for source_id, sources in by_doc.items():
            queries = [list(c.terms) or [_EMPTY] for c in sources]
            for target_id, targets in by_doc.items():
                if target_id == source_id:
                    continue
                k = min(self.top_k, len(targets))
                results, scores = indexes[target_id].retrieve(queries, k=k, show_progress=False)
                for source, row, row_scores in zip(sources, results, scores, strict=True):
                    for target_index, score in zip(row, row_scores, strict=True):
                        if score > 0:
                            add(source, targets[int(target_index)], float(score), "bm25")
                for source in sources:
                    matches: list[Claim] = []
                    for key in slot_keys(source):
                        matches.extend(keyed[target_id].get(key, ()))
                    for match in list(dict.fromkeys(matches))[:MAX_KEY_CANDIDATES]:
                        add(source, match, 1.0, "slots")
        for doc_id in by_doc:
            for key, members in keyed[doc_id].items():
                if not _is_internal_key(key):
                    continue
                unique = list(dict.fromkeys(members))[:MAX_KEY_CANDIDATES]
                for i, first in enumerate(unique):
                    for second in unique[i + 1 :]:
                        add(first, second, 1.0, "internal")
        pairs = list(found.values())
        logger.info("aligned %d claims into %d candidate pairs", len(claims), len(pairs))
        return pairs


def _index(claims: Sequence[Claim]) -> Any:
    """A BM25 index over the claims' terms."""
    import bm25s

    index = bm25s.BM25()
    index.index([list(c.terms) or [_EMPTY] for c in claims], show_progress=False)
    return index
