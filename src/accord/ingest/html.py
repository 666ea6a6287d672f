"""HTML ingest: main text via trafilatura (lxml fallback), page chrome recorded as removed.

Scripts, styles and event handlers never reach the text: trafilatura drops them and the
fallback strips them before reading any text.
"""

from __future__ import annotations

import logging
import re
from typing import ClassVar

import lxml.etree
import lxml.html

from accord.ingest import layout
from accord.ingest.base import ingesters
from accord.ingest.blocks import Block, Drop, Item, squash
from accord.model import Document

logger = logging.getLogger(__name__)

HIDDEN_TAGS = (
    "script",
    "style",
    "noscript",
    "template",
    "iframe",
    "object",
    "embed",
    "svg",
    "math",
    "canvas",
    "form",
    "button",
    "select",
    "input",
    "textarea",
    "head",
)  # never content, and script text must never leak into a document
CHROME = {
    "nav": "navigation",
    "header": "page header",
    "footer": "page footer",
    "aside": "sidebar",
}
CHROME_ROLES = {
    "navigation": "navigation",
    "banner": "page header",
    "contentinfo": "page footer",
    "complementary": "sidebar",
}
_BLOCK_TAGS = frozenset(
    [
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "p",
        "li",
        "dt",
        "dd",
        "tr",
        "blockquote",
        "pre",
        "figcaption",
        "caption",
        "div",
        "section",
        "article",
        "main",
        "td",
        "th",
        "table",
        "ul",
        "ol",
        "dl",
    ]
)
_LEAF_BLOCKS = (
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "p",
    "li",
    "dt",
    "dd",
    "tr",
    "pre",
    "figcaption",
)
_TITLE_SEPARATORS = re.compile(r"\s+[-|–—·:]{1,2}\s+")


def _parse(html: str) -> lxml.html.HtmlElement | None:
    try:
        return lxml.html.document_fromstring(html)
    except (lxml.etree.ParserError, ValueError):
        return None


def _strip_hidden(tree: lxml.html.HtmlElement) -> None:
    for el in list(tree.iter(*HIDDEN_TAGS)):
        if el.getparent() is not None:
            el.drop_tree()
    for el in list(tree.iter(lxml.etree.Comment, lxml.etree.ProcessingInstruction)):
        if el.getparent() is not None:
            el.drop_tree()


# Where a page names its site, in the order they are tried for its kind; and where it gives
# its publication date, in order of preference.
_SITE_XPATHS = (
    ("og:site_name", "//meta[@property='og:site_name']/@content"),
    ("application-name", "//meta[@name='application-name']/@content"),
    ("og:url", "//meta[@property='og:url']/@content"),
    ("canonical", "//link[@rel='canonical']/@href"),
)
_GENERATOR_XPATH = "//meta[@name='generator']/@content"
_DATE_XPATHS = (
    "//meta[@property='article:published_time']/@content",
    "//meta[@name='date']/@content",
    "//meta[@name='dc.date' or @name='DC.date' or @name='dcterms.created']/@content",
    "//meta[@itemprop='datePublished']/@content",
    "//body//time/@datetime",
)
MAX_META_CHARS = 200  # a site name, generator or URL; longer is cut (page values are hostile)


def _head_info(tree: lxml.html.HtmlElement) -> tuple[str | None, str | None, layout.PageInfo]:
    """Return the page title, the first h1 and what the page says of itself."""
    titles = tree.xpath("//title")
    title = squash(titles[0].text_content()) if titles else ""
    parts = _TITLE_SEPARATORS.split(title) if title else []
    h1s = tree.xpath("//body//h1")
    h1 = squash(h1s[0].text_content()) if h1s else None
    return (
        (parts[0].strip() if parts and parts[0].strip() else None),
        h1 or None,
        _page_info(tree, parts[1:]),
    )


def _page_info(tree: lxml.html.HtmlElement, title_tail: list[str]) -> layout.PageInfo:
    """The site names, URL, publication date and metadata a page gives in its head."""
    from accord.errors import ConfigError
    from accord.published import check_published

    site = [(where, value) for where, xpath in _SITE_XPATHS for value in _values(tree, xpath)]
    site.extend(("title", squash(part)) for part in title_tail if squash(part))
    generators = _values(tree, _GENERATOR_XPATH)
    site.extend(("generator", value) for value in generators)
    urls = [v for where, v in site if where in ("og:url", "canonical") and _is_web_url(v)]
    published = None
    for xpath in _DATE_XPATHS:
        for value in _values(tree, xpath):
            try:
                published = check_published(value)
            except ConfigError:
                continue
            break
        if published:
            break
    metadata: dict[str, str] = {}
    names = [v for where, v in site if where in ("og:site_name", "application-name")]
    if names:
        metadata["site_name"] = names[0]
    if generators:
        metadata["generator"] = generators[0]
    authors = _values(tree, "//meta[@name='author']/@content")
    if authors:
        metadata["author"] = authors[0]
    return layout.PageInfo(
        site=tuple(site),
        url=urls[0] if urls else None,
        published=published,
        metadata=tuple(metadata.items()),
    )


def _values(tree: lxml.html.HtmlElement, xpath: str) -> list[str]:
    values = (squash(str(v))[:MAX_META_CHARS] for v in tree.xpath(xpath))
    return [v for v in values if v]


def _is_web_url(value: str) -> bool:
    return value.lower().startswith(("http://", "https://")) and " " not in value


