"""Slot comparison: the same slot of the same event with clashing values contradicts.

Only values that exclude each other can contradict: the date of one signing, the place of
one signing. Lists (parties, languages) and descriptions ("a declaration", "a military
alliance") can only agree; differing ones are left undecided. When no slot decides, strongly
overlapping wording with the same predicate and polarity counts as support.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from accord.lexicon import WORK_EVENT, load_lexicon
from accord.model import (
    HOLDER,
    Document,
    NATIONALITY,
    RANK,
    SUBJECT_KEY,
    Claim,
    DateValue,
    EntityKind,
    EntityRef,
    Label,
    Pair,
    Quantity,
    Slot,
    TextValue,
    Verdict,
)
from accord.normalize import EntityIndex, compare_dates
from accord.normalize.entities import same_name
from accord.normalize.measure import compare_measures, read_quantity
from accord.verify.base import verifiers
from accord.verify.identity import (
    corroborated,
    dated_apart_documents,
    guard_kinds,
    same_subject_pairs,
    subject_kinds,
    title_year,
)
from accord.verify.masked import masked_clashes
from accord.relations import (
    is_attribute_role,
    is_holder_kind,
    multi_valued,
    run_claims,
    same_relation,
    same_thing,
    single_agent,
)

# Confidence of a date clash between two explicit, directly attached dates.
DATE_CONFIDENCE = 0.9
# Multipliers for weaker evidence: a year taken from context, an event read off an
# infobox line (the event is inferred from the subject's kind), hedged wording.
INFERRED_YEAR_FACTOR = 0.85
INFOBOX_FACTOR = 0.9
# A label line in running text ("Published: 7 March 2024" on a shop page) may describe the
# page's own thing (an edition, a listing) rather than the subject.
FIELD_FACTOR = 0.75
HEDGED_FACTOR = 0.7
PLACE_CONFIDENCE = 0.75
UNKNOWN_PLACE_CONFIDENCE = 0.72
# A clash of two measures of one thing ("6,650 km" vs "5,000 km" long): below a date
# clash, since which thing a number measures is read less surely than a date's event.
QUANTITY_CONFIDENCE = 0.75
# Two holders of a role that has one ("its first director"), two nationalities of one
# person, two ranks of one thing in one scope.
HOLDER_CONFIDENCE = 0.85
NATIONALITY_CONFIDENCE = 0.8
RANK_CONFIDENCE = 0.8
# Two different agents of one event of the subject ("built by Denny" / "built by Fairfield"),
# each the only one named, where no document names several: below a holder's, since an event
# may have agents a document leaves unnamed.
AGENT_CONFIDENCE = 0.7
# Years around the year in a document's title ("RV Halcyon (1971)") within which its thing's
# dates lie; a date of the same event further off is likely a namesake's.
TITLE_YEAR_SPAN = 5
# One value differs between two clauses that are otherwise the same statement.
MASKED_CONFIDENCE = 0.85
AGREE_CONFIDENCE = 0.8
SUBSET_FACTOR = 0.8  # one source lists part of what the other lists
# Wording overlap (Dice over terms) from which same-predicate claims support each other,
# and the fewest shared terms; below either, overlap says nothing.
OVERLAP_SUPPORT = 0.45
OVERLAP_MIN_SHARED = 4
# Predicates too general for overlap to mean agreement.
_LIGHT_PREDICATES = frozenset({"be", "have", "do", "become", "include", "say"})
_EXCLUSIVE_ROLES = frozenset({"date", "place"})
_AGREEING_ROLES = frozenset({"agent", "type", "language"})
# Roles in which a quantity is a single measure of its thing: "was 6,650 km long"
# (``measure:long``), "a population of 5,000" (``measure:population``), "is 5,000" (attr).
_QUANTITY_ROLES = frozenset({"attr", "theme"})


def _is_measure_role(role: str) -> bool:
    return role in _QUANTITY_ROLES or role.startswith(("measure:", "count:"))


@dataclass(frozen=True, slots=True)
class _Finding:
    label: Label
    confidence: float
    method: str
    reason: str
    field: str | None


@verifiers.register("accord.slots.v1")
class StructuredVerifier:
    """Compares the typed slots of two claims (dates with precision, places with
    containment, entity sets, descriptions), falling back on wording overlap.

    Args:
        entity_files: extra entity-alias files, for place containment.
    """

    name: ClassVar[str] = "accord.slots.v1"

    def __init__(self, entity_files: Sequence[Path] = ()) -> None:
        self.entity_files = tuple(entity_files)
        self._entities: EntityIndex | None = None
        self._lexicon = load_lexicon()
        self._lists: set[tuple[str, str]] = set()
        self._same_subject: set[frozenset[str]] = set()
        self._title_years: dict[str, int] = {}
        self._nested: set[frozenset[str]] = set()
        self._namesakes: set[frozenset[str]] = set()

    def bind_documents(self, documents: Sequence[Document]) -> None:
        """Learn which documents name their subject alike (``same_subject_pairs``): with
        names in common, two documents are about one thing when they share people, places
        or dates, even where no verdict shows them agreeing."""
        self._same_subject = same_subject_pairs(documents)
        self._title_years = {d.id: y for d in documents if (y := title_year(d)) is not None}

    def warm_up(self) -> None:
        """Load the entity index (for place containment)."""
        if self._entities is None:
            self._entities = EntityIndex.load(self.entity_files)

    def verify(self, pairs: Sequence[Pair]) -> list[Verdict]:
        """Return one verdict per pair.

        A clash about one thing between two documents that call it different kinds of thing
        ("a 1982 film" / "a 1977 novel") is left undecided: they are likely about two things
        of one name, not in conflict about one. So is a clash between two documents of
        several claims each that agree on nothing at all (``accord.verify.identity``).
        """
        self.warm_up()
        kinds = subject_kinds(pairs, self._lexicon)
        claims = run_claims(pairs)
        self._lists = multi_valued(claims)
        self._nested = nested_places(claims)
        self._namesakes = dated_apart_documents(claims, self._title_years, TITLE_YEAR_SPAN)
        verdicts = [guard_kinds(self._verify(pair), kinds) for pair in pairs]
        return corroborated(verdicts, self._same_subject)

    def _verify(self, pair: Pair) -> Verdict:
        a, b = pair.left, pair.right
        findings = [f for s, t in _comparable(a, b) if (f := self._compare(a, b, s, t))]
        if not any(f.label is Label.CONTRADICTS for f in findings):
            findings.extend(self._masked(a, b))
        contradictions = [f for f in findings if f.label is Label.CONTRADICTS]
        supports = [f for f in findings if f.label is Label.SUPPORTS]
        ranked = sorted(contradictions or supports, key=lambda f: -f.confidence)
        if not ranked:
            # A clash set aside (a repeatable event, a count as of a date) leaves the pair
            # undecided; wording overlap must not turn it into agreement.
            undecided = next((f for f in findings if f.label is Label.NOT_MENTIONED), None)
            chosen = undecided or _overlap(a, b)
            return Verdict(
                pair=pair,
                label=chosen.label,
                confidence=round(chosen.confidence, 3),
                method=chosen.method,
                reason=chosen.reason,
                evidence=(a.span, b.span),
            )
        chosen = ranked[0]
        # One verdict per pair: the best finding leads, the others of the same label follow.
        topics = [chosen.field or chosen.method]
        reasons = [chosen.reason]
        for finding in ranked[1:]:
            topic = finding.field or finding.method
            if topic not in topics:
                topics.append(topic)
                reasons.append(finding.reason)
        reason = "; ".join(reasons)
        agreed = sorted({f.field or f.method for f in supports} - set(topics))
        if contradictions and agreed:
            reason += f" (they agree on {', '.join(agreed)})"
        return Verdict(
            pair=pair,
            label=chosen.label,
            confidence=round(chosen.confidence, 3),
            method=chosen.method,
            reason=reason,
            evidence=(a.span, b.span),
            field=chosen.field,
            other_fields=tuple(
                dict.fromkeys(f.field for f in ranked[1:] if f.field and f.field != chosen.field)
            ),
        )

    def _masked(self, a: Claim, b: Claim) -> list[_Finding]:
        """A clash of one value in two clauses that otherwise say the same
        (``accord.verify.masked``), unless the value may differ between occurrences."""
        for clash in masked_clashes(a, b, self._lexicon.kind_of):
            s, t = clash.left, clash.right
            if s.role == "agent" and not (single_agent(a, s) and single_agent(b, t)):
                continue
            if s.role == "place" and not self._disjoint_places(s.value, t.value):
                continue
            if s.event == WORK_EVENT and s.about != SUBJECT_KEY:
                continue  # "a 1940 comedy" / "a 1930 comedy": namesakes as often as not
            field = self._field(s)
            topic = field or f"{s.event} {s.role}"
            why_not = self._why_not_exclusive(a, b, s, t)
            if why_not:
                return [_Finding(Label.NOT_MENTIONED, 0.5, "slots:masked", why_not, field)]
            return [
                _Finding(
                    Label.CONTRADICTS,
                    MASKED_CONFIDENCE * _weakness(a, b),
                    f"slots:{clash.kind}",
                    f"{topic}: {s.surface} vs {t.surface} (the same statement otherwise, "
                    f"{clash.similarity:.0%} of its words alike)",
                    field,
                )
            ]
        return []

    def _far_from_title_year(self, a: Claim, b: Claim, x: DateValue, y: DateValue) -> str:
        """Why a date clash is likely between namesakes: one document's title gives its
        thing's year ("RV Halcyon (1971)"), its own date agrees with it and the other's
        lies far from it (a schooner Halcyon launched in 1924); "" otherwise."""
        for (mine, own), other in (((a, x), y), ((b, y), x)):
            year = self._title_years.get(mine.doc_id)
            if year is None or mine.doc_id == (b if mine is a else a).doc_id:
                continue
            if abs(own.year - year) <= TITLE_YEAR_SPAN and abs(other.year - year) > TITLE_YEAR_SPAN:
                return (
                    f"one document's title dates its subject to {year} and the other's date "
                    f"({other.to_iso()}) lies far from it: likely another thing of the same name"
                )
        return ""

    def _disjoint_places(self, x: object, y: object) -> bool:
        """True when two places are known and neither lies in the other."""
        entities = self._entities
        assert entities is not None
        if not (isinstance(x, EntityRef) and isinstance(y, EntityRef)):
            return False
        known = entities.lookup(x.name) is not None and entities.lookup(y.name) is not None
        return (
            known
            and not entities.is_part_of(x.name, y.name)
            and not entities.is_part_of(y.name, x.name)
        )

    def _field(self, slot: Slot) -> str | None:
        kind = slot.value.kind.value if isinstance(slot.value, EntityRef) else None
        return self._lexicon.field_name(slot.event, slot.role, kind)

    def _compare(self, a: Claim, b: Claim, s: Slot, t: Slot) -> _Finding | None:
        finding = self._compare_values(a, b, s, t)
        if finding is None or finding.label is not Label.CONTRADICTS:
            return finding
        why_not = self._why_not_exclusive(a, b, s, t)
        if why_not:
            return _Finding(Label.NOT_MENTIONED, 0.5, finding.method, why_not, finding.field)
        return finding

    def _why_not_exclusive(self, a: Claim, b: Claim, s: Slot, t: Slot) -> str:
        """Why two clashing values may both be true, or "" when they exclude each other."""
        if self._lexicon.is_repeatable(s.event):
            return (
                f"'{s.event}' can happen more than once; "
                "different values may be different occurrences"
            )
        if frozenset((a.doc_id, b.doc_id)) in self._namesakes:
            return (
                "one document's title dates its subject to a year far from every date the "
                "other gives its own: likely another thing of the same name"
            )
        if isinstance(s.value, DateValue) and isinstance(t.value, DateValue):
            namesake = self._far_from_title_year(a, b, s.value, t.value)
            if namesake:
                return namesake
        differing = _differing_qualifiers(a, b, s.event)
        if differing:
            return f"they qualify '{s.event}' differently ({differing}): two occurrences of it"
        if s.role in ("agent", HOLDER) and (s.event, s.role) in self._lists:
            return f"the documents name several for {s.event} {s.role}: a list, not one value"
        if _has_many(a, s) or _has_many(b, t):
            return (
                f"a sentence gives several values for {s.event} {s.role}; "
                "which one matches is unclear"
            )
        if isinstance(s.value, Quantity) and _dated_apart(a, b):
            kind = "sums of money" if s.value.unit in _CURRENCIES else "amounts"
            return f"the {kind} are of different dates, so they need not be equal"
        if isinstance(s.value, Quantity) and (_is_snapshot(a) or _is_snapshot(b)):
            return (
                "a count as of a date changes over time; values at different times can both be true"
            )
        return ""

    def _compare_values(self, a: Claim, b: Claim, s: Slot, t: Slot) -> _Finding | None:
        field = self._field(s)
        topic = field or f"{s.event} {s.role}"
        if isinstance(s.value, DateValue) and isinstance(t.value, DateValue):
            finding = _compare_dates(a, b, s.value, t.value, topic, field)
            if (
                s.event == WORK_EVENT
                and s.about != SUBJECT_KEY
                and finding.label is Label.CONTRADICTS
            ):
                # Works of one name and different years are often different works (a remake,
                # a namesake); only the documents' own subject is known to be one work.
                return _Finding(
                    Label.NOT_MENTIONED,
                    0.5,
                    finding.method,
                    f"{finding.reason}, but works of one name and different years may be "
                    "different works",
                    field,
                )
            return finding
        if isinstance(s.value, EntityRef) and isinstance(t.value, EntityRef):
            if s.role == "place":
                return self._compare_places(a, b, s.value, t.value, topic, field)
            if s.role == HOLDER:
                return _compare_holders(a, b, s, t, field)
            if s.role == NATIONALITY:
                return self._compare_nationalities(a, b, s, t, field)
            if s.role == "agent":
                found = _compare_sets(a, b, s, topic, field)
                return found if found is not None else _compare_agents(a, b, s, t, topic, field)
            if s.role in _AGREEING_ROLES:
                return _compare_sets(a, b, s, topic, field)
        if s.role.startswith(f"{RANK}:") and isinstance(s.value, TextValue):
            return _compare_ranks(a, b, s, t, field)
        if isinstance(s.value, TextValue) and isinstance(t.value, TextValue):
            return _compare_texts(s.value, t.value, topic, field)
        if isinstance(s.value, Quantity) and isinstance(t.value, Quantity):
            return _compare_quantities(a, b, s, t, topic, field)
        return None

    def _compare_nationalities(
        self, a: Claim, b: Claim, s: Slot, t: Slot, field: str | None
    ) -> _Finding | None:
        assert isinstance(s.value, EntityRef) and isinstance(t.value, EntityRef)
        entities = self._entities
        assert entities is not None
        x, y = s.value.name, t.value.name
        method = "slots:nationality"
        topic = field or "nationality"
        if x == y or entities.is_part_of(x, y) or entities.is_part_of(y, x):
            return _Finding(
                Label.SUPPORTS, AGREE_CONFIDENCE, method, f"{topic}: {s.surface}, {t.surface}", field
            )
        return _Finding(
            Label.CONTRADICTS,
            NATIONALITY_CONFIDENCE * _weakness(a, b, hedge=False),
            method,
            f"{topic}: {s.surface} vs {t.surface}",
            field,
        )

    def _compare_places(
        self, a: Claim, b: Claim, x: EntityRef, y: EntityRef, topic: str, field: str | None
    ) -> _Finding | None:
        entities = self._entities
        assert entities is not None
        method = "slots:place"
        if x.name == y.name:
            return _Finding(
                Label.SUPPORTS, AGREE_CONFIDENCE, method, f"{topic}: both {x.name}", field
            )
        if entities.is_part_of(x.name, y.name) or entities.is_part_of(y.name, x.name):
            return _Finding(
                Label.SUPPORTS,
                AGREE_CONFIDENCE * 0.9,
                method,
                f"{topic}: {x.name} and {y.name} are compatible (one lies in the other)",
                field,
            )
        if frozenset((x.name, y.name)) in self._nested:
            return _Finding(
                Label.SUPPORTS,
                AGREE_CONFIDENCE * 0.9,
                method,
                f"{topic}: {x.name} and {y.name} are compatible (a document places one in the "
                "other)",
                field,
            )
        if x.kind != EntityKind.PLACE or y.kind != EntityKind.PLACE:
            return None
        if _names_overlap(x.name, y.name):
            return None  # "Port Glasgow" and "Glasgow": maybe one, maybe two places
        known = [entities.lookup(name) is not None for name in (x.name, y.name)]
        if known[0] != known[1]:
            return None  # a place the gazetteer does not know may lie in the one it knows
        # Two places it does not know may also lie one in the other, unsaid: a weaker clash.
        confidence = (PLACE_CONFIDENCE if all(known) else UNKNOWN_PLACE_CONFIDENCE) * _weakness(
            a, b
        )
        return _Finding(
            Label.CONTRADICTS, confidence, method, f"{topic}: {x.name} vs {y.name}", field
        )


def nested_places(claims: Sequence[Claim]) -> set[frozenset[str]]:
    """Pairs of places some claim writes one after the other, "Salthill, Galway", "Lewes,
    Sussex": one lies in the other, as far as the documents say."""
    found: set[frozenset[str]] = set()
    for claim in claims:
        places = sorted(
            (s for s in claim.slots if isinstance(s.value, EntityRef) and s.value.kind == EntityKind.PLACE),
            key=lambda s: s.span.start,
        )
        for first, second in zip(places, places[1:], strict=False):
            gap = claim.text[first.span.end - claim.span.start : second.span.start - claim.span.start]
            if gap.strip() in {",", "(", "in", ", in"} and isinstance(first.value, EntityRef):
                assert isinstance(second.value, EntityRef)
                found.add(frozenset((first.value.name, second.value.name)))
    return found


