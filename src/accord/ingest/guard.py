"""Guards against pathological structure: markup nested too deep or too many, long paragraphs.

``flatten_deep_html`` drops the tags of elements nested deeper than a limit (their text is
kept), so the HTML parsers never see a tree deeper than libxml2's own cut-off (which would
silently lose the text below it) or Python's recursion limit. ``flatten_deep_wikitext`` and
``flatten_deep_markdown`` do the same for template/link brackets (the MediaWiki tokenizer
backtracks for seconds on thousands of unclosed ones) and Markdown container markers
(markdown-it drops everything after its nesting limit). Counts are capped too: attributes
on an HTML tag, HTML elements and blocks, Markdown link definitions and unclosed ``[``,
unclosed MediaWiki tables and tags (``flatten_unclosed_markdown``/``_wikitext``), each past
its cap flattened with a warning. ``split_long_blocks`` splits very long paragraphs at
sentence ends, so no line handed to the claim extractor is longer than ``MAX_LINE_CHARS`` or
``MAX_LINE_TOKENS``.
"""

from __future__ import annotations

import logging
import re
from dataclasses import replace

from accord.ingest.blocks import Block, Cut, Item
from accord.limits import DEFAULT_MAX_HTML_DEPTH, MAX_LINE_CHARS, MAX_LINE_TOKENS

logger = logging.getLogger(__name__)

__all__ = [
    "display_name",
    "flatten_deep_html",
    "flatten_deep_markdown",
    "flatten_deep_wikitext",
    "flatten_unclosed_markdown",
    "flatten_unclosed_wikitext",
    "html_depth",
    "scrub_surrogates",
    "split_long_blocks",
]

WIKI_MAX_DEPTH = 30  # real pages nest templates a few deep; parse time grows fast past 100
MARKDOWN_MAX_MARKERS = 8  # markdown-it stops at 20 nesting levels, two per list marker
# Real elements carry a few attributes (a few dozen on framework-generated pages); parsing
# 100,000 of them on one element took minutes.
MAX_HTML_ATTRIBUTES = 100
# A long encyclopedia article is about 30,000 elements, 3,000 of them blocks (paragraphs,
# items, cells: each a line to parse, ~1.5 ms even when tiny); 200,000 tiny paragraphs
# ran past 90 s. Past these, tags are dropped and the blocks' text runs on.
MAX_HTML_ELEMENTS = 50_000
MAX_HTML_BLOCKS = 10_000
# Real pages define a few hundred link targets and leave a bracket or table open by mistake
# now and then; markdown-it rescans the rest of a paragraph for each unclosed "[" (50,000
# definitions with 20,000 unclosed "[" took ~18 s) and the MediaWiki tokenizer backtracks
# over the rest of the page for each unclosed table or tag (thousands of them: minutes).
MARKDOWN_MAX_LINK_DEFINITIONS = 2_000
MARKDOWN_MAX_UNCLOSED = 100
WIKI_MAX_UNCLOSED = 20

