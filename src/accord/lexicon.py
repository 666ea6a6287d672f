"""Shared word lists: canonical events, subject nouns, infobox labels, record field names."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.resources import files
from typing import Any

# The event of a work's own year ("a 1940 comedy"); no verb maps to it.
WORK_EVENT = "dating"
# Events that take what begins or ends as their object: "began scheduled service" and "began
# scheduled jet service", or "started the airline", are different beginnings.
ASPECTUAL_EVENTS = frozenset({"begin", "end", "complete"})


@dataclass(frozen=True, slots=True)
class InfoboxLabel:
    """What an infobox label says about its value: the event and the roles it fills."""

    event: str
    roles: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Lexicon:
    """Loaded ``data/lexicon.json``.

    ``repeatable_events`` are the canonical events that happen more than once to one
    subject, so their dates and counts never contradict each other; ``once_per_agent`` those
    of them that happen once for one agent (a company is bought many times, but once by
    one buyer).
    """

    event_of_word: dict[str, str]
    class_of_noun: dict[str, str]
    class_nouns: dict[str, frozenset[str]]
    class_event: dict[str, str]
    infobox_labels: dict[str, InfoboxLabel]
    fields: dict[str, str]
    hedges: frozenset[str]
    hedge_phrases: tuple[str, ...]
    repeatable_events: frozenset[str] = frozenset()
    dated_works: frozenset[str] = frozenset()
    kind_of_noun: dict[str, str] = field(default_factory=dict)
    vessel_nouns: frozenset[str] = frozenset()
    dimensions: dict[str, str] = field(default_factory=dict)
    phrase_heads: frozenset[str] = frozenset()
    once_per_agent: frozenset[str] = frozenset()
    people_nouns: frozenset[str] = frozenset()

    def dimension(self, word: str) -> str:
        """The one name of a dimension its noun and adjectives share: "length" and "long"
        -> "long", "height" and "tall" -> "high"; other words as they are."""
        return self.dimensions.get(word.lower(), word.lower())

    def kind_of(self, noun: str) -> str | None:
        """The kind of thing a type noun says its subject is ("film", "person", "place"),
        for the nouns in ``subject_kinds``; two subjects of different kinds are different
        things even when they share a name."""
        return self.kind_of_noun.get(noun.lower())

    def is_dated_work(self, noun: str) -> bool:
        """True for nouns of works that a year in front of them dates: "a 1940 comedy" is a
        comedy of 1940 (event ``dating``), not 1,940 comedies."""
        return noun.lower() in self.dated_works

    def is_repeatable(self, event: str) -> bool:
        """True for events a subject can have many of ("win", "visit"): two dates of
        such an event are two occurrences, not a contradiction."""
        return event in self.repeatable_events

    def starts_phrase(self, word: str) -> bool:
        """True when some event phrase of the lexicon begins with ``word`` ("put" of "put
        into service"): only then is a verb's object or preposition worth looking up."""
        return word.lower() in self.phrase_heads

    def knows(self, word: str) -> bool:
        """True when ``word`` (a lemma or phrase, "pass away") names one of the events."""
        return word.lower() in self.event_of_word

    def canonical_event(self, lemma: str) -> str:
        """Map a verb or event-noun lemma to its canonical event (``conclude`` -> ``sign``)."""
        lemma = lemma.lower()
        return self.event_of_word.get(lemma, lemma)

    def subject_class(self, head_noun: str) -> str | None:
        """Return the class (``instrument``...) of a subject's head noun, if known."""
        return self.class_of_noun.get(head_noun.lower())

    def field_name(self, event: str, role: str, kind: str | None = None) -> str | None:
        """Return the record field an (event, role[, entity kind]) slot fills, if any."""
        if kind is not None:
            name = self.fields.get(f"{event} {role} {kind}")
            if name:
                return name
        return self.fields.get(f"{event} {role}") or self.fields.get(f"* {role}")


@lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    """Load the bundled lexicon once."""
    raw: dict[str, Any] = json.loads(
        files("accord.data").joinpath("lexicon.json").read_text(encoding="utf-8")
    )
    event_of_word: dict[str, str] = {}
    for event, words in raw["events"].items():
        for word in words:
            event_of_word.setdefault(word, event)
    class_of_noun: dict[str, str] = {}
    class_nouns: dict[str, frozenset[str]] = {}
    class_event: dict[str, str] = {}
    for name, spec in raw["subject_classes"].items():
        class_nouns[name] = frozenset(spec["nouns"])
        class_event[name] = spec["event"]
        for noun in spec["nouns"]:
            class_of_noun.setdefault(noun, name)
    labels = {
        label: InfoboxLabel(spec["event"], tuple(spec["roles"]))
        for label, spec in raw["infobox_labels"].items()
    }
    return Lexicon(
        event_of_word=event_of_word,
        class_of_noun=class_of_noun,
        class_nouns=class_nouns,
        class_event=class_event,
        infobox_labels=labels,
        fields=dict(raw["fields"]),
        hedges=frozenset(raw["hedges"]),
        hedge_phrases=tuple(raw["hedge_phrases"]),
        repeatable_events=frozenset(raw.get("repeatable_events", ())),
        dated_works=frozenset(raw.get("dated_works", ())),
        vessel_nouns=frozenset(raw.get("vessel_nouns", ())),
        once_per_agent=frozenset(raw.get("once_per_agent", ())),
        people_nouns=frozenset(raw.get("people_nouns", ())),
        phrase_heads=frozenset(word.split()[0] for word in event_of_word if " " in word),
        dimensions={
            word: name for name, words in raw.get("dimensions", {}).items() for word in words
        },
        kind_of_noun={
            noun: kind for kind, nouns in raw.get("subject_kinds", {}).items() for noun in nouns
        },
    )
