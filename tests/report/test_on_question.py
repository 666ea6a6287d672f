"""Contradictions on the run's question (``accord check --question``) come first in every
report format and are marked so; without a question nothing is marked."""

from __future__ import annotations

import io
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from rich.console import Console

from accord.model import Report
from accord.report import render_terminal, to_markdown
from accord.report.html import to_html
from accord.report.json import to_dict
from accord.report.schema import load_schema
from accord.report.views import contradictions
from accord.sources import Source

QUESTION = "Who designed the Harlow County Courthouse?"
TEXTS = {
    "county-site": "The Harlow County Courthouse in Mirren was built in 1902. It was designed "
    "by the architect Thomas Reed.",
    "history-blog": "The Harlow County Courthouse was built in 1885. It was designed by the "
    "architect Thomas Reed.",
    "travel-forum": "The Harlow County Courthouse was built in 1902. It was designed by the "
    "architect Walter Burns.",
}


def _check(question: str | None) -> Report:
    import accord

    sources = [Source(text=text, id=name) for name, text in TEXTS.items()]
    return accord.check(sources, question=question)


@pytest.fixture(scope="module")
def asked() -> Report:
    return _check(QUESTION)


def test_the_conflict_on_the_question_comes_first(asked: Report) -> None:
    groups = contradictions(asked)
    marks = [(group.on_question, "Walter Burns" in group.best.reason) for group in groups]
    # the architects' clash answers "who"; the years' clash is there too, after it, unmarked
    assert marks[0] == (True, True), marks
    assert (False, False) in marks
    assert all(on == architect for on, architect in marks)


def test_json_marks_each_group_and_follows_the_schema(asked: Report) -> None:
    data: dict[str, Any] = to_dict(asked)
    Draft202012Validator(load_schema()).validate(data)
    marks = [group["on_question"] for group in data["summary"]["contradictions"]]
    assert marks[0] is True and False in marks
    unasked = to_dict(_check(None))
    Draft202012Validator(load_schema()).validate(unasked)
    assert {g["on_question"] for g in unasked["summary"]["contradictions"]} == {None}


def test_text_formats_mark_the_conflicts_on_the_question(asked: Report) -> None:
    on = sum(1 for group in contradictions(asked) if group.on_question)
    buffer = io.StringIO()
    render_terminal(asked, Console(file=buffer, width=120, color_system=None))
    # the reliability reasons say "bears on the question": the mark follows a middle dot
    assert buffer.getvalue().count("· on the question") == on
    assert to_markdown(asked).count("· on the question") == on
    assert to_html(asked).count('class="on-question"') == on
    plain = io.StringIO()
    render_terminal(_check(None), Console(file=plain, width=120, color_system=None))
    assert "· on the question" not in plain.getvalue()


def test_every_text_format_states_the_question_in_its_header(asked: Report) -> None:
    buffer = io.StringIO()
    render_terminal(asked, Console(file=buffer, width=200, color_system=None))
    assert f"Question: {QUESTION}" in buffer.getvalue()
    assert f"**Question:** {QUESTION}" in to_markdown(asked)
    page = to_html(asked)
    assert '<p class="question" id="question"><b>Question:</b> ' in page
    assert QUESTION in page.split('id="question"')[1].split("</p>")[0]
    unasked = _check(None)
    plain = io.StringIO()
    render_terminal(unasked, Console(file=plain, width=200, color_system=None))
    assert "Question:" not in plain.getvalue() and "Question:" not in to_markdown(unasked)
    assert 'id="question"' not in to_html(unasked)


def test_a_hostile_question_stays_text_and_is_cut() -> None:
    import accord

    question = "<script>alert(1)</script>" + "why? " * 200
    report = accord.check(
        [Source(text=text, id=name) for name, text in TEXTS.items()], question=question
    )
    page = to_html(report)
    stated = page.split('id="question"')[1].split("</p>")[0]
    assert "<script>" not in stated and "&lt;script&gt;" in stated
    assert len(stated) < 400 + len("&lt;script&gt;alert(1)&lt;/script&gt;")
