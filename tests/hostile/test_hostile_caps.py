"""Parsers are fed only what they can handle: caps on HTML attributes, elements and blocks,
Markdown link definitions and unclosed brackets, MediaWiki unclosed tables and tags (each
flattened with a warning, text kept); and text with no letters or digits is empty."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from click.testing import CliRunner

from accord.cli import cli
from accord.errors import EmptyDocumentError
from accord.ingest import read_document, read_text
from accord.ingest.guard import (
    MARKDOWN_MAX_LINK_DEFINITIONS,
    MARKDOWN_MAX_UNCLOSED,
    MAX_HTML_ATTRIBUTES,
    MAX_HTML_BLOCKS,
    MAX_HTML_ELEMENTS,
    WIKI_MAX_UNCLOSED,
    flatten_deep_html,
    flatten_unclosed_markdown,
    flatten_unclosed_wikitext,
)

SENTENCE = "The Harbour Bridge was opened on 19 March 1932 in Sydney."
HANG_GUARD_S = 300  # far over what each input takes now; a hang fails instead of blocking


def _definitions(n: int) -> str:
    return "".join(f"[r{i}]: http://example.com/{i}\n" for i in range(n))


# What an attacker's probe sent: each hung `accord check` past 90 s before the caps.
ATTACKS = {
    "html_100k_attributes.html": "<html><body><p "
    + " ".join(f'a{i}="x"' for i in range(100_000))
    + f">{SENTENCE}</p></body></html>",
    "html_200k_paragraphs.html": "<html><body>"
    + "<p>a</p>" * 200_000
    + f"<p>{SENTENCE}</p></body></html>",
    "markdown_links.md": f"# Bridge\n\n{SENTENCE}\n\n"
    + _definitions(50_000)
    + "\n"
    + "[\n" * 20_000,
    "markdown_unclosed_links.md": f"# Bridge\n\n{SENTENCE}\n\n"
    + _definitions(50_000)
    + "\n"
    + "[x](" * 20_000,
    "wiki_unclosed_tables.wiki": f"'''Bridge''' {SENTENCE}\n\n" + "{|\n|-\n| cell\n" * 5_000,
    "wiki_unclosed_refs.wiki": f"'''Bridge''' {SENTENCE}\n\n" + '<ref name="a">x\n' * 5_000,
}
WARNINGS = {
    "html_100k_attributes.html": "1 HTML tags have over 100 attributes",
    "html_200k_paragraphs.html": "HTML has 200003 elements (200003 of them blocks)",
    "markdown_links.md": "50000 link reference definitions, over the limit",
    "markdown_unclosed_links.md": "50000 link reference definitions, over the limit",
    "wiki_unclosed_tables.wiki": "5000 unclosed tables or tags, over the limit",
    "wiki_unclosed_refs.wiki": "5000 unclosed tables or tags, over the limit",
}


# Ingest one file in a fresh interpreter: a guard that stops working hangs there, and the
# timeout fails the test instead of blocking the suite.
_INGEST = (
    "import json, logging, sys; logging.basicConfig(format='%(message)s'); "
    "from accord.ingest import read_document; "
    "print(json.dumps(read_document(sys.argv[1], format=sys.argv[2] or None).text))"
)


def _ingest(path: Path, text: str, fmt: str = "") -> tuple[str, str]:
    """The text of the document ``text`` makes, read from ``path``, and what was logged."""
    path.write_text(text, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-c", _INGEST, str(path), fmt],
        capture_output=True,
        text=True,
        timeout=HANG_GUARD_S,
        check=False,
        stdin=subprocess.DEVNULL,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    document_text: str = json.loads(done.stdout)
    return document_text, done.stderr


@pytest.mark.parametrize("name", sorted(ATTACKS))
def test_hostile_markup_is_flattened_with_a_warning(tmp_path: Path, name: str) -> None:
    text, logged = _ingest(tmp_path / name, ATTACKS[name])
    assert WARNINGS[name] in logged
    assert "19 March 1932" in text


@pytest.mark.integration
@pytest.mark.parametrize("name", sorted(ATTACKS))
def test_hostile_markup_is_checked_by_the_cli(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_text(ATTACKS[name], encoding="utf-8")
    env = {**os.environ, "COLUMNS": "1000"}
    done = subprocess.run(
        [sys.executable, "-m", "accord", "check", str(path), "--format", "json"],
        env=env,
        capture_output=True,
        text=True,
        timeout=HANG_GUARD_S,
        check=False,
        stdin=subprocess.DEVNULL,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert f"WARNING  {path}: " in done.stderr  # the line is cut to the terminal's width
    (document,) = json.loads(done.stdout)["documents"]
    assert document["source"] == str(path)
    assert not json.loads(done.stdout)["run"]["failures"]


@pytest.mark.parametrize("extra", [MAX_HTML_ATTRIBUTES + 50])
def test_html_attributes_over_the_cap_are_dropped(extra: int) -> None:
    attrs = " ".join(f'data-a{i}="v {i}"' for i in range(extra))
    flat = flatten_deep_html(f"<div><p {attrs}/><p {attrs}>{SENTENCE}</p></div>")
    tags = re.findall(r"<p [^>]*>", flat)
    assert len(tags) == 2
    assert all(tag.count("=") == MAX_HTML_ATTRIBUTES for tag in tags)
    assert tags[0].endswith('"v 99"/>')
    assert SENTENCE in flat


@pytest.mark.parametrize("extra", [7])
def test_html_blocks_over_the_cap_run_on(extra: int) -> None:
    html = "<body>" + "<p>word</p>" * (MAX_HTML_BLOCKS + extra) + "</body>"
    flat = flatten_deep_html(html)
    # <body> is a block too; one paragraph holds the text of the blocks past the limit
    assert flat.count("<p>") == MAX_HTML_BLOCKS
    assert flat.count("word") == MAX_HTML_BLOCKS + extra
    assert "<br>" not in flat


@pytest.mark.parametrize("extra", [3])
def test_html_elements_over_the_cap_are_flattened(extra: int) -> None:
    html = "<p>" + "<b>bold</b>" * (MAX_HTML_ELEMENTS + extra) + "</p>"
    flat = flatten_deep_html(html)
    assert flat.count("<b>") == MAX_HTML_ELEMENTS - 1
    assert flat.count("bold") == MAX_HTML_ELEMENTS + extra


@pytest.mark.parametrize("html", ["<p>" + "<b>x</b>" * 500 + "</p>", '<p a="1" b="2">x</p>' * 200])
def test_html_within_the_caps_is_unchanged(html: str) -> None:
    assert flatten_deep_html(html) == html


@pytest.mark.parametrize("extra", [25])
def test_markdown_link_definitions_over_the_cap_are_dropped(extra: int) -> None:
    text = f"{SENTENCE} [r1][] and [r{MARKDOWN_MAX_LINK_DEFINITIONS + 1}][]\n\n"
    text += _definitions(MARKDOWN_MAX_LINK_DEFINITIONS + extra)
    flat = flatten_unclosed_markdown(text)
    assert flat.count("]: http") == MARKDOWN_MAX_LINK_DEFINITIONS
    assert flat.startswith(SENTENCE)


@pytest.mark.parametrize("extra", [10])
def test_markdown_unclosed_brackets_over_the_cap_are_escaped(extra: int) -> None:
    text = "[link](http://x) " + "[ " * (MARKDOWN_MAX_UNCLOSED + extra) + "[closed]"
    flat = flatten_unclosed_markdown(text)
    assert flat == "[link](http://x) " + "\\[ " * (MARKDOWN_MAX_UNCLOSED + extra) + "[closed]"
    document = read_text(SENTENCE + "\n\n" + text, format="markdown")
    assert "[ [ [" in document.text  # escaped brackets read as the same text


@pytest.mark.parametrize(
    "text",
    [
        "[a](b) " * 500,
        _definitions(50) + "[" * MARKDOWN_MAX_UNCLOSED,
        "\\[" * 500,
    ],
)
def test_markdown_within_the_caps_is_unchanged(text: str) -> None:
    assert flatten_unclosed_markdown(text) == text


@pytest.mark.parametrize(
    ("unit", "opener"),
    [("{|\n|-\n| cell\n", "{|"), ("<ref>cite ", "<ref>"), ('<span class="x">y ', "<span")],
)
def test_wiki_unclosed_tables_and_tags_over_the_cap_are_dropped(unit: str, opener: str) -> None:
    text = f"'''Bridge''' {SENTENCE}\n\n" + unit * (WIKI_MAX_UNCLOSED + 5)
    flat = flatten_unclosed_wikitext(text)
    assert opener not in flat
    assert flat.startswith(f"'''Bridge''' {SENTENCE}")
    document = read_text(text, format="mediawiki")
    assert "19 March 1932" in document.text


@pytest.mark.parametrize(
    "unit",
    ["{|\n| a\n|}\n", "<ref>cite</ref> ", '<ref name="a"/> ', "<br> <li>item\n", "{| x "],
)
def test_wiki_closed_tables_and_tags_are_unchanged(unit: str) -> None:
    text = unit * (WIKI_MAX_UNCLOSED * 3)
    assert flatten_unclosed_wikitext(text) == text


# -- text with no letters or digits is empty ------------------------------------------------

_WHITESPACE = "".join(chr(c) for c in range(0x3001) if chr(c).isspace())
_INVISIBLE = "\u200b\ufeff\u2060\u200c\u200d\u200e\u2061\u180e\u00ad"
_CONTROLS = "".join(chr(c) for c in [*range(0x20), *range(0x7F, 0xA0)])
_MARKS = "".join(chr(c) for c in range(0x300, 0x370))
EMPTY_LOOKING = {
    "whitespace": _WHITESPACE * 500,
    "zero_width": (_INVISIBLE + " ") * 500,
    "controls": _CONTROLS * 100,
    "combining_marks": _MARKS * 50,
    "every_kind": (_WHITESPACE + _INVISIBLE + _CONTROLS + _MARKS + "-*.") * 40,
}


@pytest.mark.parametrize("case", sorted(EMPTY_LOOKING))
def test_text_with_no_letters_is_empty(case: str) -> None:
    text = EMPTY_LOOKING[case]
    assert not any(unicodedata.category(c)[0] in "LN" for c in text)
    with pytest.raises(EmptyDocumentError, match=r"^x is empty"):
        read_text(text, name="x")
    with pytest.raises(EmptyDocumentError, match=r"^x is empty"):
        read_document(text.encode("utf-8"), name="x")


@pytest.mark.parametrize("html", ["<html><body><p>&#x200B;&#8203; &#xFEFF;</p></body></html>"])
def test_html_with_only_invisible_entities_is_empty(html: str) -> None:
    with pytest.raises(EmptyDocumentError, match="is empty"):
        read_text(html, name="x", format="html")


@pytest.mark.parametrize("text", ["1932", "Ω", "の"])
def test_one_letter_or_digit_is_not_empty(text: str) -> None:
    assert read_text(f"\u200b {text} \u3000", name="x").text.strip() == text


@pytest.mark.usefixtures("restore_accord_logger")
@pytest.mark.parametrize("case", ["every_kind"])
def test_cli_refuses_an_empty_looking_file_in_one_line(tmp_path: Path, case: str) -> None:
    path = tmp_path / "blank.txt"
    path.write_text(EMPTY_LOOKING[case], encoding="utf-8", errors="surrogatepass")
    result = CliRunner().invoke(cli, ["check", str(path), "--format", "json"])
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith(f"error: {path} is empty")


@pytest.mark.parametrize("marker", ["[1]", "[citation needed]"])
def test_many_inline_cuts_in_one_paragraph_are_all_cut(tmp_path: Path, marker: str) -> None:
    text, _ = _ingest(tmp_path / "cites.txt", f"{SENTENCE}\n\n" + f"Word {marker} " * 20_000)
    assert marker not in text
    assert text.count("Word") == 20_000
