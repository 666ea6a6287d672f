"""Resolves mentions of a document's subject: its title, aliases, "the agreement", "it"."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from accord.lexicon import Lexicon
from accord.model import Document

if TYPE_CHECKING:
    from spacy.tokens import Token

_DASHES = re.compile(r"[\u2010-\u2015\u2212]")
_SPACES = re.compile(r"\s+")
_ANAPHOR_DETERMINERS = frozenset({"the", "this", "that"})
_SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})
_EMBEDDED_CLAUSES = frozenset({"relcl", "acl", "advcl", "pcomp"})
# Words of a name that are no part of who it is: honorifics and generational suffixes.
_NAME_EXTRAS = frozenset(
    {"sir", "dame", "lord", "lady", "mr", "mrs", "ms", "dr", "prof", "jr", "sr", "ii", "iii"}
)
_NAME_ENTITY_TYPES = frozenset({"PERSON", "ORG", ""})
_NAME_LIKE = re.compile(r"(?:[A-Z][\w'’.-]*\s+){1,3}[A-Z][\w'’-]+")
# First names agree when they share this many leading letters (a short form: "Vic"/"Victor").
FIRST_NAME_PREFIX = 3


def normalize_name(text: str) -> str:
    """Case-fold a name and drop a leading article, possessive and dash variants."""
    text = _DASHES.sub("-", text).strip().lower()
    text = re.sub(r"^(the|a|an)\s+", "", text)
    text = re.sub(r"['’]s$", "", text)
    return _SPACES.sub(" ", text).strip(" .,;:")


def head_noun(title: str) -> str:
    """Return the head noun of a title: ``Battle of Hastings`` -> ``battle``."""
    words = re.findall(r"[A-Za-z]+", title.split(" of ")[0])
    return words[-1].lower() if words else ""


@dataclass(frozen=True, slots=True)
class SubjectResolver:
    """Decides whether a noun phrase names the document's subject.

    Attributes:
        title: the subject's name as the document gives it.
        names: normalised title and aliases.
        anaphor_nouns: common nouns that, definite ("the treaty"), refer to the subject.
        principal_event: the event a bare infobox date belongs to (``sign`` for treaties).
    """

    title: str
    names: frozenset[str]
    anaphor_nouns: frozenset[str]
    principal_event: str

    @classmethod
    def for_document(cls, document: Document, lexicon: Lexicon) -> SubjectResolver:
        """Build the resolver from the document's title and aliases."""
        names = {normalize_name(n) for n in (document.title, *document.aliases) if n}
        head = head_noun(document.title)
        klass = lexicon.subject_class(head)
        nouns = set(lexicon.class_nouns[klass]) if klass else ({head} if head else set())
        event = lexicon.class_event[klass] if klass else "principal"
        return cls(document.title, frozenset(names), frozenset(nouns), event)

    def is_name(self, text: str) -> bool:
        """True when ``text`` is the subject's title or one of its aliases."""
        return normalize_name(text) in self.names

    def refers_to_subject(self, token: Token) -> bool:
        """True when the noun phrase headed by ``token`` means the document's subject."""
        if token.lower_ == "it" and token.dep_ in _SUBJECT_DEPS:
            # "The war that preceded it began ...": inside a relative or adverbial clause
            # "it" is too often something else (or a misparse) to be trusted.
            # Nor when the verb has another subject: "The war that preceded it began" is a
            # misparse of a relative clause.
            other_subjects = [
                c for c in token.head.children if c.dep_ in _SUBJECT_DEPS and c.i != token.i
            ]
            return (
                token.head.dep_ not in _EMBEDDED_CLAUSES
                and not other_subjects
                and not _in_quotation(token)
            )
        if self._may_name_subject(token):
            phrase = _noun_phrase(token)
            if self.is_name(phrase) or self._is_titled_person(token, phrase):
                return True
        if token.pos_ != "NOUN" or token.lemma_.lower() not in self.anaphor_nouns:
            return False
        determiners = {c.lower_ for c in token.children if c.dep_ == "det"}
        if not determiners & _ANAPHOR_DETERMINERS:
            return False
        # "the Anglo-Soviet Treaty of 1942" is a proper name of something else.
        return not any(c.pos_ == "PROPN" for c in token.children if c.dep_ == "compound")

    def _may_name_subject(self, token: Token) -> bool:
        """A quick test, true whenever the phrase headed by ``token`` may be the subject's
        name: its head word occurs in a name, or it may be the title's person. Building the
        phrase for every noun cost more than the rest of the test."""
        if token.pos_ == "PROPN" and token.ent_type_ in _NAME_ENTITY_TYPES:
            return True
        word = normalize_name(token.lower_)
        return any(word in name for name in self.names)

    def _is_titled_person(self, token: Token, phrase: str) -> bool:
        """True when a person's name is the title's person: the same surname, and no other
        first name ("Willis", "Victor Gazaway Willis" and "Vic Willis" on a page titled
        "Vic Willis"; not "John Willis"). Only for a title of two or more words."""
        if token.pos_ != "PROPN" or token.ent_type_ not in _NAME_ENTITY_TYPES:
            return False
        # The recogniser calls a lone surname an organisation now and then; a title made of
        # capitalised words only ("Willie Stargell", not "Battle of Hastings") vouches for it.
        if token.ent_type_ != "PERSON" and not _NAME_LIKE.fullmatch(self.title.strip()):
            return False
        title = _name_words(self.title)
        words = _name_words(phrase)
        if len(title) < 2 or not words or words[-1] != title[-1]:
            return False
        if len(words) == 1:
            return True  # the bare surname, as biographies name their subject
        return _same_first_name(words[0], title[0])


def _name_words(name: str) -> list[str]:
    """A person name's words, case-folded, without titles and suffixes ("Sir", "Jr.")."""
    words = [w.lower() for w in re.findall(r"[^\W\d_]+(?:['’-][^\W\d_]+)*", name)]
    return [w for w in words if w not in _NAME_EXTRAS]


def _same_first_name(first: str, other: str) -> bool:
    """ "Vic" and "Victor", "Chris" and "Christopher", "J" and "John" may be one first name;
    "John" and "Vic" are not."""
    if len(first) == 1 or len(other) == 1:
        return first[0] == other[0]
    shorter = min(len(first), len(other), FIRST_NAME_PREFIX)
    return first[:shorter] == other[:shorter]


def _noun_phrase(token: Token) -> str:
    """The text of a noun phrase without clauses or prepositional phrases after the head."""
    left = token.left_edge.i
    right = token.i
    for child in token.rights:
        is_name_part = child.dep_ in {"compound", "flat"}
        if is_name_part or (child.dep_ == "prep" and child.lower_ in {"of", "between"}):
            right = max(right, child.right_edge.i)
        else:
            break
    return token.doc[left : right + 1].text


def _in_quotation(token: Token) -> bool:
    """True when ``token`` stands inside a quoted passage of its sentence."""
    sent = token.sent
    quotes = sum(1 for t in sent if t.i < token.i and t.text in {'"', "“", "”"})
    return quotes % 2 == 1
