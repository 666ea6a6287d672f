"""The report as a stable, versioned JSON document (schema: ``accord/data/report.schema.json``).

Bump ``SCHEMA_VERSION``'s minor part for added keys, its major part for anything else.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any, ClassVar, TextIO

from accord.model import (
    Claim,
    DateValue,
    Document,
    EntityRef,
    Label,
    Quantity,
    Record,
    Report,
    RunInfo,
    Slot,
    Span,
    TextValue,
    Value,
    Verdict,
)
from accord.report.base import reporters
from accord.report.views import (
    Contradiction,
    agreements,
    contradiction_values,
    contradictions,
    counts,
    decimal_str,
    documents_by_id,
    evidence_quotes,
    internal_contradictions,
    possible_conflicts,
    quote_span,
    single_source,
    verdict_id,
)
from accord.version import __version__

SCHEMA_VERSION = "3.1"
SCORE_DECIMALS = 4  # a retrieval score ranks candidates; more digits are noise

__all__ = ["SCHEMA_VERSION", "JSONReporter", "is_listed", "to_dict", "to_json", "write_json"]


def _finite(number: float) -> float | None:
    """JSON has no NaN or infinity; such a number becomes null rather than invalid JSON."""
    return float(number) if math.isfinite(number) else None


def _span(span: Span | None) -> dict[str, Any] | None:
    if span is None:
        return None
    return {"doc_id": span.doc_id, "start": span.start, "end": span.end}


def _value(value: Value) -> dict[str, Any]:
    if isinstance(value, DateValue):
        return {
            "type": "date",
            "iso": value.to_iso(),
            "year": value.year,
            "month": value.month,
            "day": value.day,
            "year_end": value.year_end,
            "month_end": value.month_end,
            "day_end": value.day_end,
            "precision": value.precision.name.lower(),
            "approximate": value.approximate,
            "inferred_from": _span(value.inferred_from),
        }
    if isinstance(value, Quantity):
        return {
            "type": "quantity",
            "amount": decimal_str(value.amount),
            "unit": value.unit,
            "approximate": value.approximate,
        }
    if isinstance(value, EntityRef):
        return {
            "type": "entity",
            "name": value.name,
            "kind": value.kind.value,
            "kb_id": value.kb_id,
            "part_of": list(value.part_of),
        }
    if isinstance(value, TextValue):
        return {"type": "text", "text": value.text}
    raise TypeError(f"not a slot value: {value!r}")  # pragma: no cover - closed union


def _slot(slot: Slot) -> dict[str, Any]:
    return {
        "role": slot.role,
        "event": slot.event,
        "about": slot.about,
        "surface": slot.surface,
        "span": _span(slot.span),
        "negated": slot.negated,
        "value": _value(slot.value),
    }


def _document(doc: Document, *, include_text: bool) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": doc.id,
        "source": doc.source,
        "title": doc.title,
        "kind": doc.kind.value,
        "kind_origin": doc.kind_origin,
        "source_id": doc.source_id,
        "url": doc.url,
        "published": doc.published,
        "metadata": dict(doc.metadata),
        "format": doc.format,
        "encoding": doc.encoding,
        "language": doc.language,
        "char_count": len(doc.text),
        "aliases": list(doc.aliases),
        "sections": [
            {
                "title": section.title,
                "level": section.level,
                "kind": section.kind,
                "start": section.start,
                "end": section.end,
                "heading_end": section.heading_end,
            }
            for section in doc.sections
        ],
        "removed": [
            {"reason": removed.reason, "at": removed.at, "text": removed.text}
            for removed in doc.removed
        ],
    }
    if include_text:
        data["text"] = doc.text
    return data


def _claim(claim: Claim) -> dict[str, Any]:
    return {
        "id": claim.id,
        "doc_id": claim.doc_id,
        "span": {"start": claim.span.start, "end": claim.span.end},
        "text": claim.text,
        "subject": claim.subject,
        "predicate": claim.predicate,
        "negated": claim.negated,
        "hedged": claim.hedged,
        "section": claim.section,
        "kind": claim.kind,
        "extractor": claim.extractor,
        "slots": [_slot(slot) for slot in claim.slots],
    }


_FindingKey = tuple[str, str, str | None, tuple[str, ...], str]
"""What verdicts share: method, reason, field, other fields, retriever."""


def _finding_key(verdict: Verdict) -> _FindingKey:
    return (
        verdict.method,
        verdict.reason,
        verdict.field,
        verdict.other_fields,
        verdict.pair.retriever,
    )


def _finding(key: _FindingKey) -> dict[str, Any]:
    method, reason, field, other_fields, retriever = key
    return {
        "method": method,
        "reason": reason,
        "field": field,
        "other_fields": list(other_fields),
        "retriever": retriever,
    }


def _verdict(
    verdict: Verdict, documents: dict[str, Document], findings: dict[_FindingKey, int]
) -> dict[str, Any]:
    left, right = verdict.pair.left, verdict.pair.right
    score = _finite(verdict.pair.score)
    data: dict[str, Any] = {
        "id": verdict_id(verdict),
        "left": left.id,
        "right": right.id,
        "label": verdict.label.value,
        "confidence": _finite(verdict.confidence),
        "finding": findings[_finding_key(verdict)],
        "score": None if score is None else round(score, SCORE_DECIMALS),
    }
    if verdict.possible_conflict:
        data["possible_conflict"] = True
    # Evidence is most often the two claims themselves, whose spans and text the claims
    # list holds already; only other spans are written, with their text.
    claim_spans = [(c.doc_id, c.span.start, c.span.end) for c in (left, right)]
    spans = [(span.doc_id, span.start, span.end) for span in verdict.evidence]
    if spans and spans != claim_spans:
        evidence = []
        for span in verdict.evidence:
            quote = quote_span(span, documents)
            evidence.append(
                {"doc_id": quote.doc_id, "start": quote.start, "end": quote.end, "text": quote.text}
            )
        data["evidence"] = evidence
    return data


def _side(verdict: Verdict, documents: dict[str, Document]) -> tuple[dict[str, Any], ...]:
    quotes = evidence_quotes(verdict, documents)
    claims = (verdict.pair.left, verdict.pair.right)
    return tuple(
        {"claim_id": claim.id, "doc_id": claim.doc_id, "quote": quote.text}
        for claim, quote in zip(claims, quotes, strict=True)
    )


def _group(report: Report, group: Contradiction, documents: dict[str, Document]) -> dict[str, Any]:
    best = group.best
    left, right = _side(best, documents)
    values = contradiction_values(report, best)
    return {
        "topic": group.topic,
        "field": best.field,
        "verdict_id": verdict_id(best),
        "verdict_ids": [verdict_id(v) for v in group.verdicts],
        "count": group.count,
        "confidence": _finite(best.confidence),
        "method": best.method,
        "reason": best.reason,
        "values": None if values is None else {"left": values[0], "right": values[1]},
        "left": left,
        "right": right,
        "on_question": group.on_question,
    }


def _summary(
    report: Report, documents: dict[str, Document], left_out: Counter[str]
) -> dict[str, Any]:
    groups = [_group(report, group, documents) for group in contradictions(report)]
    internal = [
        {"doc_id": group.best.pair.left.doc_id, **_group(report, group, documents)}
        for group in internal_contradictions(report)
    ]
    possible = [
        {**_group(report, group, documents), "internal": group.internal}
        for group in possible_conflicts(report)
    ]
    only_in = [
        {
            "doc_id": only.document.id,
            "title": only.document.title,
            "claims": [{"claim_id": claim.id, "text": claim.text} for claim in only.claims],
        }
        for only in single_source(report)
    ]
    return {
        "counts": counts(report),
        "left_out": {
            "not_mentioned": sum(left_out.values()),
            "by_method": dict(sorted(left_out.items())),
        },
        "contradictions": groups,
        "internal_contradictions": internal,
        "possible_conflicts": possible,
        # ids only: each agreement is a verdict of the list, whose claims hold the text
        "agreements": [verdict_id(verdict) for verdict in agreements(report)],
        "only_in": only_in,
    }


def _record(record: Record) -> dict[str, Any]:
    return {
        "subject": record.subject,
        "fields": [
            {
                "name": item.name,
                "consensus": item.consensus,
                "status": item.status,
                "reason": item.reason,
                "values": [
                    {
                        "doc_id": value.doc_id,
                        "value": value.value,
                        "claim_id": value.claim_id,
                        "span": {"start": value.span.start, "end": value.span.end},
                    }
                    for value in item.values
                ],
            }
            for item in record.fields
        ],
        "reliability": [
            {"doc_id": rel.doc_id, "score": _finite(rel.score), "reasons": list(rel.reasons)}
            for rel in record.reliability
        ],
    }


def _backends(run: RunInfo) -> dict[str, Any]:
    """Each stage's component: its name, the options it was built with and its description
    (a stage built from no registry component, such as ingest, has its names and none)."""
    out = {}
    for stage, description in run.backends.items():
        component = run.components.get(stage)
        name = component.name if component else description.split(" (", 1)[0]
        options = dict(component.options) if component else {}
        out[stage] = {"name": name, "options": options, "description": description}
    return out


def _run(run: RunInfo) -> dict[str, Any]:
    return {
        "version": run.version,
        "backends": _backends(run),
        "settings": dict(run.settings),
        "skipped": list(run.skipped),
        "timings_s": {stage: _finite(seconds) for stage, seconds in run.timings_s.items()},
        "failures": [
            {"source": f.source, "error": f.error, "message": f.message} for f in run.failures
        ],
        "min_confidence": None if run.min_confidence is None else _finite(run.min_confidence),
        "question": run.question,
        "warnings": list(run.warnings),
    }


def to_dict(
    report: Report, *, include_text: bool = False, all_verdicts: bool = False
) -> dict[str, Any]:
    """Convert a report to plain JSON-able data that follows the report schema.

    Args:
        report: the report.
        include_text: also put each document's full cleaned text under ``text``.
        all_verdicts: list NOT_MENTIONED verdicts too. By default they are left out (a
            subject of many documents has millions of them, nine verdicts in ten) and only
            counted, by method, under ``summary.left_out``; possible conflicts are listed
            whatever their label.

    Returns:
        A dict with ``schema_version``, ``accord_version``, ``subject``, ``documents``,
        ``claims``, ``findings``, ``verdicts``, ``summary``, ``record`` and ``run``.
    """
    members = _members(report, include_text=include_text, all_verdicts=all_verdicts)
    return {key: list(value) if key in _ONE_PER_LINE else value for key, value in members}


# Lists made item by item as the text is written (each claim and verdict on a line of its
# own when indented): a subject of many documents has millions of verdicts.
_ONE_PER_LINE = frozenset({"claims", "findings", "verdicts"})


def is_listed(verdict: Verdict, *, all_verdicts: bool = False) -> bool:
    """Whether the JSON report lists ``verdict``: a decided one or a possible conflict,
    or any with ``all_verdicts``."""
    return all_verdicts or verdict.label is not Label.NOT_MENTIONED or verdict.possible_conflict


def _members(
    report: Report, *, include_text: bool, all_verdicts: bool
) -> Iterator[tuple[str, Any]]:
    """The report's top-level keys in order, claims and verdicts as lazy iterables."""
    documents = documents_by_id(report)
    # One pass ahead of the verdicts: the findings they share (method, reason, fields,
    # retriever; repeated word for word across a subject's claim pairs) are written once,
    # before the verdicts that name them by index.
    findings: dict[_FindingKey, int] = {}
    left_out: Counter[str] = Counter()
    for verdict in report.verdicts:
        if is_listed(verdict, all_verdicts=all_verdicts):
            findings.setdefault(_finding_key(verdict), len(findings))
        else:
            left_out[verdict.method] += 1
    listed = (v for v in report.verdicts if is_listed(v, all_verdicts=all_verdicts))
    yield "schema_version", SCHEMA_VERSION
    yield "accord_version", __version__
    yield "subject", report.record.subject
    yield "documents", [_document(doc, include_text=include_text) for doc in report.documents]
    yield "claims", (_claim(claim) for claim in report.claims)
    yield "findings", (_finding(key) for key in findings)
    yield "verdicts", (_verdict(verdict, documents, findings) for verdict in listed)
    yield "summary", _summary(report, documents, left_out)
    yield "record", _record(report.record)
    yield "run", _run(report.run)


