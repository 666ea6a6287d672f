"""Slot comparison: the same slot of the same event with clashing values contradicts.

Only values that exclude each other can contradict: the date of one signing, the place of
one signing. Lists (parties, languages) and descriptions ("a declaration", "a military
alliance") can only agree; differing ones are left undecided. When no slot decides, strongly
overlapping wording with the same predicate and polarity counts as support.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from itertools import pairwise
from pathlib import Path
from typing import ClassVar

from accord.lexicon import ASPECTUAL_EVENTS, WORK_EVENT, load_lexicon
from accord.model import (
    HOLDER,
    NATIONALITY,
    RANK,
    SUBJECT_KEY,
    Claim,
    DateValue,
    Document,
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
from accord.relations import (
    agent_names,
    is_attribute_role,
    multi_valued,
    run_claims,
    same_relation,
    same_thing,
    single_agent,
)
from accord.verify.base import verifiers
from accord.verify.calibration import calibrate, load_calibration
from accord.verify.denials import denial_finding
from accord.verify.edits import edited_value
from accord.verify.masked import alike_names, copied_pairs, masked_clashes
from accord.verify.namesakes import (
    corroborated,
    dated_apart_documents,
    guard_kinds,
    same_subject_pairs,
    subject_kinds,
    title_year,
)
from accord.verify.overlap import overlap_finding
from accord.verify.values import (
    AGREE_CONFIDENCE,
    CURRENCIES,
    EDITED_WORD_CONFIDENCE,
    MASKED_CONFIDENCE,
    NATIONALITY_CONFIDENCE,
    PLACE_CONFIDENCE,
    UNKNOWN_PLACE_CONFIDENCE,
    Finding,
    agent_finding,
    date_finding,
    dated_apart,
    has_many,
    holder_finding,
    is_snapshot,
    polarity_finding,
    quantity_finding,
    rank_finding,
    set_finding,
    text_finding,
    unify_names,
    weakness,
)

# Years around the year in a document's title ("RV Halcyon (1971)") within which its thing's
# dates lie; a date of the same event further off is likely a namesake's.
TITLE_YEAR_SPAN = 5
_EXCLUSIVE_ROLES = frozenset({"date", "place", "polarity"})
_AGREEING_ROLES = frozenset({"agent", "type", "language"})
# Roles in which a quantity is a single measure of its thing: "was 6,650 km long"
# (``measure:long``), "a population of 5,000" (``measure:population``), "is 5,000" (attr).
_QUANTITY_ROLES = frozenset({"attr", "theme"})
PROGRESS_EVERY = 16  # pairs between progress reports, so that drawing costs less than comparing


def _is_measure_role(role: str) -> bool:
    return role in _QUANTITY_ROLES or role.startswith(("measure:", "count:"))


@verifiers.register("accord.slots.v1")
class SlotVerifier:
    """Slot comparison (``accord.slots.v1``): compares the typed slots of two claims (dates with
    precision, places with containment, entity sets, descriptions), falling back on wording
    overlap.

    Args:
        entity_files: extra entity-alias files, for place containment.
    """

    name: ClassVar[str] = "accord.slots.v1"

    def __init__(self, entity_files: Sequence[Path] = ()) -> None:
        self.entity_files = tuple(entity_files)
        self._entities: EntityIndex | None = None
        self._lexicon = load_lexicon()
        self._lists: set[tuple[str, str]] = set()
        self._calibration = load_calibration()
        self._same_subject: set[frozenset[str]] = set()
        self._title_years: dict[str, int] = {}
        self._nested: set[frozenset[str]] = set()
        self._copies: set[frozenset[str]] = set()
        self._namesakes: set[frozenset[str]] = set()
        self._advance: Callable[[int, int], None] | None = None

    def bind_documents(self, documents: Sequence[Document]) -> None:
        """Learn which documents name their subject alike (``same_subject_pairs``): with
        names in common, two documents are about one thing when they share people, places
        or dates, even where no verdict shows them agreeing."""
        self._same_subject = same_subject_pairs(documents)
        self._title_years = {d.id: y for d in documents if (y := title_year(d)) is not None}

    def bind_progress(self, advance: Callable[[int, int], None] | None) -> None:
        """Report ``advance(done, total)`` as pairs are compared (``None``: stop)."""
        self._advance = advance

    def warm_up(self) -> None:
        """Load the entity index (for place containment)."""
        if self._entities is None:
            self._entities = EntityIndex.load(self.entity_files)

    def verify(self, pairs: Sequence[Pair]) -> list[Verdict]:
        """Return one verdict per pair.

        A clash about one thing between two documents that call it different kinds of thing
        ("a 1982 film" / "a 1977 novel") is left undecided: they are likely about two things
        of one name, not in conflict about one. So is a clash between two documents of
        several claims each that agree on nothing at all (``accord.verify.namesakes``).
        """
        self.warm_up()
        kinds = subject_kinds(pairs, self._lexicon)
        claims = run_claims(pairs)
        self._lists = multi_valued(claims)
        self._nested = nested_places(claims)
        self._copies = copied_pairs(claims, [(p.left, p.right) for p in pairs])
        self._namesakes = dated_apart_documents(claims, self._title_years, TITLE_YEAR_SPAN)
        verdicts = []
        for pair in pairs:
            verdicts.append(guard_kinds(self._verify(pair), kinds))
            if self._advance is not None and len(verdicts) % PROGRESS_EVERY == 0:
                self._advance(len(verdicts), len(pairs))
        # a document that copies another is about the same thing
        return corroborated(verdicts, self._same_subject | self._copies)

    def _verify(self, pair: Pair) -> Verdict:
        a, b = pair.left, pair.right
        findings = [f for s, t in _comparable(a, b) if (f := self._compare(a, b, s, t))]
        if not any(f.label is Label.CONTRADICTS for f in findings):
            findings.extend(self._masked(a, b))
        if not any(f.label is Label.CONTRADICTS for f in findings):
            findings.extend(self._edited(a, b))
        if not any(f.label is Label.CONTRADICTS for f in findings):
            denial = denial_finding(a, b, self._lexicon.canonical_event)
            findings.extend([denial] if denial else [])
        findings = [calibrate(f, self._calibration) for f in findings]
        contradictions = [f for f in findings if f.label is Label.CONTRADICTS]
        supports = [f for f in findings if f.label is Label.SUPPORTS]
        ranked = sorted(contradictions or supports, key=lambda f: -f.confidence)
        if not ranked:
            # A clash set aside (a repeatable event, a count as of a date) leaves the pair
            # undecided; wording overlap must not turn it into agreement.
            undecided = next((f for f in findings if f.label is Label.NOT_MENTIONED), None)
            chosen = undecided or overlap_finding(a, b)
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

    def _masked(self, a: Claim, b: Claim) -> list[Finding]:
        """A clash of one value in two clauses that otherwise say the same
        (``accord.verify.masked``), unless the value may differ between occurrences."""
        copies = frozenset((a.doc_id, b.doc_id)) in self._copies
        for clash in masked_clashes(a, b, self._lexicon.kind_of, copies=copies):
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
                return [Finding(Label.NOT_MENTIONED, 0.5, "slots:masked", why_not, field)]
            return [
                Finding(
                    Label.CONTRADICTS,
                    MASKED_CONFIDENCE * weakness(a, b),
                    f"slots:masked-{clash.kind}",
                    f"{topic}: {s.surface} vs {t.surface} (the same statement otherwise, "
                    f"{clash.similarity:.0%} of its words alike)",
                    field,
                )
            ]
        return []

    def _edited(self, a: Claim, b: Claim) -> list[Finding]:
        """A value changed in one sentence of two documents that copy each other
        (``accord.verify.edits``)."""
        if frozenset((a.doc_id, b.doc_id)) not in self._copies or a.doc_id == b.doc_id:
            return []
        edit = edited_value(a, b, self._one_name)
        if edit is None:
            return []
        return [
            Finding(
                Label.CONTRADICTS,
                (EDITED_WORD_CONFIDENCE if edit.kind == "word" else MASKED_CONFIDENCE)
                * weakness(a, b),
                f"slots:edited-{edit.kind}",
                f"{edit.left} vs {edit.right}: one sentence of two documents that copy each "
                f"other, with the {edit.kind} changed ({edit.similarity:.0%} of its words alike)",
                None,
            )
        ]

    def _one_name(self, x: str, y: str) -> bool:
        """Whether two names written in copies of one sentence name one thing: written
        differently or in part, or a place and a place inside it."""
        return alike_names(x, y) or self._nested_places(x, y) is True

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
        """True when two places are known, are not one place and neither lies in the other."""
        if not (isinstance(x, EntityRef) and isinstance(y, EntityRef)):
            return False
        return self._nested_places(x.name, y.name) is False

    def _nested_places(self, x: str, y: str) -> bool | None:
        """Whether two known names are one place or one lies in the other (``None`` when
        either name is not known)."""
        entities = self._entities
        assert entities is not None
        known = entities.lookup(x), entities.lookup(y)
        if None in known:
            return None
        return known[0] == known[1] or entities.is_part_of(x, y) or entities.is_part_of(y, x)

    def _field(self, slot: Slot) -> str | None:
        kind = slot.value.kind.value if isinstance(slot.value, EntityRef) else None
        return self._lexicon.field_name(slot.event, slot.role, kind)

    def _compare(self, a: Claim, b: Claim, s: Slot, t: Slot) -> Finding | None:
        finding = self._compare_values(a, b, s, t)
        if finding is None or finding.label is not Label.CONTRADICTS:
            return finding
        why_not = self._why_not_exclusive(a, b, s, t)
        if why_not:
            return Finding(Label.NOT_MENTIONED, 0.5, finding.method, why_not, finding.field)
        return finding

    def _why_not_exclusive(self, a: Claim, b: Claim, s: Slot, t: Slot) -> str:
        """Why two clashing values may both be true, or "" when they exclude each other."""
        if self._lexicon.is_repeatable(s.event) and not (
            s.event in self._lexicon.once_per_agent
            and (_same_named_agent(a, b, s.event) or _dated_alike(a, b, s.event))
        ):
            return (
                f"'{s.event}' can happen more than once; "
                "different values may be different occurrences"
            )
        documents = frozenset((a.doc_id, b.doc_id))
        # a near-copy of another document is that text edited, about the same thing
        if documents in self._namesakes and documents not in self._copies:
            years = [self._title_years[d] for d in (a.doc_id, b.doc_id) if d in self._title_years]
            if years:
                return (
                    f"one document's title dates its subject to {years[0]}, far from every "
                    "date the other gives its own: likely another thing of the same name"
                )
            return (
                "the two documents date their subjects' making a generation apart: likely "
                "two things of the same name"
            )
        if isinstance(s.value, DateValue) and isinstance(t.value, DateValue):
            namesake = self._far_from_title_year(a, b, s.value, t.value)
            if namesake:
                return namesake
            if _counted_apart(a, b):
                return (
                    "each gives a different count as well as a different date: two counts "
                    "taken at two times, not one event dated two ways"
                )
        differing = _differing_qualifiers(a, b, s.event)
        if differing:
            return f"they qualify '{s.event}' differently ({differing}): two occurrences of it"
        if s.role in ("agent", HOLDER) and (s.event, s.role) in self._lists:
            return f"the documents name several for {s.event} {s.role}: a list, not one value"
        if has_many(a, s) or has_many(b, t):
            return (
                f"a sentence gives several values for {s.event} {s.role}; "
                "which one matches is unclear"
            )
        if isinstance(s.value, Quantity) and dated_apart(a, b):
            kind = "sums of money" if s.value.unit in CURRENCIES else "amounts"
            return f"the {kind} are of different dates, so they need not be equal"
        if (
            s.role.startswith("count:")
            and s.role[6:] in self._lexicon.people_nouns
            and not _dated_alike(a, b)
        ):
            return (
                f"how many {s.role[6:]}s there are changes over time; counts not dated alike "
                "can both be true"
            )
        if isinstance(s.value, Quantity) and (is_snapshot(a) or is_snapshot(b)):
            return (
                "a count as of a date changes over time; values at different times can both be true"
            )
        return ""

    def _compare_values(self, a: Claim, b: Claim, s: Slot, t: Slot) -> Finding | None:
        field = self._field(s)
        topic = field or f"{s.event} {s.role}"
        if isinstance(s.value, DateValue) and isinstance(t.value, DateValue):
            finding = date_finding(a, b, s.value, t.value, topic, field)
            if (
                s.event == WORK_EVENT
                and s.about != SUBJECT_KEY
                and finding.label is Label.CONTRADICTS
            ):
                # Works of one name and different years are often different works (a remake,
                # a namesake); only the documents' own subject is known to be one work.
                return Finding(
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
                return holder_finding(a, b, s, t, field)
            if s.role == NATIONALITY:
                return self._compare_nationalities(a, b, s, t, field)
            if s.role == "agent":
                found = set_finding(a, b, s, topic, field)
                return found if found is not None else agent_finding(a, b, s, t, topic, field)
            if s.role in _AGREEING_ROLES:
                return set_finding(a, b, s, topic, field)
        if s.role.startswith(f"{RANK}:") and isinstance(s.value, TextValue):
            return rank_finding(a, b, s, t, field)
        if s.role == "polarity" and isinstance(s.value, TextValue):
            return polarity_finding(a, b, s, t, field)
        if isinstance(s.value, TextValue) and isinstance(t.value, TextValue):
            return text_finding(s.value, t.value, topic, field)
        if isinstance(s.value, Quantity) and isinstance(t.value, Quantity):
            return quantity_finding(a, b, s, t, topic, field)
        return None

    def _compare_nationalities(
        self, a: Claim, b: Claim, s: Slot, t: Slot, field: str | None
    ) -> Finding | None:
        assert isinstance(s.value, EntityRef) and isinstance(t.value, EntityRef)
        entities = self._entities
        assert entities is not None
        x, y = s.value.name, t.value.name
        method = "slots:nationality"
        topic = field or "nationality"
        if x == y or entities.is_part_of(x, y) or entities.is_part_of(y, x):
            return Finding(
                Label.SUPPORTS,
                AGREE_CONFIDENCE,
                method,
                f"{topic}: {s.surface}, {t.surface}",
                field,
            )
        return Finding(
            Label.CONTRADICTS,
            NATIONALITY_CONFIDENCE * weakness(a, b, hedge=False),
            method,
            f"{topic}: {s.surface} vs {t.surface}",
            field,
        )

    def _compare_places(
        self, a: Claim, b: Claim, x: EntityRef, y: EntityRef, topic: str, field: str | None
    ) -> Finding | None:
        entities = self._entities
        assert entities is not None
        method = "slots:place"
        if x.name == y.name:
            return Finding(
                Label.SUPPORTS, AGREE_CONFIDENCE, method, f"{topic}: both {x.name}", field
            )
        if entities.is_part_of(x.name, y.name) or entities.is_part_of(y.name, x.name):
            return Finding(
                Label.SUPPORTS,
                AGREE_CONFIDENCE * 0.9,
                method,
                f"{topic}: {x.name} and {y.name} are compatible (one lies in the other)",
                field,
            )
        if frozenset((x.name, y.name)) in self._nested:
            return Finding(
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
        base = PLACE_CONFIDENCE
        if not all(known):
            method, base = "slots:place-unknown", UNKNOWN_PLACE_CONFIDENCE
        return Finding(
            Label.CONTRADICTS,
            base * weakness(a, b),
            method,
            f"{topic}: {x.name} vs {y.name}",
            field,
        )


def _dated_alike(a: Claim, b: Claim, event: str | None = None) -> bool:
    """True when both claims carry a date (of ``event``, when given) and some date of one is
    compatible with some date of the other ("in 2019 ... 120,000 visitors" / "in 2019 it
    drew 118,000"; "acquired by X in 2011" / "sold to Y in 2011": one sale)."""

    def dates(claim: Claim) -> list[DateValue]:
        return [
            s.value
            for s in claim.slots
            if isinstance(s.value, DateValue) and (event is None or s.event == event)
        ]

    left, right = dates(a), dates(b)
    return any(compare_dates(x, y) != "incompatible" for x in left for y in right)


def _same_named_agent(a: Claim, b: Claim, event: str) -> bool:
    """True when both claims name one agent of the event, and the same one ("bought by
    Harcastle Breweries" / "Harcastle took over"): one occurrence of a repeatable event."""
    left, right = agent_names(a, event), agent_names(b, event)
    return (
        len(left) == 1
        and len(right) == 1
        and bool(unify_names(left, right, EntityKind.ORGANISATION) & left)
    )


def nested_places(claims: Sequence[Claim]) -> set[frozenset[str]]:
    """Pairs of places some claim writes one after the other, "Salthill, Galway", "Lewes,
    Sussex": one lies in the other, as far as the documents say."""
    found: set[frozenset[str]] = set()
    for claim in claims:
        places = sorted(
            (
                s
                for s in claim.slots
                if isinstance(s.value, EntityRef) and s.value.kind == EntityKind.PLACE
            ),
            key=lambda s: s.span.start,
        )
        for first, second in pairwise(places):
            gap = claim.text[
                first.span.end - claim.span.start : second.span.start - claim.span.start
            ]
            if gap.strip() in {",", "(", "in", ", in"} and isinstance(first.value, EntityRef):
                assert isinstance(second.value, EntityRef)
                found.add(frozenset((first.value.name, second.value.name)))
    return found


def _names_overlap(x: str, y: str) -> bool:
    """True when two place names may name one place, or one inside the other: one holds
    every word of the other ("Port Glasgow", "Glasgow") or they end alike ("St Mary's
    Church", "Mary's Church"). Names that share only a modifier ("Royal Danish Theatre",
    "Royal Swedish Opera") name different places."""
    words_x, words_y = x.casefold().split(), y.casefold().split()
    if not (words_x and words_y):
        return False
    return (
        set(words_x) <= set(words_y) or set(words_y) <= set(words_x) or words_x[-1] == words_y[-1]
    )


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
                # a measure or count is the thing's, whatever verb states it ("is 420 metres
                # long", "Length 412 m"; "cost NZ$32 million", "built at a cost of")
                (t.event == s.event or s.role.startswith(("measure:", "count:")))
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


def _counted_apart(a: Claim, b: Claim) -> bool:
    """True when both claims count something ("carried 212,000 passengers" / "carried
    248,000 passengers") and the counts differ: with the dates differing too, each date
    says when its count was taken ("in 1989" / "in 1991")."""

    def counts(claim: Claim) -> set[Quantity]:
        return {
            slot.value
            for slot in claim.slots
            if isinstance(slot.value, Quantity)
            and (
                (role := slot.role.removeprefix("unowned:")).startswith("count:")
                or role in _QUANTITY_ROLES
            )
        }

    left, right = counts(a), counts(b)
    return bool(left and right) and not left & right


def _differing_qualifiers(a: Claim, b: Claim, event: str) -> str:
    """ "to member" vs "to public" when both claims qualify the event with one preposition
    and different objects; "" otherwise."""
    left, right = _qualifiers(a, event), _qualifiers(b, event)
    if event in ASPECTUAL_EVENTS and left.get("obj", {""}) != right.get("obj", {""}):
        # what begins or ends is part of the event: "began service" / "began jet service"
        shown = [
            "/".join(sorted(side.get("obj", {""}))) or "nothing named" for side in (left, right)
        ]
        return f"{event} {shown[0]} vs {event} {shown[1]}"
    for prep in left.keys() & right.keys():
        if not left[prep] & right[prep]:
            return (
                f"{prep} {'/'.join(sorted(left[prep]))} vs {prep} {'/'.join(sorted(right[prep]))}"
            )
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
        bool(left[kind] & unify_names(left[kind], right[kind], kind))
        for kind in left.keys() & right.keys()
    )
