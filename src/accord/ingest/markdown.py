"""Markdown ingest with markdown-it-py: headings, paragraphs and list items become lines.

Links keep their text; code blocks, raw HTML and images go to ``removed``. A leading
``# h1`` (or a front-matter ``title:``) is the title.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from typing import ClassVar

from markdown_it import MarkdownIt
from markdown_it.token import Token

from accord.ingest import layout
from accord.ingest.base import ingesters
from accord.ingest.blocks import Block, BlockKind, Cut, Drop, Item, squash
from accord.model import Document

logger = logging.getLogger(__name__)

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(?P<body>.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)
_FRONT_TITLE = re.compile(r"^title:\s*[\"']?(?P<title>.+?)[\"']?\s*$", re.M)
_HIDDEN_HTML = re.compile(r"^<(script|style|noscript|template|iframe|object)\b", re.I)


def _inline(children: Sequence[Token]) -> tuple[str, tuple[Cut, ...]]:
    """Render inline tokens to text; images are cut, hidden HTML elements skipped."""
    parts: list[str] = []
    length = 0
    cuts: list[Cut] = []
    hidden: str | None = None  # the raw-HTML element whose text is being skipped
    for tok in children:
        if hidden is not None:
            if tok.type == "html_inline" and tok.content.lower().startswith(f"</{hidden}"):
                hidden = None
            continue
        piece = ""
        if tok.type in ("text", "code_inline"):
            piece = tok.content
        elif tok.type in ("softbreak", "hardbreak"):
            piece = " "
        elif tok.type == "image":
            alt = squash("".join(c.content for c in tok.children or ()))
            cuts.append(Cut(pos=length, text=alt or str(tok.attrs.get("src", "")), reason="image"))
        elif tok.type == "html_inline":
            match = _HIDDEN_HTML.match(tok.content)
            if match is not None:
                hidden = match.group(1).lower()
        parts.append(piece)
        length += len(piece)
    raw = "".join(parts)
    text = squash(raw)
    if text != raw:  # squash moved offsets; put the cuts where the nearest text now is
        lead = len(raw) - len(raw.lstrip())
        cuts = [
            Cut(pos=min(max(c.pos - lead, 0), len(text)), text=c.text, reason=c.reason)
            for c in cuts
        ]
    return text, tuple(c for c in cuts if c.text)


def markdown_items(source_text: str) -> tuple[list[Item], str | None]:
    """Parse Markdown into blocks and drops; return them with the title found, if any."""
    items: list[Item] = []
    title: str | None = None
    front = _FRONT_MATTER.match(source_text)
    if front is not None:
        found = _FRONT_TITLE.search(front.group("body"))
        title = found.group("title").strip() if found else None
        items.append(Drop(text=front.group(0).strip(), reason="front matter"))
        source_text = source_text[front.end() :]
    md = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
    heading_level = 0
    in_items = 0
    row: list[str] | None = None
    for tok in md.parse(source_text):
        if tok.type == "heading_open":
            heading_level = int(tok.tag[1:])
        elif tok.type == "heading_close":
            heading_level = 0
        elif tok.type == "list_item_open":
            in_items += 1
        elif tok.type == "list_item_close":
            in_items -= 1
        elif tok.type == "tr_open":
            row = []
        elif tok.type == "tr_close" and row is not None:
            if any(row):
                items.append(Block(kind="paragraph", text=squash(" ".join(row))))
            row = None
        elif tok.type in ("fence", "code_block"):
            items.append(Drop(text=tok.content.strip(), reason="code block"))
        elif tok.type == "html_block":
            items.append(Drop(text=tok.content.strip(), reason="raw HTML"))
        elif tok.type == "inline":
            text, cuts = _inline(tok.children or ())
            if row is not None:
                row.append(text)
            elif heading_level:
                items.append(Block(kind="heading", text=text, level=heading_level, cuts=cuts))
            elif text or cuts:
                kind: BlockKind = "item" if in_items else "paragraph"
                items.append(Block(kind=kind, text=text, cuts=cuts))
    return _mark_title(items, title)


def _mark_title(items: list[Item], title: str | None) -> tuple[list[Item], str | None]:
    """Make a leading ``# h1`` the title line when it is the only h1."""
    blocks = [(i, b) for i, b in enumerate(items) if isinstance(b, Block)]
    h1s = [(i, b) for i, b in blocks if b.kind == "heading" and b.level == 1]
    if len(h1s) == 1 and blocks and blocks[0][0] == h1s[0][0]:
        index, block = h1s[0]
        items[index] = Block(kind="title", text=block.text, level=1, cuts=block.cuts)
        title = title or block.text
    elif h1s and title is None:
        title = h1s[0][1].text
    return items, title


@ingesters.register("accord.markdown.v1")
class MarkdownIngester:
    """Reads Markdown (CommonMark with tables)."""

    name: ClassVar[str] = "accord.markdown.v1"
    format: ClassVar[str] = "markdown"

    def ingest(self, text: str, *, source: str, encoding: str) -> Document:
        """Clean Markdown ``text`` and return the document."""
        items, title = markdown_items(text)
        first_h1 = next(
            (
                b.text
                for b in items
                if isinstance(b, Block) and b.kind in ("title", "heading") and b.level == 1
            ),
            None,
        )
        return layout.assemble(
            items,
            source=source,
            fmt=self.format,
            encoding=encoding,
            title=title or None,
            aliases=[first_h1] if first_h1 else [],
        )
