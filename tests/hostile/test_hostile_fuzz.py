"""Property-based fuzzing of every public parser and normaliser (issue 8).

Whatever the input, ingest returns a well-formed document or raises an ``IngestError``;
the normalisers never raise, and every offset they give is in bounds and maps to the text.
"""

from __future__ import annotations

import os
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accord.errors import IngestError
from accord.ingest import FORMATS, read_document, read_text, sniff_format
from accord.ingest.blocks import Block
from accord.ingest.decode import clean_text, decode_bytes
from accord.ingest.guard import (
    flatten_deep_html,
    flatten_deep_markdown,
    flatten_deep_wikitext,
    html_depth,
    split_long_blocks,
)
from accord.model import Document
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
