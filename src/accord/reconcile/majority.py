"""One record for the subject: each field's values by source, the consensus, and how much
to trust each source.

Field values come from the claims' slots about the subject (``signed on``, ``parties``...);
a field's status follows the verdicts on it. A contradicted field's consensus is the value
a strict majority of the sources give, counted and weighted by each source's prior,
consistency and clean page; an even split is reported as a split, never settled by
guessing. Trust (``accord.reconcile.reliability``) is estimated from the evidence, from a
prior by source kind: sources backed by trusted sources gain, sources whose claims
better-backed claims contradict lose.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence

from accord.lexicon import load_lexicon
from accord.model import (
    SUBJECT_KEY,
    Claim,
    DateValue,
    Document,
    EntityRef,
    Field,
    FieldValue,
    Label,
    Quantity,
    Record,
    TextValue,
    Value,
    Verdict,
)
from accord.reconcile.copies import find_copies
from accord.reconcile.reliability import (
    KIND_PRIOR,
    base_scores,
    discover_trust,
    evidence_from,
    internal_contradictions,
    kind_priors,
    reliability,
)

# Reliability weights closer than this are equal (scores are rounded to 3 places).
WEIGHT_TIE = 1e-6
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
    documents: Sequence[Document],
    claims: Sequence[Claim],
    verdicts: Sequence[Verdict],
    *,
    priors: Mapping[str, float] | None = None,
    weights: Mapping[str, float] | None = None,
    subject: str | None = None,
) -> Record:
    """Build the record of the documents' common subject.

    Args:
        documents: the checked documents.
        claims: their claims.
        verdicts: the verdicts on aligned pairs.
        priors: reliability prior by source kind name, over ``KIND_PRIOR``.
        weights: claim id -> how much the claim counts in its source's trust (claims that
            bear on a question asked count more; 1 when not given).
        subject: the subject's name (``accord.subjects.subject_name``); by default the
            title most of the documents have.

    Raises:
        ConfigError: a prior names an unknown kind or lies outside [0, 1].
    """
    kinds = kind_priors(priors)
    internal = internal_contradictions(verdicts)
    evidence = evidence_from(claims, verdicts, weights, find_copies(documents))
    discovery = discover_trust(documents, evidence, internal, kinds)
    subject = subject or _subject(documents)
    fields = _fields(documents, claims, verdicts, base_scores(documents, internal, kinds))
    by_doc: dict[str, list[str]] = defaultdict(list)
    for claim in claims:
        by_doc[claim.doc_id].append(claim.id)
    names = {doc.id: doc.source_id or doc.source for doc in documents}
    scores = tuple(
        reliability(doc, discovery, evidence, internal.get(doc.id, 0), kinds, by_doc[doc.id], names)
        for doc in documents
    )
    return Record(subject=subject, fields=tuple(fields), reliability=scores)


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
    documents: Sequence[Document],
    claims: Sequence[Claim],
    verdicts: Sequence[Verdict],
    weights: Mapping[str, float],
) -> list[Field]:
    order = {doc.id: i for i, doc in enumerate(documents)}
    labels: dict[str, set[Label]] = defaultdict(set)
    for verdict in verdicts:
        if verdict.field:
            labels[verdict.field].add(verdict.label)
    fields = []
    for name, values in _field_values(claims).items():
        values.sort(key=lambda v: (order.get(v.doc_id, 0), v.span.start))
        by_doc: dict[str, set[str]] = defaultdict(set)
        for value in values:
            by_doc[value.doc_id].add(value.value)
        fields.append(_field(name, tuple(values), by_doc, labels[name], weights))
    return fields


def _field(
    name: str,
    values: tuple[FieldValue, ...],
    by_doc: dict[str, set[str]],
    labels: set[Label],
    weights: Mapping[str, float],
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
        return _contested(name, values, by_doc, weights)
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
    weights: Mapping[str, float],
) -> Field:
    """A contradicted field. A value is the consensus when a strict majority of the sources
    give it, counted and weighted by reliability both (a source giving two values splits its
    weight). Otherwise there is no consensus, and the reason says whether the sources split
    evenly or no value has a majority."""
    counts = Counter(v for vs in by_doc.values() for v in vs)
    weight: dict[str, float] = defaultdict(float)
    for doc_id, doc_values in by_doc.items():
        for value in doc_values:
            weight[value] += weights.get(doc_id, 0.0) / len(doc_values)
    total = sum(weights.get(doc_id, 0.0) for doc_id in by_doc)
    ranked = sorted(counts, key=lambda v: (-counts[v], -weight[v], v))
    top = ranked[0]
    runner_up = counts[ranked[1]] if len(ranked) > 1 else 0
    share = weight[top] / total if total else 0.0
    tally = f"{counts[top]} of {len(by_doc)} sources give {top}"
    if counts[top] * 2 > len(by_doc) and share > 0.5:
        return Field(
            name=name, values=values, consensus=top, status="contradicted",
            reason=(f"the sources contradict each other; {tally} "
                    f"({share:.0%} of the sources' weight by reliability)"),
        )  # fmt: skip
    if counts[top] == runner_up:
        tied = sorted(v for v in counts if counts[v] == counts[top])
        best = sorted(tied, key=lambda v: -weight[v])
        leaning = (
            f"the more trusted side gives {best[0]}"
            if weight[best[0]] - weight[best[1]] > WEIGHT_TIE
            else "both sides are equally trusted"
        )
        return Field(
            name=name, values=values, consensus=None, status="contradicted",
            reason=(f"the sources split evenly ({len(by_doc)} sources, no majority: "
                    f"{' vs '.join(f'{counts[v]} for {v}' for v in tied)}); {leaning}"),
        )  # fmt: skip
    return Field(
        name=name, values=values, consensus=None, status="contradicted",
        reason=(f"no consensus: {tally}, not a majority of the sources and of their "
                f"weight by reliability ({share:.0%})"),
    )  # fmt: skip


__all__ = ["KIND_PRIOR", "reconcile", "render_value"]