# Elements that never have children, and those a sibling of the same name closes implicitly.
_VOID = frozenset(
    "area base br col embed hr img input link meta param source track wbr keygen command "
    "basefont frame isindex".split()
)
_SELF_CLOSING = frozenset("p li dt dd tr td th option optgroup rb rt rp thead tbody tfoot".split())
_CELLS = frozenset(("td", "th"))
# A flattened block element leaves a line break (void, so it adds no depth) between texts.
_BLOCKS = frozenset(
    "address article aside blockquote body caption center dd details dialog dir div dl dt "
    "fieldset figcaption figure footer form h1 h2 h3 h4 h5 h6 header hr html legend li main "
    "menu nav ol p pre section summary table tbody td tfoot th thead tr ul".split()
)
# Comments, doctypes and raw-text elements first, so tags inside them are not counted.
# Possessive quantifiers and [^<>] keep every match attempt linear: hostile input such as
# "<a<a<a..." or a megabyte-long tag name must not make the scan quadratic.
_TOKEN = re.compile(
    r"<!--.*?(?:-->|\Z)|<![^<>]*+>|<\?[^<>]*+>"
    r"|<(?P<raw>script|style|textarea|title|xmp)\b[^<>]*+>.*?(?:</(?P=raw)\s*>|\Z)"
    r"|<(?P<close>/)?(?P<name>[A-Za-z][A-Za-z0-9:_-]*+)(?P<attrs>[^<>]*+)>",
    re.S | re.I,
)
# One attribute: a name, maybe ``=`` and a quoted or bare value (possessive: linear).
_HTML_ATTRIBUTE = re.compile(r"""[^\s"'<>/=]++(?:\s*+=\s*+(?:"[^"]*+"|'[^']*+'|[^\s"'<>]++))?+""")
_SURROGATES = re.compile("[\ud800-\udfff]")
_BLOCK_END = re.compile(f"</(?:{'|'.join(sorted(_BLOCKS))})\\b", re.I)  # closes an open <p>
_MD_LINK_DEFINITION = re.compile(r"^ {0,3}\[(?:[^\\\[\]\n]|\\.){1,999}+\]:[^\n]*+\n?", re.M)
_MD_BRACKET = re.compile(r"\\.|[\[\]]", re.S)
_WIKI_TABLE = re.compile(r"^[ \t]*+(\{\||\|\})", re.M)
_WIKI_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9]*+)\b[^<>]*+>")
_SENTENCE_BREAK = re.compile(r"[.!?][\"'”’)\]]*\s")
_TOKENISH = re.compile(r"\w+|[^\w\s]")  # roughly what the tokenizer makes a token
_WIKI_BRACKETS = re.compile(r"\{\{|\}\}|\[\[|\]\]")
# A marker takes all the space after it (possessive), so the match never backtracks into it.
_MD_MARKER = r"(?:>|[-*+](?=[ \t])|\d{1,9}[.)](?=[ \t]))[ \t]*+"
_MD_DEEP = re.compile(
    f"^([ \\t]*+(?:{_MD_MARKER}){{{MARKDOWN_MAX_MARKERS}}})(?:{_MD_MARKER})+", re.M
)


def _walk(
    html: str, max_depth: int, max_elements: int = MAX_HTML_ELEMENTS
) -> tuple[int, tuple[int, int], list[tuple[int, int, bool, bool]]]:
    """Return the deepest nesting seen, the numbers of elements and of block elements, and
    the tags to drop: those deeper than ``max_depth`` and those of elements after the first
    ``max_elements`` (or of block elements after the first ``MAX_HTML_BLOCKS``).

    Each tag comes as ``(start, end, is_block, over_count)``; ``over_count`` only when the
    element is dropped for the count alone (not also too deep, where the run-on paragraph
    that replaces it would nest one deeper).
    """
    stack: list[tuple[str, bool, bool]] = []
    open_count: dict[str, int] = {}
    deepest = elements = blocks = 0
    drop: list[tuple[int, int, bool, bool]] = []
    for match in _TOKEN.finditer(html):
        name = match.group("name")
        if name is None:
            continue
        name = name.lower()
        if match.group("close"):
            if not open_count.get(name):
                continue  # a stray end tag: parsers ignore it
            while stack:
                top, kept, over = stack.pop()
                open_count[top] -= 1
                if top == name:
                    if not kept:
                        drop.append((*match.span(), name in _BLOCKS, over))
                    break
            continue
        elements += 1
        is_block = name in _BLOCKS
        blocks += is_block
        over = elements > max_elements or (is_block and blocks > MAX_HTML_BLOCKS)
        if name in _VOID or match.group("attrs").rstrip().endswith("/"):
            if over:
                drop.append((*match.span(), is_block, len(stack) < max_depth))
            continue
        top_name = stack[-1][0] if stack else ""
        if (top_name == name and name in _SELF_CLOSING) or (name in _CELLS and top_name in _CELLS):
            top, _, _ = stack.pop()
            open_count[top] -= 1
        kept = len(stack) < max_depth and not over
        over = over and len(stack) < max_depth
        stack.append((name, kept, over))
        open_count[name] = open_count.get(name, 0) + 1
        deepest = max(deepest, len(stack))
        if not kept:
            drop.append((*match.span(), is_block, over))
    return deepest, (elements, blocks), drop


def html_depth(html: str) -> int:
    """How deep the elements of ``html`` nest, as an HTML parser would build the tree."""
    return _walk(html, max_depth=len(html) + 1, max_elements=len(html) + 1)[0]


