"""A year in front of a noun dates the thing it names: "a 1940 comedy", "the 2016 election".

The quantity reader sees "1940 comedy" as 1,940 comedies; the grammar says otherwise: a
four-digit number between a determiner and a singular noun ("a", "the", "its" ...) is a year
modifier, since "a 1940 comedies" is not English. Such a year is the date of the work when
the noun is a work (``Lexicon.is_dated_work``) that the sentence says its subject is ("X is
a 1940 comedy": event ``dating``, role ``date``); otherwise it is kept as a modifier that
is never compared.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from accord.lexicon import WORK_EVENT, Lexicon
from accord.model import DateValue, Precision, Quantity, Slot, Span

if TYPE_CHECKING:
    from spacy.tokens import Token

    from accord.claims.mentions import Mention

__all__ = ["work_year_slot"]

FIRST_YEAR, LAST_YEAR = 1000, 2100  # four-digit numbers read as years in this position
_YEAR = re.compile(r"(\d{4})(?!\d)")
_DETERMINERS = frozenset({"a", "an", "the", "this", "that", "his", "her", "its", "their"})
_SINGULAR_NOUN_TAGS = frozenset({"NN", "NNP"})


def work_year_slot(
    root: Token,
    mention: Mention,
    *,
    doc_id: str,
    offset: int,
    lexicon: Lexicon,
    about: Callable[[Token], str | None],
) -> Slot | None:
    """The slot for a quantity mention that is really a year modifier, else None.

    Args:
        root: a token of the parsed mention.
        mention: the mention (document offsets).
        doc_id: the document's id, for the slot's span.
        offset: where the parsed line starts in the document.
        lexicon: tells the nouns of works.
        about: what the event of a verb is about (the claims stage's key).
    """
    value = mention.value
    match = _YEAR.match(mention.surface)
    if not isinstance(value, Quantity) or value.approximate or match is None:
        return None
    year = int(match.group(1))
    if not FIRST_YEAR <= year <= LAST_YEAR:
        return None
    doc = root.doc
    start = mention.start - offset
    digits = doc.char_span(start, start + len(match.group(1)))
    if digits is None or len(digits) != 1 or digits[0].i == 0:
        return None
    number = digits[0]
    noun = number.head
    before = doc[number.i - 1]
    if noun.i <= number.i or noun.tag_ not in _SINGULAR_NOUN_TAGS:
        return None
    if before.lower_ not in _DETERMINERS and before.tag_ not in {"PRP$", "POS"}:
        return None
    dated = DateValue(year=year, precision=Precision.YEAR)
    span = Span(doc_id=doc_id, start=mention.start, end=mention.start + len(match.group(1)))
    is_work = lexicon.is_dated_work(noun.lemma_)
    if is_work and noun.dep_ == "attr" and noun.head.lemma_ == "be":
        return Slot(
            role="date",
            value=dated,
            event=WORK_EVENT,
            surface=match.group(1),
            span=span,
            about=about(noun.head),
        )
    return Slot(
        role="mod",  # a dated thing that is not the subject's own: never compared
        value=dated,
        event=lexicon.canonical_event(noun.lemma_),
        surface=match.group(1),
        span=span,
    )
