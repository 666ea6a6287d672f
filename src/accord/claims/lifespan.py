"""Birth and death dates in the parenthesis after a person's name.

Encyclopedias open a biography with "Anne Rice (born Howard O'Brien; October 4, 1941) is
…" or "Chris Kyle (April 8, 1974 – February 2, 2013) was …". The parse hangs those dates
off whatever it finds nearby; this module reads them as what they are: the date of the
person's birth (event ``bear``) and death (``die``), about that person, so that they compare
with "was born in 1997" or "died on 2 February 2013" elsewhere.

A date is read as a birth or death only when the parenthesis directly follows a person's
name (a PERSON entity, or the proper-noun subject of the sentence) and a keyword ("born",
"b.", "died", "d.") or a dash between two dates says which it is. A lone date with no
keyword ("Paris (1998)") says nothing and is left alone.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from accord.model import DateValue, EntityKind, EntityRef, Precision, Quantity, Slot, Span

if TYPE_CHECKING:
    from spacy.tokens import Span as SpacySpan
    from spacy.tokens import Token

    from accord.claims.mentions import Mention

__all__ = ["BIRTH", "DEATH", "lifespan_slots"]

BIRTH = "bear"  # the lexicon's canonical events for "born" and "died"
DEATH = "die"
LIFESPAN = "lifespan"  # one range mention holding both
_DASH = re.compile(r"[-\u2010-\u2015\u2212]|\bto\b")
_BARE_YEAR = re.compile(r"\d{3,4}")
# What may stand between the two dates of a lifespan ("1874 – 1965", "1874 to 1965").
_RANGE = re.compile(r"^[\s,]*(?:[-\u2010-\u2015\u2212]+|to)[\s,]*$", re.IGNORECASE)
_BORN = re.compile(r"\b(?:born|b\.)(?=\W|$)", re.IGNORECASE)
_DIED = re.compile(r"\b(?:died|d\.)(?=\W|$)", re.IGNORECASE)
_SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})
# Date mentions that are not a date of their own (a step from another, an unread one).
_NOT_OWN = frozenset({"relative", "anchor", "unparsed"})


def lifespan_slots(
    sent: SpacySpan,
    mentions: Sequence[Mention],
    *,
    doc_id: str,
    offset: int,
    text: str,
    about: Callable[[Token], str],
) -> dict[int, list[Slot]]:
    """Birth and death slots for the date mentions inside a lifespan parenthesis.

    Args:
        sent: the parsed sentence.
        mentions: the sentence's mentions (document offsets).
        doc_id: the document's id, for the slots' spans.
        offset: where the parsed line starts in the document.
        text: the parsed line's text.
        about: what a token names, as the claims stage keys it (the person's key).

    Returns:
        The slots to use instead of the usual one, by the mention's index in ``mentions``
        (two for one range mention: "(1874-1965)").
    """
    slots: dict[int, list[Slot]] = {}
    doc = sent.doc
    for token in sent:
        if token.text != "(" or token.i == sent.start:
            continue
        close = next((t for t in doc[token.i + 1 : sent.end] if t.text in "()"), None)
        if close is None or close.text != ")":
            continue
        person = _person_before(doc[token.i - 1], sent, mentions, offset)
        if person is None:
            continue
        inside = [
            (i, m, date)
            for i, m in enumerate(mentions)
            if offset + token.idx < m.start
            and m.end <= offset + close.idx
            and (date := _as_date(m)) is not None
        ]
        key = about(person)
        start = offset + token.idx + 1
        events: list[str | None] = []
        for n, (_, mention, _) in enumerate(inside):
            before = text[start - offset : mention.start - offset]
            if _DIED.search(before):
                events.append(DEATH)
            elif _BORN.search(before):
                events.append(BIRTH)
            elif n > 0 and _RANGE.match(before) and events[-1] in (BIRTH, None):
                events[-1] = BIRTH  # "(April 8, 1974 - February 2, 2013)"
                events.append(DEATH)
            elif _is_span(mention):
                events.append(LIFESPAN)  # one range mention: "(1874-1965)"
            else:
                events.append(None)
            start = mention.end
        for (index, mention, date), event in zip(inside, events, strict=True):
            if event is None or (event != LIFESPAN and _is_span(mention)):
                continue
            parts = _split(date) if event == LIFESPAN else [(event, date)]
            slots[index] = [
                Slot(
                    role="date",
                    value=value,
                    event=part,
                    surface=mention.surface,
                    span=Span(doc_id=doc_id, start=mention.start, end=mention.end),
                    about=key,
                )
                for part, value in parts
            ]
    return slots


def _is_span(mention: Mention) -> bool:
    """A date range written with a dash or "to" ("1874-1965", "April 8, 1974 - Feb 2, 2013")."""
    value = mention.value
    return (
        isinstance(value, DateValue)
        and value.year_end is not None
        and value.precision <= Precision.YEAR
        and _DASH.search(mention.surface) is not None
    )


def _as_date(mention: Mention) -> DateValue | None:
    """The date a mention inside the parenthesis gives: a date, or a bare year the quantity
    reader took for a number ("b. 1820")."""
    value = mention.value
    if isinstance(value, DateValue):
        return value if mention.date_kind not in _NOT_OWN else None
    if (
        isinstance(value, Quantity)
        and value.unit is None
        and not value.approximate
        and _BARE_YEAR.fullmatch(mention.surface.strip())
    ):
        return DateValue(year=int(mention.surface.strip()), precision=Precision.YEAR)
    return None


def _split(value: DateValue) -> list[tuple[str, DateValue]]:
    """A lifespan range as its birth (start) and death (end) dates."""
    assert value.year_end is not None  # _is_span checked it
    if value.day_end is not None:
        end_precision = Precision.DAY
    elif value.month_end is not None:
        end_precision = Precision.MONTH
    else:
        end_precision = Precision.YEAR
    birth = DateValue(year=value.year, month=value.month, day=value.day, precision=value.precision)
    death = DateValue(
        year=value.year_end,
        month=value.month_end,
        day=value.day_end,
        precision=end_precision,
    )
    return [(BIRTH, birth), (DEATH, death)]


def _person_before(
    token: Token, sent: SpacySpan, mentions: Sequence[Mention], offset: int
) -> Token | None:
    """The name token the parenthesis follows when it names a person, else None."""
    end = offset + token.idx + len(token.text)
    for mention in mentions:
        value = mention.value
        if mention.end == end and isinstance(value, EntityRef):
            return token if value.kind == EntityKind.PERSON else None
    # A name the entity recogniser missed: the proper-noun subject of the sentence.
    if token.pos_ == "PROPN" and (
        token.dep_ in _SUBJECT_DEPS or (token.head.dep_ in _SUBJECT_DEPS and token.dep_ == "flat")
    ):
        return token
    if token.pos_ == "PROPN" and token.dep_ == "compound" and token.head.dep_ in _SUBJECT_DEPS:
        return token.head
    return None
