"""Regression tests for the crashes and losses the hostile suite and the fuzzers found."""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path
from typing import ClassVar

import pytest

from accord.ingest import read_document, read_text
from accord.ingest.guard import flatten_deep_html, html_depth
from accord.limits import MAX_LINE_CHARS, check_deadline
from accord.model import Claim, Document
from accord.per_document import Failures, extract_each
from accord.pipeline import Settings

SENTENCE = "The Harbour Bridge was opened on 19 March 1932 in Sydney by the premier."


@pytest.mark.parametrize("entity", ["&#xD800;", "&#xDFFF;", "&#55296;"])
def test_issue_8_wiki_surrogate_entity_gives_valid_utf8(entity: str) -> None:
    document = read_text(f"'''Bridge''' {entity} {SENTENCE}", name="x.wiki", format="mediawiki")
    document.text.encode("utf-8")
    assert "\ufffd" in document.text


@pytest.mark.parametrize("repeat", [20_000])
def test_issue_8_one_line_document_split_for_the_parser(repeat: int) -> None:
    document = read_text(" ".join([SENTENCE] * repeat), name="one.txt")
    lines = document.text.split("\n")
    assert max(len(line) for line in lines) <= MAX_LINE_CHARS
    assert all(line.endswith(".") for line in lines if line)  # cut at sentence ends
    assert document.text.replace("\n\n", " ") == " ".join([SENTENCE] * repeat)


@pytest.mark.parametrize("tag", ["template", "script", "style", "noscript", "iframe"])
def test_issue_8_html_hidden_element_text_never_in_document(tag: str) -> None:
    html = f"<html><body><{tag}><p>HIDDENTEXT was here in 1999.</p></{tag}><p>{SENTENCE}</p>"
    document = read_text(html + "</body></html>", name="x.html")
    assert "HIDDENTEXT" not in document.text
    assert SENTENCE in document.text


@pytest.mark.parametrize("depth", [300, 10_000])
def test_issue_8_deep_html_keeps_text(depth: int) -> None:
    html = "<html><body>" + "<div>" * depth + f"<p>{SENTENCE}</p>" + "</div>" * depth
    assert SENTENCE in read_text(html, name="deep.html").text
    assert html_depth(flatten_deep_html(html, max_depth=200)) <= 200


@pytest.mark.parametrize("wrapper", ["", "<b>" * 50])
def test_issue_8_html_body_text_outside_blocks_is_read(wrapper: str) -> None:
    document = read_text(f"<html><body>{wrapper}{SENTENCE}</body></html>", name="x.html")
    assert document.text == SENTENCE


@pytest.mark.parametrize("depth", [5_000])
def test_issue_8_wiki_deep_templates_parse_fast(depth: int) -> None:
    started = time.monotonic()
    document = read_text("{{a|" * depth + SENTENCE, name="x.wiki", format="mediawiki")
    assert time.monotonic() - started < 10  # was 20 s and more before the guard
    assert "Harbour Bridge" in document.text


@pytest.mark.parametrize("marker", ["> ", "- ", "1. "])
def test_issue_8_markdown_deep_nesting_keeps_the_rest(marker: str) -> None:
    text = marker * 3000 + "deep item\n\n" + SENTENCE + "\n"
    document = read_text(text, name="x.md", format="markdown")
    assert SENTENCE in document.text


@pytest.mark.parametrize("codec", ["utf-32-le", "utf-32-be"])
def test_issue_8_bomless_utf32_is_text(codec: str) -> None:
    document = read_document(SENTENCE.encode(codec), name="x.txt")
    assert document.text == SENTENCE
    assert document.encoding == codec


class _SlowWarmUpExtractor:
    """Takes long to load and no time per document."""

    name: ClassVar[str] = "test.slow_warm_up.v1"

    def __init__(self) -> None:
        self.loaded = False

    def warm_up(self) -> None:
        time.sleep(0.3)
        self.loaded = True

    def extract(self, documents: Sequence[Document]) -> list[Claim]:
        if not self.loaded:
            self.warm_up()
        check_deadline()
        return []

    def describe(self) -> str:
        return "slow to load"


@pytest.mark.parametrize("limit_s", [0.2])
def test_issue_8_model_loading_not_charged_to_first_document(limit_s: float) -> None:
    document = read_text(SENTENCE, name="a.txt")
    failures = Failures()
    settings = Settings(max_seconds_per_document=limit_s)
    documents, _ = extract_each(_SlowWarmUpExtractor(), [(document, 0.0)], settings, failures)
    assert documents == [document]
    assert failures.items == []


@pytest.mark.parametrize("name", ["new\nline ✓.txt"])
def test_issue_8_odd_file_name_reads(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_text(SENTENCE, encoding="utf-8")
    assert read_document(path).source == str(path)


@pytest.mark.parametrize(
    "html",
    ["<a" * 300_000, "<!" * 300_000, "<" + "a" * 1_000_000, "<script" * 100_000, "<!--" * 200_000],
)
def test_issue_8_html_depth_scan_stays_linear(html: str) -> None:
    started = time.monotonic()
    flatten_deep_html(html, max_depth=200)
    assert time.monotonic() - started < 5  # quadratic scanning took minutes


@pytest.mark.parametrize("line", ["-     " * 7 + "x\n", "1.    " * 7 + "x\n"])
def test_issue_8_markdown_marker_scan_stays_linear(line: str) -> None:
    from accord.ingest.guard import flatten_deep_markdown

    started = time.monotonic()
    assert flatten_deep_markdown(line * 50_000) == line * 50_000  # 7 markers: under the limit
    assert time.monotonic() - started < 5


# Found by fuzz/ingest_fuzz.py: trafilatura re-parsing its own XML output raised
# XMLSyntaxError ("error parsing attribute name") on this page.
FUZZ_CRASH_XML = (
    "PCF0aGVhZF9vcGVubWw+PGhlPC9uYXY+PGgxPkJybmVkIG9uIFRoZSCTYnJpKaKioqKioqKioqKioiBvcGVoZSBj"
    "aXR5XV0uCj09dHJfb3BlbiBIaXN0b3J5ID09Cnt7SW5mb2IKe3tJbmZvYm94IGFtZT1IYXJib3VyfX0KKiBpdGVt"
    "PHJlZgpbW0NhdGVnb3J5OlhdXcg8IURPQ1RZUEUgJycnQitpZGdlJycnIHdhcyBvcGVoZSBjbWw+PGhlYWQ+PHRp"
    "dGxlPlQ8L3RpdGl0eV1dLgo9PXRodHJf"
)


@pytest.mark.parametrize("fmt", [None, "html"])
def test_issue_8_trafilatura_xml_error_falls_back(fmt: str | None) -> None:
    import base64

    data = base64.b64decode("".join(FUZZ_CRASH_XML))[1:]  # the fuzzer's first byte picks a format
    document = read_document(data, name="fuzz.input", format=fmt)
    assert "History" in document.text


@pytest.mark.parametrize("args", ["1932|3³19", "1932|³|19", "¹⁹³²|3|19", "1932|3|1⁹"])
def test_issue_8_wiki_date_template_superscript_digits(args: str) -> None:
    # Found by fuzz/ingest_fuzz.py: "3³19".isdigit() is true but int() refuses it.
    document = read_text(
        f"'''Bridge''' was opened on {{{{start date|{args}}}}} in Sydney by the premier.",
        name="x.wiki",
        format="mediawiki",
    )
    assert "Sydney" in document.text
