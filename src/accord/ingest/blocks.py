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
    text = block.text
    cuts = list(block.cuts)
    # Cut right to left so the offsets of the spans still to cut stay valid.
    last_start = len(text) + 1
    for start, end, reason in sorted(spans, key=lambda s: s[0], reverse=True):
        if end > last_start or start >= end:
            continue
        last_start = span_start = start
        # Take one neighbouring space with the cut so no double space is left behind.
        if end < len(text) and text[end] == " " and (start == 0 or text[start - 1] == " "):
            end += 1
        elif start > 0 and text[start - 1] == " " and (end == len(text) or text[end] in " .,;:"):
            start -= 1
        removed = (recorded or {}).get(span_start, text[start:end]).strip()
        text = text[:start] + text[end:]
        width = end - start
        cuts = [replace(c, pos=c.pos - width if c.pos >= end else min(c.pos, start)) for c in cuts]
        if removed:
            cuts.append(Cut(pos=start, text=removed, reason=reason))
    stripped = text.lstrip()
    shift = len(text) - len(stripped)
    text = stripped.rstrip()
    cuts = [replace(c, pos=min(max(c.pos - shift, 0), len(text))) for c in cuts]
    return replace(block, text=text, cuts=tuple(sorted(cuts, key=lambda c: c.pos)))
