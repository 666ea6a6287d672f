"""Crafted hostile inputs through the real CLI: none crashes, none hangs, each gets a result
or its documented error.

Every input is written by the test itself. Each is checked next to one good document, so the
run has a report: the hostile document is either among the documents checked or listed in
``run.failures`` with the error the case expects.
"""

from __future__ import annotations

import codecs
import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from jsonschema import Draft202012Validator

from accord.cli import cli
from accord.report import load_schema

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("restore_accord_logger")]

LIMIT_S = 3.0  # the per-document limit the cases run under (--max-seconds)
MARGIN_S = 20.0  # model loading, the first unit of work past a deadline, a slow CI machine
MAX_BYTES = 3_000_000  # --max-bytes for the cases: the 1 MB cases fit, the oversize one not

GOOD = (
    "The Harbour Bridge was opened on 19 March 1932 in Sydney.\n\n"
    "It was designed by John Bradfield. The bridge carries eight lanes.\n"
)
SENTENCE = "The Harbour Bridge was opened on 19 March 1932 in Sydney by the premier."
SCRIPT_MARK = "SCRIPTMARKER"  # text that sits only inside scripts, styles and handlers

OK = "ok"  # the document is checked
OK_OR_TIMEOUT = "ok|DocumentTimeoutError"  # big inputs: checked, or failed on the time limit


def _ascii(n: int) -> bytes:
    return (SENTENCE + " ").encode() * n


def _html(body: str) -> bytes:
    head = "<!DOCTYPE html><html><head><title>Bridge</title></head>"
    return f"{head}<body>{body}</body></html>".encode()


def _nested_html(depth: int) -> bytes:
    return _html("<div>" * depth + f"<p>{SENTENCE}</p>" + "</div>" * depth)


def _script_html() -> bytes:
    return _html(
        f"<script>var x = '{SCRIPT_MARK} was signed in 1999.';</script>"
        f"<style>body::after {{ content: '{SCRIPT_MARK} opened in 1990.' }}</style>"
        f'<iframe srcdoc="<p>{SCRIPT_MARK} iframe 1970.</p>"></iframe>'
        f"<noscript>{SCRIPT_MARK} noscript was built in 1901.</noscript>"
        f"<p onclick=\"alert('{SCRIPT_MARK}')\">{SENTENCE}</p>"
        f"<p><a href=\"javascript:alert('{SCRIPT_MARK}')\">Sydney</a> is a city in Australia.</p>"
        f"<template><p>{SCRIPT_MARK} template in 1950.</p></template>"
        f"<svg><script>{SCRIPT_MARK}</script><text>{SCRIPT_MARK} svg 1960.</text></svg>"
    )


def _entity_bomb() -> bytes:
    entities = '<!ENTITY a "aaaaaaaaaa">' + "".join(
        f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(8)
    )
    return (
        f"<!DOCTYPE html [{entities}]><html><body><p>&i;&i;&i;</p>"
        f"<p>{SENTENCE}</p><p>{'&amp;' * 50000}&#xFFFFFFFF;&#0;&#xD800;</p></body></html>"
    ).encode()


