"""What a run uses: ``Settings``, every field with a default that works offline.

It holds nothing of the pipeline, so that the stages and the command line can know their
settings without importing the orchestrator (``accord.pipeline`` runs with them).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TypedDict

from accord.limits import (
    DEFAULT_MAX_BYTES,
    DEFAULT_MAX_DOCUMENTS,
    DEFAULT_MAX_HTML_DEPTH,
    DEFAULT_MAX_MEMORY,
    DEFAULT_MAX_SECONDS_PER_DOCUMENT,
)

__all__ = ["Settings", "SettingsOptions"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Settings:
    """What a run uses. Every field has a default that works offline.

    Attributes:
        extractor: registry name of the claim extractor.
        aligner: registry name of the aligner.
        verifier: registry name of the verifier.
        top_k: candidates per claim the aligner keeps from each other document.
        encoding: decode every source with this codec instead of detecting one.
        entity_files: extra entity-alias files that extend the bundled one.
        max_bytes: largest source accepted, in bytes; a larger one fails (it is not cut).
        max_documents: most documents one run reads; more is refused before reading any.
        max_seconds_per_document: limit on one document's ingest and claims, in seconds
            (``None`` or 0: no limit); a document over it fails and the rest are checked.
            It holds even inside a parser that never returns: the document's worker
            process is killed (``accord.per_document``).
        max_memory_per_document: limit on the memory of the worker process that reads one
            document and extracts its claims, in bytes (``None`` or 0: no limit; give
            ``accord.limits.parse_size("1.5GiB")`` for a size in words); a document over it
            fails with ``DocumentMemoryError`` and the rest are checked. Where the system
            cannot limit a process's address space, documents are bounded in time only.
        max_html_depth: deepest HTML element nesting kept; deeper tags are flattened.
        priors: reliability prior by source kind (``{"news": 0.7}``), over the defaults in
            ``accord.reconcile.majority.KIND_PRIOR``; each in [0, 1].
        llm_url: OpenAI-compatible endpoint of the LLM judge (``accord.llm.v1``, and
            ``accord.ensemble.v1``); the key comes from ``ACCORD_LLM_API_KEY`` only.
        llm_model: the model name that endpoint serves.
        llm_timeout_s: limit on one LLM request, in seconds.
        llm_cache_dir: directory for an on-disk cache of LLM answers (``None``: memory only).
        skip_unreachable_judge: when the LLM endpoint cannot be reached, check without the
            LLM judge (the report says so) instead of failing with ``JudgeUnreachableError``.
        judge_skipped: why the LLM judge was left out (set by
            ``accord.verify.judges.reach_judge``; ``None``: it was not).
        nli_model: local NLI checkpoint directory (``accord.nli.v1``, ``accord.ensemble.v1``).
        neural_threshold: confidence in [0, 1] from which the ensemble uses a judge's verdict.
        min_confidence: confidence in [0, 1] from which a clash is a contradiction; a clash
            under it is reported apart as a possible conflict.
        question: the question the documents were retrieved for (a RAG pipeline's query);
            the trust in each source is weighed toward the claims that bear on it
            (``accord.reconcile.question``).
        minilm_judge: let the ensemble ask accord's own verifier model (``accord.minilm.v1``,
            ``neural`` extra) where slots do not decide; off by default (its model card).
        subject: the name of the subject the documents are about; it names the report and
            is the subject's name in every document. ``None`` (or blank): the name the
            documents share (``accord.subjects.subject_name``).
        workers: processes that read documents and extract claims. ``None``: one per CPU
            when a run has enough documents to pay for starting them
            (``accord.per_document.extraction_workers``; the command line's default). The
            default here is 1: one worker process at a time, or none for small documents
            (``accord.per_document.runs_in_process``).
    """

    extractor: str = "accord.spacy.v1"
    aligner: str = "accord.bm25.v1"
    verifier: str = "accord.slots.v1"
    top_k: int = 5
    encoding: str | None = None
    entity_files: tuple[Path, ...] = ()
    max_bytes: int = DEFAULT_MAX_BYTES
    max_documents: int = DEFAULT_MAX_DOCUMENTS
    max_seconds_per_document: float | None = DEFAULT_MAX_SECONDS_PER_DOCUMENT
    max_memory_per_document: int | None = DEFAULT_MAX_MEMORY
    max_html_depth: int = DEFAULT_MAX_HTML_DEPTH
    sources_are_text: bool = False
    priors: dict[str, float] = field(default_factory=dict)
    llm_url: str | None = None
    llm_model: str | None = None
    llm_timeout_s: float = 30.0
    llm_cache_dir: Path | None = None
    skip_unreachable_judge: bool = False
    judge_skipped: str | None = None
    nli_model: Path | None = None
    neural_threshold: float = 0.8
    min_confidence: float = 0.7  # accord.verify.base.MIN_CONFIDENCE, kept out of start-up
    minilm_judge: bool = False
    subject: str | None = None
    workers: int | None = 1
    question: str | None = None


class SettingsOptions(TypedDict, total=False):
    """The keyword options ``accord.check`` takes: the fields of ``Settings``, so that an
    editor or a type checker can tell a call's options (``max_memory_per_document`` also as
    a size in words, ``"1.5GiB"``). ``tests/test_api.py`` keeps the two in step."""

    extractor: str
    aligner: str
    verifier: str
    top_k: int
    encoding: str | None
    entity_files: tuple[Path, ...]
    max_bytes: int
    max_documents: int
    max_seconds_per_document: float | None
    max_memory_per_document: int | str | None
    max_html_depth: int
    sources_are_text: bool
    priors: dict[str, float]
    llm_url: str | None
    llm_model: str | None
    llm_timeout_s: float
    llm_cache_dir: Path | None
    skip_unreachable_judge: bool
    judge_skipped: str | None
    nli_model: Path | None
    neural_threshold: float
    min_confidence: float
    minilm_judge: bool
    subject: str | None
    workers: int | None
    question: str | None