def _names_overlap(x: str, y: str) -> bool:
    words_x, words_y = set(x.casefold().split()), set(y.casefold().split())
    return bool(words_x & words_y)


def _comparable(a: Claim, b: Claim) -> Iterator[tuple[Slot, Slot]]:
    """Slot pairs of the same event, role and topic, where the events are the same one."""
    for s in a.slots:
        if s.negated or s.about is None:
            continue
        is_measure = isinstance(s.value, Quantity) and _is_measure_role(s.role)
        attribute = is_attribute_role(s.role)
        if s.role not in _EXCLUSIVE_ROLES | _AGREEING_ROLES and not is_measure and not attribute:
            continue
        for t in b.slots:
            if isinstance(s.value, Quantity) != isinstance(t.value, Quantity) or t.negated:
                continue
            if attribute:
                if same_relation(s, t):
                    yield s, t
                continue
            if (
                t.event == s.event
                and t.role == s.role
                and same_thing(t.about, s.about)
                # who did it is what agents clash on; for other roles, different agents
                # make two events ("Germany invaded Poland" / "the USSR invaded Poland")
                and (s.role == "agent" or _same_event(a, b, s.event))
            ):
                yield s, t


def _qualifiers(claim: Claim, event: str) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for slot in claim.slots:
        if slot.role.startswith("qual:") and slot.event == event:
            found.setdefault(slot.role[5:], set()).add(getattr(slot.value, "text", ""))
    return found