def flatten_deep_html(
    html: str,
    *,
    max_depth: int = DEFAULT_MAX_HTML_DEPTH,
    max_elements: int = MAX_HTML_ELEMENTS,
    name: str = "",
) -> str:
    """Drop the tags of elements nested deeper than ``max_depth`` or coming after the first
    ``max_elements``, keeping their text; keep at most ``MAX_HTML_ATTRIBUTES`` attributes
    on a tag.

    Args:
        html: the HTML source.
        max_depth: the deepest nesting kept.
        max_elements: the most elements kept as elements.
        name: the source's name, for the warnings.

    Returns:
        ``html`` unchanged when it is within the limits; otherwise the HTML with every
        deeper tag removed (a run of block elements' tags becomes one ``<br>``, an inline
        element's tags nothing), each tag past the element limit removed (a block
        element's tags become a space, so the text runs on in one paragraph and is split
        at sentences),
        and the attributes past the limit removed.
    """
    html = _cap_attributes(html, name)
    if html.count("<") <= min(max_depth, max_elements, MAX_HTML_BLOCKS):
        return html  # too few tags to nest that deep or be that many: skip the scan
    deepest, (elements, blocks), drop = _walk(html, max_depth, max_elements)
    if not drop:
        return html
    if deepest > max_depth:
        logger.warning(
            "%s: HTML nests %d elements deep, over the limit of %d; the deeper tags were "
            "flattened (their text is kept)",
            name or "<html>",
            deepest,
            max_depth,
        )
    if elements > max_elements or blocks > MAX_HTML_BLOCKS:
        logger.warning(
            "%s: HTML has %d elements (%d of them blocks), over the limit of %d (%d blocks); "
            "the tags of the later ones were flattened (their text is kept, run on)",
            name or "<html>",
            elements,
            blocks,
            max_elements,
            MAX_HTML_BLOCKS,
        )
    parts: list[str] = []
    position = 0
    broken = False  # a paragraph break was just written, with nothing but space since
    run_open = False  # a paragraph holding the run-on text of blocks past the limit is open
    for start, end, is_block, over_count in drop:
        between = html[position:start]
        parts.append(between)
        broken = broken and not between.strip()
        run_open = run_open and not _BLOCK_END.search(between)
        if is_block and over_count:
            # Run on in one paragraph (text loose in <body> would be lost); a break per
            # element would keep every tiny line.
            parts.append(" " if run_open else "<p>")
            run_open = True
        elif is_block and not broken:
            parts.append("<br>")  # one break for a run of block tags
            broken = True
        position = end
    parts.append(html[position:])
    return "".join(parts)


def _cap_attributes(html: str, name: str) -> str:
    """``html`` with at most ``MAX_HTML_ATTRIBUTES`` attributes on each tag."""
    if html.count("=") <= MAX_HTML_ATTRIBUTES:
        return html  # too few attributes in all to be over the limit on one tag
    crowded = 0

    def trim(match: re.Match[str]) -> str:
        nonlocal crowded
        attrs = match.group("attrs")
        if match.group("name") is None or len(attrs) <= MAX_HTML_ATTRIBUTES * 2:
            return match.group()
        found = _HTML_ATTRIBUTE.findall(attrs)
        if len(found) <= MAX_HTML_ATTRIBUTES:
            return match.group()
        crowded += 1
        closing = "/" if attrs.rstrip().endswith("/") else ""
        kept = " ".join(found[:MAX_HTML_ATTRIBUTES])
        return f"<{match.group('close') or ''}{match.group('name')} {kept}{closing}>"

    trimmed = _TOKEN.sub(trim, html)
    if crowded:
        logger.warning(
            "%s: %d HTML tags have over %d attributes; the later attributes were dropped",
            name or "<html>",
            crowded,
            MAX_HTML_ATTRIBUTES,
        )
    return trimmed


