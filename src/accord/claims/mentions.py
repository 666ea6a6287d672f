"""What frame building passes between its parts: a typed value found in a sentence
(``Mention``), the sentence's context (``SentenceContext``), and what a token names in that
context (``resolve``)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from accord.claims.subject import SubjectResolver
from accord.lexicon import Lexicon
from accord.model import SUBJECT_KEY, EntityRef, Value
from accord.normalize.entities import normalize_name

if TYPE_CHECKING:
    from spacy.tokens import Token

# The dependencies of a clause's subject.
SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "csubj"})


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


def resolve(token: Token, ctx: SentenceContext, mentions: Iterable[Mention]) -> str:
    """What ``token`` names: the subject key for the document's subject, the name of a work an
    appositive names, the entity of a mention it lies in, else its normalised lemma (with its
    compounds and ordinal)."""
    if ctx.resolver.refers_to_subject(token):
        return SUBJECT_KEY
    if token.pos_ == "NOUN":
        # "her first collection, Tide Tables" and "Salt Acre, her third collection" are
        # about the named work, not about "collection"
        named = [c for c in token.children if c.dep_ == "appos" and c.pos_ == "PROPN"]
        if token.dep_ == "appos" and token.head.pos_ == "PROPN":
            named.append(token.head)
        if named:
            return resolve(named[0], ctx, mentions)
    start = ctx.offset + token.idx
    for mention in mentions:
        if mention.start <= start < mention.end and isinstance(mention.value, EntityRef):
            return mention.value.name
    # ordinals tell things of one kind apart: "her first collection", "the second bridge"
    words = [
        c.lemma_
        for c in token.children
        if c.dep_ == "compound" or (c.dep_ == "amod" and c.ent_type_ == "ORDINAL")
    ]
    return normalize_name(" ".join([*words, token.lemma_]))
