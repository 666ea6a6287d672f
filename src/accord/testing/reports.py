"""A report of many sources built directly, without the pipeline, for the reports' tests.

Synthetic: a treaty whose signing date, place and ratification year the sources mostly agree
on, with outliers, silences, a possible conflict and a claim only each source makes.
"""

from __future__ import annotations

from decimal import Decimal

from accord.model import (
    Claim,
    DateValue,
    DocKind,
    Document,
    EntityKind,
    EntityRef,
    Field,
    FieldValue,
    Label,
    Pair,
    Precision,
    Quantity,
    Record,
    Reliability,
    Report,
    RunInfo,
    Slot,
    Span,
    Value,
    Verdict,
    content_id,
)

__all__ = ["NEIGHBOURS", "many_source_report"]

NEIGHBOURS = 2  # each source is compared with this many sources after it: far pairs stay silent
SUBJECT = "Treaty of Valdoria"
_PLACES = ("Castelmar", "Ostrheim")


def _date(index: int) -> tuple[str, DateValue]:
    if index % 7 == 3:
        return "9 June 1849", DateValue(year=1849, month=6, day=9, precision=Precision.DAY)
    if index % 5 == 4:  # a coarser, compatible date
        return "May 1852", DateValue(year=1852, month=5, precision=Precision.MONTH)
    return "3 May 1852", DateValue(year=1852, month=5, day=3, precision=Precision.DAY)


def _claim(doc: Document, sentence: str, predicate: str, role: str, value: Value) -> Claim:
    start = doc.text.index(sentence)
    span = Span(doc_id=doc.id, start=start, end=start + len(sentence))
    slot = Slot(role=role, value=value, event=predicate, surface=sentence, span=span, about="@doc")
    return Claim(
        id=content_id("claim", doc.id, sentence),
        doc_id=doc.id,
        span=span,
        text=sentence,
        subject=SUBJECT,
        predicate=predicate,
        slots=(slot,),
        extractor="accord.testing.v1",
    )


def _source(index: int) -> tuple[Document, dict[str, Claim]]:
    date_text, date = _date(index)
    place = _PLACES[1] if index % 6 == 5 else _PLACES[0]
    sentences: dict[str, tuple[str, str, str, Value]] = {
        "signed on": (f"The treaty was signed on {date_text}.", "sign", "date", date),
        "signed in": (
            f"It was signed in {place}.",
            "sign",
            "place",
            EntityRef(name=place, kind=EntityKind.PLACE),
        ),
    }
    if index % 3 != 2:  # every third source says nothing of the ratification
        ratified = (
            ("March 1853", DateValue(year=1853, month=3, precision=Precision.MONTH))
            if index % 4 == 1
            else ("1853", DateValue(year=1853, precision=Precision.YEAR))
        )
        sentences["ratified"] = (
            f"The treaty was ratified in {ratified[0]}.",
            "ratify",
            "date",
            ratified[1],
        )
    sentences["own"] = (
        f"Source {index + 1} also notes that {index + 3} envoys attended.",
        "attend",
        "theme",
        Quantity(amount=Decimal(index + 3), unit="envoys"),
    )
    text = f"{SUBJECT}\n\n" + " ".join(sentence for sentence, *_ in sentences.values()) + "\n"
    doc = Document(
        id=content_id("doc", text),
        source=f"archive/source-{index + 1:03d}.txt",
        title=f"Source {index + 1}: the {SUBJECT} as the regional archive's long report tells it",
        kind=DocKind.NEWS if index % 2 else DocKind.ENCYCLOPEDIA,
        format="text",
        text=text,
        kind_origin="declared",
    )
    claims = {name: _claim(doc, *parts) for name, parts in sentences.items()}
    return doc, claims


def _verdict(left: Claim, right: Claim, field: str, label: Label, reason: str) -> Verdict:
    return Verdict(
        pair=Pair(left=left, right=right, score=1.0, retriever="accord.testing.v1"),
        label=label,
        confidence=0.9,
        method=f"slots:{left.slots[0].role}",
        reason=reason,
        evidence=(left.span, right.span),
        field=field,
    )


