"""Slots that say what a thing is rather than what happened to it: who holds a role of it
("its first director was Anna Berg"), its nationality ("the Danish composer") and its rank
("the country's second-largest lake").

These relations are read off the parse, whatever the nouns: the role is the noun that links
the person to the thing (possessive, "of", apposition, copula), the rank is a superlative
with its ordinal and its scope. Whether a relation has one value is read from the words too:
an ordinal ("first", "founding", "third") gives a role one holder; a rank is one number.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from accord.claims.base import SUBJECT_KEY
from accord.model import HOLDER, NATIONALITY, RANK, EntityKind, EntityRef, Slot, Span, TextValue
from accord.normalize.entities import normalize_name

if TYPE_CHECKING:
    from spacy.tokens import Span as SpacySpan
    from spacy.tokens import Token

    from accord.claims.mentions import Mention, SentenceContext

__all__ = ["attribute_slots", "rank_slots", "role_phrase"]

# Modifiers that make a role the first of its kind: "founding director" is the first one.
_FIRST = frozenset({"first", "founding", "inaugural", "original", "found"})
_LAST = frozenset({"last", "final"})
_ORDINALS = {
    "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "2nd": 2, "3rd": 3, "4th": 4, "5th": 5,
}  # fmt: skip
# Modifiers that date a role: a former or current holder is one of several over time.
_TIMED = frozenset(
    {"former", "current", "present", "new", "acting", "interim", "longtime", "then",
     "later", "future", "late", "incoming", "outgoing", "previous", "sometime", "deputy",
     "assistant", "associate", "co"}
)  # fmt: skip
_HOLDER_KINDS = frozenset({EntityKind.PERSON, EntityKind.ORGANISATION})
_LINK_VERBS = frozenset({"be", "become", "remain"})
# Scopes that name no place: "the largest in the world" is not "in the country".
_WORLD = frozenset({"world", "planet", "globe", "earth"})

Resolve = Callable[["Token"], str]


def role_phrase(noun: Token) -> tuple[str, bool, bool] | None:
    """The role a noun names, as "<ordinal> <modifiers> <noun>" ("first director", "chief
    engineer"), whether it has one holder (an ordinal says so), and whether it is timed
    ("former director"); None for a plural ("directors": several holders)."""
    if noun.tag_ in {"NNS", "NNPS"}:
        return None
    ordinal = ""
    timed = False
    words: list[str] = []
    for child in noun.children:
        if child.i > noun.i or child.dep_ not in {"amod", "compound", "advmod", "nmod"}:
            continue
        low = child.lower_
        lemma = child.lemma_.lower()
        if low in _FIRST or lemma in _FIRST:
            ordinal = "first"
        elif low in _LAST:
            ordinal = "last"
        elif low in _ORDINALS:
            ordinal = str(_ORDINALS[low])
        elif low in _TIMED or lemma in _TIMED:
            timed = True
        elif child.pos_ in {"ADJ", "NOUN"} and not child.ent_type_:
            words.append(lemma)
    phrase = " ".join([*([ordinal] if ordinal else []), *words, noun.lemma_.lower()])
    return phrase, bool(ordinal), timed


def attribute_slots(
    sent: SpacySpan,
    mentions: Sequence[Mention],
    ctx: SentenceContext,
    resolve: Resolve,
    mention_root: Callable[[Mention], Token | None],
) -> dict[int, list[Slot]]:
    """Holder and nationality slots of the sentence's mentions, by mention index."""
    out: dict[int, list[Slot]] = {}
    for at, mention in enumerate(mentions):
        value = mention.value
        root = mention_root(mention)
        if root is None or not isinstance(value, EntityRef):
            continue
        if value.kind in _HOLDER_KINDS:
            slot = _holder_slot(root, mention, ctx, resolve)
            if slot is not None:
                out.setdefault(at, []).append(slot)
        if root.dep_ == "amod" and root.pos_ == "ADJ" and value.kind is EntityKind.PLACE:
            slot = _nationality_slot(root, mention, ctx, resolve, mentions, mention_root)
            if slot is not None:
                out.setdefault(at, []).append(slot)
    return out


def rank_slots(sent: SpacySpan, ctx: SentenceContext, resolve: Resolve) -> list[tuple[int, Slot]]:
    """The rank slots of the sentence, each with the index of its superlative's token."""
    return [(t.i, s) for t in sent if (s := _rank_slot(t, ctx, resolve)) is not None]


# -- holders -------------------------------------------------------------------------------


def _role_nouns(root: Token) -> list[Token]:
    """The nouns that may name the role of the entity headed by ``root``, best first:
    "X, the museum's first director" / "its first director, X" / "its first director was
    (the astronomer) X" / "X was its first director" / "X served as its first director"."""
    head = root.head
    found = [c for c in root.children if c.dep_ == "appos" and c.pos_ == "NOUN"]
    link = root
    if root.dep_ == "appos" and head.pos_ == "NOUN":
        found.append(head)
        link = head  # "its first director was the astronomer X": X stands for the attr
    if link.dep_ == "attr" and link.head.lemma_ in _LINK_VERBS:
        found.extend(
            c for c in link.head.children if c.dep_ in {"nsubj", "nsubjpass"} and c.pos_ == "NOUN"
        )
    if root.dep_ in {"nsubj", "nsubjpass"}:
        for child in head.children:
            if child.dep_ == "attr" and child.pos_ == "NOUN" and head.lemma_ in _LINK_VERBS:
                found.append(child)
            if child.dep_ == "prep" and child.lower_ == "as":
                found.extend(g for g in child.children if g.dep_ == "pobj" and g.pos_ == "NOUN")
    adjacent = _adjacent_role(root)
    if adjacent is not None:
        found.append(adjacent)
    return found


def _adjacent_role(root: Token) -> Token | None:
    """A role noun just before the name and a comma ("Under its first president, the Rev.
    Edward Lowther, the club ..."), where the parse did not join them."""
    doc = root.doc
    start = root.left_edge.i
    at = start - 1
    if at < 1 or doc[at].text != ",":
        return None
    noun = doc[at - 1]
    if noun.pos_ != "NOUN":
        return None
    has_owner = any(c.dep_ == "poss" for c in noun.children)
    return noun if has_owner else None


def _owner(noun: Token, ctx: SentenceContext, resolve: Resolve) -> str | None:
    """Whose role the noun is: its possessive ("its", "the museum's"), its "of" object, or,
    for "the first director" with neither, the document's subject."""
    for child in noun.children:
        if child.dep_ == "poss":
            if ctx.resolver.is_pronoun(child):
                return SUBJECT_KEY
            if child.pos_ == "PRON":
                return None  # "her successor": someone else's
            if child.pos_ == "PROPN" and _begins_subject_name(child, ctx):
                return SUBJECT_KEY  # "Hexley's first president" on a page about Hexley Athletic
            return resolve(child)
        if child.dep_ == "prep" and child.lower_ == "of":
            objects = [g for g in child.children if g.dep_ == "pobj"]
            if objects:
                return resolve(objects[0])
    determiners = {c.lower_ for c in noun.children if c.dep_ == "det"}
    if "the" in determiners:
        return SUBJECT_KEY
    return None


def _holder_slot(
    root: Token, mention: Mention, ctx: SentenceContext, resolve: Resolve
) -> Slot | None:
    best: tuple[int, Slot] | None = None
    for noun in _role_nouns(root):
        role = role_phrase(noun)
        if role is None:
            continue
        phrase, single, timed = role
        if timed:
            continue  # "a former mill schoolteacher": one of several over time
        owner = _owner(noun, ctx, resolve)
        if owner is None or (owner == SUBJECT_KEY and not single and not _has_owner_word(noun)):
            continue
        # a role with one holder before any other; the subject's before someone else's
        rank = 2 * single + (owner == SUBJECT_KEY)
        if best is None or rank > best[0]:
            best = (rank, _make_holder(noun, phrase, single, owner, mention, ctx))
    return best[1] if best is not None else None


def _make_holder(
    noun: Token, phrase: str, single: bool, owner: str, mention: Mention, ctx: SentenceContext
) -> Slot:
    value = mention.value
    event = _point_event(noun, ctx) if owner == SUBJECT_KEY else None
    if event is not None and isinstance(value, EntityRef) and value.kind != EntityKind.PERSON:
        # "The trail's starting point is Carrow Bridge": where the trail begins, a place
        # whatever the entity tagger took the name for
        return Slot(
            role="place",
            value=replace(value, kind=EntityKind.PLACE),
            event=event,
            surface=mention.surface,
            span=Span(doc_id=ctx.doc_id, start=mention.start, end=mention.end),
            about=owner,
        )
    return Slot(
        role=HOLDER if single else f"{HOLDER}:any",
        value=mention.value,
        event=phrase,
        surface=mention.surface,
        span=Span(doc_id=ctx.doc_id, start=mention.start, end=mention.end),
        about=owner,
    )


def _point_event(noun: Token, ctx: SentenceContext) -> str | None:
    """The event of a point named by a verb ("starting point", "finishing point"): the
    event the lexicon gives that verb (begin, end), or None."""
    if noun.lemma_.lower() != "point":
        return None
    for child in noun.children:
        word = child.lower_
        if child.dep_ not in {"amod", "compound"} or not word.endswith("ing"):
            continue
        # "starting" (often tagged a noun), "finishing", "beginning"
        for form in (word, word[:-3]):
            event = ctx.lexicon.canonical_event(form)
            if event in {"begin", "end"}:
                return event
    return None


def _begins_subject_name(token: Token, ctx: SentenceContext) -> bool:
    """True when the proper name headed by ``token`` is how one of the subject's names
    begins ("Hexley" for "Hexley Athletic")."""
    phrase = " ".join(t.lower_ for t in token.subtree if t.dep_ != "case")
    return any(name.startswith(phrase + " ") for name in ctx.resolver.names)


def _has_owner_word(noun: Token) -> bool:
    return any(c.dep_ == "poss" or (c.dep_ == "prep" and c.lower_ == "of") for c in noun.children)


# -- nationality ---------------------------------------------------------------------------


def _nationality_slot(
    root: Token,
    mention: Mention,
    ctx: SentenceContext,
    resolve: Resolve,
    mentions: Sequence[Mention],
    mention_root: Callable[[Mention], Token | None],
) -> Slot | None:
    """ "the Danish composer Sigrid Aamodt", "Sigrid Aamodt, the Norwegian composer", "X is a
    Norwegian composer": the nationality of the person the noun is."""
    if root.dep_ != "amod" or root.head.pos_ != "NOUN":
        return None
    noun = root.head
    person = _person_of(noun, ctx, resolve, mentions, mention_root)
    if person is None:
        return None
    return Slot(
        role=NATIONALITY,
        value=mention.value,
        event="be",
        surface=mention.surface,
        span=Span(doc_id=ctx.doc_id, start=mention.start, end=mention.end),
        about=person,
    )


def _person_of(
    noun: Token,
    ctx: SentenceContext,
    resolve: Resolve,
    mentions: Sequence[Mention],
    mention_root: Callable[[Mention], Token | None],
) -> str | None:
    """The person a role noun describes: its appositive or the name it stands beside, or the
    subject it is said of ("X is a Danish composer")."""
    people = {}
    for mention in mentions:
        value = mention.value
        if isinstance(value, EntityRef) and value.kind in _HOLDER_KINDS:
            root = mention_root(mention)
            if root is not None:
                people[root.i] = normalize_name(value.name)
    linked = [c for c in noun.children if c.dep_ in {"appos", "compound"}]
    if noun.dep_ in {"appos", "compound"}:
        linked.append(noun.head)
    for token in linked:
        if token.i in people:
            return people[token.i]
        if token.pos_ == "PROPN" and ctx.resolver.refers_to_subject(token):
            return SUBJECT_KEY  # the subject's own name, which is no mention
    if noun.dep_ == "attr" and noun.head.lemma_ in _LINK_VERBS:
        subjects = [c for c in noun.head.children if c.dep_ in {"nsubj", "nsubjpass"}]
        if subjects and ctx.resolver.refers_to_subject(subjects[0]):
            return SUBJECT_KEY
        if subjects and subjects[0].i in people:
            return people[subjects[0].i]
    following = noun.doc[noun.i + 1] if noun.i + 1 < len(noun.doc) else None
    if following is not None and following.i in people:
        return people[following.i]
    return None


# -- rank ----------------------------------------------------------------------------------


def _rank_slot(token: Token, ctx: SentenceContext, resolve: Resolve) -> Slot | None:
    """ "X is the largest lake in the municipality", "the municipality's second-largest
    lake", "B.C.'s longest suspension bridge": the rank (1, 2...) of the thing among its
    kind in a scope. "One of the largest" is no rank."""
    if token.tag_ != "JJS" or token.lower_ in {"most", "least", "best", "worst"}:
        return None
    rank = 1
    for child in token.children:
        if child.lower_ in _ORDINALS and child.i < token.i:
            rank = _ORDINALS[child.lower_]
    if token.i >= 2 and token.doc[token.i - 1].text in {"-", "‑"}:
        rank = _ORDINALS.get(token.doc[token.i - 2].lower_, rank)
    noun = token.head if token.dep_ == "amod" and token.head.pos_ in {"NOUN", "PROPN"} else None
    holder = noun if noun is not None else token
    if noun is not None and noun.tag_ in {"NNS", "NNPS"}:
        return None  # "the largest lakes": a group, or "one of the largest lakes"
    if holder.dep_ == "pobj" and holder.head.lower_ == "of":
        return None
    thing = _rank_thing(holder, ctx, resolve)
    if thing is None:
        return None
    scope = _scope(holder, token, resolve)
    if scope is None or scope in _WORLD:
        return None
    kind = noun.lemma_.lower() if noun is not None else ""
    return Slot(
        role=f"{RANK}:{token.lemma_.lower()}",
        value=TextValue(text=str(rank)),
        event=" ".join(filter(None, (kind, "in", scope))),
        surface=token.text if rank == 1 else f"{token.doc[token.i - 2].text}-{token.text}",
        span=Span(
            doc_id=ctx.doc_id,
            start=ctx.offset + token.idx,
            end=ctx.offset + token.idx + len(token.text),
        ),
        about=thing,
    )


def _rank_thing(holder: Token, ctx: SentenceContext, resolve: Resolve) -> str | None:
    """What is ranked: the subject of "X is the largest ...", or the noun itself when it
    is the subject ("B.C.'s longest bridge carries ..." in a page about the bridge)."""
    if holder.dep_ == "attr" and holder.head.lemma_ in _LINK_VERBS:
        subjects = [c for c in holder.head.children if c.dep_ in {"nsubj", "nsubjpass"}]
        return resolve(subjects[0]) if subjects else None
    if holder.dep_ == "appos":
        return resolve(holder.head)
    if ctx.resolver.refers_to_subject(holder) or (
        holder.pos_ == "NOUN" and any(c.dep_ == "poss" for c in holder.children)
    ):
        return SUBJECT_KEY if _is_subject_kind(holder, ctx) else None
    return None


def _is_subject_kind(noun: Token, ctx: SentenceContext) -> bool:
    return noun.lemma_.lower() in ctx.resolver.anaphor_nouns


def _scope(holder: Token, superlative: Token, resolve: Resolve) -> str | None:
    """Where the rank holds: "in Hälleby Municipality", "the municipality's", "of Europe"."""
    for token in (holder, superlative):
        for child in token.children:
            if child.dep_ == "poss" and child.pos_ != "PRON":
                return _scope_name(child, resolve)
            if child.dep_ == "prep" and child.lower_ in {"in", "of", "on", "among"}:
                objects = [g for g in child.children if g.dep_ == "pobj"]
                if objects:
                    return _scope_name(objects[0], resolve)
    return None


def _scope_name(token: Token, resolve: Resolve) -> str:
    name = resolve(token)
    return name.lower()
