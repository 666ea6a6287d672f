"""The data model every stage shares: documents, claims, values, pairs, verdicts, records.

Records are frozen dataclasses; change one with ``dataclasses.replace``. Stages meet only
through these types (see DESIGN.md, "The data model").
"""

from __future__ import annotations

import enum
import hashlib
import json
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any


def content_id(*parts: Any) -> str:
    """Return a 16-hex-digit sha256 of the canonical JSON of ``parts``.

    IDs are content hashes so that reruns, workers and store upserts agree.
    """
    if all(type(part) is str for part in parts):  # ids of ids: the common case, and hot
        payload = "[" + ", ".join(map(_json_string, parts)) + "]"
    else:
        payload = _CANONICAL_JSON.encode(parts)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:16]


# The canonical JSON is json.dumps(parts, sort_keys=True, ensure_ascii=False, default=str);
# a report of many documents asks for millions of ids, so the encoder is built once, and a
# list of strings is written with the very function json.dumps quotes strings with.
_CANONICAL_JSON = json.JSONEncoder(sort_keys=True, ensure_ascii=False, default=str)
_json_string = json.encoder.encode_basestring


SUBJECT_KEY = "@doc"
"""``Slot.about`` value meaning "the subject of the document the claim is in".

A check compares documents about one subject, so two slots about ``@doc`` in different
documents are about the same thing.
"""


# Slot roles of what a thing is rather than what happened to it (``accord.claims.attributes``):
# the holder of a role of the thing ("first director"), a person's nationality, a rank
# (``rank:<superlative>``, "largest").
HOLDER = "holder"
NATIONALITY = "nationality"
RANK = "rank"


class _StrEnum(enum.Enum):
    """An Enum of strings whose ``from_str`` names the valid values on error."""

    @classmethod
    def from_str(cls, value: str) -> Any:
        """Parse ``value`` (case-insensitive) or raise ``ValueError`` listing valid values."""
        for member in cls:
            if member.value == value.lower() or member.name == value.upper():
                return member
        valid = ", ".join(m.value for m in cls)
        raise ValueError(f"unknown {cls.__name__} {value!r}; valid: {valid}")


class Label(_StrEnum):
    """A verdict's label."""

    SUPPORTS = "supports"
    CONTRADICTS = "contradicts"
    NOT_MENTIONED = "not_mentioned"


class DocKind(_StrEnum):
    """What kind of source a document is; feeds the reliability prior."""

    ENCYCLOPEDIA = "encyclopedia"
    WIKI = "wiki"
    NEWS = "news"
    UNKNOWN = "unknown"


class Precision(enum.IntEnum):
    """How precise a date is; larger is coarser."""

    DAY = 1
    MONTH = 2
    SEASON = 3
    YEAR = 4
    DECADE = 5
    CENTURY = 6


class EntityKind(_StrEnum):
    """The type of a named entity slot."""

    PERSON = "person"
    PLACE = "place"
    ORGANISATION = "organisation"
    GROUP = "group"
    LANGUAGE = "language"
    WORK = "work"
    EVENT = "event"
    OTHER = "other"


@dataclass(frozen=True, slots=True, kw_only=True)
class Span:
    """Character offsets ``[start, end)`` into ``Document.text``."""

    doc_id: str
    start: int
    end: int


@dataclass(frozen=True, slots=True, kw_only=True)
class Section:
    """A part of a document: a heading's section, or the leading infobox block.

    ``kind`` is ``"body"`` for ordinary text under ``title``, ``"infobox"`` for a block of
    label/value lines at the head of a page, ``"title"`` for the page title line.
    ``heading_end`` is where the heading line ends (``start`` when there is none).
    """

    title: str
    level: int
    start: int
    end: int
    kind: str = "body"
    heading_end: int = -1


@dataclass(frozen=True, slots=True, kw_only=True)
class Removed:
    """Text taken out of a document as boilerplate, kept so a user can see what was dropped.

    ``at`` is the offset in the cleaned text where the removed text stood.
    """

    text: str
    reason: str
    at: int