def _differing_qualifiers(a: Claim, b: Claim, event: str) -> str:
    """ "to member" vs "to public" when both claims qualify the event with one preposition
    and different objects; "" otherwise."""
    left, right = _qualifiers(a, event), _qualifiers(b, event)
    for prep in left.keys() & right.keys():
        if not left[prep] & right[prep]:
            return f"{prep} {'/'.join(sorted(left[prep]))} vs {prep} {'/'.join(sorted(right[prep]))}"
    return ""


def _agents(claim: Claim, event: str) -> dict[EntityKind, set[str]]:
    found: dict[EntityKind, set[str]] = {}
    for slot in claim.slots:
        if slot.event == event and slot.role == "agent" and isinstance(slot.value, EntityRef):
            found.setdefault(slot.value.kind, set()).add(slot.value.name)
    return found


def _same_event(a: Claim, b: Claim, event: str) -> bool:
    """Two mentions of an event are one event unless their agents of one kind differ
    entirely ("Germany invaded Poland" is not "the USSR invaded Poland")."""
    left, right = _agents(a, event), _agents(b, event)
    return all(
        bool(left[kind] & _unify(left[kind], right[kind], kind))
        for kind in left.keys() & right.keys()
    )


# Date roles that make a claim's counts a snapshot: "by 2016", "as of May", "since 2010".
_SNAPSHOT_ROLES = frozenset(
    {"date:by", "date:as", "date:since", "date:until", "date:till", "date:from", "date:after"}
)


