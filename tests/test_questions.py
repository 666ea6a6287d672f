"""What kind of value answers a question, and which conflicts bear on it
(``accord.questions``): a clash of birth dates does not answer "What is his
profession?", a clash of names in an edited copy does answer "Where was it based?"."""

from __future__ import annotations

import pytest

from accord.model import Label, Pair, Verdict
from accord.questions import answer_kind, bears_on, clash_kind
from accord.testing.fakes import text_claim


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("When was Justice Ritchie born?", "date"),
        ("24th Rifle Division was formed in which year?", "date"),
        ("What is the release date of Every Mother Counts?", "date"),
        ("How many people live in Madi?", "number"),
        ("What is the population of Rush Township, Ohio?", "number"),
        ("What is the median age in Riceville?", "number"),
        ("Where was Airways International based?", "place"),
        ("Who is the architect of the Elks Club Building?", "agent"),
        ("Whose portrait hangs in the hall?", "agent"),
        ("What is Greg Boyer's profession?", "term"),
        # trap: "which" asks for a team here, not a year, though the question has a number
        ("19 Mayıs Stadium is the home venue of which sports team?", "term"),
        # trap: neither "line" nor "station" is a date or a measure
        ("Which line is Belorussky a station on?", "term"),
        ("Tell me about the Kidd House.", None),
        ("", None),
        (None, None),
    ],
)  # fmt: skip
def test_answer_kind_reads_what_the_question_asks_for(question: str | None, kind: str) -> None:
    assert answer_kind(question) == kind


@pytest.mark.parametrize(
    ("method", "kind"),
    [
        ("slots:date", "date"),
        ("slots:masked-date", "date"),
        ("slots:edited-number", "number"),
        ("slots:masked-quantity", "number"),
        ("slots:count", "number"),
        ("slots:place-unknown", "place"),
        ("slots:holder", "agent"),
        ("slots:edited-name", "name"),
        ("slots:edited-word", "term"),
        ("slots:negation", None),  # a negation is no value: it bears on any question
        ("minilm:contradiction", None),  # a model's judgement does not say
    ],
)  # fmt: skip
def test_clash_kind_reads_the_method(method: str, kind: str | None) -> None:
    assert clash_kind(method) == kind


def _contradiction(method: str) -> Verdict:
    left = text_claim("Greg Boyer (born September 25, 1958) is an American trombonist", "a")
    right = text_claim("Greg Boyer (born February 5, 1958) is a water polo player", "b")
    return Verdict(
        pair=Pair(left=left, right=right, score=1.0, retriever="all"),
        label=Label.CONTRADICTS,
        confidence=0.9,
        method=method,
        reason="the two differ",
    )


@pytest.mark.parametrize(
    ("question", "method", "bears"),
    [
        # a clash of birth dates does not answer a question about a profession
        ("What is Greg Boyer's profession?", "slots:date", False),
        ("When was Greg Boyer born?", "slots:date", True),
        ("When was Greg Boyer born?", "slots:edited-name", False),
        # a name edited in a copy may be the place, the person or the term asked for
        ("Where was Greg Boyer born?", "slots:edited-name", True),
        ("Who coached Greg Boyer?", "slots:edited-name", True),
        ("What is Greg Boyer's profession?", "slots:edited-word", True),
        # a number does not answer "who", a word swap does not answer "how many"
        ("Who coached Greg Boyer?", "slots:quantity", False),
        ("How many caps did Greg Boyer win?", "slots:edited-word", False),
        # without a question, or with a method that does not say, every clash bears on it
        (None, "slots:date", True),
        ("What is Greg Boyer's profession?", "minilm:contradiction", True),
    ],
)  # fmt: skip
def test_bears_on_matches_the_clash_to_the_question(
    question: str | None, method: str, bears: bool
) -> None:
    assert bears_on(question, _contradiction(method)) is bears
