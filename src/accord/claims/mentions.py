"""What frame building passes between its parts: a typed value found in a sentence
(``Mention``) and the sentence's context (``SentenceContext``)."""

from __future__ import annotations

from dataclasses import dataclass

from accord.claims.subject import SubjectResolver
from accord.lexicon import Lexicon
from accord.model import Value


@dataclass(frozen=True, slots=True)
class Mention:
    """A typed value found in a sentence: its value and where it is (doc offsets).

    ``date_kind`` is the ``TimedDate.kind`` of a date mention, ``unparsed`` for a date or
    amount that could not be read (its value then holds the reason), else empty.
    """

    value: Value
    start: int
    end: int
    surface: str
    date_kind: str = ""


@dataclass(frozen=True, slots=True)
class SentenceContext:
    """What frame building needs besides the parse.

    ``text`` is the parsed line's text (the spaCy doc's, which ``Doc.text`` rebuilds from
    every token on each call: too slow to read per clause).
    """

    doc_id: str
    offset: int
    section: str
    resolver: SubjectResolver
    lexicon: Lexicon
    text: str