# Currency codes the quantity reader gives; a sum of money is tied to its year.
_CURRENCIES = frozenset({"USD", "GBP", "EUR", "JPY", "RUB"})


def _dated_apart(a: Claim, b: Claim) -> bool:
    """True when the two claims are dated differently: their event ("earned $30 million in
    2017" / "$19.5 million in 2018"), or anything else in them ("according to the 2016
    census, ... a population of 11,012" / "as per the 2021 census, ... 10,929"). Amounts
    of different times are different occurrences, not one fact."""

    def dates(claim: Claim) -> list[DateValue]:
        return [t.value for t in claim.slots if isinstance(t.value, DateValue)]

    return any(compare_dates(x, y) == "incompatible" for x in dates(a) for y in dates(b))


def _is_snapshot(claim: Claim) -> bool:
    return any(slot.role in _SNAPSHOT_ROLES for slot in claim.slots)


def _has_many(claim: Claim, slot: Slot) -> bool:
    """True when the claim gives another date or amount for the same slot ("in 2006 and
    2014", "6.4 million in the US and 15 million worldwide"). Places are left out: "in
    Tordesillas, Spain" names one place twice."""
    if not isinstance(slot.value, DateValue | Quantity):
        return False
    return any(
        other.event == slot.event
        and other.role == slot.role
        and other.about == slot.about
        and other.value != slot.value
        and type(other.value) is type(slot.value)
        for other in claim.slots
    )


