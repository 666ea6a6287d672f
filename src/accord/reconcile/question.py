"""Which claims bear on a question asked of the documents (a RAG pipeline's query), so that
the trust in each source is weighed toward what was asked.

A claim bears on the question as far as it has the question's relation words: its content
words other than names (capitalised words, the subject's) and function words, matched by
their stem ("directors" and "directed" meet at "direct"). The weight of a claim is
``OTHER_WEIGHT`` plus the share of the relation words it has; without relation words (a
question that is all names) every claim weighs the same.
Which conflicts bear on the question is ``accord.questions``'s.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from accord.model import Claim

__all__ = ["OTHER_WEIGHT", "question_weights", "relation_stems", "stem"]

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
