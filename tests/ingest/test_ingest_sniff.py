"""Format sniffing from content, with the extension only as a tiebreak."""

from __future__ import annotations

import pytest

from accord.ingest import read_document, sniff_format

HTML = "<html><body><p>Signed in 1941.</p></body></html>"
FRAGMENT = "<p>One.</p>\n<p>Two.</p>\n<div>Three.</div>"
WIKI = "Intro text.\n\n== Background ==\nThe '''pact''' was signed in [[Moscow]].\n"
MARKDOWN = "# Title\n\nSome **bold** text and a [link](https://example.org).\n"
PLAIN = "Just some text.\nNothing special here.\n"


@pytest.mark.parametrize(
    ("text", "name", "expected"),
    [
        (HTML, "page.txt", "html"),
        (FRAGMENT, "page.md", "html"),
        (WIKI, "page.md", "mediawiki"),
        (WIKI, "page.txt", "mediawiki"),
        (MARKDOWN, "page.txt", "markdown"),
        (MARKDOWN, "page.wiki", "markdown"),
        (PLAIN, "page.html", "text"),
        (PLAIN, "page.md", "markdown"),
        (PLAIN, "page", "text"),
    ],
    ids=[
        "html-as-txt",
        "fragment-as-md",
        "wiki-as-md",
        "wiki-as-txt",
        "md-as-txt",
        "md-as-wiki",
        "plain-as-html",
        "plain-md-tiebreak",
        "plain-no-extension",
    ],
)
def test_sniff_format_trusts_content_over_extension(text: str, name: str, expected: str) -> None:
    assert sniff_format(text, name=name) == expected


@pytest.mark.parametrize(("name", "expected"), [("misleading.txt", "html")], ids=["txt"])
def test_read_document_sniffs_misleading_extension(name: str, expected: str) -> None:
    assert read_document(HTML.encode(), name=name).format == expected
