"""Property-based fuzzing of every public parser and normaliser.

Whatever the input, ingest returns a well-formed document or raises an ``IngestError``;
the normalisers never raise, and every offset they give is in bounds and maps to the text.
The corpus readers of ``accord batch`` (JSONL lines, MediaWiki dumps) give each line or page
a passage or a deliberate failure, never an exception or an internal error.
"""

from __future__ import annotations

import bz2
import json
import os
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accord.errors import IngestError
from accord.ingest import FORMATS, read_document, read_text, sniff_format
from accord.ingest.blocks import Block
from accord.ingest.decode import clean_text, decode_bytes
from accord.ingest.dump import iter_dump
from accord.ingest.guard import (
    flatten_deep_html,
    flatten_deep_markdown,
    flatten_deep_wikitext,
    flatten_unclosed_markdown,
    flatten_unclosed_wikitext,
    html_depth,
    split_long_blocks,
)
from accord.ingest.passages import Passage, iter_passages, read_passage
from accord.model import Document, Failure
from accord.normalize import EntityIndex, find_dates, find_quantities, parse_date

# Per property: enough to find the crashes seen so far while the suite stays fast; raise it
# for a longer hunt with ACCORD_FUZZ_EXAMPLES=5000.
EXAMPLES = int(os.environ.get("ACCORD_FUZZ_EXAMPLES", "120"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

FRAGMENTS = [
    "<p>", "</p>", "<div>", "</div>", "<b>", "<script>", "</script>", "<html>", "<body>",
    "<!--", "-->", "<table><tr><td>", "&amp;", "&#x0;", "&#xD800;", "&nbsp;", "<br/>",
    "{{", "}}", "[[", "]]", "|", "==", "''' ", "<ref>", "</ref>", "{|", "|}", "----",
    "# ", "## ", "> ", "- ", "* ", "1. ", "**", "__", "`", "```", "](", "[", "]", "(", ")",
    "\n", "\n\n", "\r\n", "\t", " ", "\x00", "\x1b", "\u200b", "\u202e", "\ufeff", "\ud800",
    "12 July 1941", "July 25, 1939", "31 February", "99999", "1e308", "-0", "about 3 million",
    "1,000,000 km", "the 1940s", "in Moscow", "The Soviet Union", "USSR", "signed", ".", ", ",
    "Café", "Москва", "北京", "العربية", "עברית", "🎉",
]  # fmt: skip


def _markupish() -> st.SearchStrategy[str]:
    pieces = st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=8))
    return st.lists(pieces, max_size=60).map("".join)


ANY_TEXT = st.one_of(st.text(st.characters(codec=None), max_size=300), _markupish())
ANY_BYTES = st.one_of(
    st.binary(max_size=400),
    _markupish().map(lambda t: t.encode("utf-8", "surrogatepass")),
    st.tuples(_markupish(), st.sampled_from(["utf-16", "utf-16-le", "utf-32-be", "cp1252"])).map(
        lambda p: p[0].encode(p[1], "replace")
    ),
)
FORMAT_OR_NONE = st.sampled_from([None, *FORMATS])


def _assert_well_formed(document: Document) -> None:
    text = document.text
    text.encode("utf-8")  # no lone surrogates: JSON output stays valid UTF-8
    assert text.strip()
    assert re.fullmatch(r"[0-9a-f]{16}", document.id)
    for section in document.sections:
        assert 0 <= section.start <= section.end <= len(text)
    for removed in document.removed:
        assert 0 <= removed.at <= len(text)
        removed.text.encode("utf-8")
    document.title.encode("utf-8")


@pytest.mark.parametrize("case", ["text"])
@FUZZ
@given(text=ANY_TEXT, fmt=FORMAT_OR_NONE)
def test_fuzz_read_text_document_or_ingest_error(case: str, text: str, fmt: str | None) -> None:
    try:
        document = read_text(text, name="fuzz", format=fmt)
    except IngestError:
        return
    _assert_well_formed(document)


@pytest.mark.parametrize("case", ["bytes"])
@FUZZ
@given(data=ANY_BYTES, fmt=FORMAT_OR_NONE)
def test_fuzz_read_document_bytes_document_or_ingest_error(
    case: str, data: bytes, fmt: str | None
) -> None:
    try:
        document = read_document(data, name="fuzz.bin", format=fmt, max_bytes=10_000)
    except IngestError:
        return
    _assert_well_formed(document)


@pytest.mark.parametrize("case", ["decode"])
@FUZZ
@given(data=ANY_BYTES)
def test_fuzz_decode_bytes_gives_clean_utf8(case: str, data: bytes) -> None:
    try:
        decoded = decode_bytes(data, name="fuzz")
    except IngestError:
        return
    decoded.text.encode("utf-8")
    assert clean_text(decoded.text) == decoded.text  # cleaning is idempotent


@pytest.mark.parametrize("case", ["sniff"])
@FUZZ
@given(text=ANY_TEXT)
def test_fuzz_sniff_format_is_a_known_format(case: str, text: str) -> None:
    assert sniff_format(text, name="x") in FORMATS


@pytest.mark.parametrize("case", ["dates"])
@FUZZ
@given(text=ANY_TEXT)
def test_fuzz_find_dates_spans_map_to_text(case: str, text: str) -> None:
    for match in find_dates(text):
        assert 0 <= match.start <= match.end <= len(text)
        assert text[match.start : match.end] == match.text
    parse_date(text)  # never raises


@pytest.mark.parametrize("case", ["quantities"])
@FUZZ
@given(text=ANY_TEXT)
def test_fuzz_find_quantities_spans_map_to_text(case: str, text: str) -> None:
    for match in find_quantities(text):
        assert 0 <= match.start <= match.end <= len(text)
        assert text[match.start : match.end] == match.text
        assert match.value.amount.is_finite()


