"""One record for the subject: each field's values by source, the consensus, and how much
to trust each source.

Field values come from the claims' slots about the subject (``signed on``, ``parties``...);
a field's status follows the verdicts on it. Reliability starts from a prior by source kind
and falls with the share of a source's decided claims that others contradict and with the
share of its page that was boilerplate.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence

from accord.lexicon import load_lexicon
from accord.model import (
    SUBJECT_KEY,
    Claim,
    DateValue,
    DocKind,
    Document,
    EntityRef,
    Field,
    FieldValue,
    Label,
    Quantity,
    Record,
    Reliability,
    TextValue,
    Value,
    Verdict,
)

# Prior trust by source kind, in [0, 1]: edited reference works above news above
# open wikis; unknown sits between.
KIND_PRIOR = {
    DocKind.ENCYCLOPEDIA: 0.8,
    DocKind.NEWS: 0.7,
    DocKind.UNKNOWN: 0.6,
    DocKind.WIKI: 0.5,
}
# Weights of the three components of the reliability score (they sum to 1).
PRIOR_WEIGHT = 0.5
AGREEMENT_WEIGHT = 0.3
CLEANLINESS_WEIGHT = 0.2
# Sections whose items are the subject's terms.
_TERMS_SECTION = re.compile(r"\b(terms?|text|provisions?|clauses?|articles?)\b", re.I)


def render_value(value: Value) -> str:
    """The display form of a slot value (ISO dates, canonical names)."""
    if isinstance(value, DateValue):
        return value.to_iso()
    if isinstance(value, EntityRef):
        return value.name
    if isinstance(value, Quantity):
        unit = f" {value.unit}" if value.unit else ""
        return f"{'about ' if value.approximate else ''}{value.amount}{unit}"
    if isinstance(value, TextValue):
        return value.text
    raise TypeError(f"unknown value type {type(value).__name__}")


def reconcile(
    documents: Sequence[Document], claims: Sequence[Claim], verdicts: Sequence[Verdict]
) -> Record:
    """Build the record of the documents' common subject.

    Args:
        documents: the checked documents.
        claims: their claims.
        verdicts: the verdicts on aligned pairs.
    """
    subject = _subject(documents)
    fields = _fields(documents, claims, verdicts)
    reliability = tuple(_reliability(doc, claims, verdicts) for doc in documents)
    return Record(subject=subject, fields=tuple(fields), reliability=reliability)


def _subject(documents: Sequence[Document]) -> str:
    titles = Counter(doc.title for doc in documents if doc.title)
    return titles.most_common(1)[0][0] if titles else "(unknown subject)"


def _field_values(claims: Sequence[Claim]) -> dict[str, list[FieldValue]]:
    lexicon = load_lexicon()
    values: dict[str, list[FieldValue]] = defaultdict(list)
    for claim in claims:
        for slot in claim.slots:
            if slot.about != SUBJECT_KEY or slot.negated or claim.negated:
                continue
            kind = slot.value.kind.value if isinstance(slot.value, EntityRef) else None
            name = lexicon.field_name(slot.event, slot.role, kind)
            if name is None:
                continue
            rendered = render_value(slot.value)
            if any(v.doc_id == claim.doc_id and v.value == rendered for v in values[name]):
                continue
            values[name].append(
                FieldValue(doc_id=claim.doc_id, value=rendered, claim_id=claim.id, span=slot.span)
            )
        if _TERMS_SECTION.search(claim.section) and claim.kind == "sentence":
            values["terms"].append(
                FieldValue(
                    doc_id=claim.doc_id, value=claim.text, claim_id=claim.id, span=claim.span
                )
            )
    return values


def _fields(
    documents: Sequence[Document], claims: Sequence[Claim], verdicts: Sequence[Verdict]
) -> list[Field]:
    order = {doc.id: i for i, doc in enumerate(documents)}
    prior = {doc.id: KIND_PRIOR[doc.kind] for doc in documents}
    labels: dict[str, set[Label]] = defaultdict(set)
    for verdict in verdicts:
        for name in (verdict.field, *verdict.other_fields):
            if name:
                labels[name].add(verdict.label)
    fields = []
    for name, values in _field_values(claims).items():
        values.sort(key=lambda v: (order.get(v.doc_id, 0), v.span.start))
        by_doc: dict[str, set[str]] = defaultdict(set)
        for value in values:
            by_doc[value.doc_id].add(value.value)
        fields.append(_field(name, tuple(values), by_doc, labels[name], prior))
    return fields


def _field(
    name: str,
    values: tuple[FieldValue, ...],
    by_doc: dict[str, set[str]],
    labels: set[Label],
    prior: dict[str, float],
) -> Field:
    distinct = {v for vs in by_doc.values() for v in vs}
    if len(by_doc) == 1:
        return Field(
            name=name,
            values=values,
            consensus="; ".join(sorted(distinct)),
            status="single_source",
            reason="only one source gives this",
        )
    if Label.CONTRADICTS in labels:
        return _contested(name, values, by_doc, prior)
    shared = set.intersection(*by_doc.values())
    if Label.SUPPORTS in labels or shared:
        consensus = "; ".join(sorted(shared)) if shared else None
        return Field(
            name=name,
            values=values,
            consensus=consensus,
            status="agreed",
            reason=f"{len(by_doc)} sources agree",
        )
    return Field(
        name=name,
        values=values,
        consensus=None,
        status="differs",
        reason="the sources give different values that need not exclude each other",
    )


def _contested(
    name: str,
    values: tuple[FieldValue, ...],
    by_doc: dict[str, set[str]],
    prior: dict[str, float],
) -> Field:
    """A contradicted field: the value most sources give wins only with a strict majority;
    otherwise the split is reported, with the value the most trusted source gives."""
    counts = Counter(v for vs in by_doc.values() for v in vs)
    weights: dict[str, float] = defaultdict(float)
    for doc_id, doc_values in by_doc.items():
        for value in doc_values:
            weights[value] += prior.get(doc_id, 0.5) / len(doc_values)
    ranked = sorted(counts, key=lambda v: (-counts[v], -weights[v], v))
    top = ranked[0]
    if counts[top] * 2 > len(by_doc):
        return Field(
            name=name, values=values, consensus=top, status="contradicted",
            reason=(f"the sources contradict each other; {counts[top]} of {len(by_doc)} "
                    f"give {top}"),
        )  # fmt: skip
    leaning = max(counts, key=lambda v: (weights[v], v))
    return Field(
        name=name, values=values, consensus=None, status="contradicted",
        reason=(f"the sources split evenly ({len(by_doc)} sources, no majority); "
                f"the one with the higher prior trust gives {leaning}"),
    )  # fmt: skip


def _reliability(
    document: Document, claims: Sequence[Claim], verdicts: Sequence[Verdict]
) -> Reliability:
    prior = KIND_PRIOR[document.kind]
    reasons = [f"prior for source kind {document.kind.value!r}: {prior:.2f}"]
    decided: set[str] = set()
    contradicted: set[str] = set()
    for verdict in verdicts:
        for claim in (verdict.pair.left, verdict.pair.right):
            if claim.doc_id != document.id or verdict.label is Label.NOT_MENTIONED:
                continue
            decided.add(claim.id)
            if verdict.label is Label.CONTRADICTS:
                contradicted.add(claim.id)
    contradicted_share = len(contradicted) / len(decided) if decided else 0.0
    if decided:
        reasons.append(
            f"{len(contradicted)} of its {len(decided)} claims that others speak to "
            "are contradicted"
        )
    else:
        reasons.append("no other source speaks to its claims")
    # Reference lists are dropped from the text but are not junk: they do not count.
    junk = [r for r in document.removed if not r.reason.startswith("reference")]
    removed = sum(len(r.text) for r in junk)
    boilerplate_share = removed / (removed + len(document.text)) if document.text else 0.0
    if removed:
        kinds = sorted({r.reason for r in junk})
        reasons.append(f"{boilerplate_share:.0%} of the page was boilerplate ({', '.join(kinds)})")
    score = (
        PRIOR_WEIGHT * prior
        + AGREEMENT_WEIGHT * (1.0 - contradicted_share)
        + CLEANLINESS_WEIGHT * (1.0 - boilerplate_share)
    )
    return Reliability(doc_id=document.id, score=round(score, 3), reasons=tuple(reasons))