def _chrome_drops(tree: lxml.html.HtmlElement) -> tuple[list[Drop], list[Drop]]:
    """Nav/header/footer/aside blocks, split into those at the top and at the bottom."""
    top: list[Drop] = []
    bottom: list[Drop] = []
    for el in tree.iter(lxml.etree.Element):
        reason = CHROME.get(str(el.tag)) or CHROME_ROLES.get(str(el.get("role", "")).lower())
        if reason is None or any(
            CHROME.get(str(a.tag)) or CHROME_ROLES.get(str(a.get("role", "")).lower())
            for a in el.iterancestors()
        ):
            continue
        text = squash(el.text_content())
        if text:
            (bottom if reason in ("page footer", "sidebar") else top).append(
                Drop(text=text, reason=reason)
            )
    return top, bottom


def _xml_items(xml: str) -> list[Item]:
    """Blocks from trafilatura's XML output (head, p, list/item, table/row/cell, quote)."""
    root = lxml.etree.fromstring(xml.encode("utf-8"))
    items: list[Item] = []
    main = root.find("main")
    for el in (main if main is not None else root).iter("head", "p", "item", "row", "code"):
        if any(a.tag in ("item", "row", "code") for a in el.iterancestors()) and el.tag != "item":
            continue
        if el.tag == "code":
            items.append(Drop(text=squash("".join(el.itertext())), reason="code block"))
            continue
        if el.tag == "row":
            text = squash(" ".join(squash("".join(c.itertext())) for c in el.iter("cell")))
        elif el.tag == "item":
            text = squash("".join(_own_text(el)))
        else:
            text = squash("".join(el.itertext()))
        if not text:
            continue
        if el.tag == "head":
            rend = str(el.get("rend", "h2"))
            level = int(rend[1]) if re.fullmatch(r"h[1-6]", rend) else 2
            items.append(Block(kind="heading", text=text, level=level))
        else:
            items.append(Block(kind="item" if el.tag == "item" else "paragraph", text=text))
    return items


def _own_text(el: lxml.etree._Element) -> list[str]:
    """Text of a list item without its nested lists (those items come separately)."""
    parts = [el.text or ""]
    for child in el:
        if child.tag != "list":
            parts.extend(child.itertext())
        parts.append(child.tail or "")
    return parts


def _fallback_items(tree: lxml.html.HtmlElement) -> list[Item]:
    """Blocks read straight from the cleaned HTML when trafilatura finds no main text."""
    for el in list(tree.iter(*CHROME)):
        if el.getparent() is not None:
            el.drop_tree()
    body = tree.find("body")
    items: list[Item] = []
    for el in (body if body is not None else tree).iter(*_LEAF_BLOCKS):
        if any(str(a.tag) in _LEAF_BLOCKS for a in el.iterancestors()):
            continue
        text = squash(el.text_content())
        if not text:
            continue
        tag = str(el.tag)
        if tag == "pre":
            items.append(Drop(text=text, reason="code block"))
        elif tag == "figcaption":
            items.append(Drop(text=text, reason="image caption"))
        elif tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            items.append(Block(kind="heading", text=text, level=int(tag[1])))
        else:
            items.append(Block(kind="item" if tag == "li" else "paragraph", text=text))
    if not items:  # text straight in <body>, in no block element: read it as one paragraph
        text = squash((body if body is not None else tree).text_content())
        if text:
            items.append(Block(kind="paragraph", text=text))
    return items


@ingesters.register("accord.html.v1")
class HTMLIngester:
    """Reads HTML pages: main text via trafilatura, headings and list items kept."""

    name: ClassVar[str] = "accord.html.v1"
    format: ClassVar[str] = "html"

    def ingest(self, text: str, *, source: str, encoding: str) -> Document:
        """Extract the main text of HTML ``text`` and return the document."""
        tree = _parse(text)
        title: str | None = None
        h1: str | None = None
        info = layout.PageInfo()
        top: list[Drop] = []
        bottom: list[Drop] = []
        if tree is not None:
            title, h1, info = _head_info(tree)
            _strip_hidden(tree)
            top, bottom = _chrome_drops(tree)
        # The stripped page, serialised: trafilatura keeps some hidden elements (<template>)
        # itself, and given a tree rather than text it skips the cleaning of odd attributes.
        page = lxml.html.tostring(tree, encoding="unicode") if tree is not None else text
        import trafilatura  # imported here: it takes a fifth of a second, and only HTML needs it

        try:
            extracted = trafilatura.extract(
                page,
                output_format="xml",
                include_formatting=True,
                include_tables=True,
                include_comments=False,
                include_links=False,
                include_images=False,
                deduplicate=False,
                favor_recall=True,
                with_metadata=False,
            )
        except (lxml.etree.LxmlError, ValueError) as exc:  # malformed markup it cannot re-read
            logger.debug("%s: trafilatura failed (%s); reading the HTML directly", source, exc)
            extracted = None
        body = _xml_items(extracted) if extracted else []
        if not any(isinstance(i, Block) for i in body) and tree is not None:
            logger.debug("%s: trafilatura found no main text; reading the HTML directly", source)
            body = _fallback_items(tree)
        title = title or h1
        body = _mark_title(body, title)
        aliases = [h1] if h1 and title and h1.casefold() != title.casefold() else []
        return layout.assemble(
            [*top, *body, *bottom],
            source=source,
            fmt=self.format,
            encoding=encoding,
            title=title,
            aliases=aliases,
            page=info,
        )


def _mark_title(items: list[Item], title: str | None) -> list[Item]:
    """Make a leading h1 that repeats the page title the document's title line."""
    for n, item in enumerate(items):
        if isinstance(item, Block):
            if (
                item.kind == "heading"
                and item.level == 1
                and title
                and (item.text.casefold() == title.casefold())
            ):
                items[n] = Block(kind="title", text=item.text, level=1)
            break
    return items
