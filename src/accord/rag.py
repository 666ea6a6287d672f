"""The entry point for retrieval-augmented generation: a question and the passages retrieved
for it in, the passages' conflicts, the reconciled record and a trust ranking out.

    >>> from accord.rag import check_passages
    >>> result = check_passages(  # doctest: +SKIP
    ...     [{"id": "p1", "text": "The courthouse was built in 1902.", "kind": "encyclopedia"},
    ...      {"id": "p2", "text": "The courthouse was built in 1885.", "url": "https://..."}],
    ...     question="When was the Dallas County Courthouse built?",
    ... )
    >>> result.ranking[0].passage, [c.reason for c in result.conflicts]  # doctest: +SKIP

Passages are strings, dicts with the keys of ``accord.Source`` (``text``, ``id``, ``title``,
``url``, ``kind``, ``published``, ``metadata``) or ``Source`` objects. One call is one
subject. A passage without an id is named ``passage N`` by its position. The question, when
given, weighs each passage's trust toward the claims that bear on it
(``accord.reconcile.question``), and the conflicts whose values are of the kind it asks for
come first, marked ``on_question`` (``accord.questions``). Components for RAG frameworks
build on this module (``accord.integrations``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from accord.errors import ConfigError
from accord.model import Document, Label, Record, Report, Verdict
from accord.questions import bears_on
from accord.sources import Source

__all__ = ["PassageConflict", "PassageTrust", "RagResult", "check_passages", "to_sources"]

PassageLike = Source | Mapping[str, Any] | str


@dataclass(frozen=True, slots=True, kw_only=True)
class PassageTrust:
    """One passage's place in the trust ranking (1 is the most trusted).

    ``contradicted_by`` names the passages that contradict one of its claims; ``read`` is
    False for a passage that could not be checked (its ``reasons`` say why).
    """

    passage: str
    title: str
    rank: int
    score: float | None
    reasons: tuple[str, ...]
    contradicted_by: tuple[str, ...] = ()
    read: bool = True


@dataclass(frozen=True, slots=True, kw_only=True)
class PassageConflict:
    """Two passages that contradict each other, with the evidence of each and why.

    ``possible`` marks a clash under the run's contradiction threshold: a candidate for a
    reader to check, not a contradiction. ``on_question`` says whether the clashing values
    are of the kind the question asks for (``accord.questions.bears_on``: a date for
    "When...?"); ``None`` when no question was asked.
    """

    left: str
    right: str
    left_evidence: str
    right_evidence: str
    reason: str
    confidence: float
    method: str
    field: str | None = None
    possible: bool = False
    on_question: bool | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class RagResult:
    """What the passages say together: conflicts, the record and a trust ranking, with the
    full report behind them."""

    question: str | None
    subject: str
    conflicts: tuple[PassageConflict, ...]
    possible_conflicts: tuple[PassageConflict, ...]
    ranking: tuple[PassageTrust, ...]
    record: Record
    report: Report

    def trust(self, passage: str) -> PassageTrust:
        """The ranking entry of the passage with id ``passage``.

        Raises:
            KeyError: no passage has that id.
        """
        for entry in self.ranking:
            if entry.passage == passage:
                return entry
        raise KeyError(passage)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-able data: the question, subject, conflicts, ranking and record fields
        (the full report is ``accord.report.json.to_dict(result.report)``)."""
        ids = {document.id: _passage_id(document) for document in self.report.documents}

        def conflict(c: PassageConflict) -> dict[str, Any]:
            return {
                "passages": [c.left, c.right],
                "evidence": [c.left_evidence, c.right_evidence],
                "reason": c.reason,
                "confidence": c.confidence,
                "method": c.method,
                "field": c.field,
                "on_question": c.on_question,
            }

        return {
            "question": self.question,
            "subject": self.subject,
            "conflicts": [conflict(c) for c in self.conflicts],
            "possible_conflicts": [conflict(c) for c in self.possible_conflicts],
            "ranking": [
                {
                    "passage": t.passage,
                    "title": t.title,
                    "rank": t.rank,
                    "score": t.score,
                    "reasons": list(t.reasons),
                    "contradicted_by": list(t.contradicted_by),
                    "read": t.read,
                }
                for t in self.ranking
            ],
            "record": [
                {
                    "field": f.name,
                    "status": f.status,
                    "consensus": f.consensus,
                    "values": [{"passage": ids.get(v.doc_id), "value": v.value} for v in f.values],
                }
                for f in self.record.fields
            ],
        }