def flatten_deep_wikitext(text: str, *, max_depth: int = WIKI_MAX_DEPTH, name: str = "") -> str:
    """Drop ``{{``/``}}``/``[[``/``]]`` brackets nested deeper than ``max_depth``.

    Returns:
        ``text`` unchanged when brackets nest no deeper; otherwise without the deeper ones
        (what they enclosed stays, as text).
    """
    if text.count("{{") + text.count("[[") <= max_depth:
        return text
    depth = 0
    dropped: list[bool] = []
    drop: list[tuple[int, int]] = []
    for match in _WIKI_BRACKETS.finditer(text):
        if match.group() in ("{{", "[["):
            keep = depth < max_depth
            dropped.append(not keep)
            depth += 1
            if not keep:
                drop.append(match.span())
        elif depth:
            depth -= 1
            if dropped.pop():
                drop.append(match.span())
    if not drop:
        return text
    logger.warning(
        "%s: templates or links nest over %d deep; the deeper brackets were dropped",
        name or "<wikitext>",
        max_depth,
    )
    parts: list[str] = []
    position = 0
    for start, end in drop:
        parts.append(text[position:start])
        position = end
    parts.append(text[position:])
    return "".join(parts)


def flatten_deep_markdown(text: str, *, name: str = "") -> str:
    """Keep at most ``MARKDOWN_MAX_MARKERS`` leading quote/list markers on each line."""
    flattened, count = _MD_DEEP.subn(r"\1", text)
    if count:
        logger.warning(
            "%s: %d lines nest quotes or lists over %d deep; the deeper markers were dropped",
            name or "<markdown>",
            count,
            MARKDOWN_MAX_MARKERS,
        )
    return flattened


def flatten_unclosed_markdown(text: str, *, name: str = "") -> str:
    """Keep at most ``MARKDOWN_MAX_LINK_DEFINITIONS`` link reference definitions and, past
    ``MARKDOWN_MAX_UNCLOSED`` unclosed ``[``, escape every unclosed one (``\\[``: it reads
    as the same text, but the parser no longer looks for its end).
    """
    if text.count("]:") > MARKDOWN_MAX_LINK_DEFINITIONS:
        kept = 0

        def keep_first(match: re.Match[str]) -> str:
            nonlocal kept
            kept += 1
            return match.group() if kept <= MARKDOWN_MAX_LINK_DEFINITIONS else ""

        text = _MD_LINK_DEFINITION.sub(keep_first, text)
        if kept > MARKDOWN_MAX_LINK_DEFINITIONS:
            logger.warning(
                "%s: %d link reference definitions, over the limit of %d; the later ones were "
                "dropped (links to them read as text)",
                name or "<markdown>",
                kept,
                MARKDOWN_MAX_LINK_DEFINITIONS,
            )
    if text.count("[") <= MARKDOWN_MAX_UNCLOSED:
        return text
    unclosed: list[int] = []
    for match in _MD_BRACKET.finditer(text):
        if match.group() == "[":
            unclosed.append(match.start())
        elif match.group() == "]" and unclosed:
            unclosed.pop()
    if len(unclosed) <= MARKDOWN_MAX_UNCLOSED:
        return text
    logger.warning(
        '%s: %d unclosed "[", over the limit of %d; they were escaped (read as text)',
        name or "<markdown>",
        len(unclosed),
        MARKDOWN_MAX_UNCLOSED,
    )
    return _insert_at(text, unclosed, "\\")


def flatten_unclosed_wikitext(text: str, *, name: str = "") -> str:
    """Past ``WIKI_MAX_UNCLOSED`` unclosed tables (``{|`` with no ``|}``) or tags (``<ref>``
    with no ``</ref>``), drop every unclosed opener; what follows it stays, as text."""
    if text.count("{|") <= WIKI_MAX_UNCLOSED and text.count("<") <= WIKI_MAX_UNCLOSED:
        return text
    tables: list[tuple[int, int]] = []
    for match in _WIKI_TABLE.finditer(text):
        if match.group(1) == "{|":
            tables.append(match.span(1))
        elif tables:
            tables.pop()
    tags: dict[str, list[tuple[int, int]]] = {}
    for match in _WIKI_TAG.finditer(text):
        tag = match.group(2).lower()
        if tag in _VOID or tag in _SELF_CLOSING or match.group().endswith("/>"):
            continue
        opened = tags.setdefault(tag, [])
        if not match.group(1):
            opened.append(match.span())
        elif opened:
            opened.pop()
    unclosed = sorted([*tables, *(span for spans in tags.values() for span in spans)])
    if len(unclosed) <= WIKI_MAX_UNCLOSED:
        return text
    logger.warning(
        "%s: %d unclosed tables or tags, over the limit of %d; their openers were dropped "
        "(what follows them is kept, as text)",
        name or "<wikitext>",
        len(unclosed),
        WIKI_MAX_UNCLOSED,
    )
    parts: list[str] = []
    position = 0
    for start, end in unclosed:
        parts.append(text[position:start])
        position = end
    parts.append(text[position:])
    return "".join(parts)


