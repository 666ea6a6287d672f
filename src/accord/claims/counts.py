"""Numbers in a clause: what a number measures ("6,650 km long", "a population of 5,000"),
how many of a kind a thing has ("the hall has 1,850 seats"), and the statistics that belong
to no named thing ("The median age was 45.7 years")."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from accord.claims.constructions import holds_people, hyphened_count
from accord.claims.mentions import SUBJECT_DEPS, Mention, SentenceContext, resolve
from accord.claims.negation import is_negated
from accord.model import SUBJECT_KEY, Quantity, Slot, Span
from accord.normalize.units import is_physical

if TYPE_CHECKING:
    from spacy.tokens import Token

# Roles in which a number is what the subject "is": a statistic when the subject is generic.
_STATISTIC_ROLES = frozenset({"attr", "theme"})
# Verbs whose subject owns what the object measures ("had a population of 5,000").
POSSESSION_VERBS = frozenset({"have", "boast", "contain", "comprise", "house", "employ"})
# Verbs whose object counts what their subject holds or carries ("seats 1,850", "can carry
# 48 cars").
_HOLDING_VERBS = frozenset({"hold", "seat", "carry", "own", "operate", "feature", "number"})


def measured_noun(verb: Token, role: str, ctx: SentenceContext) -> tuple[str, Token] | None:
    """ "Its greatest depth is 210 feet", "The bridge's length is 420 m": the dimension the
    subject noun names and its owner, for a number that is what that noun is."""
    if role != "attr" or verb.lemma_ != "be":
        return None
    for subject in verb.children:
        if subject.dep_ != "nsubj" or subject.pos_ != "NOUN":
            continue
        dimension = ctx.lexicon.dimension(subject.lemma_.lower())
        owners = [c for c in subject.children if c.dep_ == "poss"]
        if dimension != subject.lemma_.lower() and owners:
            return dimension, owners[0]
    return None


def count_slot(
    noun: Token, mention: Mention, verb: Token, role: str, ctx: SentenceContext
) -> Slot | None:
    """How many of a kind of thing a thing has: "Its two dozen cabins", "the hall has 1,850
    seats", "is in five movements", "employed 1,250 people". Role ``count:<noun>`` of event
    ``have``, about the owner (its possessive, else what the verb is about), whatever the
    verb; None when the number counts no plural noun or measures in a physical unit."""
    value = mention.value
    if not isinstance(value, Quantity) or is_physical(value.unit) or value.unit in _MONEY:
        return None
    owner: Token | None
    hyphened = hyphened_count(noun)
    if hyphened is not None:
        noun, owner = hyphened  # "the 54-floor tower": the tower's floors
    else:
        climbed = noun.dep_ in {"compound", "nummod"}
        while noun.dep_ in {"compound", "nummod"} and noun.head.pos_ == "NOUN":
            noun = noun.head  # "two dozen stucco cabins": the cabins are counted
        # a number deep in a phrase counts nothing, unless its noun names its owner ("with
        # her 560 passengers packed into every corner")
        owned = any(c.dep_ == "poss" for c in noun.children)
        # ... or what a noun is "with" ("the main hall, an auditorium with 2,100 seats")
        with_noun = noun.dep_ == "pobj" and noun.head.lower_ == "with"
        inside = role.startswith("mod") and not climbed and not owned and not with_noun
        if noun.pos_ != "NOUN" or noun.tag_ != "NNS" or role.startswith("unowned:") or inside:
            return None
        numbered = any(
            c.dep_ == "nummod"
            or (c.dep_ == "compound" and any(g.dep_ == "nummod" for g in c.children))
            for c in noun.children
        )  # "1,850 seats", "two dozen cabins" ("dozen" read as part of the noun)
        if not numbered:
            return None
        owner = _count_owner(noun, verb)
    lemma = noun.lemma_.lower()
    if lemma in _DURATIONS:
        return None  # "for its first eight seasons", "fifty years since": spans of time
    role = f"count:{lemma}"
    unit: str | None = lemma  # the counted noun
    if holds_people(verb, lemma, ctx):
        role, unit = "measure:capacity", None  # "the ground holds 6,800 spectators"
    if owner is None:
        return None
    if ctx.resolver.is_pronoun(owner) or ctx.resolver.refers_to_subject(owner):
        about = SUBJECT_KEY
    elif owner.pos_ == "PRON":
        return None
    else:
        about = resolve(owner, ctx, ())
    return Slot(
        role=role,
        value=Quantity(amount=value.amount, unit=unit, approximate=value.approximate),
        event="have",
        surface=mention.surface,
        span=Span(doc_id=ctx.doc_id, start=mention.start, end=mention.end),
        about=about,
        negated=is_negated(verb),
    )


_MONEY = frozenset({"USD", "GBP", "EUR", "JPY", "RUB", "%"})
_DURATIONS = frozenset(
    {"year", "season", "month", "week", "day", "hour", "minute", "decade", "century", "time",
     "night", "generation", "term", "round", "lap", "mile", "kilometre"}
)  # fmt: skip


def _count_owner(noun: Token, verb: Token) -> Token | None:
    """Whose things a counted noun are: its possessive ("its cabins"); the subject of a
    verb that has them ("the hall has 1,850 seats", "she can carry 48 cars"); the object of
    a verb that puts the subject in them ("cast the symphony in four movements"), or its
    subject ("the symphony is in five movements")."""
    for child in noun.children:
        if child.dep_ == "poss":
            return child
    if noun.dep_ == "conj":
        noun = noun.head  # "650 passengers and 48 cars"
    if noun.dep_ == "pobj" and noun.head.lower_ == "with" and noun.head.head.pos_ == "NOUN":
        owner = noun.head.head  # "a vineyard-style auditorium with 2,100 seats"
        return owner.head if owner.dep_ == "appos" else owner
    subjects = [c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass"}]
    if not subjects and verb.dep_ == "xcomp":
        # "she is licensed to carry 650 passengers": the subject of the verb it completes
        subjects = [c for c in verb.head.children if c.dep_ in {"nsubj", "nsubjpass"}]
    if noun.dep_ == "dobj" and noun.head.i == verb.i:
        # what a thing has ("the hall has 1,850 seats"), not what it did ("sold 100,000
        # copies", a measure of the selling)
        has = verb.lemma_.lower() in POSSESSION_VERBS | _HOLDING_VERBS
        return subjects[0] if subjects and has else None
    if noun.dep_ == "pobj" and noun.head.lower_ in {"in", "with", "of"}:
        objects = [c for c in verb.children if c.dep_ == "dobj"]
        found = objects or subjects
        return found[0] if found else None
    return None


def is_statistic(role: str, verb: Token) -> bool:
    """A number that is what the subject "is" ("The median age was 45.7 years"), or the
    subject's own measure noun ("A total of 5,002 were ..."); not a property of a named
    thing ("The bridge is 6,650 km long")."""
    if role in _STATISTIC_ROLES:
        return True
    subjects = [c for c in verb.children if c.dep_ in SUBJECT_DEPS]
    return bool(subjects) and role == f"measure:{subjects[0].lemma_.lower()}"


def is_partitive(path: Sequence[Token]) -> bool:
    """True when the number counts the whole a "one of" picks from ("one of the sixteen
    townships"): the path climbs through "of" to "one" (or "each", "some", "any")."""
    return any(
        token.lower_ == "of" and token.head.lower_ in {"one", "each", "some", "any", "none"}
        for token in path
    )


def is_unowned(verb: Token, ctx: SentenceContext) -> bool:
    """True when the verb's subject is a common noun that is not the document's subject and
    names no owner ("The median age was ..." but not "Its median age", "The town's
    population", "The population of Leeds")."""
    subjects = [c for c in verb.children if c.dep_ in SUBJECT_DEPS]
    if not subjects:
        return False
    subject = subjects[0]
    if subject.pos_ != "NOUN" or ctx.resolver.refers_to_subject(subject):
        return False
    owners = [
        c
        for c in subject.children
        if c.dep_ == "poss"
        or (
            c.dep_ == "prep"
            and c.lower_ in {"of", "in", "for"}
            # only a named owner counts: "a total of 5,002" names an amount, and "the
            # median income for a family" a kind of owner, not whose figure it is
            and any(o.dep_ == "pobj" and o.pos_ not in {"NUM", "NOUN"} for o in c.children)
        )
    ]
    return not owners


# Verbs whose object is a measure of their subject ("cost $5 million", "weighs 5 kg").
_MEASURE_VERBS = frozenset({"cost", "weigh", "measure", "last", "span", "seat", "hold"})


def measure_role(path: Sequence[Token], role: str) -> str:
    """What a number measures: "6,650 km long" -> ``measure:long``, "a population of
    5,000" -> ``measure:population``; else the role it already has."""
    of_noun = len(path) >= 3 and path[1].dep_ == "prep" and path[1].lower_ == "of"
    if of_noun and path[2].pos_ == "NOUN":
        return f"measure:{path[2].lemma_.lower()}"
    top = path[-1]
    if top.dep_ == "acomp" and top.pos_ in {"ADJ", "ADV"}:  # "420 metres long"
        return f"measure:{top.lemma_.lower()}"
    if len(path) == 1 and top.dep_ == "npadvmod" and top.head.pos_ == "VERB":
        return f"measure:{top.head.lemma_.lower()}"  # "lasted 2 weeks", "weighs 5 kg"
    if top.dep_ == "dobj" and top.head.lemma_.lower() in _MEASURE_VERBS:
        return f"measure:{top.head.lemma_.lower()}"  # "the bridge cost NZ$32 million"
    return role