def _default(obj: object) -> Any:
    if isinstance(obj, Decimal):
        return decimal_str(obj)
    if isinstance(obj, (set, frozenset, tuple)):
        return list(obj)
    raise TypeError(f"cannot encode {type(obj).__name__} as JSON")


def to_json(
    report: Report,
    *,
    indent: int | None = 2,
    include_text: bool = False,
    all_verdicts: bool = False,
) -> str:
    """Serialise a report as JSON text (UTF-8 safe; non-ASCII kept as is).

    Args:
        report: the report.
        indent: spaces per level (each claim and verdict on one line), or ``None`` for one
            line in all, as ``json.dumps`` writes it with compact separators.
        include_text: also include each document's full text.
        all_verdicts: list NOT_MENTIONED verdicts too (see :func:`to_dict`).
    """
    members = _members(report, include_text=include_text, all_verdicts=all_verdicts)
    return "".join(_pieces(members, indent))


def write_json(
    report: Report,
    out: TextIO,
    *,
    indent: int | None = 2,
    include_text: bool = False,
    all_verdicts: bool = False,
) -> None:
    """Write what :func:`to_json` returns to ``out``, piece by piece: the whole text of a
    subject of many documents is never held in memory."""
    members = _members(report, include_text=include_text, all_verdicts=all_verdicts)
    buffer: list[str] = []
    size = 0
    for piece in _pieces(members, indent):
        buffer.append(piece)
        size += len(piece)
        if size >= _WRITE_CHARS:
            out.write("".join(buffer))
            buffer, size = [], 0
    out.write("".join(buffer))