def _unify(left: set[str], right: set[str], kind: EntityKind) -> set[str]:
    """``right`` with each name that means one of ``left``'s ("Cripps" for "Stafford
    Cripps", "NATO" for "North Atlantic Treaty Organization") replaced by that name."""
    out = set()
    for name in right:
        ref = EntityRef(name=name, kind=kind)
        matches = [m for m in left if same_name(EntityRef(name=m, kind=kind), ref)]
        out.add(matches[0] if len(matches) == 1 else name)
    return out


def _weakness(a: Claim, b: Claim, *, hedge: bool = True) -> float:
    """How much weaker than a plain statement the claims are: infobox or label lines, and
    hedged wording (unless ``hedge`` is False: what a thing is, said in an appositive
    of a hedged sentence, "Thomas Crane, the first director, is said to have...", is not
    what the hedge is about)."""
    factor = 1.0
    if "infobox" in (a.kind, b.kind):
        factor *= INFOBOX_FACTOR
    if "field" in (a.kind, b.kind):
        factor *= FIELD_FACTOR
    if hedge and (a.hedged or b.hedged):
        factor *= HEDGED_FACTOR
    return factor


def _compare_dates(
    a: Claim, b: Claim, x: DateValue, y: DateValue, topic: str, field: str | None
) -> _Finding:
    relation = compare_dates(x, y)
    method = "slots:date"
    factor = _weakness(a, b)
    inferred = [v for v in (x, y) if v.inferred_from is not None]
    if inferred:
        factor *= INFERRED_YEAR_FACTOR
    note = " (a date inferred from context)" if inferred else ""
    if relation == "incompatible":
        return _Finding(
            Label.CONTRADICTS,
            DATE_CONFIDENCE * factor,
            method,
            f"{topic}: {x.to_iso()} vs {y.to_iso()}{note}",
            field,
        )
    same = "the same date" if relation == "equal" else "compatible dates"
    confidence = DATE_CONFIDENCE * factor * (1.0 if relation == "equal" else 0.85)
    return _Finding(
        Label.SUPPORTS,
        confidence,
        method,
        f"{topic}: {same} ({x.to_iso()}, {y.to_iso()}){note}",
        field,
    )