@pytest.mark.parametrize("case", ["entities"])
@FUZZ
@given(text=ANY_TEXT)
def test_fuzz_entity_lookup_never_raises(case: str, text: str) -> None:
    index = EntityIndex.load()
    ref = index.lookup(text)
    assert ref is None or ref.name
    index.demonym(text)


@pytest.mark.parametrize("max_depth", [3])
@FUZZ
@given(text=ANY_TEXT)
def test_fuzz_flatten_deep_markup_bounds_depth(max_depth: int, text: str) -> None:
    flat = flatten_deep_html(text, max_depth=max_depth)
    assert html_depth(flat) <= max_depth
    flatten_deep_wikitext(text, max_depth=max_depth)
    flatten_deep_markdown(text)
    flatten_unclosed_wikitext(text)
    flatten_unclosed_markdown(text)


@pytest.mark.parametrize("limits", [(40, 8)])
@FUZZ
@given(text=st.text(st.characters(codec="utf-8"), min_size=1, max_size=400))
def test_fuzz_split_long_blocks_pieces_within_limits(limits: tuple[int, int], text: str) -> None:
    max_chars, max_tokens = limits
    text = " ".join(text.split())
    if not text:
        return
    pieces = split_long_blocks([Block(kind="paragraph", text=text)], max_chars, max_tokens)
    texts = [p.text for p in pieces if isinstance(p, Block)]
    assert "".join(texts).replace(" ", "") == text.replace(" ", "")  # only cut spaces are lost
    assert all(isinstance(p, Block) and 0 < len(p.text) <= max_chars for p in pieces)


# -- the corpus readers of accord batch ------------------------------------------------------


def _assert_passage_or_failure(item: Passage | Failure) -> None:
    """A deliberate failure, or a passage that ingests to a well-formed document (or fails
    with an ``IngestError``)."""
    if isinstance(item, Failure):
        assert not item.message.startswith("internal error"), item
        item.message.encode("utf-8")
        item.source.encode("utf-8")
        return
    assert isinstance(item, Passage)
    try:
        document = read_passage(item, max_bytes=100_000)
    except IngestError:
        return
    _assert_well_formed(document)


def _read_file(name: str, data: bytes, reader: str) -> Iterator[Passage | Failure]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        read = iter_passages if reader == "jsonl" else iter_dump
        yield from list(read(path, max_bytes=100_000))


_JSON_SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), ANY_TEXT
)
_JSON = st.recursive(
    _JSON_SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=10,
)
_FIELDS = ["text", "title", "subject", "id", "source", "kind", "format", "url", "date", "metadata"]
_LINE = st.one_of(
    st.dictionaries(st.sampled_from(_FIELDS), _JSON, max_size=6).map(json.dumps),
    st.builds(
        lambda text, fmt: json.dumps({"text": text, "format": fmt}), ANY_TEXT, FORMAT_OR_NONE
    ),
    _JSON.map(json.dumps),
    st.integers(100, 20_000).map(lambda n: "[" * n + "]" * n),
    st.integers(4_300, 6_000).map(lambda n: '{"text": "x", "id": ' + "1" * n + "}"),
)
_LINE_BYTES = st.one_of(_LINE.map(lambda line: line.encode("utf-8")), st.binary(max_size=120))


@pytest.mark.parametrize("case", ["jsonl"])
@FUZZ
@given(lines=st.lists(_LINE_BYTES, min_size=1, max_size=5))
def test_fuzz_jsonl_lines_each_passage_or_failure(case: str, lines: list[bytes]) -> None:
    lines = [line.replace(b"\n", b" ") for line in lines]
    found = list(_read_file("corpus.jsonl", b"\n".join(lines) + b"\n", "jsonl"))
    assert len(found) == sum(1 for line in lines if line.strip())
    for item in found:
        _assert_passage_or_failure(item)


def _dump(pages: list[tuple[str, str, int]]) -> bytes:
    parts = ['<mediawiki xmlns="http://www.mediawiki.org/xml/export-0.11/" version="0.11">']
    parts.append("<siteinfo><sitename>Fuzzpedia</sitename></siteinfo>")
    for number, (title, text, ns) in enumerate(pages, start=1):
        parts.append(f"<page><title>{escape(title)}</title><ns>{ns}</ns><id>{number}</id>")
        parts.append(f'<revision><text xml:space="preserve">{escape(text)}</text></revision>')
        parts.append("</page>")
    parts.append("</mediawiki>")
    return "\n".join(parts).encode("utf-8", "surrogatepass")


_XML_TEXT = st.text(st.characters(codec="utf-8", exclude_categories=["Cs", "Cc"]), max_size=40)
_PAGE = st.tuples(
    st.one_of(_XML_TEXT, _markupish().map(lambda t: t.replace("\x00", ""))),
    st.one_of(_markupish(), _XML_TEXT),
    st.sampled_from([0, 0, 0, 1, 14]),
)


@pytest.mark.parametrize("case", ["dump"])
@FUZZ
@given(
    pages=st.lists(_PAGE, min_size=1, max_size=4),
    cut=st.one_of(st.none(), st.integers(0, 4000)),
    compress=st.booleans(),
)
def test_fuzz_dump_pages_each_passage_or_failure(
    case: str, pages: list[tuple[str, str, int]], cut: int | None, compress: bool
) -> None:
    data = _dump(pages)
    if cut is not None:
        data = data[:cut]  # a truncated dump: the pages before the cut are kept
    name = "pages.xml.bz2" if compress else "pages.xml"
    found = list(_read_file(name, bz2.compress(data) if compress else data, "dump"))
    assert sum(isinstance(item, Passage) for item in found) <= len(pages)
    for item in found:
        _assert_passage_or_failure(item)
