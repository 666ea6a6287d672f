"""accord for LangChain: check the documents a retriever returns against each other.

``AccordCompressor`` is a LangChain document compressor: put it behind a retriever (in a
``ContextualCompressionRetriever``, or call ``compress_documents`` yourself) and each
document comes back with accord's findings in ``metadata["accord"]`` — its trust score and
rank, the reasons, the documents that contradict it and the conflicts it is in — ordered
from the most trusted, optionally without the documents the evidence speaks against::

    from accord.integrations.langchain import AccordCompressor
    checked = AccordCompressor().compress_documents(documents, query="When was it built?")
    checked[0].metadata["accord"]["trust"]

``check_documents`` gives the whole ``accord.rag.RagResult`` for a list of documents. A
document's id is its ``id`` (else its ``metadata["id"]``, else ``document N``); ``title``,
``url`` (or a ``source`` that is a URL), ``kind``, ``published`` (or ``date``) come from its
metadata, and its other string metadata is kept. Needs ``langchain-core`` (extra
``langchain``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from langchain_core.callbacks import Callbacks
from langchain_core.documents import BaseDocumentCompressor, Document
from pydantic import ConfigDict, Field

from accord.rag import RagResult, check_passages
from accord.sources import Source

__all__ = ["AccordCompressor", "check_documents", "to_source"]

_KNOWN = ("id", "title", "url", "kind", "published", "date", "source")


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def to_source(document: Document, number: int) -> Source:
    """A LangChain document as an ``accord.Source`` (``number``: its 1-based position)."""
    meta: Mapping[str, Any] = document.metadata or {}
    source = _text(meta.get("source"))
    url = _text(meta.get("url")) or (source if source and "://" in source else None)
    extra = {
        str(key): value
        for key, value in meta.items()
        if key not in _KNOWN and isinstance(value, str) and value.strip()
    }
    if source and source != url:
        extra["source"] = source
    return Source(
        text=document.page_content,
        id=_text(document.id) or _text(meta.get("id")) or f"document {number}",
        title=_text(meta.get("title")),
        url=url,
        kind=_text(meta.get("kind")),
        published=_text(meta.get("published")) or _text(meta.get("date")),
        metadata=extra,
    )


def check_documents(
    documents: Sequence[Document], question: str | None = None, **options: Any
) -> RagResult:
    """Check LangChain documents against each other (``accord.rag.check_passages``).

    Args:
        documents: the retrieved documents.
        question: the query they were retrieved for.
        **options: any field of ``accord.Settings``.
    """
    sources = [to_source(document, n) for n, document in enumerate(documents, start=1)]
    return check_passages(sources, question=question, **options)


class AccordCompressor(BaseDocumentCompressor):
    """Check retrieved documents against each other and annotate them with accord's findings.

    Attributes:
        min_trust: leave out documents whose trust score is under this (``None``: keep all).
        drop_contradicted: leave out documents a more trusted document contradicts.
        options: fields of ``accord.Settings`` for the check (``verifier``...).
    """

    model_config = ConfigDict(extra="forbid")

    min_trust: float | None = None
    drop_contradicted: bool = False
    options: dict[str, Any] = Field(default_factory=dict)

    def compress_documents(
        self,
        documents: Sequence[Document],
        query: str,
        callbacks: Callbacks | None = None,
    ) -> Sequence[Document]:
        """The documents, most trusted first, each with ``metadata["accord"]``; documents
        that could not be checked come last, with ``trust`` None and the reason."""
        if not documents:
            return []
        sources = [to_source(document, n) for n, document in enumerate(documents, start=1)]
        result = check_passages(sources, question=query or None, **self.options)
        by_id = {source.id: document for source, document in zip(sources, documents, strict=True)}
        score = {entry.passage: entry.score for entry in result.ranking}
        out = []
        for entry in result.ranking:
            if self.min_trust is not None and (entry.score or 0.0) < self.min_trust:
                continue
            if self.drop_contradicted and any(
                (score.get(other) or 0.0) > (entry.score or 0.0) for other in entry.contradicted_by
            ):
                continue
            document = by_id[entry.passage]
            conflicts = [
                {
                    "with": c.right if c.left == entry.passage else c.left,
                    "reason": c.reason,
                    "confidence": c.confidence,
                    "evidence": c.left_evidence if c.left == entry.passage else c.right_evidence,
                    "other_evidence": (
                        c.right_evidence if c.left == entry.passage else c.left_evidence
                    ),
                    "method": c.method,
                    "on_question": c.on_question,
                }
                for c in result.conflicts
                if entry.passage in (c.left, c.right)
            ]
            annotated = dict(document.metadata or {})
            annotated["accord"] = {
                "id": entry.passage,
                "trust": entry.score,
                "rank": entry.rank,
                "reasons": list(entry.reasons),
                "contradicted_by": list(entry.contradicted_by),
                "conflicts": conflicts,
                "subject": result.subject,
            }
            out.append(
                Document(page_content=document.page_content, metadata=annotated, id=document.id)
            )
        return out
