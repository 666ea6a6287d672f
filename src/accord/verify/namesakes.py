"""Guards against comparing two different things of one name.

Retrieved documents often share a name without sharing a subject: two albums called "Talk
Show", a film and the novel it shares a title with. A clash between such documents is no
contradiction. ``guard_kinds`` leaves undecided a clash about a thing the two documents call
different kinds of thing; ``corroborated`` one between two documents of several claims that
agree on nothing else. Both work on verdicts, so any verifier can use them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from accord.lexicon import Lexicon
from accord.model import (
    SUBJECT_KEY,
    Claim,
    DateValue,
    Document,
    EntityRef,
    Label,
    Pair,
    Precision,
    Verdict,
)
from accord.normalize.entities import name_forms, normalize_name, qualifier

__all__ = [
    "CORROBORATION_MIN_CLAIMS",
    "corroborated",
    "dated_apart_documents",
    "guard_kinds",
    "same_subject_pairs",
    "subject_kinds",
    "title_year",
]


def subject_kinds(pairs: Sequence[Pair], lexicon: Lexicon) -> dict[tuple[str, str], set[str]]:
    """Per document and thing (a slot's ``about``), the kinds of thing the document says
    it is, from its type slots ("X is a 1977 novel": written work)."""
    kinds: dict[tuple[str, str], set[str]] = {}
    seen: set[str] = set()
    for pair in pairs:
        for claim in (pair.left, pair.right):
            if claim.id in seen:
                continue
            seen.add(claim.id)
            for slot in claim.slots:
                if slot.role not in ("type", "kind") or slot.about is None:
                    continue
                words = str(getattr(slot.value, "text", "")).split()
                kind = lexicon.kind_of(words[-1]) if words else None
                if kind is not None:
                    kinds.setdefault((claim.doc_id, slot.about), set()).add(kind)
    return kinds


def guard_kinds(verdict: Verdict, kinds: dict[tuple[str, str], set[str]]) -> Verdict:
    """``verdict``, or undecided when it is a clash about a thing that its two documents
    call different kinds of thing (``subject_kinds``)."""
    a, b = verdict.pair.left, verdict.pair.right
    if verdict.label is not Label.CONTRADICTS or a.doc_id == b.doc_id:
        return verdict
    keys_a = {(s.event, s.role, s.about) for s in a.slots if s.about is not None}
    shared = {s.about for s in b.slots if s.about and (s.event, s.role, s.about) in keys_a}
    for about in shared:
        left, right = kinds.get((a.doc_id, about), set()), kinds.get((b.doc_id, about), set())
        if left and right and not left & right:
            return replace(
                verdict,
                label=Label.NOT_MENTIONED,
                confidence=0.5,
                reason=(
                    f"{verdict.reason}; but one document calls it a "
                    f"{' or '.join(sorted(left))} and the other a "
                    f"{' or '.join(sorted(right))}: likely two different things of one "
                    "name, so no contradiction is drawn"
                ),
            )
    return verdict


# Documents with at least this many claims each must agree on something before a clash
# between them counts: two texts that share no fact are as likely about two namesakes.
CORROBORATION_MIN_CLAIMS = 3
# Named things (people, places, organisations, exact dates) two documents must both mention,
# besides their subject, to count as about one thing when no verdict shows them agreeing.
CORROBORATION_MIN_SHARED = 2
# Agreements too common between namesakes to show two documents speak of one thing: two
# albums called "Talk Show" are both albums, and both may be in English.
_WEAK_CORROBORATION = frozenset({"slots:type", "slots:language", "slots:nationality"})


def corroborated(
    verdicts: list[Verdict], same_subject: set[frozenset[str]] | None = None
) -> list[Verdict]:
    """Leave undecided the contradictions between two documents that agree on nothing.

    A document that conflicts with another on one fact while agreeing on others is about the
    same thing; so is one that names the same people, places, organisations or exact dates
    (two or more besides the subject). Two documents of several claims each that share no
    fact and no name and clash on one are as likely about two things of one name ("Talk
    Show", an album of 1999 and one of 1984). Single sentences (a claim and its evidence)
    are left as they are: nothing else could agree.
    """
    same_subject = same_subject or set()
    claims: dict[str, set[str]] = {}
    agreeing: set[frozenset[str]] = set()
    mentioned: dict[str, set[str]] = {}
    for verdict in verdicts:
        a, b = verdict.pair.left, verdict.pair.right
        for claim in (a, b):
            if claim.id not in claims.setdefault(claim.doc_id, set()):
                claims[claim.doc_id].add(claim.id)
                mentioned.setdefault(claim.doc_id, set()).update(_named(claim))
        if (
            verdict.label is Label.SUPPORTS
            and a.doc_id != b.doc_id
            and verdict.method not in _WEAK_CORROBORATION
        ):
            agreeing.add(frozenset((a.doc_id, b.doc_id)))
    for first in mentioned:
        for second in mentioned:
            shared = mentioned[first] & mentioned[second]
            if (
                first < second
                and len(shared) >= CORROBORATION_MIN_SHARED
                and frozenset((first, second)) in same_subject
            ):
                agreeing.add(frozenset((first, second)))
    agreeing = _linked(agreeing)
    out = []
    for verdict in verdicts:
        a, b = verdict.pair.left, verdict.pair.right
        if (
            verdict.label is Label.CONTRADICTS
            and a.doc_id != b.doc_id
            and frozenset((a.doc_id, b.doc_id)) not in agreeing
            and min(len(claims[a.doc_id]), len(claims[b.doc_id])) >= CORROBORATION_MIN_CLAIMS
        ):
            verdict = replace(
                verdict,
                label=Label.NOT_MENTIONED,
                confidence=0.5,
                reason=(
                    f"{verdict.reason}; but the two documents agree on nothing else, so they "
                    "may be about two different things of one name"
                ),
            )
        out.append(verdict)
    return out


def _linked(pairs: set[frozenset[str]]) -> set[frozenset[str]]:
    """Every two documents joined by a chain of agreeing pairs: when a blog agrees with a
    guide and with a magazine, all three speak of one thing."""
    group: dict[str, set[str]] = {}
    for pair in pairs:
        members = set(pair).union(*(group.get(d, set()) for d in pair))
        for document in members:
            group[document] = members
    return {
        frozenset((x, y)) for members in group.values() for x in members for y in members if x < y
    }


def _named(claim: Claim) -> set[str]:
    """The people, places and organisations a claim names, and its exact dates."""
    out = set()
    for slot in claim.slots:
        value = slot.value
        if isinstance(value, EntityRef) and value.kind.value in _NAMED_KINDS:
            out.add(value.name.casefold())
        elif isinstance(value, DateValue) and value.precision <= Precision.MONTH:
            out.add(value.to_iso())
    return out


_NAMED_KINDS = frozenset({"person", "place", "organisation"})


def same_subject_pairs(documents: Sequence[Document]) -> set[frozenset[str]]:
    """The pairs of documents that name their subject alike: a title or alias form in
    common ("Lady Ardmore" in "TSS Lady Ardmore (1911)" and an alias), with no clash of
    qualifiers ("Belorusskaya (Koltsevaya line)" / "(Zamoskvoretskaya line)" are two)."""
    names: dict[str, dict[str, set[str]]] = {}
    for document in documents:
        forms: dict[str, set[str]] = {}
        for name in (document.title, *document.aliases):
            for form in name_forms(name):
                key = normalize_name(form.split("(")[0])
                if len(key) >= 3:
                    forms.setdefault(key, set()).add(qualifier(name))
        names[document.id] = forms
    pairs: set[frozenset[str]] = set()
    ids = list(names)
    for i, first in enumerate(ids):
        for second in ids[i + 1 :]:
            shared = names[first].keys() & names[second].keys()
            if any(_qualifiers_agree(names[first][k], names[second][k]) for k in shared):
                pairs.add(frozenset((first, second)))
    return pairs


def _qualifiers_agree(left: set[str], right: set[str]) -> bool:
    """Unqualified names agree with any; qualified ones must share a qualifier."""
    left, right = left - {""}, right - {""}
    return not left or not right or bool(left & right)


_YEAR = re.compile(r"\b(1[0-9]{3}|20[0-9]{2})\b")


def title_year(document: Document) -> int | None:
    """The year in the qualifier of a document's title or alias ("RV Halcyon (1971)",
    "Treaty of Paris (1763)"): the year its thing is known by; None when there is none."""
    for name in (document.title, *document.aliases):
        found = _YEAR.findall(qualifier(name))
        if len(found) == 1:
            return int(found[0])
    return None


# Events that date a thing's making, whose year a title's qualifier gives ("RV Halcyon
# (1971)": built and launched then); a thing of one name made decades apart is another.
_MAKING_EVENTS = frozenset(
    {"build", "begin", "found", "open", "bear", "publish", "premiere", "launch"}
)
_BIRTH = "bear"  # the lexicon's event for "born": a person's own making


def dated_apart_documents(
    claims: Sequence[Claim], title_years: dict[str, int], span: int
) -> set[frozenset[str]]:
    """Pairs of documents where one's title gives its subject's year ("RV Halcyon (1971)")
    and every date the other gives its own subject's making lies more than ``span`` years
    from it (a schooner Halcyon built in 1924): two things of one name. So are two documents
    that date their subject's making a generation apart, and two that date the birth of a
    person of one name a generation apart while calling them different things (a footballer
    Harold Wenlock born in 1948, a politician born in 1975); a bare "Anne Rice was born in
    1997" against her biography says nothing of another person, and stays a clash."""
    made: dict[tuple[str, str], list[int]] = {}
    called: dict[tuple[str, str], set[str]] = {}
    for claim in claims:
        for slot in claim.slots:
            value = slot.value
            if slot.role in ("type", "kind") and slot.about is not None:
                words = str(getattr(value, "text", "")).split()
                called.setdefault((claim.doc_id, slot.about), set()).update(words[-1:])
            if (
                isinstance(value, DateValue)
                and slot.role == "date"
                and slot.about is not None
                and (slot.about == SUBJECT_KEY or slot.event == _BIRTH)
                and slot.event in _MAKING_EVENTS
            ):
                made.setdefault((claim.doc_id, slot.about), []).append(value.year)
    pairs: set[frozenset[str]] = set()
    for titled, year in title_years.items():
        for (other, about), years in made.items():
            if about != SUBJECT_KEY or other == titled:
                continue
            if all(abs(y - year) > span for y in years):
                pairs.add(frozenset((titled, other)))
    # without a title's year: made a generation apart, a ship of 1924 and one of 1971
    for (first, about_a), years_a in made.items():
        for (second, about_b), years_b in made.items():
            if not (first < second and about_a == about_b):
                continue
            if about_a != SUBJECT_KEY:
                kinds_a = called.get((first, about_a), set())
                kinds_b = called.get((second, about_b), set())
                if not (kinds_a and kinds_b) or kinds_a & kinds_b:
                    continue
            if all(abs(x - y) > GENERATION_YEARS for x in years_a for y in years_b):
                pairs.add(frozenset((first, second)))
    return pairs


# Years between two documents' dates for their subject's making past which they are more
# likely about two things of one name (a ship and its successor) than wrong about one.
GENERATION_YEARS = 25
