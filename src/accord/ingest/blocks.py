"""The intermediate form every format parser produces: kept blocks and dropped pieces, in order.

A parser turns its markup into ``Block``/``Drop`` items; ``layout.assemble`` lays them out
into a ``Document``. Keeping this form separate lets every format share cleaning and layout.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Literal

BlockKind = Literal["title", "infobox", "heading", "paragraph", "item"]

_WHITESPACE = re.compile(r"\s+")


@dataclass(frozen=True, slots=True, kw_only=True)
class Cut:
    """Text cut from inside a block; ``pos`` is where it stood in the block's current text."""

    pos: int
    text: str
    reason: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Block:
    """One line of the cleaned text: a title, infobox line, heading, paragraph or list item."""

    kind: BlockKind
    text: str
    level: int = 0
    cuts: tuple[Cut, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Drop:
    """A whole piece of the source dropped as junk, where it stood between blocks."""

    text: str
    reason: str


Item = Block | Drop


def squash(text: str) -> str:
    """Collapse runs of whitespace (newlines included) to one space and strip the ends."""
    return _WHITESPACE.sub(" ", text).strip()


def cut_spans(
    block: Block, spans: list[tuple[int, int, str]], recorded: Mapping[int, str] | None = None
) -> Block:
    """Cut ``(start, end, reason)`` spans out of a block's text, recording each as a ``Cut``.

    Spaces left doubled by a cut are merged and earlier cuts are moved so that every
    ``Cut.pos`` stays an offset into the new text. Overlapping spans are skipped.

    Args:
        block: the block to cut from.
        spans: offsets into ``block.text`` with the reason for each cut.
        recorded: the text to record for the span starting at an offset, when it is not
            the text cut (a placeholder standing for dropped markup).

    Returns:
        A new block (the same one when ``spans`` is empty).
    """
    if not spans:
        return block
    text = _CuttableText(block.text)
    # Cut right to left, so the offsets of the spans still to cut stay valid. A cut never
    # moves what lies right of it in distance from the end, so the cuts passed are kept by
    # that distance and each cut costs only its own size (moving every recorded cut at each
    # new one took minutes on a paragraph of 20,000 citation markers).
    waiting = sorted(enumerate(block.cuts), key=lambda item: item[1].pos)  # not passed yet
    passed: list[tuple[int, list[tuple[int, Cut]]]] = []  # (distance from the end, cuts)
    made = len(block.cuts)  # cuts keep their order among equal places
    last_start = len(block.text) + 1
    for start, end, reason in sorted(spans, key=lambda s: s[0], reverse=True):
        if end > last_start or start >= end:
            continue
        last_start = span_start = start
        size = text.size()
        # Take one neighbouring space with the cut so no double space is left behind.
        if end < size and text.at(end) == " " and (start == 0 or text.at(start - 1) == " "):
            end += 1
        elif start > 0 and text.at(start - 1) == " " and (end == size or text.at(end) in " .,;:"):
            start -= 1
        while waiting and waiting[-1][1].pos >= start:
            order, cut = waiting.pop()
            passed.append((size - cut.pos, [(order, cut)]))
        inside: list[tuple[int, Cut]] = []  # cuts where the text is cut: they move to its start
        while passed and passed[-1][0] > size - end:
            inside.extend(passed.pop()[1])
        cut_text = text.cut(start, end)
        removed = (recorded or {}).get(span_start, cut_text).strip()
        if removed:
            inside.append((made, Cut(pos=start, text=removed, reason=reason)))
            made += 1
        if inside:
            passed.append((text.size() - start, inside))
    final = text.value()
    placed = [(cut.pos, order, cut) for order, cut in waiting]
    placed += [(len(final) - d, order, cut) for d, cuts in passed for order, cut in cuts]
    stripped = final.lstrip()
    shift = len(final) - len(stripped)
    final = stripped.rstrip()
    moved = sorted((min(max(pos - shift, 0), len(final)), order, cut) for pos, order, cut in placed)
    return replace(block, text=final, cuts=tuple(replace(cut, pos=pos) for pos, _, cut in moved))


class _CuttableText:
    """A text cut from right to left: an untouched head of the original and a tail of
    pieces, so a cut copies only what it moves, never the whole text."""

    def __init__(self, source: str) -> None:
        self._source = source
        self._boundary = len(source)  # the original is untouched before here
        self._tail: list[str] = []  # the text from the boundary on, last piece first
        self._tail_size = 0

    def size(self) -> int:
        return self._boundary + self._tail_size

    def at(self, index: int) -> str:
        """The character at ``index`` ("" past the end)."""
        if index < self._boundary:
            return self._source[index]
        index -= self._boundary
        for piece in reversed(self._tail):
            if index < len(piece):
                return piece[index]
            index -= len(piece)
        return ""

    def cut(self, start: int, end: int) -> str:
        """Remove ``[start, end)`` (``start`` in the untouched head) and return it."""
        removed = self._source[start : min(end, self._boundary)]
        over = end - self._boundary
        while over > 0 and self._tail:
            piece = self._tail.pop()
            taken = piece[:over]
            removed += taken
            self._tail_size -= len(taken)
            over -= len(taken)
            if len(piece) > len(taken):
                self._tail.append(piece[len(taken) :])
        if end < self._boundary:
            self._tail.append(self._source[end : self._boundary])
            self._tail_size += self._boundary - end
        self._boundary = start
        return removed

    def value(self) -> str:
        return self._source[: self._boundary] + "".join(reversed(self._tail))