def _compare_quantities(
    a: Claim, b: Claim, s: Slot, t: Slot, topic: str, field: str | None
) -> _Finding | None:
    """Two measures of one thing: compatible within the tolerance their wording allows."""
    assert isinstance(s.value, Quantity) and isinstance(t.value, Quantity)
    if (s.value.unit is None or t.value.unit is None) and not s.role.startswith(
        ("measure:", "count:")
    ):
        return None  # a bare number measures something only when its noun says what
    x, y = read_quantity(s.value, s.surface), read_quantity(t.value, t.surface)
    relation = compare_measures(x, y)
    if relation == "incomparable":
        return None
    tolerance = f"tolerance: {s.surface!r} {x.how}, {t.surface!r} {y.how}"
    if relation == "incompatible":
        return _Finding(
            Label.CONTRADICTS,
            QUANTITY_CONFIDENCE * _weakness(a, b),
            "slots:quantity",
            f"{topic}: {s.surface} vs {t.surface} ({tolerance})",
            field,
        )
    same = "the same amount" if relation == "equal" else "compatible amounts"
    return _Finding(
        Label.SUPPORTS,
        QUANTITY_CONFIDENCE * _weakness(a, b),
        "slots:quantity",
        f"{topic}: {same}, {s.surface} and {t.surface} ({tolerance})",
        field,
    )


