"""Guess a source's format from its content; the file extension only breaks ties."""

from __future__ import annotations

import logging
import re
from pathlib import PurePath

logger = logging.getLogger(__name__)

FORMATS = ("text", "html", "mediawiki", "markdown")
SNIFF_CHARS = 200_000  # enough of any document to see its markup; bounds the regex work
HTML_HEAD_CHARS = 4096  # a doctype or <html> tag sits at the very top
HTML_MIN_BLOCK_TAGS = 3  # a few <p>/<div>/<li> tags make a fragment HTML, one could be a quote
MARKDOWN_MIN_LIST_LINES = 3  # "- " bullets alone are common in plain text too

_HTML_DOC = re.compile(r"<!doctype\s+html|<html[\s>]|<body[\s>]|<head[\s>]", re.I)
_HTML_BLOCK = re.compile(
    r"<(?:p|div|h[1-6]|ul|ol|li|table|tr|td|article|section|br|span|a\s+href)[\s/>]", re.I
)
_WIKI_HEADING = re.compile(r"^={2,6}[^=\n]+={2,6}[ \t]*$", re.M)
_WIKI_LINK = re.compile(r"\[\[[^\[\]\n]+\]\]")
_WIKI_TEMPLATE = re.compile(r"\{\{[^{}\n]+(?:\}\}|\|)")
_WIKI_BOLD = re.compile(r"'''[^'\n]+'''")
_MD_HEADING = re.compile(r"^#{1,6}[ \t]+\S", re.M)
_MD_BOLD = re.compile(r"\*\*[^*\n]+\*\*|__[^_\n]+__")
_MD_LINK = re.compile(r"!?\[[^\]\n]+\]\([^)\s]+\)")
_MD_FENCE = re.compile(r"^(?:```|~~~)", re.M)
_MD_LIST = re.compile(r"^[ \t]*[-*+][ \t]+\S", re.M)

_EXTENSIONS = {
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".md": "markdown",
    ".markdown": "markdown",
    ".mdown": "markdown",
    ".wiki": "mediawiki",
    ".mediawiki": "mediawiki",
    ".wikitext": "mediawiki",
    ".txt": "text",
    ".text": "text",
}


def format_from_extension(name: str) -> str | None:
    """The format a file name's extension suggests, if any."""
    return _EXTENSIONS.get(PurePath(name).suffix.lower())


def sniff_format(text: str, *, name: str = "") -> str:
    """Guess the format of decoded ``text``: ``html``, ``mediawiki``, ``markdown`` or ``text``.

    Content decides: HTML when it has a doctype, ``<html>``/``<body>`` or several block
    tags; otherwise MediaWiki and Markdown marks are counted and the stronger wins. The
    extension of ``name`` only breaks a tie.

    Args:
        text: the decoded text.
        name: the file name or URL, for the tiebreak.
    """
    sample = text[:SNIFF_CHARS]
    by_extension = format_from_extension(name)
    if _HTML_DOC.search(sample[:HTML_HEAD_CHARS]) or (
        len(_HTML_BLOCK.findall(sample)) >= HTML_MIN_BLOCK_TAGS and "</" in sample
    ):
        return "html"
    wiki = (
        3 * len(_WIKI_HEADING.findall(sample))
        + 2 * len(_WIKI_LINK.findall(sample))
        + 2 * len(_WIKI_TEMPLATE.findall(sample))
        + len(_WIKI_BOLD.findall(sample))
    )
    lists = len(_MD_LIST.findall(sample))
    markdown = (
        3 * len(_MD_HEADING.findall(sample))
        + 3 * len(_MD_FENCE.findall(sample))
        + 2 * len(_MD_LINK.findall(sample))
        + len(_MD_BOLD.findall(sample))
        + (lists if lists >= MARKDOWN_MIN_LIST_LINES else 0)
    )
    if wiki == markdown:
        if by_extension in ("mediawiki", "markdown") or (wiki == 0 and by_extension == "text"):
            guess = by_extension
        else:
            guess = "text" if wiki == 0 else "mediawiki"
    else:
        guess = "mediawiki" if wiki > markdown else "markdown"
    logger.debug("%s: sniffed %s (mediawiki %d, markdown %d)", name, guess, wiki, markdown)
    return str(guess)
