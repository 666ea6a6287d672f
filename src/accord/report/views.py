"""Derived views of a ``Report`` that every renderer shares.

Pure functions: contradictions and possible conflicts grouped, agreements deduplicated, what
only one source says, who agrees with whom, and the dates the record's fields take.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from decimal import Decimal

from accord.model import (
    KIND_DEFAULT,
    Claim,
    DateValue,
    DocKind,
    Document,
    EntityRef,
    Label,
    Precision,
    Quantity,
    Report,
    Span,
    TextValue,
    Value,
    Verdict,
    content_id,
)
from accord.questions import bears_on

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
"""C0/C1 controls and bidi overrides: stripped from anything shown, since text is hostile."""

_SPACE = re.compile(r"\s+")


@dataclass(frozen=True, slots=True, kw_only=True)
class Contradiction:
    """One disagreement (or one possible conflict), however many claim pairs show it.

    Attributes:
        key: what groups the verdicts: the record field, else method and both claim texts.
        topic: a short name for the disagreement: the field, else the method.
        best: the verdict with the highest confidence; its evidence is the one to show.
        verdicts: every CONTRADICTS verdict (or every possible conflict) in the group, best
            first.
        on_question: whether one of its verdicts bears on the run's question
            (``accord.questions.bears_on``); ``None`` when no question was asked.
    """

    key: str
    topic: str
    best: Verdict
    verdicts: tuple[Verdict, ...]
    on_question: bool | None = None

    @property
    def count(self) -> int:
        """How many claim pairs show this disagreement."""
        return len(self.verdicts)

    @property
    def internal(self) -> bool:
        """True when the two claims come from one document."""
        return is_internal(self.best)


@dataclass(frozen=True, slots=True, kw_only=True)
class OnlyIn:
    """A document and the claims no other source supports or contradicts, in text order."""

    document: Document
    claims: tuple[Claim, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class Quote:
    """A piece of evidence resolved to its text and the document it comes from."""

    doc_id: str
    start: int
    end: int
    text: str
    document: Document | None


def verdict_id(verdict: Verdict) -> str:
    """Return a verdict's stable id: a content hash of its two claim ids and method."""
    return content_id("verdict", verdict.pair.left.id, verdict.pair.right.id, verdict.method)


def documents_by_id(report: Report) -> dict[str, Document]:
    """Map each document id to its document."""
    return {doc.id: doc for doc in report.documents}


def doc_label(report: Report, doc_id: str) -> str:
    """Return ``[n] title`` for a document (n is its 1-based position), or the bare id."""
    for index, doc in enumerate(report.documents, start=1):
        if doc.id == doc_id:
            return f"[{index}] {clean(doc.title) or doc.source}"
    return f"[?] {doc_id}"


ON_QUESTION = "on the question"  # what a report says of a conflict that bears on the question
MAX_FACT_CHARS = 200  # a URL or metadata value shown in a report; longer is cut
MAX_QUESTION_CHARS = 300  # the run's question in a report's header; longer is cut


def asked(report: Report) -> str:
    """The run's question as a report's header states it: one line of text, cut at
    ``MAX_QUESTION_CHARS``; "" when no question was asked."""
    question = report.run.question
    return truncate(clean(question), MAX_QUESTION_CHARS) if question else ""


def kind_text(doc: Document) -> str:
    """A document's kind and where it came from: ``news (declared)``, ``wiki (page:
    og:site_name 'Fandom')``, ``unknown (not declared; neutral prior)``."""
    if doc.kind_origin == KIND_DEFAULT:
        if doc.kind is DocKind.UNKNOWN:
            return "unknown (not declared; neutral prior)"
        return f"{doc.kind.value} (origin not recorded)"  # a Document built in code
    return f"{doc.kind.value} ({truncate(clean(doc.kind_origin), MAX_FACT_CHARS)})"


def source_facts(doc: Document) -> list[tuple[str, str]]:
    """What a report shows of a document besides its title and kind, as (label, text)
    pairs, cleaned: its content id, the id its user gave, URL, published date, metadata."""
    facts = [("id", doc.id)]
    if doc.source_id:
        facts.append(("source id", doc.source_id))
    if doc.url:
        facts.append(("url", doc.url))
    if doc.published:
        facts.append(("published", doc.published))
    if doc.metadata:
        facts.append(("metadata", "; ".join(f"{key}={value}" for key, value in doc.metadata)))
    return [(label, truncate(clean(text), MAX_FACT_CHARS)) for label, text in facts]