def _compare_sets(a: Claim, b: Claim, s: Slot, topic: str, field: str | None) -> _Finding | None:
    kind = s.value.kind if isinstance(s.value, EntityRef) else None

    def names(claim: Claim) -> set[str]:
        return {
            t.value.name
            for t in claim.slots
            if t.event == s.event
            and t.role == s.role
            and isinstance(t.value, EntityRef)
            and t.value.kind == kind
        }

    left, right = names(a), names(b)
    if not left or not right:
        return None
    if kind is not None:
        right = _unify(left, right, kind)
    listed = " and ".join(sorted(left & right))
    if left == right:
        confidence = AGREE_CONFIDENCE
    elif left <= right or right <= left:
        # One list is part of the other: what the shorter says agrees, the rest is unsaid.
        confidence = AGREE_CONFIDENCE * SUBSET_FACTOR
    else:
        return None
    return _Finding(
        Label.SUPPORTS, confidence, f"slots:{s.role}", f"{topic}: both name {listed}", field
    )


def _compare_holders(a: Claim, b: Claim, s: Slot, t: Slot, field: str | None) -> _Finding:
    """Two holders of a role with one holder ("its first director"): one person, or a clash."""
    assert isinstance(s.value, EntityRef) and isinstance(t.value, EntityRef)
    topic = field or s.event
    method = "slots:holder"
    x, y = s.value, t.value
    if same_name(EntityRef(name=x.name, kind=y.kind), y) or x.name == y.name:
        return _Finding(Label.SUPPORTS, AGREE_CONFIDENCE, method, f"{topic}: both {x.name}", field)
    return _Finding(
        Label.CONTRADICTS,
        HOLDER_CONFIDENCE * _weakness(a, b, hedge=False),
        method,
        f"{topic}: {x.name} vs {y.name}",
        field,
    )


def _compare_agents(
    a: Claim, b: Claim, s: Slot, t: Slot, topic: str, field: str | None
) -> _Finding | None:
    """Different agents of one event of the subject, each the only one its claim names:
    a clash of who did it ("built by Denny" / "built by Fairfield"). The event's being a list
    elsewhere in the run is checked by ``_why_not_exclusive``."""
    assert isinstance(s.value, EntityRef) and isinstance(t.value, EntityRef)
    if s.about != SUBJECT_KEY or not (is_holder_kind(s.value.kind) and s.value.kind == t.value.kind):
        return None
    if not (single_agent(a, s) and single_agent(b, t)) or _dated_apart(a, b):
        return None  # several agents, or two occurrences of different dates
    return _Finding(
        Label.CONTRADICTS,
        AGENT_CONFIDENCE * _weakness(a, b),
        "slots:agent",
        f"{topic}: {s.value.name} vs {t.value.name}",
        field,
    )


