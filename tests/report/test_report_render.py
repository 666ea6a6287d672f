"""Tests for the terminal and Markdown renderings."""

from __future__ import annotations

import dataclasses
import io

import pytest
from rich.console import Console

from accord.model import Claim, Report, Span
from accord.report import render_terminal, reporters, to_markdown
from accord.report.terminal import MAX_ONLY_IN, TerminalReporter


def _terminal(report: Report, width: int = 100, color: bool = False) -> str:
    return TerminalReporter(width=width, color=color).render(report)


def _many_single_source(report: Report, extra: int) -> Report:
    doc = report.documents[1]
    claims = tuple(
        Claim(
            id=f"extra-{i}",
            doc_id=doc.id,
            span=Span(doc_id=doc.id, start=0, end=3),
            text=f"Extra claim number {i} " + "padding " * 40,
            subject=None,
            predicate="be",
        )
        for i in range(extra)
    )
    return dataclasses.replace(report, claims=(*report.claims, *claims))


@pytest.mark.parametrize("width", [100, 60, 40])
def test_terminal_shows_contradiction_with_both_quotes(sample_report: Report, width: int) -> None:
    text = " ".join(_terminal(sample_report, width=width).split())
    for expected in (
        "Contradictions (1)",
        "date_signed: 1941-07-12 vs 1939-07-25",
        "The Anglo-Soviet Agreement was signed on 12 July 1941 in Moscow.",
        "The Anglo-Soviet Agreement was signed on July 25, 1939.",
        "signed on 1941-07-12 vs 1939-07-25",
        "Agreements (1)",
        "Only in [1] Wikipedia: Anglo-Soviet Agreement (2)",
        "Germany invaded the Soviet Union on 22 June 1941.",
        "Record",
        "contradicted",
        "Reliability",
        "contradicts the consensus on date_signed",
        "Removed as boilerplate",
        "navigation: Jump to navigation",
        "Run",
        "neural NLI not configured",
    ):
        assert expected in text, expected
    assert "\x1b[" not in text


@pytest.mark.parametrize("color", [False, True])
def test_terminal_renders_hostile_text_literally(hostile_report: Report, color: bool) -> None:
    text = _terminal(hostile_report, color=color)
    assert "[bold red]x[/]" in text
    assert "<script>alert(1)</script>" in text
    assert ":smile:" in text
    assert "\x1b[31mred" not in text  # the document's own escape never reaches the terminal
    if not color:
        assert "\x1b" not in text


@pytest.mark.parametrize("extra", [MAX_ONLY_IN + 5])
def test_terminal_caps_single_source_list(sample_report: Report, extra: int) -> None:
    text = _terminal(_many_single_source(sample_report, extra))
    assert f"… and {extra + 1 - MAX_ONLY_IN} more" in text
    assert max(len(line) for line in text.splitlines()) <= 100


@pytest.mark.parametrize("case", ["console"])
def test_render_terminal_on_given_console(sample_report: Report, case: str) -> None:
    buffer = io.StringIO()
    render_terminal(sample_report, Console(file=buffer, width=100))
    assert "Contradictions (1)" in buffer.getvalue()
    assert "\x1b[" not in buffer.getvalue()  # not a terminal, no colour


@pytest.mark.parametrize("case", ["sample"])
def test_markdown_has_sections_and_quotes(sample_report: Report, case: str) -> None:
    text = to_markdown(sample_report)
    for expected in (
        "# accord: Anglo-Soviet Agreement",
        "## Contradictions (1)",
        "### 1. date\\_signed: 1941-07-12 vs 1939-07-25",
        "12 July 1941 in Moscow.",
        "July 25, 1939.",
        "## Agreements (1)",
        "## Only in",
        "| field | \\[1\\] | \\[2\\] | consensus | status |",
        "## Reliability",
        "## Removed as boilerplate",
        "## Run",
    ):
        assert expected in text, expected


@pytest.mark.parametrize("case", ["hostile"])
def test_markdown_escapes_hostile_text(hostile_report: Report, case: str) -> None:
    text = to_markdown(hostile_report)
    assert "<script>" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "\\[bold red\\]x\\[/\\]" in text
    assert "\\*em\\*" in text
    assert "\x1b" not in text


@pytest.mark.parametrize("name", ["accord.terminal.v1", "accord.json.v1", "accord.markdown.v1"])
def test_reporters_registered(sample_report: Report, name: str) -> None:
    assert name in reporters.names()
    assert reporters.get(name)().render(sample_report).strip()