def clean(text: str) -> str:
    """Return ``text`` on one line: control characters removed, whitespace collapsed."""
    return _SPACE.sub(" ", _CONTROL.sub("", text)).strip()


def truncate(text: str, max_chars: int) -> str:
    """Return ``text`` cut at a word boundary to at most ``max_chars``, with an ellipsis."""
    if len(text) <= max_chars:
        return text
    cut = text[: max(1, max_chars - 1)]
    space = cut.rfind(" ")
    if space > max_chars // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:") + "…"


def quote_span(span: Span, documents: Mapping[str, Document]) -> Quote:
    """Resolve ``span`` to its text; an unknown document or bad offsets give empty text."""
    doc = documents.get(span.doc_id)
    text = ""
    if doc is not None and 0 <= span.start <= span.end <= len(doc.text):
        text = doc.text[span.start : span.end]
    return Quote(doc_id=span.doc_id, start=span.start, end=span.end, text=text, document=doc)


def evidence_quotes(verdict: Verdict, documents: Mapping[str, Document]) -> tuple[Quote, Quote]:
    """Return the left and right evidence of a verdict, falling back to the claims' spans."""
    spans = list(verdict.evidence[:2])
    fallback = (verdict.pair.left.span, verdict.pair.right.span)
    while len(spans) < 2:
        spans.append(fallback[len(spans)])
    left, right = (quote_span(span, documents) for span in spans)
    # A span that resolves to nothing still has its claim's text to show.
    if not left.text:
        left = replace(left, text=verdict.pair.left.text)
    if not right.text:
        right = replace(right, text=verdict.pair.right.text)
    return left, right


def render_value(value: Value) -> str:
    """Render a slot value as short text (``1941-07-12``, ``about 3 km``, ``Soviet Union``)."""
    if isinstance(value, DateValue):
        return ("about " if value.approximate else "") + value.to_iso()
    if isinstance(value, Quantity):
        amount = decimal_str(value.amount)
        text = f"{amount} {value.unit}" if value.unit else amount
        return ("about " if value.approximate else "") + text
    if isinstance(value, EntityRef):
        return value.name
    if isinstance(value, TextValue):
        return value.text
    return str(value)  # pragma: no cover - Value is a closed union


def decimal_str(amount: Decimal) -> str:
    """Render a Decimal without exponent notation unless the exponent is absurd."""
    exponent = amount.as_tuple().exponent
    if isinstance(exponent, int) and abs(exponent) < 30:
        return format(amount, "f")
    return str(amount)


def _record_value(report: Report, field_name: str, claim: Claim) -> str | None:
    for record_field in report.record.fields:
        if record_field.name != field_name:
            continue
        by_claim = [fv.value for fv in record_field.values if fv.claim_id == claim.id]
        by_doc = [fv.value for fv in record_field.values if fv.doc_id == claim.doc_id]
        found = by_claim or by_doc
        return found[0] if found else None
    return None


def _slot_value(claim: Claim, role: str) -> str | None:
    for slot in claim.slots:
        if slot.role == role:
            return render_value(slot.value)
    return None


def contradiction_values(report: Report, verdict: Verdict) -> tuple[str, str] | None:
    """Return the two conflicting values of a CONTRADICTS verdict, when they can be named.

    The record field's values come first; else the slots whose role the method names
    (``slots:date`` -> role ``date``). ``None`` when neither gives both values.
    """
    left, right = verdict.pair.left, verdict.pair.right
    if verdict.field:
        pair = (
            _record_value(report, verdict.field, left),
            _record_value(report, verdict.field, right),
        )
        if pair[0] is not None and pair[1] is not None:
            return pair[0], pair[1]
    role = verdict.method.partition(":")[2]
    if role:
        values = (_slot_value(left, role), _slot_value(right, role))
        if values[0] is not None and values[1] is not None:
            return values[0], values[1]
    return None


def _contradiction_key(verdict: Verdict) -> str:
    if verdict.field:
        return f"field:{verdict.field}"
    texts = sorted((clean(verdict.pair.left.text), clean(verdict.pair.right.text)))
    return f"{verdict.method}|{texts[0]}|{texts[1]}"