def _insert_at(text: str, positions: list[int], insert: str) -> str:
    """``text`` with ``insert`` put before each of ``positions`` (in order)."""
    parts: list[str] = []
    position = 0
    for at in positions:
        parts.append(text[position:at])
        position = at
    parts.append(text[position:])
    return insert.join(parts)


def _fit(text: str, start: int, max_chars: int, max_tokens: int) -> tuple[int, bool]:
    """How many characters from ``start`` fit the limits, and whether more text follows."""
    window = text[start : start + max_chars]
    for n, match in enumerate(_TOKENISH.finditer(window)):
        if n == max_tokens:
            return match.start(), True
    return len(window), start + len(window) < len(text)


def _pieces(text: str, max_chars: int, max_tokens: int) -> list[tuple[int, int]]:
    """``[start, end)`` pieces of ``text`` within ``max_chars`` and about ``max_tokens``
    tokens, cut at the last sentence end in reach, else at a space, else anywhere."""
    spans: list[tuple[int, int]] = []
    start = 0
    while True:
        size, more = _fit(text, start, max_chars, max_tokens)
        if not more:
            spans.append((start, len(text)))
            break
        window = text[start : start + size + 1]  # one more, to see a break right at the edge
        cut = -1
        for match in _SENTENCE_BREAK.finditer(window):
            cut = match.end() - 1  # the whitespace after the sentence
        if cut <= 0:
            cut = window.rfind(" ")
        if cut <= 0:
            size = max(size, 1)
            spans.append((start, start + size))  # one huge word: cut it anywhere
            start += size
            continue
        spans.append((start, start + cut))
        start += cut + 1
    return [(a, b) for a, b in spans if b > a]


def split_long_blocks(
    items: list[Item], max_chars: int = MAX_LINE_CHARS, max_tokens: int = MAX_LINE_TOKENS
) -> list[Item]:
    """Split paragraphs and list items longer than ``max_chars`` (or ``max_tokens``).

    Each piece becomes a block of the same kind; cuts move to the piece they fall in.
    A piece is cut at a space when no sentence ends in reach, and anywhere in a word
    longer than ``max_chars``.
    """

    def is_long(block: Block) -> bool:
        return len(block.text) > max_tokens and _fit(block.text, 0, max_chars, max_tokens)[1]

    if all(not isinstance(i, Block) or not is_long(i) for i in items):
        return items
    out: list[Item] = []
    for item in items:
        if (
            not isinstance(item, Block)
            or item.kind not in ("paragraph", "item")
            or not is_long(item)
        ):
            out.append(item)
            continue
        spans = _pieces(item.text, max_chars, max_tokens)
        logger.info("split a %d-character paragraph into %d lines", len(item.text), len(spans))
        for n, (start, end) in enumerate(spans):
            next_start = spans[n + 1][0] if n + 1 < len(spans) else len(item.text) + 1
            cuts = tuple(
                Cut(pos=min(max(c.pos - start, 0), end - start), text=c.text, reason=c.reason)
                for c in item.cuts
                if (n == 0 or c.pos >= start) and c.pos < next_start
            )
            out.append(replace(item, text=item.text[start:end], cuts=cuts))
    return out


def scrub_surrogates(text: str) -> str:
    """Replace lone surrogates (never valid in UTF-8 output) with U+FFFD, one for one."""
    return _SURROGATES.sub("\ufffd", text) if _SURROGATES.search(text) else text


def display_name(name: str) -> str:
    """A file name as valid text: bytes that are not UTF-8 (kept by the OS as surrogate
    escapes) are shown as ``\\xff``, so reports that name the file stay valid UTF-8."""
    if not _SURROGATES.search(name):
        return name
    try:
        return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:
        return scrub_surrogates(name)
