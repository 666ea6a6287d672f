"""Whether two slots state one relation of one thing, and whether that relation has one value:
the aligner pairs claims by ``relation_key`` and slot comparison decides by ``same_relation``.

Slot comparison (``accord.verify.slots``) contradicts only values that cannot both hold.
That needs two things this module decides from the slots alone, without word lists:

- the same relation: the same role of the same event (or role noun, rank, nationality) about
  the same thing, where a common noun may stand for a named thing ("the commission" for "the
  Skagerrak Fisheries Commission") and a rank's scope may be named or not ("the country" for
  "Denmark");
- one value: a role with an ordinal has one holder ("first director"), a rank one number, a
  person one nationality; an agent is one only when no document of the run names several for
  that event (``multi_valued``): "signed by the United Kingdom and the Soviet Union" makes
  the signing's agents a list everywhere, so differing signatories only agree.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from accord.model import (
    HOLDER,
    NATIONALITY,
    RANK,
    SUBJECT_KEY,
    Claim,
    EntityKind,
    EntityRef,
    Pair,
    Slot,
    TextValue,
)
from accord.normalize.entities import normalize_name

__all__ = [
    "Key",
    "agent_names",
    "is_attribute_role",
    "multi_valued",
    "relation_key",
    "same_relation",
    "same_thing",
    "single_agent",
    "slot_names",
]

Key = tuple[str, str, str]
_WORLD = frozenset({"world", "planet", "globe", "earth"})
# Scope nouns that stand for a named place: "the country's second-largest lake" is ranked
# in the same scope as "the largest lake in Sweden".
_GENERIC_SCOPES = frozenset(
    {"country", "nation", "state", "province", "region", "county", "municipality", "city",
     "town", "district", "island", "area", "valley", "territory", "canton", "borough"}
)  # fmt: skip


def is_attribute_role(role: str) -> bool:
    """True for the roles of ``accord.claims.attributes``: holders, nationality, rank."""
    return role in (HOLDER, NATIONALITY) or role.startswith(f"{RANK}:")


def same_thing(x: str | None, y: str | None) -> bool:
    """True when two ``Slot.about`` values name one thing: equal once normalised, or a
    common noun and a name it ends ("commission", "skagerrak fisheries commission")."""
    if x is None or y is None:
        return False
    if x == y:
        return True
    if SUBJECT_KEY in (x, y):
        return False
    x, y = normalize_name(x), normalize_name(y)
    if x == y:
        return True
    short, long = sorted((x, y), key=len)
    return " " not in short and long.endswith(" " + short)


def _split_scope(event: str) -> tuple[str, str]:
    kind, _, scope = event.rpartition(" in ")
    return (kind, scope) if scope else (event, "")


def _same_scope(x: str, y: str) -> bool:
    """Two ranks' "<kind> in <scope>" are one comparison: the same kind (or one unsaid) in
    the same scope, where "the country" may stand for the country named."""
    (kind_x, scope_x), (kind_y, scope_y) = _split_scope(x), _split_scope(y)
    if kind_x and kind_y and kind_x.split()[-1] != kind_y.split()[-1]:
        return False
    if same_thing(scope_x, scope_y):
        return True
    if _WORLD & {scope_x, scope_y}:
        return False  # "the world's largest" is no rank within a country
    generic = [s for s in (scope_x, scope_y) if s in _GENERIC_SCOPES]
    return len(generic) == 1


def _same_role_noun(x: str, y: str) -> bool:
    """ "first director" and "first director", or "first chief engineer" and "first
    engineer": the same ordinal and head noun."""
    wx, wy = x.split(), y.split()
    ordinal_x = wx[0] if wx[0].isdigit() or wx[0] in {"first", "last"} else ""
    ordinal_y = wy[0] if wy[0].isdigit() or wy[0] in {"first", "last"} else ""
    return ordinal_x == ordinal_y and wx[-1] == wy[-1]