def to_sources(passages: Sequence[PassageLike]) -> list[Source]:
    """The passages as ``Source`` objects, each with an id (``passage N`` when it has none).

    Raises:
        ConfigError: a passage of another type, a bad dict, or two passages with one id.
    """
    sources: list[Source] = []
    for number, passage in enumerate(passages, start=1):
        if isinstance(passage, Source):
            source = passage
        elif isinstance(passage, str):
            source = Source(text=passage)
        elif isinstance(passage, Mapping):
            try:
                source = Source(**passage)
            except TypeError as exc:
                raise ConfigError(f"passage {number}: {exc}") from None
        else:
            raise ConfigError(
                f"passage {number} is a {type(passage).__name__}; give a string, a dict or "
                "an accord.Source"
            )
        if source.id is None:
            source = replace(source, id=f"passage {number}")
        sources.append(source)
    seen: set[str] = set()
    for source in sources:
        if source.id in seen:
            raise ConfigError(f"two passages have the id {source.id!r}")
        seen.add(str(source.id))
    return sources


def check_passages(
    passages: Sequence[PassageLike], question: str | None = None, **options: Any
) -> RagResult:
    """Check retrieved passages against each other for a question.

    Args:
        passages: the passages (strings, dicts with a Source's keys, or ``Source`` objects).
        question: the question they were retrieved for, if any.
        **options: any field of ``accord.Settings`` (``subject``, ``min_confidence``,
            ``verifier``...), as for ``accord.check``.

    Returns:
        The conflicts between passages, the record, the ranking (most trusted first; the
        passages that could not be read last) and the full report.

    Raises:
        accord.errors.AccordError: no passage could be read, or bad options.
    """
    import accord

    if not passages:
        raise ConfigError("no passages to check")
    sources = to_sources(passages)
    report = accord.check(sources, question=question, **options)
    return result_of(report, sources, question)


def _passage_id(document: Document) -> str:
    return document.source_id or document.source


def _conflict(
    verdict: Verdict, ids: Mapping[str, str], texts: Mapping[str, str], question: str | None
) -> PassageConflict:
    left, right = verdict.pair.left, verdict.pair.right
    spans = verdict.evidence or (left.span, right.span)

    def quote(index: int, fallback: str) -> str:
        if index < len(spans) and spans[index].doc_id in texts:
            span = spans[index]
            return texts[span.doc_id][span.start : span.end]
        return fallback

    return PassageConflict(
        left=ids[left.doc_id],
        right=ids[right.doc_id],
        left_evidence=quote(0, left.text),
        right_evidence=quote(1, right.text),
        reason=verdict.reason,
        confidence=verdict.confidence,
        method=verdict.method,
        field=verdict.field,
        possible=verdict.possible_conflict,
        on_question=bears_on(question, verdict) if question else None,
    )


def result_of(report: Report, sources: Sequence[Source], question: str | None) -> RagResult:
    """Read a report of ``sources`` as a RAG result (``check_passages`` without the check)."""
    ids = {document.id: _passage_id(document) for document in report.documents}
    texts = {document.id: document.text for document in report.documents}
    conflicts: list[PassageConflict] = []
    possible: list[PassageConflict] = []
    seen: set[tuple[str, str, str]] = set()
    against: dict[str, set[str]] = defaultdict(set)
    for verdict in sorted(report.verdicts, key=lambda v: -v.confidence):
        left, right = verdict.pair.left.doc_id, verdict.pair.right.doc_id
        if left == right or not (verdict.label is Label.CONTRADICTS or verdict.possible_conflict):
            continue
        key = (*sorted((ids[left], ids[right])), verdict.reason)
        if key in seen:
            continue
        seen.add(key)  # type: ignore[arg-type]
        if verdict.label is Label.CONTRADICTS:
            against[left].add(ids[right])
            against[right].add(ids[left])
            conflicts.append(_conflict(verdict, ids, texts, question))
        else:
            possible.append(_conflict(verdict, ids, texts, question))
    scores = {r.doc_id: r for r in report.record.reliability}
    ranked = sorted(
        report.documents, key=lambda d: (-scores[d.id].score, list(ids.values()).index(ids[d.id]))
    )
    ranking = [
        PassageTrust(
            passage=ids[document.id],
            title=document.title,
            rank=rank,
            score=scores[document.id].score,
            reasons=scores[document.id].reasons,
            contradicted_by=tuple(sorted(against[document.id])),
        )
        for rank, document in enumerate(ranked, start=1)
    ]
    checked = set(ids.values())
    failed = {failure.source: failure.message for failure in report.run.failures}
    for source in sources:
        if source.id not in checked:
            ranking.append(
                PassageTrust(
                    passage=str(source.id),
                    title=source.title or "",
                    rank=len(ranking) + 1,
                    score=None,
                    reasons=(failed.get(str(source.id), "could not be read"),),
                    read=False,
                )
            )

    def first_on_question(conflict: PassageConflict) -> bool:
        return conflict.on_question is False

    return RagResult(
        question=question,
        subject=report.record.subject,
        conflicts=tuple(sorted(conflicts, key=first_on_question)),
        possible_conflicts=tuple(sorted(possible, key=first_on_question)),
        ranking=tuple(ranking),
        record=report.record,
        report=report,
    )
