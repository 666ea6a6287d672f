"""Tests for the terminal and Markdown renderings."""

from __future__ import annotations

import dataclasses
import io

import pytest
from rich.console import Console

from accord.model import Claim, Label, Report, Span
from accord.report import render_terminal, reporters, to_markdown
from accord.report.terminal import MAX_ONLY_IN, TerminalReporter


def _terminal(report: Report, width: int = 100, color: bool = False) -> str:
    return TerminalReporter(width=width, color=color).render(report)


def _without_contradictions(report: Report) -> Report:
    verdicts = tuple(v for v in report.verdicts if v.label is not Label.CONTRADICTS)
    return dataclasses.replace(report, verdicts=verdicts)


def _sections(text: str) -> list[str]:
    """The section headings of a terminal report, in order, without their rules."""
    return [
        line.rstrip(" ─")
        for line in text.splitlines()
        if line.endswith("─") and not line.startswith("─")
    ]


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


@pytest.mark.parametrize("width", [100, 60])
def test_terminal_shows_possible_conflicts_apart_after_contradictions(
    possible_report: Report, width: int
) -> None:
    raw = _terminal(possible_report, width=width)
    text = " ".join(raw.split())
    for expected in (
        "1 contradiction · 1 agreement · 3 claims only in one source · 2 possible conflicts",
        "Contradictions (1)",
        "Possible conflicts (2)",
        "Confidence under the threshold 0.7: these look like conflicts but are not counted as "
        "contradictions; check these.",
        "1. slots:theme",
        "two articles vs about 3 million readers (confidence 0.55, under the contradiction "
        "threshold 0.7: a possible conflict)",
        "confidence 0.55 · slots:theme",
        "“The agreement had two articles.”",
        "“The treaty was popular with about 3 million readers.”",
        "2. [1] Wikipedia: Anglo-Soviet Agreement against itself: slots:date",
        "confidence 0.40 · slots:date",
        "“Germany invaded the Soviet Union on 22 June 1941.”",
    ):
        assert expected in text, expected
    if width >= 70:  # narrower, headings are not ruled
        headings = _sections(raw)
        assert headings.index("Possible conflicts (2)") == headings.index("Contradictions (1)") + 1
    # The contradiction stays the only one: listed once, under Contradictions.
    contradictions_part = text.split("Possible conflicts (2)")[0]
    assert "date_signed: 1941-07-12 vs 1939-07-25" in contradictions_part
    assert "slots:theme" not in contradictions_part


@pytest.mark.parametrize("possible", [True, False])
def test_terminal_without_contradictions_points_at_possible_conflicts(
    possible_report: Report, sample_report: Report, possible: bool
) -> None:
    report = _without_contradictions(possible_report if possible else sample_report)
    text = " ".join(_terminal(report).split())
    if possible:
        assert "No contradictions found" not in text
        assert (
            "No contradiction reached the confidence threshold 0.7; 2 possible conflicts are "
            "listed below." in text
        )
        assert (
            "0 contradictions · 1 agreement · 5 claims only in one source · 2 possible conflicts"
            in text
        )
    else:
        assert "No contradictions found." in text
        assert "Possible conflicts" not in text
        assert "possible conflict" not in text


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


@pytest.mark.parametrize("case", ["possible"])
def test_markdown_shows_possible_conflicts_apart_after_contradictions(
    possible_report: Report, case: str
) -> None:
    text = to_markdown(possible_report)
    for expected in (
        "**1 contradiction · 1 agreement · 3 claims only in one source · 2 possible conflicts**",
        "## Possible conflicts (2)\n\n*Confidence under the threshold 0.7: these look like "
        "conflicts but are not counted as contradictions; check these.*",
        "### 1. slots:theme\n\ntwo articles vs about 3 million readers (confidence 0.55, under "
        "the contradiction threshold 0.7: a possible conflict)\n\nconfidence 0.55 · `slots:theme`",
        "> **\\[2\\] Fanwiki: Anglo-Soviet Agreement**: “The treaty was popular with about 3 "
        "million readers.”",
        "### 2. \\[1\\] Wikipedia: Anglo-Soviet Agreement against itself: slots:date",
    ):
        assert expected in text, expected
    sections = [line for line in text.splitlines() if line.startswith("## ")]
    assert (
        sections.index("## Possible conflicts (2)") == sections.index("## Contradictions (1)") + 1
    )


@pytest.mark.parametrize("possible", [True, False])
def test_markdown_without_contradictions_points_at_possible_conflicts(
    possible_report: Report, sample_report: Report, possible: bool
) -> None:
    text = to_markdown(_without_contradictions(possible_report if possible else sample_report))
    assert ("No contradictions found." in text) is not possible
    assert ("2 possible conflicts are listed below." in text) is possible
    assert ("## Possible conflicts (2)" in text) is possible


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