KIND_DECLARED = "declared"
"""``Document.kind_origin`` of a kind the user gave (``Source.kind``, ``--kind``, a sidecar,
a JSONL ``kind``)."""
KIND_DEFAULT = "default"
"""``Document.kind_origin`` when nothing declared a kind and the page said nothing: the kind
is ``DocKind.UNKNOWN`` (ingest never gives another kind this origin; a ``Document`` built in
code with a kind and no origin has it too, and reports say its origin was not recorded)."""
KIND_FROM_PAGE = "page: "
"""Prefix of a ``Document.kind_origin`` read from the page itself, followed by what said so
(``page: og:site_name 'Britannica'``, ``page: text 'from wikipedia, the free encyclopedia'``).
A kind never comes from a file name or path."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Document:
    """One ingested source: cleaned text with its sections and what was removed.

    ``id`` is the hash of the cleaned text; ``source`` where it came from (a path, a URL, the
    id a user gave, or ``<text N>``); ``source_id`` the id the user gave it, if any (a passage
    id; distinct from the content hash). ``kind_origin`` says where ``kind`` came from: see
    ``KIND_DECLARED``, ``KIND_FROM_PAGE`` and ``KIND_DEFAULT``. ``published`` is an ISO 8601
    date (or date and time) as given; ``metadata`` free key/value pairs, sorted by key.
    ``language`` is the ISO 639-1 code of the language the text reads as (``accord.language``),
    ``None`` until detected or when it cannot be.
    """

    id: str
    source: str
    title: str
    kind: DocKind
    format: str
    text: str
    sections: tuple[Section, ...] = ()
    removed: tuple[Removed, ...] = ()
    encoding: str = "utf-8"
    aliases: tuple[str, ...] = ()
    kind_origin: str = KIND_DEFAULT
    source_id: str | None = None
    url: str | None = None
    published: str | None = None
    metadata: tuple[tuple[str, str], ...] = ()
    language: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class DateValue:
    """A date with its precision: ``year`` always, ``month``/``day`` when stated.

    ``year_end`` is set for ranges and coarse precisions (a decade: 1930..1939).
    ``inferred_from`` points at the text a missing year was taken from.
    """

    year: int
    month: int | None = None
    day: int | None = None
    precision: Precision = Precision.DAY
    year_end: int | None = None
    month_end: int | None = None
    day_end: int | None = None
    approximate: bool = False
    inferred_from: Span | None = None

    def to_iso(self) -> str:
        """Render as ISO 8601 at its precision (``1941``, ``1941-07``, ``1941-07-12``)."""
        text = f"{self.year:04d}" if self.year >= 0 else f"-{-self.year:04d}"
        if self.month is not None and self.precision <= Precision.MONTH:
            text += f"-{self.month:02d}"
            if self.day is not None and self.precision == Precision.DAY:
                text += f"-{self.day:02d}"
        if self.year_end is not None and self.year_end != self.year:
            text += f"/{self.year_end:04d}"
        return text


@dataclass(frozen=True, slots=True, kw_only=True)
class Quantity:
    """A number with an optional unit; ``approximate`` for "about", "nearly", "over"."""

    amount: Decimal
    unit: str | None = None
    approximate: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class EntityRef:
    """A named entity resolved to its canonical name (``USSR`` -> ``Soviet Union``)."""

    name: str
    kind: EntityKind
    kb_id: str | None = None
    part_of: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class TextValue:
    """A value with no finer type: a description, a term, a category."""

    text: str


Value = DateValue | Quantity | EntityRef | TextValue


@dataclass(frozen=True, slots=True, kw_only=True)
class Slot:
    """A typed value in a claim, with what it is for.

    ``role`` is what the value is to its event (``date``, ``place``, ``agent``, ``theme``,
    ``language``, ``type``, ``prep:against``...); ``event`` the canonical predicate it
    attaches to (``sign``); ``about`` the canonical thing the event is about, when known.
    ``surface`` is the text as written and ``span`` where it stands.
    """

    role: str
    value: Value
    event: str
    surface: str
    span: Span
    about: str | None = None
    negated: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class Claim:
    """An atomic factual statement: a clause of a sentence, or a line of an infobox."""

    id: str
    doc_id: str
    span: Span
    text: str
    subject: str | None
    predicate: str
    slots: tuple[Slot, ...] = ()
    negated: bool = False
    hedged: bool = False
    section: str = ""
    kind: str = "sentence"
    terms: tuple[str, ...] = ()
    extractor: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Pair:
    """Two claims from different documents (or one, for internal checks) to compare."""

    left: Claim
    right: Claim
    score: float
    retriever: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Verdict:
    """The decision on a pair, with its evidence and the method that decided.

    ``confidence`` is in [0, 1]. ``evidence`` holds the spans a reader can check, left then
    right. ``field`` names the record field the verdict bears on, when it bears on one;
    ``other_fields`` the further fields on which the pair earns the same label.
    ``possible_conflict`` marks a clash whose confidence is under the run's contradiction
    threshold: its label is NOT_MENTIONED (it is no contradiction), its ``confidence`` that
    of the clash, and reports show it apart as a possible conflict.
    """

    pair: Pair
    label: Label
    confidence: float
    method: str
    reason: str
    evidence: tuple[Span, ...] = ()
    field: str | None = None
    other_fields: tuple[str, ...] = ()
    possible_conflict: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class FieldValue:
    """One source's value for a record field, with the claim it comes from."""

    doc_id: str
    value: str
    claim_id: str
    span: Span


