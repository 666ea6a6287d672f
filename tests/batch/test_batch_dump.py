"""MediaWiki XML dumps: articles streamed one page at a time, in flat memory."""

from __future__ import annotations

import tracemalloc
from pathlib import Path
from typing import Any

import pytest

from accord.ingest.dump import is_dump_file, iter_dump
from accord.ingest.passages import Passage, read_passage
from accord.model import Failure

PAGES = [
    {
        "title": "Treaty of Valdoria",
        "text": "The '''Treaty of Valdoria''' was signed on {{start date|1852|5|3}} in "
        "[[Castelmar]].<ref>A source.</ref>\n\n== Background ==\nA war came before it.",
        "revisions": ["An old revision that must not be read."],
    },
    {"title": "Talk:Treaty of Valdoria", "text": "Discussion.", "ns": 1},
    {"title": "Valdoria Treaty", "text": "#REDIRECT [[Treaty of Valdoria]]", "redirect": "T"},
    {"title": "Old name", "text": "#redirect [[Treaty of Valdoria]]"},
    {"title": "Siege of Castelmar", "text": "The '''Siege of Castelmar''' ended in 1850 & later."},
]


@pytest.mark.parametrize("name", ["pages-articles.xml", "pages-articles.xml.bz2", "dump.xml.gz"])
def test_dump_reads_articles_as_passages(tmp_path: Path, write_dump: Any, name: str) -> None:
    path = write_dump(tmp_path / name, PAGES)
    assert is_dump_file(path)
    items = list(iter_dump(path))
    assert [type(item) for item in items] == [Passage, Passage]
    first, second = items
    assert isinstance(first, Passage) and isinstance(second, Passage)
    assert (first.title, first.format, first.source) == (
        "Treaty of Valdoria",
        "mediawiki",
        f"{path}#Treaty of Valdoria",
    )
    assert first.text is not None and "old revision" not in first.text
    assert second.text == "The '''Siege of Castelmar''' ended in 1850 & later."
    document = read_passage(first)
    assert document.title == "Treaty of Valdoria"
    assert "12 July" not in document.text and "3 May 1852" in document.text
    assert "A source." not in document.text  # the <ref> went to removed, as for any wiki file
    assert any("A source." in removed.text for removed in document.removed)


@pytest.mark.parametrize("name", ["notes.xml", "feed.xml.bz2"])
def test_dump_other_xml_is_not_a_dump(tmp_path: Path, name: str) -> None:
    import bz2

    data = b'<?xml version="1.0"?><rss><channel><title>x</title></channel></rss>'
    path = tmp_path / name
    path.write_bytes(bz2.compress(data) if name.endswith(".bz2") else data)
    assert not is_dump_file(path)


@pytest.mark.parametrize("cut", [0.6])
def test_dump_malformed_xml_keeps_the_pages_before(
    tmp_path: Path, write_dump: Any, cut: float
) -> None:
    pages = [{"title": f"Page {i}", "text": f"Page {i} says something."} for i in range(50)]
    path = write_dump(tmp_path / "dump.xml", pages)
    data = path.read_bytes()
    path.write_bytes(data[: int(len(data) * cut)] + b"<page><title>&bogus;</title></mediawiki>")
    items = list(iter_dump(path))
    *read, last = items
    assert isinstance(last, Failure)
    assert "not well-formed XML at line" in last.message
    assert f"the {len(read)} pages before it were read" in last.message
    assert 20 < len(read) < 50 and all(isinstance(item, Passage) for item in read)


@pytest.mark.parametrize("limit", [500])
def test_dump_page_over_the_limit_fails_alone(tmp_path: Path, write_dump: Any, limit: int) -> None:
    pages = [
        {"title": "Small", "text": "Small page."},
        {"title": "Huge", "text": "word " * 1000},
        {"title": "After", "text": "After page."},
    ]
    items = list(iter_dump(write_dump(tmp_path / "dump.xml", pages), max_bytes=limit))
    assert [type(item) for item in items] == [Passage, Failure, Passage]
    assert isinstance(items[1], Failure) and items[1].error == "InputTooLargeError"
    assert "'Huge'" in items[1].message


@pytest.mark.parametrize("doctype", ['<!DOCTYPE m [<!ENTITY e SYSTEM "file:///etc/passwd">]>'])
def test_dump_never_resolves_external_entities(tmp_path: Path, doctype: str) -> None:
    path = tmp_path / "dump.xml"
    path.write_text(
        f'<?xml version="1.0"?>{doctype}<mediawiki><page><title>T</title><ns>0</ns>'
        "<revision><text>before &e; after</text></revision></page></mediawiki>"
    )
    items = list(iter_dump(path))
    assert all("root:" not in (getattr(item, "text", "") or "") for item in items)
    assert len(items) == 1 and isinstance(items[0], Failure)


def _peak_bytes(path: Path) -> tuple[int, int]:
    """Peak traced memory while streaming the dump, and the number of pages read."""
    tracemalloc.start()
    try:
        count = sum(1 for item in iter_dump(path) if isinstance(item, Passage))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak, count


@pytest.mark.parametrize(("small", "large"), [(500, 3000)])
def test_dump_memory_stays_flat_in_the_number_of_pages(
    tmp_path: Path, write_dump: Any, small: int, large: int
) -> None:
    body = "The treaty was signed in 1852 and ended the war between the kingdoms. " * 30

    def pages(count: int) -> list[dict[str, str]]:
        return [{"title": f"Page {i}", "text": f"{body} Page {i}."} for i in range(count)]

    small_peak, small_count = _peak_bytes(write_dump(tmp_path / "small.xml", pages(small)))
    large_path = write_dump(tmp_path / "large.xml.bz2", pages(large))
    large_peak, large_count = _peak_bytes(large_path)
    assert (small_count, large_count) == (small, large)
    text_bytes = large * len(body)
    # Holding the pages would take the whole text (6 MB here); streaming holds about one.
    assert large_peak < text_bytes / 10, (large_peak, text_bytes)
    assert large_peak < small_peak * 1.5 + 256 * 1024, (small_peak, large_peak)
