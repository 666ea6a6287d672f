"""What a question asks for, and which conflicts bear on it.

What kind of value answers a question (``answer_kind``: a date for "when", a number for "how
many" or "what is the population", a place for "where", a person or body for "who", a name
or term for any other "what"/"which") decides which conflicts bear on it (``bears_on``): a
clash of birth dates does not answer "What is Greg Boyer's profession?", a name changed in
an edited copy may answer "Where was it based?". Reports list the conflicts on the question
first (``accord.report.views``), the RAG entry point marks them (``accord.rag``), and
``accord eval`` counts only them on sets whose labels answer a question (RAMDocs).
"""

from __future__ import annotations

import functools
import re

from accord.model import Verdict

__all__ = ["answer_kind", "bears_on", "clash_kind"]

_WORD = re.compile(r"[^\W\d_][\w'’-]*", re.UNICODE)

# The kinds of value a question asks for, and the kinds of clash that can answer each: a
# name clash (an edited copy's name, an organisation NER took for a place) answers a place,
# a person or a term.
DATE, NUMBER, PLACE, AGENT, TERM = "date", "number", "place", "agent", "term"
NAME, ORGANISATION = "name", "organisation"
_ANSWERED_BY = {
    DATE: frozenset({DATE}),
    NUMBER: frozenset({NUMBER}),
    PLACE: frozenset({PLACE, NAME, ORGANISATION}),
    AGENT: frozenset({AGENT, NAME, ORGANISATION}),
    TERM: frozenset({PLACE, AGENT, NAME, ORGANISATION, TERM}),
}
# The slot verifier's methods (``slots:<kind>``, ``slots:masked-<kind>``,
# ``slots:edited-<kind>``) by the kind of value that clashed; a method not here (a negation,
# a model's judgement) bears on any question.
_CLASH_KINDS = {
    "date": DATE,
    "quantity": NUMBER,
    "count": NUMBER,
    "number": NUMBER,
    "place": PLACE,
    "place-unknown": PLACE,
    "person": AGENT,
    "holder": AGENT,
    "agent": AGENT,
    "organisation": ORGANISATION,
    "name": NAME,
    "work": TERM,
    "type": TERM,
    "word": TERM,
    "language": TERM,
    "nationality": TERM,
    "rank": TERM,
}
# What a "what"/"which" question's nouns say of its answer: a date, or a measure (a number).
# These are words of questions, not of any text's subject.
_DATE_NOUNS = frozenset("year years date dates decade century birthday birthdate".split())
_MEASURE_NOUNS = frozenset(
    """population number count age height length width depth area size elevation altitude
    capacity attendance weight distance total price cost budget revenue salary duration
    percentage""".split()
)
_HOW_MUCH = re.compile(
    r"\bhow\s+(?:many|much|old|long|tall|high|far|big|large|deep|wide|heavy)\b", re.I
)
_WH = re.compile(r"\b(when|where|who|whom|whose|what|which)\b", re.I)


@functools.lru_cache(maxsize=256)  # a report asks it once per conflict of one question
def answer_kind(question: str | None) -> str | None:
    """What kind of value answers ``question``: ``date``, ``number``, ``place``, ``agent`` (a
    person or body), ``term`` (a name or term), or ``None`` when it asks no wh-question.

    >>> [answer_kind(q) for q in ("When was Ritchie born?", "Where is YHSS located?",
    ...     "What is the population of Madi?", "What is Greg Boyer's profession?")]
    ['date', 'place', 'number', 'term']
    """
    if not question:
        return None
    if _HOW_MUCH.search(question):
        return NUMBER
    found = _WH.search(question)
    if found is None:
        return None
    wh = found.group(1).lower()
    if wh == "when":
        return DATE
    if wh == "where":
        return PLACE
    if wh in ("who", "whom", "whose"):
        return AGENT
    words = {word.casefold() for word in _WORD.findall(question)}
    if words & _DATE_NOUNS:
        return DATE
    if words & _MEASURE_NOUNS:
        return NUMBER
    return TERM


def clash_kind(method: str) -> str | None:
    """The kind of value a contradiction's method says clashed, or ``None`` when it does not
    say (``slots:masked-date`` -> ``date``; ``slots:edited-name`` -> ``name``)."""
    verifier, _, kind = method.partition(":")
    if verifier != "slots":
        return None
    for prefix in ("masked-", "edited-"):
        kind = kind.removeprefix(prefix)
    return _CLASH_KINDS.get(kind)


def bears_on(question: str | None, verdict: Verdict) -> bool:
    """True when the verdict's clash can answer the question: its values are of the kind
    the question asks for. Without a question, or when either kind is unknown, every clash
    bears on it."""
    wanted = answer_kind(question)
    clashed = clash_kind(verdict.method)
    if wanted is None or clashed is None:
        return True
    return clashed in _ANSWERED_BY[wanted]
