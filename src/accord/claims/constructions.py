"""Constructions that say which relation a clause states, whatever its verb: "has been
going since 1971" dates the subject's beginning, "welcomed its first guests" its opening,
"plunges to 81 metres at its deepest point" its depth, "the ground holds 6,800 spectators"
its capacity. Each reads the dependency parse around one verb or noun; ``frames`` applies
them when it builds a slot.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from accord.model import EntityKind, EntityRef, Quantity
from accord.normalize.quantities import unit_code
from accord.normalize.units import dimension

if TYPE_CHECKING:
    from spacy.tokens import Token

    from accord.claims.mentions import SentenceContext

__all__ = [
    "BEGIN_EVENT",
    "EXTENT_EVENTS",
    "OPEN_EVENT",
    "extreme_point",
    "first_users",
    "holds_people",
    "hyphened_count",
    "in_a_place_in",
    "ongoing_since",
    "served_people_since",
]

_PERFECT = frozenset({"has", "have", "'s", "'ve"})


def _auxiliaries(verb: Token) -> set[str]:
    return {c.lower_ for c in verb.children if c.dep_ == "aux"}


BEGIN_EVENT = "begin"
EXTENT_EVENTS = frozenset({"begin", "end"})
OPEN_EVENT = "open"
# Verbs of a thing in use, whose first objects mark its opening ("carried its first
# vehicles", "received its first visitors"); not "won its first title".
_SERVING_VERBS = frozenset({"carry", "welcome", "receive", "admit", "serve"})


def first_users(verb: Token, ctx: SentenceContext) -> bool:
    """True when the verb's object is the subject's first people, or the first of what it
    carries or serves ("welcomed its first guests", "carried its first vehicles"): the start
    of its use, not a first of anything ("won its first title")."""
    serving = verb.lemma_.lower() in _SERVING_VERBS
    for noun in verb.children:
        if noun.dep_ != "dobj":
            continue
        # "carried its first vehicles": what a thing in use carries, whatever it is
        if not (serving or noun.lemma_.lower() in ctx.lexicon.people_nouns):
            continue
        first = any(c.dep_ == "amod" and c.lower_ == "first" for c in noun.children)
        # the clause is about the subject (the caller's test), so "its" is the subject's
        owned = any(
            c.dep_ == "poss" and (c.pos_ == "PRON" or ctx.resolver.refers_to_subject(c))
            for c in noun.children
        )
        if first and owned:
            return True
    return False


def served_people_since(verb: Token, ctx: SentenceContext) -> bool:
    """True for an active present perfect whose object is people the subject serves ("has
    carried tourists", "has welcomed visitors"): its use, ongoing since its opening."""
    auxiliaries = _auxiliaries(verb)
    if not auxiliaries & _PERFECT or "been" in auxiliaries:
        return False
    return verb.tag_ == "VBN" and any(
        c.dep_ == "dobj"
        and c.lemma_.lower() in ctx.lexicon.people_nouns
        # "has carried two million tourists since 1990" counts them since a date
        and not any(g.dep_ == "nummod" for g in c.children)
        for c in verb.children
    )


def ongoing_since(verb: Token) -> bool:
    """True for an active present perfect progressive whose subject acts ("has been going",
    "have been brewing"), or "has been around": an activity ongoing since its start. Not a
    passive ("has been owned by ... since 2011") nor a state ("has been a member since")."""
    auxiliaries = _auxiliaries(verb)
    if not auxiliaries & _PERFECT:
        return False
    # only the bare activity: "has been playing at Ferncliffe Road since 1954" dates the
    # ground, not the club; "has been brewing beer since" the beer
    others = [
        c.lower_
        for c in verb.children
        if c.dep_ not in {"aux", "nsubj", "punct", "advmod", "cc", "conj", "relcl", "advcl"}
        and not (c.dep_ == "prep" and c.lower_ == "since")
    ]
    if verb.tag_ == "VBG":
        return "been" in auxiliaries and not others
    around = any(c.lower_ == "around" for c in verb.children)
    return verb.lower_ == "been" and around and set(others) <= {"around"}


def extreme_point(
    verb: Token, value: Quantity, role: str, ctx: SentenceContext
) -> tuple[str, Token] | None:
    """A length at a thing's extreme point is that dimension of the thing: "It plunges to
    81 metres at its deepest point" (how deep "its" thing is), "The deepest point in the
    cave lies 300 feet below the surface". The dimension and its owner (the possessive or
    the "in"/"of" object of the point), or None."""
    if role.startswith(("measure:", "count:")) or dimension(value.unit) != "[length]":
        return None
    points = [
        o
        for c in verb.children
        if c.dep_ == "prep" and c.lower_ == "at"
        for o in c.children
        if o.dep_ == "pobj"
    ]
    points += [c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass"}]
    for point in points:
        extremes = [c for c in point.children if c.dep_ == "amod" and c.tag_ == "JJS"]
        if not extremes or extremes[0].lemma_.lower() not in ctx.lexicon.dimensions:
            continue
        owners = [c for c in point.children if c.dep_ == "poss"] + [
            o
            for c in point.children
            if c.dep_ == "prep" and c.lower_ in {"in", "of"}
            for o in c.children
            if o.dep_ == "pobj"
        ]
        if owners and (
            ctx.resolver.is_pronoun(owners[0]) or ctx.resolver.refers_to_subject(owners[0])
        ):
            return ctx.lexicon.dimension(extremes[0].lemma_), owners[0]
    return None


def holds_people(verb: Token, noun: str, ctx: SentenceContext) -> bool:
    """True when the verb says how many people its subject can hold, now: "holds 6,800
    spectators", "can seat 1,850 visitors" (a capacity); not "held 20,000 spectators for
    the final" (one day's crowd)."""
    if verb.lemma_.lower() not in _CAPACITY_VERBS or noun not in ctx.lexicon.people_nouns:
        return False
    modal = any(c.dep_ == "aux" and c.lower_ in {"can", "could"} for c in verb.children)
    return verb.tag_ in {"VBZ", "VBP"} or modal


_CAPACITY_VERBS = frozenset({"hold", "seat", "accommodate"})


def hyphened_count(number: Token) -> tuple[Token, Token] | None:
    """The counted noun and its owner of a number joined to a noun that describes another
    ("the 54-floor tower", "a 30-cabin motel"), or None."""
    noun = number.head
    if number.dep_ != "nummod" or noun.pos_ != "NOUN" or noun.dep_ not in {"compound", "amod"}:
        return None
    if unit_code(noun.lemma_) is not None:
        return None  # "a 40-metre mast": a measure, not a count
    if not any(c.tag_ == "HYPH" and c.i == number.i + 1 for c in noun.children):
        return None
    owner = noun.head
    return (noun, owner) if owner.pos_ in {"NOUN", "PROPN"} else None


def in_a_place_in(path: Sequence[Token], value: object) -> bool:
    """True for a place that holds the place of the event: the path climbs "in <place>" to a
    noun that is itself the verb's "at" or "in" phrase ("died at her home in Salthill",
    "signed in the palace in Paris"), the place's "Galway" of "Salthill, Galway" included."""
    if not (isinstance(value, EntityRef) and value.kind == EntityKind.PLACE):
        return False
    hops = [t for t in path if t.dep_ not in {"appos", "conj", "compound"}]
    return (
        len(hops) == 4
        and hops[0].dep_ == "pobj"
        and hops[1].dep_ == "prep"
        and hops[1].lower_ == "in"
        and hops[2].dep_ == "pobj"
        and hops[2].pos_ == "NOUN"
        and hops[3].dep_ == "prep"
        and hops[3].lower_ in {"at", "in"}
    )