def _compare_ranks(a: Claim, b: Claim, s: Slot, t: Slot, field: str | None) -> _Finding:
    """Two ranks of one thing among its kind in one scope: "the largest" is 1, "second-largest"
    2."""
    assert isinstance(s.value, TextValue) and isinstance(t.value, TextValue)
    quality = s.role.split(":", 1)[1]
    topic = field or f"rank by {quality}"
    method = "slots:rank"
    if s.value.text == t.value.text:
        return _Finding(
            Label.SUPPORTS, AGREE_CONFIDENCE, method, f"{topic}: both {s.surface}", field
        )
    return _Finding(
        Label.CONTRADICTS,
        RANK_CONFIDENCE * _weakness(a, b, hedge=False),
        method,
        f"{topic}: {s.surface} ({s.event}) vs {t.surface} ({t.event})",
        field,
    )


def _compare_texts(x: TextValue, y: TextValue, topic: str, field: str | None) -> _Finding | None:
    if x.text == y.text:
        return _Finding(Label.SUPPORTS, 0.7, "slots:type", f"{topic}: both say {x.text!r}", field)
    return None


# Words whose swap turns a sentence into its opposite while the rest of the wording stays.
_OPPOSITES = (
    ("greatest", "worst"), ("best", "worst"), ("first", "last"), ("largest", "smallest"),
    ("highest", "lowest"), ("most", "least"), ("increase", "decrease"), ("win", "lose"),
    ("won", "lost"), ("older", "younger"), ("oldest", "youngest"), ("before", "after"),
    ("above", "below"), ("more", "less"), ("longest", "shortest"), ("strong", "weak"),
    ("north", "south"), ("east", "west"), ("male", "female"), ("major", "minor"),
)  # fmt: skip
_WORD = re.compile(r"[a-z]+")
_NUMBER = re.compile(r"(?<![\w.])\d+(?:[.,]\d+)*(?![\w.])")


def _differing_detail(a: Claim, b: Claim) -> str:
    """Why overlapping wording may still disagree: different numbers ("at age 14" / "at age
    12") or opposite words ("greatest" / "worst"); "" when there is no such sign."""
    numbers_a, numbers_b = set(_NUMBER.findall(a.text)), set(_NUMBER.findall(b.text))
    # Each gives a number the other lacks: "age 14" / "age 12". One giving more numbers
    # than the other ("in May 2019" / "IDA-3 ... in May 2019") is only more detail.
    if numbers_a - numbers_b and numbers_b - numbers_a:
        return f"they give different numbers ({', '.join(sorted(numbers_a ^ numbers_b))})"
    words_a, words_b = set(_WORD.findall(a.text.lower())), set(_WORD.findall(b.text.lower()))
    for x, y in _OPPOSITES:
        if (x in words_a and y in words_b and y not in words_a) or (
            y in words_a and x in words_b and x not in words_a
        ):
            return f"one says '{x}' where the other says '{y}'"
    return ""


def _overlap(a: Claim, b: Claim) -> _Finding:
    left, right = set(a.terms), set(b.terms)
    shared = left & right
    dice = 2 * len(shared) / (len(left) + len(right)) if left and right else 0.0
    same_predicate = a.predicate == b.predicate and a.predicate not in _LIGHT_PREDICATES
    # read only where it can matter: both its uses need the overlap to reach support
    differs = _differing_detail(a, b) if dice >= OVERLAP_SUPPORT else ""
    if (
        same_predicate
        and a.negated == b.negated
        and dice >= OVERLAP_SUPPORT
        and len(shared) >= OVERLAP_MIN_SHARED
        and not differs
    ):
        words = ", ".join(sorted(shared - {a.predicate})[:6])
        return _Finding(
            Label.SUPPORTS,
            min(0.85, 0.35 + dice * 0.6),
            "overlap:terms",
            f"both say they {a.predicate} ({words}); wording overlap {dice:.2f}",
            None,
        )
    reason = "no slot of the same event in both"
    if differs and dice >= OVERLAP_SUPPORT:
        reason += f"; the wording overlaps ({dice:.2f}) but {differs}"
    elif dice:
        reason += f"; wording overlap {dice:.2f} is too weak to decide"
    return _Finding(Label.NOT_MENTIONED, round(1.0 - dice, 3), "slots", reason, None)
