"""Near-copies among the sources: how much of two texts is the same text word for word where
they overlap, and where two near-copies say different things in the same place (an edit: one
of them changed it).

A copy that agrees with its original is not independent evidence for it, while two copies
that differ in one place disagree about that place and about nothing else: the rest of the
text they share says where the difference sits. The words are compared lower-cased, without
punctuation ("Lemann 's" and "Lemann's" are the same words), in runs of at least
``MIN_ANCHOR`` words; two texts are compared at all only when they share a run of at least
``MIN_RUN`` words, so that independent sources sharing a short phrase are not taken for copies.
Dependence is measured over the part where the two texts run side by side once aligned: two
excerpts of one page that overlap by half are near-copies, while a sentence quoted in the middle
of otherwise different texts makes them little dependent.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from itertools import combinations, pairwise

from accord.model import Document

__all__ = [
    "COPY_SHARE",
    "MIN_RUN",
    "Copies",
    "Edit",
    "find_copies",
]

# Words in a row two texts must share for the run to count as copied text: more than a
# title and the opening formula of a sentence ("The Treaty of X was signed on"), which
# independent sources share, and fewer than the runs left between a copy's edits.
MIN_RUN = 15
# Two sources are near-copies when shared runs make up at least this share of their overlap.
COPY_SHARE = 0.5
# Matching runs of at least this many words anchor an edit on both sides.
MIN_ANCHOR = 4
# A difference longer than this on either side is different text, not an edit of one text.
MAX_EDIT_WORDS = 40
# Texts longer than this (in words) are not aligned word by word (quadratic in the worst
# case); they still count as copies through shared runs found by shingles.
MAX_ALIGN_WORDS = 10_000
_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True, slots=True)
class Edit:
    """One place where two near-copies differ: ``left_text`` in ``left`` where ``right_text``
    is in ``right`` (both as the documents have them), with the words of each side
    (normalised), the character offsets of each side in its document, and the other sources
    that have one side's words in a row and not the other's (``left_backers``,
    ``right_backers``)."""

    left: str
    right: str
    left_text: str
    right_text: str
    left_words: tuple[str, ...]
    right_words: tuple[str, ...]
    left_span: tuple[int, int]
    right_span: tuple[int, int]
    left_backers: tuple[str, ...] = ()
    right_backers: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Copies:
    """How dependent each pair of sources is (the share of the text where they overlap that
    is the same word for word, 0-1), and the edits between near-copies."""

    dependence: dict[frozenset[str], float]
    edits: tuple[Edit, ...]

    def of(self, a: str, b: str) -> float:
        """The dependence between sources ``a`` and ``b`` (0 when they share no long run)."""
        return self.dependence.get(frozenset((a, b)), 0.0)

    def near_copies(self, doc_id: str) -> list[str]:
        """The sources ``doc_id`` is a near-copy of (dependence at least ``COPY_SHARE``)."""
        return sorted(
            other
            for pair, share in self.dependence.items()
            if doc_id in pair and share >= COPY_SHARE
            for other in pair - {doc_id}
        )


class _Words:
    """A document's words, normalised, with where each is in its text."""

    def __init__(self, document: Document) -> None:
        self.document = document
        found = list(_WORD.finditer(document.text))
        self.words = tuple(m.group(0).casefold() for m in found)
        self.spans = tuple(m.span() for m in found)
        self.joined = f" {' '.join(self.words)} "
        self.shingles = {self.words[i : i + MIN_RUN] for i in range(len(self.words) - MIN_RUN + 1)}

    def has(self, words: Sequence[str]) -> bool:
        """Whether the words occur here in a row."""
        return f" {' '.join(words)} " in self.joined

    def span(self, start: int, end: int) -> tuple[int, int]:
        return self.spans[start][0], self.spans[end - 1][1]