_WRITE_CHARS = 1 << 20  # characters gathered per write
_COMPACT = (",", ":")  # no space after separators: a report of many documents is large


def _pieces(members: Iterable[tuple[str, Any]], indent: int | None) -> Iterator[str]:
    """The JSON text of an object with these members, in pieces.

    Claims and verdicts are encoded one by one as they are made, by json's C encoder (with
    an indent json.dumps encodes in Python, four times slower): a report of many documents
    runs to hundreds of megabytes with all its verdicts, and a list of its records or an
    intermediate string would be another copy of them.
    """
    pad = " " * (indent or 0)
    newline = "\n" if indent is not None else ""
    colon = ": " if indent is not None else ":"
    item = json.JSONEncoder(
        ensure_ascii=False, separators=_COMPACT, default=_default, allow_nan=False
    )
    nested = json.JSONEncoder(
        ensure_ascii=False,
        indent=indent,
        separators=(",", ": ") if indent is not None else _COMPACT,
        default=_default,
        allow_nan=False,
    )
    yield "{"
    for n, (key, value) in enumerate(members):
        yield f"{',' if n else ''}{newline}{pad}{json.dumps(key)}{colon}"
        if key in _ONE_PER_LINE:
            empty = True
            for i, record in enumerate(value):
                yield f"{',' if i else '['}{newline}{pad}{pad}"
                yield item.encode(record)
                empty = False
            yield "[]" if empty else f"{newline}{pad}]"
        elif indent is None:
            yield item.encode(value)
        else:
            # structural newlines only: json escapes those inside strings
            yield nested.encode(value).replace("\n", f"\n{pad}")
    yield f"{newline}}}"


@reporters.register("accord.json.v1")
class JSONReporter:
    """Renders a report as versioned JSON (registered as ``accord.json.v1``).

    Args:
        indent: spaces per level, or ``None`` for one line.
        include_text: also include each document's full text.
        all_verdicts: list NOT_MENTIONED verdicts too; by default only counted.
    """

    name: ClassVar[str] = "accord.json.v1"
    media_type: ClassVar[str] = "application/json"

    def __init__(
        self, *, indent: int | None = 2, include_text: bool = False, all_verdicts: bool = False
    ) -> None:
        self.indent = indent
        self.include_text = include_text
        self.all_verdicts = all_verdicts

    def render(self, report: Report) -> str:
        """Return the report as JSON text."""
        text = to_json(
            report,
            indent=self.indent,
            include_text=self.include_text,
            all_verdicts=self.all_verdicts,
        )
        return text + "\n"

    def write(self, report: Report, out: TextIO) -> None:
        """Write what :meth:`render` returns to ``out`` without holding it all in memory."""
        write_json(
            report,
            out,
            indent=self.indent,
            include_text=self.include_text,
            all_verdicts=self.all_verdicts,
        )
        out.write("\n")
