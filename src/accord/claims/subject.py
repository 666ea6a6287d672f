"""Resolves mentions of a document's subject: its title, aliases, "the agreement", "it"."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from accord.lexicon import Lexicon
from accord.model import SUBJECT_KEY, Claim, Document
from accord.normalize.entities import name_forms, normalize_name, qualifier

if TYPE_CHECKING:
    from spacy.tokens import Doc as SpacyDoc
    from spacy.tokens import Span as SpacySpan
    from spacy.tokens import Token

_QUALIFIER = re.compile(r"\s*\([^)]*\)\s*$")
# Endings of a company's name ("Halvorsen Optics AS", "Tallis & Brook", "Harker Brothers").
_CORPORATE = re.compile(
    r"(?:\b(?:AS|ASA|AB|Ltd|Limited|Inc|Corp|Corporation|GmbH|AG|plc|PLC|SA|NV|BV|LLC|Company|Co)"
    r"\.?|&\s*\w+|\band\s+Sons|\bBrothers)\s*$"
)
_PLACEHOLDER = re.compile(r"^<text \d+>$")
# Titles longer than this are headlines or sentences, not names of the subject.
MAX_NAME_WORDS = 8
_ANAPHOR_DETERMINERS = frozenset({"the", "this", "that"})
# Adjectives that pick one of several parts ("the main hall" of a concert hall).
_PART_ADJECTIVES = frozenset({"main", "principal", "central", "other", "second", "third"})
_SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})
# "it" stands for the subject as the subject or the object of its clause ("Editora Ribeira
# published it in 1961"), not inside a prepositional phrase ("known for it").
_PRONOUN_DEPS = frozenset({"nsubj", "nsubjpass", "dobj"})
_EMBEDDED_CLAUSES = frozenset({"relcl", "acl", "advcl", "pcomp"})
_TIME_CONJUNCTIONS = frozenset({"since", "when", "after", "before", "until", "till", "once"})
# Words of a name that are no part of who it is: honorifics and generational suffixes.
_NAME_EXTRAS = frozenset(
    {"sir", "dame", "lord", "lady", "mr", "mrs", "ms", "dr", "prof", "jr", "sr", "ii", "iii"}
)
_NAME_ENTITY_TYPES = frozenset({"PERSON", "ORG", ""})
_NAME_LIKE = re.compile(r"(?:[A-Z][\w'’.-]*\s+){1,3}[A-Z][\w'’-]+")
# First names agree when they share this many leading letters (a short form: "Vic"/"Victor").
FIRST_NAME_PREFIX = 3


def head_noun(title: str) -> str:
    """Return the head noun of a title, singular: ``Battle of Hastings`` -> ``battle``,
    ``Harlan Caverns`` -> ``cavern``."""
    words = re.findall(r"[A-Za-z]+", title.split(" of ")[0])
    if not words:
        return ""
    word: str = words[-1].lower()
    if len(word) > 4 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]  # the lemma the parser gives "the caverns"
    return word


@dataclass(frozen=True, slots=True)
class SubjectResolver:
    """Decides whether a noun phrase names the document's subject.

    Attributes:
        title: the subject's name as the document gives it.
        names: normalised title and aliases.
        anaphor_nouns: common nouns that, definite ("the treaty"), refer to the subject.
        principal_event: the event a bare infobox date belongs to (``sign`` for treaties).
        pronouns: the subject pronouns that may stand for it ("it"; "she" for a woman or a
            ship, "he" for a man), with their possessive forms.
    """

    title: str
    names: frozenset[str]
    anaphor_nouns: frozenset[str]
    principal_event: str
    pronouns: frozenset[str] = frozenset({"it", "its"})

    @classmethod
    def for_document(cls, document: Document, lexicon: Lexicon) -> SubjectResolver:
        """Build the resolver from the document's title and aliases."""
        titles = [n for n in (document.title, *document.aliases) if n]
        names = {normalize_name(n) for n in titles}
        names |= {normalize_name(_QUALIFIER.sub("", n)) for n in titles}
        head = head_noun(document.title)
        klass = lexicon.subject_class(head)
        nouns = set(lexicon.class_nouns[klass]) if klass else ({head} if head else set())
        # The common nouns of the subject's other names: "the museum" for a page titled
        # "About us" that calls the subject "Ellery Textile Museum" too.
        nouns.update(head_noun(alias) for alias in document.aliases if _looks_like_name(alias))
        for name in titles:
            # "Alsing (piano manufacturer)", "Big Girl (2005 film)": the qualifier's noun
            words = re.findall(r"[a-z]+", qualifier(name))
            if words:
                nouns.add(words[-1])
            if _CORPORATE.search(_QUALIFIER.sub("", name)):
                nouns.update(("company", "firm", "business"))
        nouns.discard("")
        event = lexicon.class_event[klass] if klass else "principal"
        return cls(document.title, frozenset(names - {""}), frozenset(nouns), event)

    def extended(self, nouns: Iterable[str] = (), pronouns: Iterable[str] = ()) -> SubjectResolver:
        """This resolver with more nouns and pronouns that stand for the subject (what the
        document says the subject is: "Orvsjön is a lake" makes "the lake" the subject)."""
        return replace(
            self,
            anaphor_nouns=self.anaphor_nouns | {n.lower() for n in nouns if n},
            pronouns=self.pronouns | {p.lower() for p in pronouns},
        )

    def is_pronoun(self, token: Token) -> bool:
        """True when ``token`` is a pronoun that may stand for the subject ("it", "its")."""
        return token.lower_ in self.pronouns and token.pos_ in {"PRON", "DET"}

    def is_name(self, text: str) -> bool:
        """True when ``text`` is the subject's title or one of its aliases."""
        return normalize_name(text) in self.names

    def refers_to_subject(self, token: Token) -> bool:
        """True when the noun phrase headed by ``token`` means the document's subject."""
        if token.lower_ in self.pronouns and token.dep_ in _PRONOUN_DEPS:
            # "The war that preceded it began ...": inside a relative or adverbial clause
            # "it" is too often something else (or a misparse) to be trusted.
            # Nor when the verb has another subject: "The war that preceded it began" is a
            # misparse of a relative clause.
            # An object has a subject beside it ("Editora Ribeira published it in 1961").
            other_subjects = (
                []
                if token.dep_ == "dobj"
                else [c for c in token.head.children if c.dep_ in _SUBJECT_DEPS and c.i != token.i]
            )
            if other_subjects or _in_quotation(token):
                return False
            if token.head.dep_ not in _EMBEDDED_CLAUSES:
                return True
            # "the festival has brought music to the town since it was first held in 1974":
            # the subject of a clause of time is the main clause's, when that is the subject
            return (
                token.head.dep_ == "advcl"
                and token.dep_ in {"nsubj", "nsubjpass"}
                and any(c.lower_ in _TIME_CONJUNCTIONS for c in token.head.children)
                and any(
                    c.dep_ in _SUBJECT_DEPS and c.pos_ != "PRON" and self.refers_to_subject(c)
                    for c in token.head.head.children
                )
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
        # "the Anglo-Soviet Treaty of 1942" is a proper name of something else; "the main
        # hall", "the smaller hall" one of several parts of the subject
        return not any(
            (c.dep_ == "compound" and c.pos_ == "PROPN")
            or (c.dep_ == "amod" and (c.tag_ in {"JJR", "JJS"} or c.lower_ in _PART_ADJECTIVES))
            for c in token.children
        )

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
        is_name_part = child.dep_ in {"compound", "flat", "nummod"}  # "Line 3", "Apollo 11"
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


def _is_name(text: str) -> bool:
    """True when ``text`` may name a subject: no placeholder, not a headline."""
    text = text.strip()
    return bool(text) and not _PLACEHOLDER.match(text) and len(text.split()) <= MAX_NAME_WORDS


_NAME_PARTICLES = frozenset({"of", "the", "and", "de", "la", "le", "du", "von", "van", "on", "at"})


def _looks_like_name(text: str) -> bool:
    """True for a proper name ("Ellery Textile Museum", "Treaty of Paris"), not a headline
    or a heading ("About the museum", "Tonight at 19:30: ...")."""
    words = text.split()
    return (
        _is_name(text)
        and ":" not in text
        and all(w[:1].isupper() or w in _NAME_PARTICLES for w in words)
    )


def shared_names(documents: Sequence[Document]) -> tuple[str, ...]:
    """The titles and aliases of the documents that at least two of them mention.

    A check compares documents about one subject, which each may title differently ("About
    us", "Ellery Textile Museum", a headline). The names several of them use are the
    subject's; each document's resolver takes them as aliases, so that one document's
    "Ellery Textile Museum" is its subject even when its own title is "About us".
    """
    if len(documents) < 2:
        return ()
    texts = [d.text.casefold() for d in documents]
    found: dict[str, str] = {}
    for document in documents:
        for name in (document.title, *document.aliases):
            for form in name_forms(name):
                key = normalize_name(form)
                if not _is_name(form) or len(key) < 3 or key in found:
                    continue
                pattern = re.compile(rf"(?<!\w){re.escape(form.casefold())}(?!\w)")
                if sum(bool(pattern.search(text)) for text in texts) >= 2:
                    found[key] = form
    return tuple(found.values())


def with_shared_names(documents: Sequence[Document], given: str | None = None) -> list[Document]:
    """The documents, each with the subject names several of them use among its aliases,
    and with ``given`` — the subject's name as the user gives it — first among them."""
    names = shared_names(documents)
    if given and given.strip() and _is_name(given):
        names = (given.strip(), *names)
    if not names:
        return list(documents)
    out = []
    for document in documents:
        own = {normalize_name(n) for n in (document.title, *document.aliases)}
        extra = tuple(n for n in names if normalize_name(n) not in own)
        out.append(replace(document, aliases=(*document.aliases, *extra)) if extra else document)
    return out


def unify_subjects(claims: Sequence[Claim], documents: Sequence[Document]) -> list[Claim]:
    """The claims, with every slot about one of the documents' names for their subject made
    about the subject (``SUBJECT_KEY``): one document's "harbour observatory" is another's
    subject. So is a slot about a common noun that some document calls the subject ("the
    lake" when another says "Orvsjön is the largest lake"), or that heads one of its names
    ("the museum" for "Ellery Textile Museum")."""
    names = {
        normalize_name(form)
        for d in documents
        for n in (d.title, *d.aliases)
        if _is_name(n)
        for form in (n, _QUALIFIER.sub("", n))
    }
    names |= {head_noun(n) for d in documents for n in (d.title, *d.aliases) if _looks_like_name(n)}
    for claim in claims:
        for slot in claim.slots:
            if slot.role == "type" and slot.about == SUBJECT_KEY:
                words = str(getattr(slot.value, "text", "")).split()
                if words:
                    names.add(words[-1])
    names.discard("")
    out = []
    for claim in claims:
        if any(s.about in names for s in claim.slots):
            slots = tuple(
                replace(s, about=SUBJECT_KEY) if s.about in names else s for s in claim.slots
            )
            claim = replace(claim, slots=slots)
        out.append(claim)
    return out


# Nouns that follow "X is ..." without saying what kind of thing X is ("X is part of",
# "home to", "one of").
_NOT_KINDS = frozenset(
    {"part", "home", "one", "member", "example", "site", "place", "centre", "center",
     "subject", "focus", "result", "way", "kind", "type", "sort", "number", "name", "source",
     "venue", "host", "seat", "work", "case", "symbol", "landmark", "highlight", "attraction"}
)  # fmt: skip
_MASCULINE = frozenset({"he", "his", "him"})
_FEMININE = frozenset({"she", "her", "hers"})


def _part_of_title(ent: SpacySpan) -> bool:
    """True when a name the entity tagger took for a person's is part of a title: it begins
    with a capitalised article ("A Casa das Marés", "The Salt Orchard" mid-sentence), or is
    the end of a longer capitalised name ("Marés" of "Casa das Marés")."""
    doc = ent.doc
    before = doc[ent.start - 1] if ent.start > 0 else None
    if any(
        t is not None and t.text in {"A", "An", "The"} and not t.is_sent_start
        for t in (ent[0], before)
    ):
        return True
    left = doc[ent.root.left_edge.i : ent.start]
    return any(
        t.text[:1].isupper() and t.lower_ not in _NAME_EXTRAS and t.pos_ == "PROPN" for t in left
    )


def _one_of_kind(token: Token, resolver: SubjectResolver) -> str | None:
    """The kind a subject is "one of" ("X is one of the oldest piano makers": a maker),
    or None."""
    if token.lower_ != "one" or token.dep_ != "attr" or token.head.lemma_ != "be":
        return None
    subjects = [c for c in token.head.children if c.dep_ in _SUBJECT_DEPS]
    if not (subjects and resolver.refers_to_subject(subjects[0])):
        return None
    for prep in token.children:
        if prep.dep_ == "prep" and prep.lower_ == "of":
            for noun in prep.children:
                if noun.dep_ == "pobj" and noun.pos_ == "NOUN" and noun.tag_ == "NNS":
                    lemma: str = noun.lemma_.lower()
                    return None if lemma in _NOT_KINDS else lemma
    return None


def profile_subject(
    docs: Iterable[SpacyDoc], resolver: SubjectResolver, lexicon: Lexicon
) -> SubjectResolver:
    """``resolver`` with what the parsed document says of its subject: the nouns it calls
    the subject ("Orvsjön is a lake", "Alsing, a piano maker") and, for a person or a
    ship, the pronouns that stand for it ("she" for a composer who is a woman, or a ship).
    """
    nouns: set[str] = set()
    vessels: set[str] = set()
    masculine = feminine = 0
    person = False
    for doc in docs:
        for token in doc:
            low = token.lower_
            masculine += low in _MASCULINE
            feminine += low in _FEMININE
            kind = _one_of_kind(token, resolver)
            if kind is not None:
                nouns.add(kind)  # "Alsing is one of the oldest piano makers in Europe"
            if token.pos_ != "NOUN" or token.tag_ in {"NNS", "NNPS"}:
                continue
            lemma = token.lemma_.lower()
            if lemma in lexicon.vessel_nouns:
                vessels.add(lemma)
            if lemma in _NOT_KINDS or any(
                c.dep_ == "prep" and c.lower_ == "of" for c in token.children
            ):
                continue
            if token.dep_ == "attr" and token.head.lemma_ == "be":
                subjects = [c for c in token.head.children if c.dep_ in _SUBJECT_DEPS]
                if subjects and resolver.refers_to_subject(subjects[0]):
                    nouns.add(lemma)
            elif token.dep_ == "appos" and resolver.refers_to_subject(token.head):
                nouns.add(lemma)
        person = person or any(
            ent.label_ == "PERSON"
            and not _part_of_title(ent)
            and resolver.refers_to_subject(ent.root)
            for ent in doc.ents
        )
    # a class of thing the document calls its subject brings the class's nouns: a "piano
    # manufacturer" is also "the firm", "the company"
    for noun in list(nouns | resolver.anaphor_nouns):
        klass = lexicon.subject_class(noun)
        if klass is not None:
            nouns |= lexicon.class_nouns[klass]
    extended = resolver.extended(nouns)
    # "Aoife Tarrant was an Irish poet": a person whatever the entity tagger took the name
    # for (a name it has not seen is often tagged an organisation)
    person = person or any(
        lexicon.kind_of(noun) == "person" for noun in nouns | resolver.anaphor_nouns
    )
    if person and (masculine or feminine):
        pronouns = _MASCULINE if masculine >= feminine else _FEMININE
    elif feminine and (extended.anaphor_nouns | vessels) & lexicon.vessel_nouns:
        # a ship is "she" (in a document about one that names no woman as its subject);
        # "it" is then something else (her bell)
        pronouns = _FEMININE
    else:
        return extended
    return replace(extended, pronouns=pronouns)