def _by_confidence(verdict: Verdict) -> tuple[float, str]:
    return (-verdict.confidence, verdict_id(verdict))


def is_internal(verdict: Verdict) -> bool:
    """True when both claims of the verdict come from one document."""
    return verdict.pair.left.doc_id == verdict.pair.right.doc_id


def contradictions(report: Report) -> list[Contradiction]:
    """Group CONTRADICTS verdicts between documents so that each disagreement appears once.

    Verdicts with a ``field`` group by field; the others by method and both claims' texts.
    A document contradicting itself is in ``internal_contradictions`` instead.

    Returns:
        The groups, most confident first (those on the run's question, when one was asked,
        before the others); each holds its verdicts, best first.
    """
    return _group_verdicts(
        report.verdicts, _is_contradiction, internal=False, question=report.run.question
    )


def internal_contradictions(report: Report) -> list[Contradiction]:
    """Group the CONTRADICTS verdicts whose two claims come from one document.

    Returns:
        The groups (by document, then as ``contradictions`` groups), most confident first.
    """
    return _group_verdicts(
        report.verdicts, _is_contradiction, internal=True, question=report.run.question
    )


def possible_conflicts(report: Report) -> list[Contradiction]:
    """Group the possible conflicts: clashes whose confidence is under the run's
    contradiction threshold, so labelled NOT_MENTIONED and never counted as contradictions.

    They group as ``contradictions`` do; those within one document are listed too (their
    group's ``internal`` is true), each document's apart.

    Returns:
        The groups, most confident first; each holds its verdicts, best first.
    """
    return _group_verdicts(
        report.verdicts, is_possible_conflict, internal=None, question=report.run.question
    )


def threshold_text(report: Report) -> str:
    """``threshold 0.7``: the run's contradiction threshold, or ``threshold`` when the report
    does not say which it was."""
    threshold = report.run.min_confidence
    return "threshold" if threshold is None else f"threshold {threshold:g}"


def possible_conflict_note(report: Report) -> str:
    """One sentence saying what the possible conflicts are, with the run's threshold."""
    return (
        f"Confidence under the {threshold_text(report)}: these look like conflicts but are "
        "not counted as contradictions; check these."
    )


def no_contradiction_note(report: Report, possible: int) -> str:
    """What to say when no contradiction was found but ``possible`` (> 0) possible conflicts
    were: "No contradictions found" alone would hide candidates a reader should look at."""
    listed = "1 possible conflict is" if possible == 1 else f"{possible} possible conflicts are"
    return (
        f"No contradiction reached the confidence {threshold_text(report)}; {listed} listed below."
    )


def _is_contradiction(verdict: Verdict) -> bool:
    return verdict.label is Label.CONTRADICTS


def is_possible_conflict(verdict: Verdict) -> bool:
    """True for a possible conflict: a clash under the threshold, labelled NOT_MENTIONED (a
    verdict marked so but relabelled since is no candidate)."""
    return verdict.possible_conflict and verdict.label is Label.NOT_MENTIONED


def _group_verdicts(
    verdicts: Iterable[Verdict],
    keep: Callable[[Verdict], bool],
    *,
    internal: bool | None,
    question: str | None = None,
) -> list[Contradiction]:
    """Group the verdicts ``keep`` selects (between documents, within one, or both when
    ``internal`` is ``None``) by ``_contradiction_key``; with a question, the groups on it
    come first."""
    groups: dict[str, list[Verdict]] = {}
    for verdict in verdicts:
        if not keep(verdict) or internal not in (None, is_internal(verdict)):
            continue
        key = _contradiction_key(verdict)
        if is_internal(verdict):
            key = f"{verdict.pair.left.doc_id}|{key}"
        groups.setdefault(key, []).append(verdict)
    result = []
    for key, members in groups.items():
        members.sort(key=_by_confidence)
        best = members[0]
        result.append(
            Contradiction(
                key=key,
                topic=best.field or best.method,
                best=best,
                verdicts=tuple(members),
                on_question=any(bears_on(question, v) for v in members) if question else None,
            )
        )
    result.sort(
        key=lambda group: (group.on_question is False, _by_confidence(group.best), group.key)
    )
    return result