CASES: dict[str, tuple[str, Callable[[], bytes], str]] = {
    # name: (file name, bytes, expected: "ok", an error class name, or "ok|Error")
    "empty": ("empty.txt", lambda: b"", "EmptyDocumentError"),
    "whitespace": ("ws.txt", lambda: b" \t\r\n\x0b\x0c \n" * 100, "EmptyDocumentError"),
    "bom_only": ("bom.txt", lambda: codecs.BOM_UTF8, "EmptyDocumentError"),
    "utf16_bom": ("u16.txt", lambda: GOOD.encode("utf-16"), OK),
    "utf16le_no_bom": ("u16le.txt", lambda: GOOD.encode("utf-16-le"), OK),
    "utf16be_no_bom": ("u16be.txt", lambda: GOOD.encode("utf-16-be"), OK),
    "utf32_bom": ("u32.txt", lambda: GOOD.encode("utf-32"), OK),
    "utf32le_no_bom": ("u32le.txt", lambda: GOOD.encode("utf-32-le"), OK),
    "utf32be_no_bom": ("u32be.txt", lambda: GOOD.encode("utf-32-be"), OK),
    "utf8_bom": ("u8bom.txt", lambda: codecs.BOM_UTF8 + GOOD.encode(), OK),
    "latin1": (
        "latin1.txt",
        lambda: ("Le pont à Sydney fut ouvert en 1932. " * 5).encode("latin-1"),
        OK,
    ),
    "cp1252_smart_quotes": (
        "cp1252.txt",
        lambda: ("The \u201cbridge\u201d was opened \u2014 on 19 March 1932. " * 3).encode(
            "cp1252"
        ),
        OK,
    ),
    "mixed_utf8_latin1": (
        "mixed.txt",
        lambda: GOOD.encode() + "Café à Sydney.".encode("latin-1") + " Crème brûlée.".encode(),
        OK,
    ),
    "nul_laden": ("nul.txt", lambda: GOOD.encode().replace(b" ", b"\x00"), "BinaryInputError"),
    "few_nuls": ("fewnul.txt", lambda: _ascii(20) + b"\x00" + _ascii(20), OK),
    "control_chars": (
        "ctrl.txt",
        lambda: bytes(range(1, 32)) + b"\x7f" + GOOD.encode() + b"\x1b[31m",
        OK,
    ),
    "c1_controls": ("c1.txt", lambda: ("\x85\x9b\x9f" + GOOD).encode(), OK),
    "lone_surrogate_bytes": (
        "surr.txt",
        lambda: b"\xed\xa0\x80 " + GOOD.encode() + b"\xed\xbf\xbf",
        OK,
    ),
    "invalid_utf8": ("badutf8.txt", lambda: GOOD.encode() + b"\xff\xfe\xc0\xaf\xf8\x88\x80", OK),
    "rtl_arabic_hebrew": (
        "rtl.txt",
        lambda: "افتتح الجسر في 19 مارس 1932 في سيدني.\nהגשר נפתח ב-19 במרץ 1932.\n".encode(),
        OK,
    ),
    "mixed_scripts": (
        "scripts.txt",
        lambda: (
            GOOD + "Мост открыт в 1932 году. 橋は1932年に開通した。 पुल 1932 में खुला। 🌉🎉\n"
        ).encode(),
        OK,
    ),
    "zero_width_bidi": (
        "zw.txt",
        lambda: (
            "The\u200bHarbour\u200d Bridge\u2060 was\u202e opened\u202c on 19\u200c "
            "March 1932.\ufeff"
        ).encode(),
        OK,
    ),
    "unicode_separators": ("seps.txt", lambda: GOOD.replace("\n", "\u2028\u2029\x85").encode(), OK),
    "cr_only_newlines": ("cr.txt", lambda: GOOD.replace("\n", "\r").encode(), OK),
    "one_line_short": ("oneline.txt", lambda: SENTENCE.encode(), OK),
    "one_line_1mb": ("mb.txt", lambda: _ascii(1_000_000 // (len(SENTENCE) + 1)), OK_OR_TIMEOUT),
    "fifty_thousand_lines": (
        "lines.txt",
        lambda: b"".join(b"Line %d: the bridge was opened in 1932.\n" % i for i in range(50_000)),
        OK_OR_TIMEOUT,
    ),
    "very_long_lines": ("long.txt", lambda: (_ascii(300) + b"\n") * 30, OK_OR_TIMEOUT),
    "extremely_long_word": ("word.txt", lambda: b"x" * 400_000 + b" " + _ascii(3), OK),
    "huge_numbers_dates": (
        "nums.txt",
        lambda: (
            b"It cost 1e308 dollars and 1.8e309 euros; 99999999999999999999999999 people came. "
            b"It opened on 31 February 1932, on 29 February 1931 and in the year 99999. "
            b"It was 10^999 km long, -0 m wide, NaN tons heavy and Infinity years old. "
            b"On 30 February it closed; on 0 March 1932 it reopened; in 1932-13-45 it was sold."
        ),
        OK,
    ),
    "deep_html_10k": ("deep.html", lambda: _nested_html(10_000), OK),
    "deep_unclosed_inline_html": ("deepb.html", lambda: _html("<b>" * 50_000 + SENTENCE), OK),
    "script_style_iframe_events": ("script.html", _script_html, OK),
    "malformed_html": (
        "bad.html",
        lambda: (
            b"<html><body><p>The bridge <b>was <i>opened</b> in 1932.</i><<<>>><p <div class='x"
            b"'>Sydney<table><td>1932<tr></p></div></body><p>After the end it was opened on "
            b"19 March 1932 in Sydney by the premier.</html></html><!-- unclosed comment"
        ),
        "ok|EmptyDocumentError",
    ),
    "entity_bomb_html": ("bomb.html", _entity_bomb, OK_OR_TIMEOUT),
    "huge_table_html": (
        "table.html",
        lambda: _html("<table>" + ("<tr>" + "<td>1932</td>" * 100 + "</tr>") * 400 + "</table>"),
        OK_OR_TIMEOUT,
    ),
    "html_tags_only": (
        "tags.html",
        lambda: _html("<div><span></span><br><hr></div>" * 100),
        "EmptyDocumentError",
    ),
    "wiki_unclosed_templates_links": (
        "unclosed.wiki",
        lambda: (
            "== Bridge ==\n{{Infobox bridge|name=Harbour|opened={{start date|1932|3|19\n"
            + "[[Sydney|" * 3000
            + "\n'''Harbour Bridge''' was opened on 19 March 1932 in [[Sydney.\n{{cite|"
        ).encode(),
        OK,
    ),
    "wiki_deep_templates": ("deep.wiki", lambda: b"{{a|" * 5000 + _ascii(2) + b"}}" * 10, OK),
    "markdown_pathological": (
        "deep.md",
        lambda: (
            "> " * 3000
            + SENTENCE
            + "\n\n"
            + "- " * 3000
            + "item\n\n"
            + "*" * 5000
            + "x"
            + "_" * 5000
            + "\n\n"
            + "[" * 5000
            + "](" * 3000
            + "\n\n"
            + "`" * 4000
            + "\n\n# "
            + SENTENCE
            + "\n"
        ).encode(),
        OK_OR_TIMEOUT,
    ),
    "markdown_huge_table": (
        "table.md",
        lambda: ("| a | b |\n|---|---|\n" + "| 1932 | Sydney bridge |\n" * 5000).encode(),
        OK_OR_TIMEOUT,
    ),
    "zip_header": ("a.txt", lambda: b"PK\x03\x04" + bytes(range(256)) * 8, "BinaryInputError"),
    "png_header": ("b.txt", lambda: b"\x89PNG\r\n\x1a\n" + bytes(200), "BinaryInputError"),
    "pdf_header": (
        "c.txt",
        lambda: b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n",
        "BinaryInputError",
    ),
    "elf_header": ("d.txt", lambda: b"\x7fELF\x02\x01\x01" + bytes(500), "BinaryInputError"),
    "over_size_limit": (
        "big.txt",
        lambda: _ascii(MAX_BYTES // len(SENTENCE) + 10),
        "InputTooLargeError",
    ),
    "punctuation_only": ("punct.txt", lambda: b".,;:!?()[]{}<>-" * 2000, "ok|EmptyDocumentError"),
    "newline_unicode_name": ("new\nline ✓ é名.txt", lambda: GOOD.encode(), OK),
}


def _expected_matches(expected: str, outcome: str) -> bool:
    return outcome in expected.split("|")


def _run(*args: str) -> tuple[Result, float]:
    started = time.monotonic()
    result = CliRunner().invoke(cli, list(args))
    return result, time.monotonic() - started


def _report(result: Result) -> dict[str, Any]:
    encoded = result.stdout.encode("utf-8")  # valid UTF-8 all the way (no lone surrogates)
    data: dict[str, Any] = json.loads(encoded.decode("utf-8"))
    assert not list(Draft202012Validator(load_schema()).iter_errors(data))
    return data


def _assert_no_crash(result: Result) -> None:
    assert result.exit_code in (0, 1, 2), (result.exit_code, result.stderr, result.exception)
    assert "Traceback" not in result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit)


@pytest.mark.parametrize("case", sorted(CASES))
def test_hostile_input_gets_result_or_documented_error(tmp_path: Path, case: str) -> None:
    name, make, expected = CASES[case]
    hostile = tmp_path / name
    hostile.write_bytes(make())
    good = tmp_path / "good.txt"
    good.write_text(GOOD, encoding="utf-8")
    args = ["check", str(hostile), str(good), "--format", "json"]
    limits = ["--max-seconds", str(LIMIT_S), "--max-bytes", str(MAX_BYTES)]
    result, elapsed = _run(*args, *limits)
    _assert_no_crash(result)
    assert elapsed < 2 * LIMIT_S + MARGIN_S, f"{case} took {elapsed:.1f} s"
    assert result.exit_code == 0, result.stderr
    data = _report(result)
    sources = [d["source"] for d in data["documents"]]
    assert str(good) in sources  # the good document is always checked
    failures = {f["source"]: f for f in data["run"]["failures"]}
    if str(hostile) in sources:
        outcome = OK
        assert str(hostile) not in failures
    else:
        failure = failures[str(hostile)]
        outcome = failure["error"]
        assert failure["message"].strip() and "\n" not in failure["message"].strip("\n")
        assert "could not check" in " ".join(result.stderr.split())  # reported at the end
    assert _expected_matches(expected, outcome), (case, outcome, data["run"]["failures"])
    claims_text = " ".join(c["text"] for c in data["claims"])
    assert SCRIPT_MARK not in claims_text


@pytest.mark.parametrize(
    "case", ["empty", "nul_laden", "pdf_header", "over_size_limit", "bom_only"]
)
def test_hostile_input_alone_is_one_error_line(tmp_path: Path, case: str) -> None:
    name, make, expected = CASES[case]
    hostile = tmp_path / name
    hostile.write_bytes(make())
    result, _ = _run("check", str(hostile), "--max-bytes", str(MAX_BYTES), "--format", "json")
    _assert_no_crash(result)
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    assert expected != OK


@pytest.mark.parametrize("case", ["script_style_iframe_events"])
def test_hostile_html_script_text_never_reaches_document(case: str) -> None:
    from accord.ingest import read_document

    name, make, _ = CASES[case]
    document = read_document(make(), name=name)
    assert SCRIPT_MARK not in document.text
    assert "Harbour Bridge" in document.text
    assert all(SCRIPT_MARK not in removed.text for removed in document.removed)


@pytest.mark.parametrize("case", ["deep_html_10k"])
def test_hostile_deep_html_keeps_its_text(case: str) -> None:
    from accord.ingest import read_document

    name, make, _ = CASES[case]
    document = read_document(make(), name=name)
    assert SENTENCE in document.text
