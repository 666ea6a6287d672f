"""A document's kind comes from what the page says of itself, never from its file name."""

from __future__ import annotations

from pathlib import Path

import pytest

from accord.ingest import read_document, read_text
from accord.ingest.kinds import page_kind
from accord.model import DocKind

BODY = (
    "<p>The Treaty of Vell was signed in Lisbon on 4 May 1820 by the two crowns, "
    "after a long negotiation.</p>"
)


def _page(head: str, body: str = BODY) -> str:
    return f"<html><head>{head}</head><body><article>{body}</article></body></html>"


@pytest.mark.parametrize(
    ("head", "kind", "origin"),
    [
        (
            '<meta property="og:site_name" content="Britannica">',
            DocKind.ENCYCLOPEDIA,
            "page: og:site_name 'Britannica'",
        ),
        (
            '<meta name="generator" content="MediaWiki 1.41.0">',
            DocKind.WIKI,
            "page: generator 'MediaWiki 1.41.0'",
        ),
        (
            '<meta property="og:site_name" content="Reuters">',
            DocKind.NEWS,
            "page: og:site_name 'Reuters'",
        ),
        (
            "<title>Treaty of Vell - Wikipedia</title>",
            DocKind.ENCYCLOPEDIA,
            "page: title 'Wikipedia'",
        ),
        ('<meta property="og:site_name" content="Vell Society">', DocKind.UNKNOWN, "default"),
    ],
)
def test_html_page_metadata_sets_the_kind_visibly(head: str, kind: DocKind, origin: str) -> None:
    doc = read_text(_page(head), name="page.html")
    assert doc.kind is kind
    assert doc.kind_origin == origin


@pytest.mark.parametrize(
    ("head", "published"),
    [
        (
            '<meta property="article:published_time" content="2019-03-02T08:00:00Z">',
            "2019-03-02T08:00:00Z",
        ),
        ('<meta name="date" content="2019-03-02">', "2019-03-02"),
        ('<meta name="date" content="last Tuesday">', None),  # not a date: left out
        ("", None),
    ],
)
def test_html_page_published_date(head: str, published: str | None) -> None:
    doc = read_text(_page(head), name="page.html")
    assert doc.published == published


@pytest.mark.parametrize("case", ["time element"])
def test_html_time_element_gives_published(case: str) -> None:
    body = '<time datetime="2018-11-30">30 November 2018</time>' + BODY
    doc = read_text(_page("", body), name="page.html")
    assert doc.published == "2018-11-30"


@pytest.mark.parametrize("case", ["site name and generator kept as metadata"])
def test_html_page_metadata_is_kept(case: str) -> None:
    head = (
        '<meta property="og:site_name" content="Vell Gazette">'
        '<meta name="generator" content="WordPress 6.1">'
        '<link rel="canonical" href="https://gazette.example/vell">'
    )
    doc = read_text(_page(head), name="page.html")
    meta = dict(doc.metadata)
    assert meta["site_name"] == "Vell Gazette"
    assert meta["generator"] == "WordPress 6.1"
    assert doc.url == "https://gazette.example/vell"


@pytest.mark.parametrize(
    "name",
    [
        "britannica_a.txt",
        "wikipedia_vell.txt",
        "bbc_news_vell.txt",
        "fandom_wiki.txt",
        "https://en.wikipedia.org/wiki/Vell",
    ],
)
def test_file_name_never_sets_the_kind(tmp_path: Path, name: str) -> None:
    text = "The Treaty of Vell was signed in Lisbon on 4 May 1820 by the two crowns."
    doc = read_text(text, name=name)
    assert (doc.kind, doc.kind_origin) == (DocKind.UNKNOWN, "default")
    if "://" not in name:
        (tmp_path / name).write_text(text, "utf-8")
        from_file = read_document(tmp_path / name)
        assert (from_file.kind, from_file.kind_origin) == (DocKind.UNKNOWN, "default")


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        (
            "From Wikipedia, the free encyclopedia\nThe Treaty of Vell was signed.",
            DocKind.ENCYCLOPEDIA,
        ),
        ("Community content is available under CC-BY-SA.", DocKind.WIKI),
        ("Nothing telling here at all.", DocKind.UNKNOWN),
    ],
)
def test_page_kind_reads_telling_text(text: str, kind: DocKind) -> None:
    found, origin = page_kind((), text)
    assert found is kind
    assert origin.startswith("page: text '") if kind is not DocKind.UNKNOWN else origin == "default"
