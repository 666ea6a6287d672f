"""Content terms of a clause: the words alignment and overlap checks compare."""

from __future__ import annotations

import re

# Longest first; a suffix is stripped only when the stem left is at least this long,
# so that short words ("ended", "sing") keep their meaning.
_MIN_STEM = 4
_SUFFIXES = (
    "ations", "ation", "ments", "ment", "ances", "ance", "ences", "ence", "ities", "ity",
    "ness", "ally", "ingly", "ing", "ions", "ion", "ies", "ers", "er", "ed", "ly", "al",
    "es", "s",
)  # fmt: skip

_WORD = re.compile(r"[a-z][a-z'-]*")

STOPWORDS = frozenset(
    """a an the and or but nor of to in on at by for with from as into onto upon than then
    that this these those there here which who whom whose what when where why how it its
    itself they them their theirs he him his she her hers we us our you your i me my be is
    are was were been being have has had having do does did not no so such also very just
    only both each either neither other another any all some more most much many few
    same own further during before after above below between through against about over
    under again once would should could can will shall may might must one""".split()
)


def stem(word: str) -> str:
    """Strip one common English suffix (``assistance`` -> ``assist``), keeping short words."""
    word = word.lower()
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= _MIN_STEM:
            return word[: -len(suffix)]
    return word


def to_term(word: str) -> str | None:
    """Return the comparable term for ``word``, or None for stopwords and non-words."""
    word = word.lower().strip("'-")
    if not _WORD.fullmatch(word) or word in STOPWORDS or len(word) < 2:
        return None
    return stem(word)


def text_terms(text: str) -> list[str]:
    """Terms of a plain string (used for lines no parser has seen)."""
    terms = []
    for word in _WORD.findall(text.lower()):
        term = to_term(word)
        if term:
            terms.append(term)
    return terms
