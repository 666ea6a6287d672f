"""Plain-text ingest: paragraphs from blank-line blocks, hard wraps joined, headings guessed.

Headings are ``== X ==`` lines or a short title-like line standing alone before prose.
List markers (``-``, ``•``, ``1.``, ``(1)``, ``a)``) are stripped: each item is one line.
"""

from __future__ import annotations

import logging
import re
from typing import ClassVar

from accord.ingest import layout
from accord.ingest.base import ingesters
from accord.ingest.blocks import Block, BlockKind, Item, squash
from accord.model import Document

logger = logging.getLogger(__name__)

HEADING_MAX_CHARS = 60  # a plain-text heading is a few words, never a sentence
HEADING_MAX_WORDS = 8
WRAP_MIN_WIDTH = 40  # hard wraps happen at 60-80 columns; short lines are labels, not wraps
WRAP_MAX_WIDTH = 100  # longer lines are paragraphs written on one line
WRAP_MIN_FILL = 0.6  # wrapped lines (all but the last) fill most of the wrap width

_MARKUP_HEADING = re.compile(r"^(={1,6})\s*(.+?)\s*\1\s*$")
_LIST_MARKER = re.compile(
    r"^(?:[-*+•‣◦▪▫●○■□–—·]|\(?\d{1,3}[.)]|\(\d{1,3}\)|\(?[a-z][.)]|\([ivx]{1,5}\))\s+"
)
_JOINABLE_END = re.compile(r"[^.!?:;]$")


def split_marker(line: str) -> tuple[bool, str]:
    """Return whether a line is a list item and its text without the marker."""
    stripped = line.strip()
    match = _LIST_MARKER.match(stripped)
    if match is None or match.end() == len(stripped):
        return False, stripped
    return True, stripped[match.end() :].strip()


def lines_to_items(text: str, *, guess_headings: bool = True) -> list[Item]:
    """Split plain text into blocks: one per paragraph, heading or list item.

    Args:
        text: the text, with ``\\n`` line ends.
        guess_headings: treat a short title-like line alone between blank lines, followed
            by prose, as a heading (level 2), as well as ``== X ==`` lines.
    """
    groups: list[list[str]] = [[]]
    for line in text.split("\n"):
        if line.strip():
            groups[-1].append(line)
        elif groups[-1]:
            groups.append([])
    groups = [g for g in groups if g]
    blocks_by_group = [_group_blocks(g) for g in groups]
    items: list[Item] = []
    seen_prose = False  # before any prose, short lines are the title and infobox, not headings
    for n, blocks in enumerate(blocks_by_group):
        if (
            guess_headings
            and seen_prose
            and len(blocks) == 1
            and blocks[0].kind == "paragraph"
            and _is_plain_heading(blocks[0].text)
            and n + 1 < len(blocks_by_group)
            and layout.is_prose(blocks_by_group[n + 1][0].text)
        ):
            blocks = [Block(kind="heading", text=blocks[0].text, level=2)]
        seen_prose = seen_prose or any(layout.is_prose(b.text) for b in blocks)
        items.extend(blocks)
    return items


def _is_plain_heading(text: str) -> bool:
    return (
        len(text) <= HEADING_MAX_CHARS
        and len(text.split()) <= HEADING_MAX_WORDS
        and layout.is_title_like(text)
    )


def _group_blocks(lines: list[str]) -> list[Block]:
    wrapped = _is_hard_wrapped(lines)
    blocks: list[Block] = []
    current: list[str] = []
    current_kind: BlockKind = "paragraph"

    def flush() -> None:
        if current:
            blocks.append(Block(kind=current_kind, text=squash(" ".join(current))))
            current.clear()

    for line in lines:
        heading = _MARKUP_HEADING.match(line.strip())
        if heading is not None:
            flush()
            blocks.append(
                Block(kind="heading", text=squash(heading.group(2)), level=len(heading.group(1)))
            )
            continue
        is_item, body = split_marker(line)
        if is_item:
            flush()
            current_kind = "item"
            current.append(body)
            continue
        if current and (wrapped or _continues(current[-1], body)):
            current.append(body)
            continue
        flush()
        current_kind = "paragraph"
        current.append(body)
    flush()
    return [b for b in blocks if b.text]


def _continues(previous: str, line: str) -> bool:
    """A line continues the previous one when that has no sentence end and this starts lower."""
    return bool(_JOINABLE_END.search(previous)) and line[:1].islower()


def _is_hard_wrapped(lines: list[str]) -> bool:
    plain = [ln.strip() for ln in lines]
    if len(plain) < 2 or any(_MARKUP_HEADING.match(ln) or split_marker(ln)[0] for ln in plain):
        return False
    width = max(len(ln) for ln in plain)
    if not WRAP_MIN_WIDTH <= width <= WRAP_MAX_WIDTH:
        return False
    if any(len(ln) < WRAP_MIN_FILL * width for ln in plain[:-1]):
        return False
    return any(layout.is_prose(ln) or re.search(r"[.!?] ", ln) for ln in plain)


@ingesters.register("accord.text.v1")
class PlainTextIngester:
    """Reads plain text: paragraphs, hard-wrapped prose, guessed headings, a leading infobox."""

    name: ClassVar[str] = "accord.text.v1"
    format: ClassVar[str] = "text"

    def ingest(self, text: str, *, source: str, encoding: str) -> Document:
        """Clean plain ``text`` and return the document."""
        return layout.assemble(
            lines_to_items(text),
            source=source,
            fmt=self.format,
            encoding=encoding,
            analyse_head=True,
        )