def agreements(report: Report) -> list[Verdict]:
    """Return SUPPORTS verdicts, best first: one per record field and finding ("parties: both
    name X and Y" once, however many sentence pairs say it), else one per claim pair."""
    best: dict[tuple[str, ...] | frozenset[str], Verdict] = {}
    for verdict in report.verdicts:
        if verdict.label is not Label.SUPPORTS or is_internal(verdict):
            continue
        key: tuple[str, ...] | frozenset[str]
        if verdict.field:
            key = (verdict.field, verdict.reason)
        else:
            key = frozenset((verdict.pair.left.id, verdict.pair.right.id))
        kept = best.get(key)
        if kept is None or _by_confidence(verdict) < _by_confidence(kept):
            best[key] = verdict
    return sorted(best.values(), key=_by_confidence)


def single_source(report: Report) -> list[OnlyIn]:
    """Return, per document, its claims in no SUPPORTS or CONTRADICTS verdict.

    Headings are skipped: they are structure, not statements. Claims are in text order.
    A possible conflict links nothing: it is a candidate under the contradiction threshold,
    so until a reader confirms it no other source is known to speak to its claims, which
    stay listed here as well as under the possible conflicts.
    """
    linked: set[str] = set()
    for verdict in report.verdicts:
        if verdict.label in (Label.SUPPORTS, Label.CONTRADICTS) and not is_internal(verdict):
            linked.update((verdict.pair.left.id, verdict.pair.right.id))
    result = []
    for doc in report.documents:
        claims = sorted(
            (
                claim
                for claim in report.claims
                if claim.doc_id == doc.id and claim.id not in linked and claim.kind != "heading"
            ),
            key=lambda claim: (claim.span.start, claim.span.end, claim.id),
        )
        result.append(OnlyIn(document=doc, claims=tuple(claims)))
    return result


def counts(report: Report) -> dict[str, int]:
    """Count what the report holds and what the views derive from it.

    Returns:
        ``documents``, ``claims``, ``verdicts``, one count per label (``supports``,
        ``contradicts``, ``not_mentioned``), ``contradictions`` (groups), ``agreements``
        (distinct pairs), ``single_source_claims``, ``internal_contradictions`` (groups
        of claims of one document that contradict each other) and ``possible_conflicts``
        (groups of clashes under the contradiction threshold, within documents too; their
        verdicts count under ``not_mentioned``, never under ``contradicts``).
    """
    by_label = {label: 0 for label in Label}
    for verdict in report.verdicts:
        by_label[verdict.label] += 1
    return {
        "documents": len(report.documents),
        "claims": len(report.claims),
        "verdicts": len(report.verdicts),
        **{label.value: by_label[label] for label in Label},
        "contradictions": len(contradictions(report)),
        "internal_contradictions": len(internal_contradictions(report)),
        "agreements": len(agreements(report)),
        "single_source_claims": sum(len(only.claims) for only in single_source(report)),
        "possible_conflicts": len(possible_conflicts(report)),
    }


@dataclass(frozen=True, slots=True, kw_only=True)
class SourceRelation:
    """What two documents say to each other: how many findings they agree on, contradict
    each other on, or possibly conflict on (each record field or claim pair counted once).
    """

    agreements: int = 0
    contradictions: int = 0
    possible: int = 0

    @property
    def state(self) -> str:
        """``contradict``, ``mixed`` (agree on some, contradict on others), ``agree``,
        ``possible`` (only clashes under the threshold) or ``silent`` (nothing in common)."""
        if self.contradictions:
            return "mixed" if self.agreements else "contradict"
        if self.agreements:
            return "agree"
        return "possible" if self.possible else "silent"


def _finding_key(verdict: Verdict) -> tuple[str, ...]:
    if verdict.field:
        return ("field", verdict.field)
    return ("pair", *sorted((verdict.pair.left.id, verdict.pair.right.id)))


