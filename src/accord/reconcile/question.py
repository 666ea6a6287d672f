"""Which claims bear on a question asked of the documents (a RAG pipeline's query), so that
the trust in each source is weighed toward what was asked.

A claim bears on the question as far as it has the question's relation words: its content
words other than names (capitalised words, the subject's) and function words, matched by
their stem ("directors" and "directed" meet at "direct"). The weight of a claim is
``OTHER_WEIGHT`` plus the share of the relation words it has; without relation words (a
question that is all names) every claim weighs the same.

What kind of value answers the question (``answer_kind``: a date for "when", a number for
"how many" or "what is the population", a place for "where", a person or body for "who",
a name or term for any other "what"/"which") decides which conflicts bear on it
(``bears_on``): a clash of birth dates does not answer "What is Greg Boyer's profession?".
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from accord.model import Claim, Verdict

__all__ = [
    "OTHER_WEIGHT",
    "answer_kind",
    "bears_on",
    "clash_kind",
    "question_weights",
    "relation_stems",
    "stem",
]

# What a claim that does not bear on the question counts, against 1 more for one that has
# all of its relation words.
OTHER_WEIGHT = 0.2
_WORD = re.compile(r"[^\W\d_][\w'’-]*", re.UNICODE)
_FUNCTION_WORDS = frozenset(
    """a an the of in on at to for by with from and or not is are was were be been being am
    what which who whom whose when where why how many much does do did has have had it its
    this that these those as into about there their his her they he she one any some
    current currently primary main known called named""".split()
)
_SUFFIXES = ("ations", "ation", "ings", "ing", "ers", "ors", "ies", "ed", "es", "er", "or", "s")
STEM_LENGTH = 6


def stem(word: str) -> str:
    """A crude stem: the word lower-cased, one common suffix off, at most six letters.

    >>> stem("directors"), stem("directed"), stem("population")
    ('direct', 'direct', 'popul')
    """
    word = word.casefold()
    for suffix in _SUFFIXES:
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            word = word[: -len(suffix)]
            break
    return word[:STEM_LENGTH]


def relation_stems(question: str) -> frozenset[str]:
    """The stems of the question's relation words: content words that are not names.

    >>> sorted(relation_stems('Who are the directors of the film "Lahu Ke Do Rang"?'))
    ['direct', 'film']
    """
    words = _WORD.findall(question)
    return frozenset(
        stem(word)
        for index, word in enumerate(words)
        if word.casefold() not in _FUNCTION_WORDS and (index == 0 or not word[0].isupper())
    )


def question_weights(question: str | None, claims: Sequence[Claim]) -> dict[str, float] | None:
    """Claim id -> how much the claim counts in its source's trust, or ``None`` (all equal)
    when no question is asked or it has no relation words."""
    if not question:
        return None
    wanted = relation_stems(question)
    if not wanted:
        return None
    weights = {}
    for claim in claims:
        stems = {stem(word) for word in _WORD.findall(claim.text)}
        weights[claim.id] = OTHER_WEIGHT + len(wanted & stems) / len(wanted)
    return weights


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