def same_relation(s: Slot, t: Slot) -> bool:
    """True when the slots state one relation of one thing (see the module docstring)."""
    if s.role != t.role:
        return False
    if s.role == HOLDER:
        return _same_role_noun(s.event, t.event) and same_thing(s.about, t.about)
    if s.role.startswith(f"{RANK}:"):
        return _same_scope(s.event, t.event) and same_thing(s.about, t.about)
    if s.role == NATIONALITY:
        return same_thing(s.about, t.about)
    return s.event == t.event and same_thing(s.about, t.about)


def relation_key(slot: Slot) -> Key:
    """A key two slots of one relation share (looser than ``same_relation``: a candidate),
    for pairing claims: (event, role, thing), with a holder's role noun reduced to its
    ordinal and head, a rank's scope and a measure's or count's verb left out, and things by
    their last word."""
    about = slot.about or ""
    thing = about if about == SUBJECT_KEY else normalize_name(about).rsplit(" ", 1)[-1]
    if slot.role == HOLDER:
        words = slot.event.split()
        return (f"{words[0]} {words[-1]}" if len(words) > 1 else words[0], HOLDER, thing)
    if slot.role.startswith(f"{RANK}:"):
        return ("", slot.role, thing)
    if slot.role == NATIONALITY or slot.role.startswith(("measure:", "count:")):
        # a measure or count is the thing's whatever verb states it ("plunges to 81
        # metres at its deepest point", "its greatest depth is 210 feet"), as slot
        # comparison has it
        return ("", slot.role, thing)
    return (slot.event, slot.role, thing)


def _values_of(claim: Claim, slot: Slot) -> set[str]:
    out = set()
    for other in claim.slots:
        if other.role == slot.role and other.event == slot.event and other.about == slot.about:
            value = other.value
            if isinstance(value, EntityRef):
                out.add(value.name)
            elif isinstance(value, TextValue):
                out.add(value.text)
    return out


def multi_valued(claims: Iterable[Claim]) -> set[tuple[str, str]]:
    """The (event, role) relations of agents and holders that some claim fills with several
    values ("signed by the United Kingdom and the Soviet Union", "its founders, A and B"):
    in this run they are lists, whose differing values only agree."""
    found: set[tuple[str, str]] = set()
    for claim in claims:
        for slot in claim.slots:
            if slot.role in ("agent", HOLDER) and len(_values_of(claim, slot)) > 1:
                found.add((slot.event, slot.role))
    return found


def run_claims(pairs: Sequence[Pair]) -> list[Claim]:
    """Each claim of the pairs once."""
    seen: dict[str, Claim] = {}
    for pair in pairs:
        seen.setdefault(pair.left.id, pair.left)
        seen.setdefault(pair.right.id, pair.right)
    return list(seen.values())


def slot_names(claim: Claim, slot: Slot) -> set[str]:
    """The names the claim gives in the slot's event and role, of the slot's kind
    ("signed by A and B": {A, B})."""
    kind = slot.value.kind if isinstance(slot.value, EntityRef) else None
    return {
        s.value.name
        for s in claim.slots
        if s.event == slot.event
        and s.role == slot.role
        and isinstance(s.value, EntityRef)
        and s.value.kind == kind
    }


def agent_names(claim: Claim, event: str) -> set[str]:
    """Who the claim says did the event, of any kind."""
    return {
        s.value.name
        for s in claim.slots
        if s.event == event and s.role == "agent" and isinstance(s.value, EntityRef)
    }


def single_agent(claim: Claim, slot: Slot) -> bool:
    """True when the claim names one agent of the slot's kind for its event."""
    return isinstance(slot.value, EntityRef) and len(slot_names(claim, slot)) == 1


def is_holder_kind(kind: EntityKind) -> bool:
    """People and organisations hold roles and act; places and groups do not."""
    return kind in (EntityKind.PERSON, EntityKind.ORGANISATION)