@dataclass(frozen=True, slots=True, kw_only=True)
class Field:
    """A field of the reconciled record.

    ``status`` is ``agreed`` (two or more sources, compatible), ``contradicted``,
    ``single_source`` or ``split`` (sources disagree evenly with no consensus).
    """

    name: str
    values: tuple[FieldValue, ...]
    consensus: str | None
    status: str
    reason: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Reliability:
    """A source's reliability score in [0, 1] with the reasons behind it."""

    doc_id: str
    score: float
    reasons: tuple[str, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class Record:
    """One record for the subject: its fields by source and each source's reliability."""

    subject: str
    fields: tuple[Field, ...]
    reliability: tuple[Reliability, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class Failure:
    """A source the run could not check, and why; the other sources were still checked.

    ``error`` is the error's class name (``DecodeError``, ``DocumentTimeoutError``...).
    """

    source: str
    error: str
    message: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Component:
    """A stage's component in a run: its registry name and the options it was built with
    (``accord.registry.Registry.options``, as JSON-safe data: paths as strings)."""

    name: str
    options: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True, kw_only=True)
class RunInfo:
    """What ran: versions, backends, what was skipped and why, timings in seconds, the
    sources that failed (``failures``) while the others were checked, and the confidence
    from which a clash counted as a contradiction (``min_confidence``; ``None`` when the
    run did not say), under which it is a possible conflict, and the question the documents
    were checked for (``question``), when one was asked; ``warnings`` says what may make
    the report less complete than it looks (a document not in English), one line each.
    ``components`` holds, by stage, the component built and its options, and ``settings``
    the run's settings (``Settings.to_dict``), from which the same configuration reruns."""

    version: str
    backends: dict[str, str]
    components: dict[str, Component] = field(default_factory=dict)
    settings: dict[str, Any] = field(default_factory=dict)
    skipped: tuple[str, ...] = ()
    timings_s: dict[str, float] = field(default_factory=dict)
    failures: tuple[Failure, ...] = ()
    min_confidence: float | None = None
    question: str | None = None
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Report:
    """Everything a run produced."""

    documents: tuple[Document, ...]
    claims: tuple[Claim, ...]
    verdicts: tuple[Verdict, ...]
    record: Record
    run: RunInfo