def many_source_report(sources: int) -> Report:
    """Build a report of ``sources`` synthetic documents about one treaty.

    Each source is compared with the ``NEIGHBOURS`` sources after it: on the signing date
    and place (agreeing or contradicting), the ratification (where both give it) and, for the
    last two sources, a possible conflict under the threshold.

    Args:
        sources: how many documents (at least 2).

    Returns:
        The report, with a record of the fields ``signed on``, ``signed in`` and ``ratified``.
    """
    built = [_source(index) for index in range(sources)]
    documents = tuple(doc for doc, _ in built)
    verdicts: list[Verdict] = []
    for first in range(sources):
        for second in range(first + 1, min(sources, first + 1 + NEIGHBOURS)):
            left, right = built[first][1], built[second][1]
            for name in ("signed on", "signed in", "ratified"):
                if name not in left or name not in right:
                    continue
                a, b = left[name], right[name]
                same = _compatible(a.slots[0].value, b.slots[0].value)
                label = Label.SUPPORTS if same else Label.CONTRADICTS
                reason = f"{name}: {a.slots[0].surface} vs {b.slots[0].surface}"
                verdicts.append(_verdict(a, b, name, label, reason))
    first_own, last_own = built[0][1]["own"], built[-1][1]["own"]
    verdicts.append(
        Verdict(
            pair=Pair(left=first_own, right=last_own, score=1.0, retriever="accord.testing.v1"),
            label=Label.NOT_MENTIONED,
            confidence=0.5,
            method="slots:theme",
            reason="a different number of envoys (under the threshold 0.7)",
            evidence=(first_own.span, last_own.span),
            possible_conflict=True,
        )
    )
    record = Record(
        subject=SUBJECT,
        fields=tuple(
            _field(name, built, verdicts) for name in ("signed on", "signed in", "ratified")
        ),
        reliability=tuple(
            Reliability(doc_id=doc.id, score=0.5 + (index % 5) / 10, reasons=("synthetic",))
            for index, doc in enumerate(documents)
        ),
    )
    return Report(
        documents=documents,
        claims=tuple(claim for _, claims in built for claim in claims.values()),
        verdicts=tuple(verdicts),
        record=record,
        run=RunInfo(version="test", backends={"verify": "accord.testing.v1"}, min_confidence=0.7),
    )


def _compatible(left: Value, right: Value) -> bool:
    """Equal, or dates of which the coarser contains the finer."""
    if isinstance(left, DateValue) and isinstance(right, DateValue):
        parts = zip(
            (left.year, left.month, left.day), (right.year, right.month, right.day), strict=True
        )
        return all(a is None or b is None or a == b for a, b in parts)
    return left == right


def _field(
    name: str, built: list[tuple[Document, dict[str, Claim]]], verdicts: list[Verdict]
) -> Field:
    values = []
    for doc, claims in built:
        claim = claims.get(name)
        if claim is None:
            continue
        value = claim.slots[0].value
        rendered = value.to_iso() if isinstance(value, DateValue) else _name(value)
        values.append(FieldValue(doc_id=doc.id, value=rendered, claim_id=claim.id, span=claim.span))
    counts: dict[str, int] = {}
    for item in values:
        counts[item.value] = counts.get(item.value, 0) + 1
    consensus = max(counts, key=lambda value: (counts[value], value))
    clash = any(v.field == name and v.label is Label.CONTRADICTS for v in verdicts)
    status = "contradicted" if clash else "agreed"
    return Field(
        name=name,
        values=tuple(values),
        consensus=consensus,
        status=status,
        reason=f"{counts[consensus]} of {len(values)} sources give {consensus}",
    )


def _name(value: Value) -> str:
    return value.name if isinstance(value, EntityRef) else str(value)
