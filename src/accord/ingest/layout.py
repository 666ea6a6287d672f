"""Lay blocks out into a ``Document``: one line per block, sections, removed spans, title.

Also finds the head of a plain or MediaWiki page: a title line, an alias line and the
infobox block of label/value lines that come before the first prose paragraph.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import PurePath

from accord.errors import EmptyDocumentError
from accord.ingest import boilerplate
from accord.ingest.blocks import Block, Drop, Item
from accord.ingest.decode import has_words
from accord.ingest.guard import scrub_surrogates, split_long_blocks
from accord.ingest.kinds import page_kind
from accord.model import Document, Removed, Section, content_id

logger = logging.getLogger(__name__)

TITLE_MAX_WORDS = 12  # a page title is a name, not a sentence
TITLE_MAX_CHARS = 100
PROSE_MIN_WORDS = 4  # "Ad blocker detected!" is prose; "July 25, 1939" is not
INFOBOX_MAX_CHARS = 160  # label/value lines are short; longer unpunctuated text is prose
INFOBOX_MAX_LINES = 40  # more than this before any prose is not an infobox
SUBJECT_MAX_WORDS = 10  # "The X was ..." where X is a name of at most this many words

CONNECTORS = frozenset(
    [
        "of",
        "the",
        "and",
        "de",
        "del",
        "della",
        "di",
        "du",
        "da",
        "des",
        "la",
        "le",
        "les",
        "von",
        "van",
        "der",
        "den",
        "y",
        "for",
        "on",
        "in",
        "between",
        "to",
        "upon",
        "at",
        "by",
        "with",
        "&",
        "'s",
    ]
)
_TERMINAL = re.compile(r"[.!?][\"'”’)\]]*$")
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)]*\s+(?=[A-Z\"“(])")
_LEAD_SUBJECT = re.compile(
    r"^(?:The |A |An )?(?P<name>[^,;:()]+?)(?: \([^)]*\))?,? "
    r"(?:is|was|are|were|has been|had been|refers to)\b"
)
# "The Treaty of X, signed in ...": a name followed by an appositive or participle phrase.
_LEAD_APPOSITIVE = re.compile(r"^(?:The |A |An )?(?P<name>[A-Z][^,;:()]+?), [a-z]")
# Sentence openers that start a capitalised phrase which is not a name ("In 1820, ...").
_OPENERS = frozenset(
    ["in", "on", "at", "after", "before", "during", "since", "when", "while", "although",
     "however", "today", "later", "then", "according", "following", "by", "from", "for"]
)  # fmt: skip
_PRONOUNS = frozenset(
    ["it", "this", "that", "he", "she", "they", "there", "these", "those", "we", "i", "you"]
)


@dataclass(frozen=True, slots=True, kw_only=True)
class PageInfo:
    """What a page says of itself in its metadata (HTML meta tags, a dump's siteinfo).

    ``site`` holds (where, value) pairs naming its site, in the order to try them for the
    kind (``("og:site_name", "Britannica")``); ``metadata`` the pairs kept on the document.
    """

    site: tuple[tuple[str, str], ...] = ()
    url: str | None = None
    published: str | None = None
    metadata: tuple[tuple[str, str], ...] = ()


def is_prose(text: str) -> bool:
    """Whether a line reads as prose: several words ending in sentence punctuation."""
    words = text.split()
    if len(words) < PROSE_MIN_WORDS:
        return False
    return bool(_TERMINAL.search(text)) or (text.endswith(":") and len(words) > PROSE_MIN_WORDS)


def is_title_like(text: str) -> bool:
    """Whether a line could be a title or heading: short, capitalised, no sentence ending."""
    words = text.split()
    return (
        0 < len(words) <= TITLE_MAX_WORDS
        and len(text) <= TITLE_MAX_CHARS
        and (text[0].isupper() or text[0].isdigit())
        and not re.search(r"[.!?:;,]$", text)
    )


def is_name_like(text: str) -> bool:
    """Whether a line is a proper name: every word capitalised but connectors, no digits."""
    words = text.split()
    if not 2 <= len(words) <= 2 * TITLE_MAX_WORDS or re.search(r"[\d.!?:;,]", text):
        return False
    return words[0][0].isupper() and all(
        w[0].isupper() or not w[0].isalpha() or w.lower() in CONNECTORS for w in words
    )


def lead_subject(paragraph: str) -> str | None:
    """Return the proper-noun subject of a lead sentence ("The X was ..." -> "X"), if any."""
    sentence = _SENTENCE_END.split(paragraph, maxsplit=1)[0]
    match = _LEAD_SUBJECT.match(sentence) or _LEAD_APPOSITIVE.match(sentence)
    if match is None:
        return None
    name = match.group("name").strip()
    words = name.split()
    if not words or len(words) > SUBJECT_MAX_WORDS or words[0].lower() in _PRONOUNS:
        return None
    if words[0].lower() in _OPENERS or any(w[0].isdigit() for w in words[1:]):
        return None
    if not all(w[0].isupper() or w[0].isdigit() or w.lower() in CONNECTORS for w in words):
        return None
    return name


def humanise_stem(source: str) -> str:
    """Turn a file name into a title: ``anglo_soviet_pact.txt`` -> ``Anglo soviet pact``."""
    stem = PurePath(source.rstrip("/")).stem if source else ""
    words = re.sub(r"[_\-.+]+", " ", stem).split()
    text = " ".join(words)
    return text[:1].upper() + text[1:] if text else "Untitled"


def mark_head(items: list[Item]) -> tuple[list[Item], list[str]]:
    """Mark the title line and the infobox lines at the head of a plain or MediaWiki page.

    The first line is a title when it is title-like and not prose. The lines after it, up to
    the first prose paragraph or heading, form the infobox block when they are all short and
    none is prose; the first of them is an alias when it reads as a proper name.

    Returns:
        The items with kinds updated, and the aliases found.
    """
    blocks = [(i, item) for i, item in enumerate(items) if isinstance(item, Block)]
    out = list(items)
    aliases: list[str] = []
    if len(blocks) < 2:
        return out, aliases
    first_index, first = blocks[0]
    has_title = first.kind == "paragraph" and is_title_like(first.text) and not is_prose(first.text)
    if has_title:
        out[first_index] = replace(first, kind="title", level=1)
    head: list[tuple[int, Block]] = []
    for i, block in blocks[1 if has_title else 0 :]:
        if block.kind == "infobox":
            continue
        if block.kind != "paragraph" or is_prose(block.text):
            break
        if len(block.text) > INFOBOX_MAX_CHARS or len(head) >= INFOBOX_MAX_LINES:
            return out, aliases
        head.append((i, block))
    else:
        return out, aliases  # no prose at all: nothing to tell an infobox from
    for n, (i, block) in enumerate(head):
        if n == 0 and has_title and is_name_like(block.text):
            aliases.append(block.text)
        out[i] = replace(block, kind="infobox")
    return out, aliases


def assemble(
    items: Iterable[Item],
    *,
    source: str,
    fmt: str,
    encoding: str,
    title: str | None = None,
    aliases: Sequence[str] = (),
    page: PageInfo | None = None,
    analyse_head: bool = False,
) -> Document:
    """Clean the items of one source and lay them out as a ``Document``.

    Args:
        items: blocks and drops from a format parser, in document order.
        source: where the document came from (a path, URL or name).
        fmt: the format name (``text``, ``html``, ``mediawiki``, ``markdown``).
        encoding: the encoding the source was decoded with.
        title: an explicit title from markup (HTML ``<title>``, Markdown ``# h1``).
        aliases: other names for the subject found in markup.
        page: what the page says of itself in its metadata (site name, generator, URL,
            published date); with its text, it gives the kind (never the file name).
        analyse_head: look for a title line and an infobox block (plain text, MediaWiki).

    Raises:
        EmptyDocumentError: nothing but boilerplate is left.
    """
    cleaned = boilerplate.drop_junk(boilerplate.cut_inline(list(items)))
    cleaned = boilerplate.drop_reference_sections(cleaned)
    cleaned = [i for i in cleaned if not (isinstance(i, Block) and not i.text)]
    found: list[str] = []
    if analyse_head:
        cleaned, found = mark_head(cleaned)
    text, placed, removed = _layout(split_long_blocks(cleaned))
    # Entities such as &#xD800; decode to lone surrogates; one for one, so offsets hold.
    text = scrub_surrogates(text)
    removed = [replace(r, text=scrub_surrogates(r.text)) for r in removed]
    if not has_words(text):
        raise EmptyDocumentError(f"{source} is empty once boilerplate is removed")
    sections = _sections(placed, len(text))
    title = scrub_surrogates(title or _title_from(placed, source))
    aliases = [scrub_surrogates(a) for a in aliases]
    names = _unique([*aliases, *found], exclude=title)
    page = page or PageInfo()
    everything = "\n".join([text, *(r.text for r in removed)])
    kind, kind_origin = page_kind(page.site, everything)
    doc = Document(
        id=content_id(text),
        source=source,
        title=title,
        kind=kind,
        kind_origin=kind_origin,
        url=page.url,
        published=page.published,
        metadata=tuple(sorted(page.metadata)),
        format=fmt,
        text=text,
        sections=tuple(sections),
        removed=tuple(removed),
        encoding=encoding,
        aliases=tuple(names),
    )
    logger.info(
        "ingested %s as %s: %d chars, %d sections, %d removed",
        source,
        fmt,
        len(text),
        len(sections),
        len(removed),
    )
    return doc


def _layout(items: list[Item]) -> tuple[str, list[tuple[Block, int]], list[Removed]]:
    parts: list[str] = []
    length = 0
    placed: list[tuple[Block, int]] = []
    removed: list[Removed] = []
    pending: list[Drop] = []
    previous: Block | None = None
    for item in items:
        if isinstance(item, Drop):
            pending.append(item)
            continue
        if previous is not None:
            tight = item.kind == previous.kind and item.kind in ("item", "infobox")
            sep = "\n" if tight else "\n\n"
            parts.append(sep)
            length += len(sep)
        removed.extend(Removed(text=d.text, reason=d.reason, at=length) for d in pending)
        pending.clear()
        removed.extend(Removed(text=c.text, reason=c.reason, at=length + c.pos) for c in item.cuts)
        placed.append((item, length))
        parts.append(item.text)
        length += len(item.text)
        previous = item
    removed.extend(Removed(text=d.text, reason=d.reason, at=length) for d in pending)
    return "".join(parts), placed, removed


def _sections(placed: list[tuple[Block, int]], text_len: int) -> list[Section]:
    sections: list[Section] = []
    headings = [(b, s) for b, s in placed if b.kind == "heading"]
    first_heading = headings[0][1] if headings else text_len
    run: list[tuple[Block, int]] = []
    lead_start: int | None = None
    for block, start in [*placed, (Block(kind="title", text=""), text_len)]:
        if block.kind == "infobox":
            run.append((block, start))
            continue
        if run:
            end = run[-1][1] + len(run[-1][0].text)
            sections.append(
                Section(
                    title="infobox",
                    level=0,
                    start=run[0][1],
                    end=end,
                    kind="infobox",
                    heading_end=run[0][1],
                )
            )
            run = []
        if block.kind == "title" and block.text:
            end = start + len(block.text)
            sections.append(
                Section(
                    title=block.text, level=1, start=start, end=end, kind="title", heading_end=end
                )
            )
        elif block.kind in ("paragraph", "item") and lead_start is None and start < first_heading:
            lead_start = start
    if lead_start is not None:
        sections.append(
            Section(title="", level=0, start=lead_start, end=first_heading, heading_end=lead_start)
        )
    for n, (block, start) in enumerate(headings):
        end = next((s for b, s in headings[n + 1 :] if b.level <= block.level), text_len)
        sections.append(
            Section(
                title=block.text,
                level=block.level,
                start=start,
                end=end,
                heading_end=start + len(block.text),
            )
        )
    return sorted(sections, key=lambda s: (s.start, s.kind != "title"))


def _title_from(placed: list[tuple[Block, int]], source: str) -> str:
    for block, _ in placed:
        if block.kind == "title":
            return block.text
    for block, _ in placed:
        if block.kind == "paragraph" and is_prose(block.text):
            subject = lead_subject(block.text)
            if subject:
                return subject
            break
    return humanise_stem(source)


def _unique(names: Iterable[str], *, exclude: str) -> list[str]:
    seen = {exclude.casefold()}
    out: list[str] = []
    for name in names:
        key = name.casefold()
        if name and key not in seen:
            seen.add(key)
            out.append(name)
    return out
