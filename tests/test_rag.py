"""The RAG entry point (accord.rag): passages and a question in, conflicts, record, ranking out."""

from __future__ import annotations

import json

import pytest

from accord.errors import ConfigError
from accord.rag import check_passages, to_sources
from accord.sources import Source

QUESTION = "When was the Harlow County Courthouse built?"
PASSAGES = [
    {
        "id": "county-site",
        "title": "Harlow County Courthouse",
        "kind": "encyclopedia",
        "text": "The Harlow County Courthouse in Mirren was built in 1902. "
        "It was designed by the architect Thomas Reed.",
    },
    {
        "id": "history-blog",
        "url": "https://example.org/harlow",
        "text": "The Harlow County Courthouse was built in 1902 by a local firm. "
        "It was designed by the architect Thomas Reed.",
    },
    {
        "id": "travel-forum",
        "text": "The Harlow County Courthouse was built in 1885. "
        "Visitors can tour the courtroom on weekdays.",
    },
]


@pytest.fixture(scope="module")
def result():  # type: ignore[no-untyped-def]
    return check_passages(PASSAGES, question=QUESTION)


def test_the_conflict_between_passages_is_found_with_its_evidence(result) -> None:  # type: ignore[no-untyped-def]
    dated = [c for c in result.conflicts if "1885" in c.reason]
    assert dated, result.conflicts
    conflict = dated[0]
    assert "travel-forum" in (conflict.left, conflict.right)
    assert {conflict.left, conflict.right} & {"county-site", "history-blog"}
    assert "1885" in conflict.left_evidence + conflict.right_evidence
    assert conflict.confidence >= result.report.run.min_confidence


def test_the_outvoted_passage_is_ranked_last(result) -> None:  # type: ignore[no-untyped-def]
    assert [t.rank for t in result.ranking] == [1, 2, 3]
    assert result.ranking[-1].passage == "travel-forum"
    last = result.trust("travel-forum")
    assert set(last.contradicted_by) == {"county-site", "history-blog"}
    assert any("contradicted by better-backed claims" in r for r in last.reasons)
    assert result.report.run.question == QUESTION


def test_the_result_is_plain_json(result) -> None:  # type: ignore[no-untyped-def]
    data = json.loads(json.dumps(result.to_dict()))
    assert data["question"] == QUESTION
    assert [r["passage"] for r in data["ranking"]][-1] == "travel-forum"
    assert all(v["passage"] for f in data["record"] for v in f["values"])


def test_passages_without_ids_are_named_by_position() -> None:
    sources = to_sources(["One text about the courthouse.", Source(text="Another one.", id="x")])
    assert [s.id for s in sources] == ["passage 1", "x"]


@pytest.mark.parametrize(
    "bad",
    [
        [42],
        [{"body": "no text key"}],
        [{"id": "a", "text": "x y z w"}, {"id": "a", "text": "q r s t"}],
    ],
)
def test_bad_passages_are_a_clear_error(bad: list[object]) -> None:
    with pytest.raises(ConfigError):
        check_passages(bad)  # type: ignore[arg-type]


def test_no_passages_is_a_clear_error() -> None:
    with pytest.raises(ConfigError, match="no passages"):
        check_passages([])


def test_conflicts_on_the_question_come_first() -> None:
    passages = [
        {"id": "county-site", "text": "The Harlow County Courthouse in Mirren was built in "
         "1902. It was designed by the architect Thomas Reed."},
        {"id": "history-blog", "text": "The Harlow County Courthouse was built in 1885. It was "
         "designed by the architect Thomas Reed."},
        {"id": "travel-forum", "text": "The Harlow County Courthouse was built in 1902. It was "
         "designed by the architect Walter Burns."},
    ]  # fmt: skip
    asked = check_passages(passages, question="Who designed the Harlow County Courthouse?")
    marks = [(c.on_question, "Walter Burns" in c.reason) for c in asked.conflicts]
    # the architects' clash answers "who"; the dates' clash is there, marked off the question
    assert marks and all(on == architect for on, architect in marks), asked.conflicts
    assert marks[0] == (True, True) and (False, False) in marks
    assert [c["on_question"] for c in asked.to_dict()["conflicts"]] == [m[0] for m in marks]
    unasked = check_passages(passages)
    assert {c.on_question for c in unasked.conflicts} == {None}
