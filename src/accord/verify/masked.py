"""Two clauses that say the same thing once one typed value is masked, with values that
cannot both hold: "The division was formed on July 26, 1918" / "The division was formed on
January 1, 1920"; "X is a 1992 novel by Y" / "X is a 1992 video game by Y".

The relation is the clause itself, so no word list decides that the two state one
relation: the words around the values must be the same (in order, allowing a few changes).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

from accord.model import Claim, DateValue, EntityKind, EntityRef, Quantity, Slot, TextValue
from accord.normalize import compare_dates
from accord.normalize.entities import same_name
from accord.normalize.measure import compare_measures, read_quantity

__all__ = [
    "COPY_MIN_CLAIMS",
    "MASKED_MIN_SIMILARITY",
    "MaskedClash",
    "alike_names",
    "copied_pairs",
    "masked_clashes",
]

# Share of the two clauses' words (around the masked values, in order) that must be the
# same for them to state one relation; below it they may say different things.
MASKED_MIN_SIMILARITY = 0.8
# Fewest words the clauses must share besides the value: "born 1990" / "born 1991" says too
# little to be one statement.
MASKED_MIN_WORDS = 4
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_ONE_VALUE_ROLES = frozenset({"agent", "place", "holder", "nationality"})
_COMPARED_KINDS = frozenset(
    {EntityKind.PERSON, EntityKind.PLACE, EntityKind.ORGANISATION, EntityKind.WORK}
)


@dataclass(frozen=True, slots=True)
class MaskedClash:
    """A slot of each claim whose values clash in otherwise matching clauses."""

    left: Slot
    right: Slot
    similarity: float
    kind: str


def _tokens(claim: Claim, slot: Slot) -> list[str]:
    """The claim's words, with the slot's value as one placeholder."""
    start = slot.span.start - claim.span.start
    end = slot.span.end - claim.span.start
    if not (0 <= start <= end <= len(claim.text)):
        return []
    before = _WORD.findall(claim.text[:start])
    after = _WORD.findall(claim.text[end:])
    return [*before, "\x00value", *after]


def _other_value_differs(left: list[str], right: list[str], matcher: SequenceMatcher[str]) -> bool:
    """True when the words that differ besides the masked value hold a number or a name
    ("Germany invaded Poland on 1 September" / "The Soviet Union invaded Poland on 17
    September": two values differ, so two statements, not one with a changed value), or
    when a content word stands where the other clause has another ("The average household
    size was 2.41" / "The average family size was 2.96": two measures, not one)."""
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        # the first word is capitalised as the sentence's first, not as a name
        for word in (*left[max(i1, 1) : i2], *right[max(j1, 1) : j2]):
            if any(c.isdigit() for c in word) or word[:1].isupper():
                return True
        if tag == "replace" and _content(left[i1:i2]) and _content(right[j1:j2]):
            return True
    return False


def _content(words: Sequence[str]) -> bool:
    """True when one of the words carries meaning of its own (not a function word such as
    "on", "in", "the", "was"), so that replacing it changes what the clause is about."""
    from spacy.lang.en.stop_words import STOP_WORDS

    return any(word.isalpha() and word.lower() not in STOP_WORDS for word in words)


def _loose_kind(slot: Slot) -> str | None:
    """Any typed value in any role but the unread: for clauses of two documents that copy
    each other, where one changed value is the whole difference."""
    value = slot.value
    if slot.role in ("unparsed", "date:anchor") or slot.role.startswith("qual:"):
        return None
    if isinstance(value, DateValue):
        return "date"
    if isinstance(value, Quantity):
        return "quantity"
    if isinstance(value, EntityRef) and value.kind in _COMPARED_KINDS:
        return value.kind.value
    return _kind(slot)


def _kind(slot: Slot) -> str | None:
    """What kind of value the slot holds, for slots in a role that has one value: the date
    of an event, a measure with its unit, who did it, where, a holder, a nationality, what
    the subject is. Names in lists, modifiers and objects ("starring X and Y") are left out:
    two different ones need not clash."""
    value, role = slot.value, slot.role
    if isinstance(value, DateValue):
        return "date" if role == "date" else None
    if isinstance(value, Quantity):
        measured = role.startswith("measure:") or role in ("attr", "theme")
        return "quantity" if value.unit and measured else None
    if isinstance(value, EntityRef) and value.kind in _COMPARED_KINDS:
        return value.kind.value if role in _ONE_VALUE_ROLES else None
    if isinstance(value, TextValue) and role == "type":
        return "type"
    return None


def _clash(s: Slot, t: Slot, kind: str, kind_of: Callable[[str], str | None]) -> bool:
    """True when the two values cannot both hold."""
    x, y = s.value, t.value
    if isinstance(x, DateValue) and isinstance(y, DateValue):
        return compare_dates(x, y) == "incompatible"
    if isinstance(x, Quantity) and isinstance(y, Quantity):
        if x.unit != y.unit:
            return False
        relation = compare_measures(read_quantity(x, s.surface), read_quantity(y, t.surface))
        return relation == "incompatible"
    if isinstance(x, EntityRef) and isinstance(y, EntityRef):
        return not alike_names(x.name, y.name) and not same_name(
            EntityRef(name=x.name, kind=y.kind), y
        )
    if isinstance(x, TextValue) and isinstance(y, TextValue):
        left, right = x.text.split(), y.text.split()
        kinds = {kind_of(left[-1]) if left else None, kind_of(right[-1]) if right else None}
        return None not in kinds and len(kinds) == 2  # "novel" / "video game": kinds differ
    return False


def _fold(name: str) -> list[str]:
    plain = unicodedata.normalize("NFKD", name.casefold())
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    return _WORD.findall(plain)


def alike_names(x: str, y: str) -> bool:
    """ "Bayamon" and "Bayamón", "Hilario Davide Jr." and "Hilario Davide Jr", "Alan" and
    "Alan Laws": one name, written differently or in part."""
    left, right = _fold(x), _fold(y)
    if not left or not right:
        return True
    shorter, longer = sorted((left, right), key=len)
    return all(word in longer for word in shorter)


def masked_clashes(
    a: Claim, b: Claim, kind_of: Callable[[str], str | None], *, copies: bool = False
) -> Iterator[MaskedClash]:
    """The slot pairs of ``a`` and ``b`` whose values clash while the clauses around them
    match (``MASKED_MIN_SIMILARITY``), best first. With ``copies`` (the two documents copy
    each other elsewhere) a value in any role counts, not only those that have one value."""
    kinds = _loose_kind if copies else _kind
    found = []
    for s in a.slots:
        kind = kinds(s)
        if kind is None or s.negated:
            continue
        for t in b.slots:
            if (s.event, s.role) != (t.event, t.role) or kinds(t) != kind or t.negated:
                continue
            if not _clash(s, t, kind, kind_of):
                continue
            left, right = _tokens(a, s), _tokens(b, t)
            if len(left) - 1 < MASKED_MIN_WORDS or len(right) - 1 < MASKED_MIN_WORDS:
                continue
            lowered = ([w.lower() for w in left], [w.lower() for w in right])
            matcher = SequenceMatcher(None, *lowered, autojunk=False)
            similarity = matcher.ratio()
            if similarity >= MASKED_MIN_SIMILARITY and not _other_value_differs(
                left, right, matcher
            ):
                found.append(MaskedClash(s, t, round(similarity, 3), kind))
    found.sort(key=lambda c: -c.similarity)
    yield from found


# Claims two documents must share word for word, or nearly (besides the clashing one), to
# count as copies of each other, so that any value they change is a change of one fact.
COPY_MIN_CLAIMS = 2
# Claims shorter than this many words are too common to show copying.
_COPY_MIN_WORDS = 6
# A longer sentence copied with a word or two changed ("the second EP by the band Anthrax,
# released in 1987 by Megaforce Worldwide" / "... by the band The Beatles, released ...")
# still shows copying when it is this long and this much alike; templates of namesakes'
# pages ("The population was 1,294 at the 2010 census") are shorter.
_NEAR_COPY_MIN_WORDS = 15
_NEAR_COPY_SIMILARITY = 0.85


def copied_pairs(
    claims: Sequence[Claim], pairs: Sequence[tuple[Claim, Claim]] = ()
) -> set[frozenset[str]]:
    """The pairs of documents that share ``COPY_MIN_CLAIMS`` or more claims word for word,
    or (among ``pairs``, the claim pairs compared) long ones nearly word for word: one
    copies the other (a mirror, a reworked page), so a clause in both with one value
    changed states one fact two ways. A document of three claims or fewer copies another
    when one of its claims is so shared."""
    texts: dict[str, set[str]] = {}
    words_of: dict[str, list[str]] = {}
    for claim in claims:
        words = words_of[claim.id] = _WORD.findall(claim.text.lower())
        if len(words) >= _COPY_MIN_WORDS:
            texts.setdefault(" ".join(words), set()).add(claim.doc_id)
    shared: dict[frozenset[str], set[str]] = {}
    for text, docs in texts.items():
        ordered = sorted(docs)
        for i, first in enumerate(ordered):
            for second in ordered[i + 1 :]:
                shared.setdefault(frozenset((first, second)), set()).add(text)
    for a, b in pairs:
        if a.doc_id == b.doc_id:
            continue
        left = words_of.get(a.id) or _WORD.findall(a.text.lower())
        right = words_of.get(b.id) or _WORD.findall(b.text.lower())
        if min(len(left), len(right)) < _NEAR_COPY_MIN_WORDS:
            continue
        if 2 * min(len(left), len(right)) / (len(left) + len(right)) < _NEAR_COPY_SIMILARITY:
            continue  # too different in length to be alike enough
        matcher = SequenceMatcher(None, left, right, autojunk=False)
        # quick_ratio bounds ratio from above and is far cheaper: most pairs stop there
        if matcher.quick_ratio() >= _NEAR_COPY_SIMILARITY <= matcher.ratio():
            # one sentence of each document, however many of the other's it resembles
            shared.setdefault(frozenset((a.doc_id, b.doc_id)), set()).add(" ".join(left))
    sizes: dict[str, int] = {}
    for claim in claims:
        sizes[claim.doc_id] = sizes.get(claim.doc_id, 0) + 1
    out = set()
    for key, found in shared.items():
        fewest = min(sizes.get(doc, 0) for doc in key)
        # a document of a claim or two copies another when half of what it says is copied
        if len(found) >= min(COPY_MIN_CLAIMS, max(1, fewest // 2)):
            out.add(key)
    return out
