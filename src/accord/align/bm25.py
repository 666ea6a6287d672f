"""BM25 retrieval over claim terms (``accord.align.sparse``), fused with exact slot keys.

For every claim, the ``top_k`` best BM25 matches in each other document are candidates, and
so is every claim of the other documents that fills the same slot (event, role, about) — a
date of the same signing must be compared even when the two sentences share few words.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Sequence
from typing import ClassVar

from accord.align.base import aligners
from accord.align.sparse import DocTerms, Vocabulary, retrieve
from accord.model import Claim, DateValue, EntityRef, Pair, Quantity, TextValue
from accord.relations import is_attribute_role, relation_key

logger = logging.getLogger(__name__)

# Slot roles whose values can agree or clash; claims sharing one are always compared.
KEY_ROLES = frozenset({"date", "place", "agent", "type", "language", "polarity"})
# Roles whose values exclude each other: two claims of one document filling the same one
# are paired too, so that a document contradicting itself is found.
INTERNAL_ROLES = frozenset({"date", "place", "polarity"})
# Most slot-key candidates kept per claim and document: beyond this a key is too common to
# say anything (every sentence "about" the subject), and BM25 takes over.
MAX_KEY_CANDIDATES = 20


def slot_keys(claim: Claim) -> set[tuple[str, str, str]]:
    """The relation keys (``accord.relations.relation_key``) of the claim's comparable
    slots: (event, role, thing)."""
    keys = set()
    for slot in claim.slots:
        comparable = isinstance(slot.value, DateValue | Quantity | TextValue | EntityRef)
        if comparable and _is_key_role(slot.role, slot.value) and slot.about:
            keys.add(relation_key(slot))
    return keys


def _is_key_role(role: str, value: object) -> bool:
    """Key roles, the roles of a quantity that measures its thing (``measure:long``), and
    what a thing is (holders, nationality, rank)."""
    return (
        role in KEY_ROLES
        or (isinstance(value, Quantity) and role.startswith(("measure:", "count:")))
        or is_attribute_role(role)
    )


def _is_internal_key(key: tuple[str, str, str]) -> bool:
    return (
        key[1] in INTERNAL_ROLES
        or key[1].startswith(("measure:", "count:"))
        or is_attribute_role(key[1])
    )


@aligners.register("accord.bm25.v1")
class BM25Aligner:
    """Candidates by BM25 over claim terms, plus shared slot keys.

    Args:
        top_k: BM25 candidates kept per claim from each other document.
    """

    name: ClassVar[str] = "accord.bm25.v1"

    def __init__(self, top_k: int = 5) -> None:
        self.top_k = top_k

    def describe(self) -> str:
        """Say how candidates are found."""
        return f"BM25 top-{self.top_k} + slot keys"

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

        vocabulary = Vocabulary()
        indexes = {
            doc_id: DocTerms.build(members, vocabulary) for doc_id, members in by_doc.items()
        }
        # Slot keys once per claim; members of a key by position (hashing claims is slow).
        keys = {
            doc_id: [slot_keys(member) for member in members] for doc_id, members in by_doc.items()
        }
        keyed: dict[str, dict[tuple[str, str, str], list[int]]] = {}
        for doc_id in by_doc:
            keyed[doc_id] = defaultdict(list)
            for at, member_keys in enumerate(keys[doc_id]):
                for key in member_keys:
                    keyed[doc_id][key].append(at)
        for source_id, sources in by_doc.items():
            for target_id, targets in by_doc.items():
                if target_id == source_id:
                    continue
                for i, j, score in retrieve(indexes[source_id], indexes[target_id], self.top_k):
                    add(sources[i], targets[j], score, "bm25")
                target_keys = keyed[target_id]
                for source, source_keys in zip(sources, keys[source_id], strict=True):
                    if not source_keys:
                        continue
                    matches: list[int] = []
                    for key in source_keys:
                        matches.extend(target_keys.get(key, ()))
                    for at in list(dict.fromkeys(matches))[:MAX_KEY_CANDIDATES]:
                        add(source, targets[at], 1.0, "slots")
        for doc_id, members in by_doc.items():
            for key, positions in keyed[doc_id].items():
                if not _is_internal_key(key):
                    continue
                unique = [members[at] for at in list(dict.fromkeys(positions))[:MAX_KEY_CANDIDATES]]
                for i, first in enumerate(unique):
                    for second in unique[i + 1 :]:
                        add(first, second, 1.0, "internal")
        pairs = list(found.values())
        logger.info("aligned %d claims into %d candidate pairs", len(claims), len(pairs))
        return pairs
