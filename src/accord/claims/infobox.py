"""Claims from the label/value lines of an infobox ("Signed 12 July 1941", "Languages English").

A line with no label that is only a date or only a place is the date or place of the
subject's principal event (the signing, for a treaty): that is how infoboxes read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from accord.claims.base import SUBJECT_KEY
from accord.claims.frames import EXTRACTOR
from accord.claims.subject import SubjectResolver
from accord.claims.terms import text_terms
from accord.lexicon import InfoboxLabel, Lexicon
from accord.model import (
    NATIONALITY,
    Claim,
    EntityKind,
    EntityRef,
    Quantity,
    Slot,
    Span,
    TextValue,
    Value,
    content_id,
)
from accord.normalize import EntityIndex, find_quantities, parse_date

_LIST_SPLIT = re.compile(r"\s*(?:,|;|\band\b|/)\s*")
# "Birth date 3 May 1933", "Length 412 m", "Designer Margaret Olufsen", "Opened: May 1937":
# a label of one to four words, then its value.
_LABEL_WORD = re.compile(r"[a-z][a-z'’ -]{1,40}")
# Label words that say which part of an event the value is, not which event.
_PART_WORDS = {"date": "date", "year": "date", "day": "date", "place": "place", "location": "place",
               "locale": "place", "venue": "place", "site": "place"}  # fmt: skip


@dataclass(slots=True)
class InfoboxReader:
    """Reads the infobox lines of one document in order, remembering the last label
    so that a value continued on the next line keeps it."""

    doc_id: str
    resolver: SubjectResolver
    lexicon: Lexicon
    entities: EntityIndex
    section: str = ""
    kind: str = "infobox"
    _last: InfoboxLabel | None = field(default=None)

    def read(self, line: str, start: int) -> Claim | None:
        """Return the claim a line makes, or None for lines that state nothing typed."""
        text = line.strip()
        if not text or self.resolver.is_name(text):
            return None
        offset = start + (len(line) - len(line.lstrip()))
        label, value_text, value_start = self._split_label(text)
        if label is not None:
            self._last = label
            slots = self._slots(label, value_text, offset + value_start)
        else:
            slots = self._unlabelled(text, offset) or self._generic(text, offset)
        if not slots:
            return None
        event = slots[0].event
        return Claim(
            id=content_id(self.doc_id, offset, text),
            doc_id=self.doc_id,
            span=Span(doc_id=self.doc_id, start=offset, end=offset + len(text)),
            text=text,
            subject=self.resolver.title,
            predicate=event,
            slots=tuple(slots),
            section=self.section,
            kind=self.kind,
            terms=tuple(text_terms(text)),
            extractor=EXTRACTOR,
        )

    def _split_label(self, text: str) -> tuple[InfoboxLabel | None, str, int]:
        lowered = text.lower()
        for label in sorted(self.lexicon.infobox_labels, key=len, reverse=True):
            if lowered.startswith(label) and len(text) > len(label):
                rest = text[len(label) :]
                if rest[0] in " :\t":
                    skipped = len(rest) - len(rest.lstrip(" :\t"))
                    return (
                        self.lexicon.infobox_labels[label],
                        rest[skipped:],
                        len(label) + skipped,
                    )
        return None, text, 0

    def _event(self, label: InfoboxLabel) -> str:
        if label.event == "principal":
            return self.resolver.principal_event
        return label.event

    def _slot(self, role: str, event: str, value: Value, surface: str, start: int) -> Slot:
        return Slot(
            role=role,
            value=value,
            event=event,
            surface=surface,
            span=Span(doc_id=self.doc_id, start=start, end=start + len(surface)),
            about=SUBJECT_KEY,
        )

    def _slots(self, label: InfoboxLabel, value: str, start: int) -> list[Slot]:
        event = self._event(label)
        slots: list[Slot] = []
        if "date" in label.roles:
            date = parse_date(value)
            if date is not None:
                return [self._slot("date", event, date, value, start)]
        if "place" in label.roles:
            place = self._place(value)
            if place is not None:
                return [self._slot("place", event, place, value, start)]
        for role in label.roles:
            if role in {"agent", "language"}:
                for surface, at in _list_items(value):
                    kind = EntityKind.LANGUAGE if role == "language" else EntityKind.OTHER
                    entity = self.entities.lookup(surface) or EntityRef(name=surface, kind=kind)
                    slots.append(self._slot(role, event, entity, surface, start + at))
            elif role == "type":
                slots.append(self._slot(role, event, TextValue(text=value.lower()), value, start))
        return slots

    def _place(self, value: str) -> EntityRef | None:
        """The most specific place of "London, United Kingdom" when every part is known."""
        parts = [p.strip() for p in value.split(",") if p.strip()]
        refs = [self.entities.lookup(p) for p in parts]
        if not refs or any(r is None or r.kind != EntityKind.PLACE for r in refs):
            return None
        return refs[0]

    def _unlabelled(self, text: str, start: int) -> list[Slot]:
        event = self.resolver.principal_event
        date = parse_date(text)
        if date is not None:
            self._last = None
            return [self._slot("date", event, date, text, start)]
        place = self._place(text)
        if place is not None and self._last is None:
            return [self._slot("place", event, place, text, start)]
        if self._last is not None and ("agent" in self._last.roles):
            return self._slots(self._last, text, start)
        return []

    def _generic(self, text: str, start: int) -> list[Slot]:
        """A line whose label the lexicon does not know: its date is the date of the event
        the label names ("Opened May 1937", "Birth date 3 May 1933"), its place the place
        of that event ("Death place Dublin, Ireland"), its amount a measure of the subject
        ("Length 412 m", "Cabins 24"), a name after "<verb>er" that event's agent
        ("Designer Margaret Olufsen"), a nationality the subject's ("Nationality Irish")."""
        words = text.split()
        for size in range(1, min(4, len(words) - 1) + 1):
            label = " ".join(words[:size]).rstrip(":=").lower()
            if not _LABEL_WORD.fullmatch(label):
                break
            rest = text.split(None, size)[size].lstrip(":= ")
            if not rest:
                continue
            slots = self._labelled(label.split(), rest, start + text.index(rest, len(label)))
            if slots:
                self._last = None
                return slots
        return []

    def _labelled(self, words: list[str], value: str, at: int) -> list[Slot]:
        part = _PART_WORDS.get(words[-1]) if len(words) > 1 else None
        event_words = words[:-1] if part else words
        event = self.lexicon.canonical_event(_verb_of(" ".join(event_words), self.lexicon))
        head = value.split(",")[0].split("(")[0].strip()
        date = parse_date(head)
        if date is not None and part in (None, "date"):
            return [self._slot("date", event, date, head, at)]
        if part == "place" and head[:1].isupper():
            place = self.entities.lookup(head) or EntityRef(name=head, kind=EntityKind.PLACE)
            return [self._slot("place", event, place, head, at)]
        if words == ["nationality"]:
            demonym = self.entities.demonym(head)
            return [self._slot(NATIONALITY, "be", demonym, head, at)] if demonym else []
        quantities = find_quantities(value)
        if quantities and quantities[0].start == 0 and len(words) <= 2:
            found = quantities[0]
            label = words[-1]
            if found.value.unit is None and len(label) > 3 and label.endswith("s"):
                # "Cabins: 24", "Seats 452": a count of the thing's parts, as in prose
                noun = label[:-1]
                count = Quantity(amount=found.value.amount, unit=noun)
                return [self._slot(f"count:{noun}", "have", count, found.text, at)]
            noun = self.lexicon.dimension(label)
            return [self._slot(f"measure:{noun}", "be", found.value, found.text, at)]
        agent = _agent_event(words, self.lexicon)
        if agent is not None and head[:1].isupper() and len(head.split()) <= 6:
            entity = self.entities.lookup(head) or EntityRef(name=head, kind=EntityKind.OTHER)
            return [self._slot("agent", agent, entity, head, at)]
        return []


def _verb_of(label: str, lexicon: Lexicon) -> str:
    """The verb a label's word comes from ("opened" -> "open", "completed" -> "complete",
    "birth" stays a noun the lexicon knows)."""
    for form in (label, label[:-2], label[:-1], label[:-3] + "y"):
        if form and lexicon.knows(form):
            return form
    if label.endswith("ed"):
        return label[:-1] if label.endswith("ted") or label.endswith("sed") else label[:-2]
    return label


def _agent_event(words: list[str], lexicon: Lexicon) -> str | None:
    """The event whose agent a one-word role label names: "designer" -> design, "builder"
    -> build, "founder" -> found; None for other labels."""
    if len(words) != 1:
        return None
    word = words[0]
    for suffix in ("er", "or", "r"):
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            verb = word[: -len(suffix)]
            if lexicon.knows(verb) or suffix == "er":
                return lexicon.canonical_event(verb)
    return None


def _list_items(value: str) -> list[tuple[str, int]]:
    """Split "United Kingdom, Soviet Union" into items with their offsets."""
    items = []
    position = 0
    for part in _LIST_SPLIT.split(value):
        at = value.find(part, position) if part else -1
        if part.strip() and at >= 0:
            items.append((part.strip(), at))
            position = at + len(part)
    return items