def source_relations(report: Report) -> dict[tuple[int, int], SourceRelation]:
    """Who agrees with whom: each pair of documents (by 0-based position, lower first) that
    share at least one finding, with the findings counted by kind.

    A record field counts once per pair and kind, however many sentence pairs bear on it;
    verdicts within one document are left out.
    """
    position = {doc.id: index for index, doc in enumerate(report.documents)}
    found: dict[tuple[int, int], dict[str, set[tuple[str, ...]]]] = {}
    for verdict in report.verdicts:
        if verdict.label is Label.SUPPORTS:
            kind = "agreements"
        elif verdict.label is Label.CONTRADICTS:
            kind = "contradictions"
        elif is_possible_conflict(verdict):
            kind = "possible"
        else:
            continue
        left = position.get(verdict.pair.left.doc_id)
        right = position.get(verdict.pair.right.doc_id)
        if left is None or right is None or left == right:
            continue
        key = (min(left, right), max(left, right))
        found.setdefault(key, {}).setdefault(kind, set()).add(_finding_key(verdict))
    return {
        key: SourceRelation(**{kind: len(items) for kind, items in kinds.items()})
        for key, kinds in sorted(found.items())
    }


@dataclass(frozen=True, slots=True, kw_only=True)
class DatePoint:
    """One date a record field takes, with the documents (0-based positions) that give it;
    ``contradicted`` when a CONTRADICTS verdict on the field involves a claim giving it.

    ``start`` and ``end`` are fractional years: the date's first day and the day after its
    last, at its precision (``1941`` runs from 1941.0 to 1942.0).
    """

    value: str
    start: float
    end: float
    documents: tuple[int, ...]
    consensus: bool
    contradicted: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class DateField:
    """A record field whose values are dates, with each distinct date once, earliest first."""

    name: str
    status: str
    points: tuple[DatePoint, ...]


_DAYS_IN_YEAR = 365.2425


def _year_fraction(year: int, month: int | None, day: int | None) -> float:
    fraction = float(year)
    if month is not None:
        fraction += (min(max(month, 1), 12) - 1) / 12
        if day is not None:
            fraction += (min(max(day, 1), 31) - 1) / _DAYS_IN_YEAR
    return fraction


def date_span(value: DateValue) -> tuple[float, float]:
    """Return a date's ``(start, end)`` as fractional years, ``end`` exclusive."""
    start = _year_fraction(value.year, value.month, value.day)
    if value.year_end is not None and value.year_end != value.year:
        last = _year_fraction(value.year_end, value.month_end, value.day_end)
        if value.month_end is None:
            return start, last + 1
        return start, last + (1 / 12 if value.day_end is None else 1 / _DAYS_IN_YEAR)
    if value.month is None or value.precision > Precision.MONTH:
        return start, float(value.year) + 1
    if value.day is None or value.precision > Precision.DAY:
        return start, start + 1 / 12
    return start, start + 1 / _DAYS_IN_YEAR


def date_fields(report: Report) -> list[DateField]:
    """Return the record fields that hold dates, for a timeline, in record order.

    A value counts as a date when the claim it comes from has a date slot that renders to
    it; other values of the field are left out.
    """
    claims = {claim.id: claim for claim in report.claims}
    position = {doc.id: index for index, doc in enumerate(report.documents)}
    contradicted: set[tuple[str, str]] = set()  # (field, claim id)
    for verdict in report.verdicts:
        if verdict.label is Label.CONTRADICTS and verdict.field:
            for name in (verdict.field, *verdict.other_fields):
                contradicted.add((name, verdict.pair.left.id))
                contradicted.add((name, verdict.pair.right.id))
    result = []
    for record_field in report.record.fields:
        by_value: dict[str, tuple[DateValue, set[int], set[str]]] = {}
        for field_value in record_field.values:
            claim = claims.get(field_value.claim_id)
            doc = position.get(field_value.doc_id)
            date = _date_slot(claim, field_value.value) if claim is not None else None
            if date is None or doc is None:
                continue
            entry = by_value.setdefault(field_value.value, (date, set(), set()))
            entry[1].add(doc)
            entry[2].add(field_value.claim_id)
        points = [
            DatePoint(
                value=value,
                start=date_span(date)[0],
                end=date_span(date)[1],
                documents=tuple(sorted(docs)),
                consensus=value == record_field.consensus,
                contradicted=any((record_field.name, claim) in contradicted for claim in ids),
            )
            for value, (date, docs, ids) in by_value.items()
        ]
        if points:
            points.sort(key=lambda point: (point.start, point.end, point.value))
            result.append(
                DateField(name=record_field.name, status=record_field.status, points=tuple(points))
            )
    return result


def _date_slot(claim: Claim, rendered: str) -> DateValue | None:
    for slot in claim.slots:
        if isinstance(slot.value, DateValue) and slot.value.to_iso() == rendered:
            return slot.value
    return None