def find_copies(documents: Sequence[Document]) -> Copies:
    """Compare every two sources' texts: their dependence and the edits between near-copies.

    Args:
        documents: the run's sources.

    Returns:
        The pairs that share copied runs with their dependence (pairs that share none are
        left out), and the edits between near-copies in document order.
    """
    words = [_Words(document) for document in documents]
    dependence: dict[frozenset[str], float] = {}
    edits: list[Edit] = []
    for a, b in _sharing(words):
        if max(len(a.words), len(b.words)) > MAX_ALIGN_WORDS:
            # too long to align: the share of the smaller text's word runs found in the other
            small, large = (a, b) if len(a.shingles) <= len(b.shingles) else (b, a)
            share = len(small.shingles & large.shingles) / max(len(small.shingles), 1)
            dependence[frozenset((a.document.id, b.document.id))] = round(share, 3)
            continue
        matcher = difflib.SequenceMatcher(None, a.words, b.words, autojunk=False)
        blocks = [m for m in matcher.get_matching_blocks() if m.size >= MIN_ANCHOR]
        if not any(m.size >= MIN_RUN for m in blocks):
            continue
        # Where the two texts run side by side once aligned: two excerpts of one page overlap
        # only where one ends and the other begins, while a sentence one text quotes in the
        # middle of its own words is set against the words both have around it.
        first, last = blocks[0], blocks[-1]
        end_a, end_b = last.a + last.size, last.b + last.size
        overlap = (
            min(first.a, first.b)
            + max(end_a - first.a, end_b - first.b)
            + min(len(a.words) - end_a, len(b.words) - end_b)
        )
        share = sum(m.size for m in blocks) / overlap
        dependence[frozenset((a.document.id, b.document.id))] = round(share, 3)
        if share >= COPY_SHARE:
            edits.extend(_backed(edit, words) for edit in _edits(a, b, blocks))
    return Copies(dependence=dependence, edits=tuple(edits))


def _sharing(words: Sequence[_Words]) -> list[tuple[_Words, _Words]]:
    """The pairs of texts (in document order) that share at least one run of ``MIN_RUN``
    words, found through an index of the runs rather than by trying every pair."""
    holders: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for index, text in enumerate(words):
        for shingle in text.shingles:
            holders[shingle].append(index)
    pairs = {pair for held in holders.values() for pair in combinations(held, 2)}
    return [
        (words[i], words[j])
        for i, j in sorted(pairs)
        if words[i].document.id != words[j].document.id
    ]


def _edits(a: _Words, b: _Words, blocks: Sequence[difflib.Match]) -> list[Edit]:
    """The gaps between anchoring runs where both texts have words and the words differ;
    text before the first run and after the last is where two excerpts start or end."""
    out = []
    for first, then in pairwise(blocks):
        a_start, a_end = first.a + first.size, then.a
        b_start, b_end = first.b + first.size, then.b
        if a_end <= a_start or b_end <= b_start:
            continue  # one text says more here: an addition, not a different statement
        if max(a_end - a_start, b_end - b_start) > MAX_EDIT_WORDS:
            continue
        left, right = a.words[a_start:a_end], b.words[b_start:b_end]
        if Counter(left) == Counter(right):
            continue  # the same words in another order
        left_span, right_span = a.span(a_start, a_end), b.span(b_start, b_end)
        out.append(
            Edit(
                left=a.document.id,
                right=b.document.id,
                left_text=a.document.text[left_span[0] : left_span[1]],
                right_text=b.document.text[right_span[0] : right_span[1]],
                left_words=left,
                right_words=right,
                left_span=left_span,
                right_span=right_span,
            )
        )
    return out


def _backed(edit: Edit, words: Sequence[_Words]) -> Edit:
    """``edit`` with the other sources that have one side of it word for word, not the other."""
    left: list[str] = []
    right: list[str] = []
    for other in words:
        if other.document.id in (edit.left, edit.right):
            continue
        has_left, has_right = other.has(edit.left_words), other.has(edit.right_words)
        if has_left and not has_right:
            left.append(other.document.id)
        elif has_right and not has_left:
            right.append(other.document.id)
    return replace(edit, left_backers=tuple(left), right_backers=tuple(right))
