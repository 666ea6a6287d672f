"""Runs the stages in their fixed order: ingest -> claims -> align -> verify -> reconcile.

``check`` is the one-call API; ``run`` takes ready ``Settings`` and reports progress.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from accord import __version__
from accord.limits import (
    DEFAULT_MAX_BYTES,
    DEFAULT_MAX_DOCUMENTS,
    DEFAULT_MAX_HTML_DEPTH,
    DEFAULT_MAX_SECONDS_PER_DOCUMENT,
)
from accord.model import Document, Label, Report, RunInfo, Verdict

if TYPE_CHECKING:
    from accord.align.base import Aligner
    from accord.claims.base import ClaimExtractor
    from accord.sources import Source
    from accord.verify.base import Verifier

logger = logging.getLogger(__name__)

ProgressCallback = Callable[[str, int, int], None]
"""Called as ``on_progress(stage, done, total)``."""


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
        max_html_depth: deepest HTML element nesting kept; deeper tags are flattened.
        priors: reliability prior by source kind (``{"news": 0.7}``), over the defaults in
            ``accord.reconcile.majority.KIND_PRIOR``; each in [0, 1].
        llm_url: OpenAI-compatible endpoint of the LLM judge (``accord.llm.v1``, and
            ``accord.ensemble.v1``); the key comes from ``ACCORD_LLM_API_KEY`` only.
        llm_model: the model name that endpoint serves.
        llm_timeout_s: limit on one LLM request, in seconds.
        llm_cache_dir: directory for an on-disk cache of LLM answers (``None``: memory only).
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
        workers: processes that extract claims. ``None``: one per CPU when a run has enough
            documents to pay for starting them (``accord.isolate.extraction_workers``; the
            command line's default). The default here is 1, because worker processes start
            by importing the calling script, which must then guard its own work with
            ``if __name__ == "__main__":``.
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
    max_html_depth: int = DEFAULT_MAX_HTML_DEPTH
    sources_are_text: bool = False
    priors: dict[str, float] = field(default_factory=dict)
    llm_url: str | None = None
    llm_model: str | None = None
    llm_timeout_s: float = 30.0
    llm_cache_dir: Path | None = None
    nli_model: Path | None = None
    neural_threshold: float = 0.8
    min_confidence: float = 0.7  # accord.verify.base.MIN_CONFIDENCE, kept out of start-up
    minilm_judge: bool = False
    subject: str | None = None
    workers: int | None = 1
    question: str | None = None


def _noop(stage: str, done: int, total: int) -> None:
    return None


def informative(verdicts: Sequence[Verdict]) -> list[Verdict]:
    """The verdicts a report keeps: pairs within one document are there to find it
    contradicting itself; its agreeing with itself is no evidence, so those are dropped (its
    possible conflicts with itself are kept: a reader checks those)."""
    return [
        v
        for v in verdicts
        if v.label is Label.CONTRADICTS
        or v.possible_conflict
        or v.pair.left.doc_id != v.pair.right.doc_id
    ]


def load_documents(sources: Sequence[str | Path | Source], settings: Settings) -> list[Document]:
    """Ingest every source: paths (files or directories) or, with ``sources_are_text``, texts.

    A source that fails is logged and left out; only when every source fails is the first
    error raised. ``run`` records such failures in the report.
    """
    from accord.isolate import Failures, read_each

    return [document for document, _ in read_each(sources, settings, Failures())]


def make_stages(settings: Settings) -> tuple[ClaimExtractor, Aligner, Verifier]:
    """Build the extractor, aligner and verifier ``settings`` name, from their registries."""
    from accord.align import aligners
    from accord.claims import extractors
    from accord.verify.setup import make_verifier

    extractor = extractors.get(settings.extractor)(entity_files=settings.entity_files)
    aligner = aligners.get(settings.aligner)(top_k=settings.top_k)
    verifier = make_verifier(settings)
    return extractor, aligner, verifier


def describe_run(
    documents: Sequence[Document],
    settings: Settings,
    *,
    claims: str,
    align: str,
    verify: str,
    **more: str,
) -> tuple[dict[str, str], tuple[str, ...]]:
    """The backends a run used, by stage, and what it skipped and why."""
    from accord.verify.setup import skipped_judges

    backends = {
        "ingest": ", ".join(sorted({f"accord.{d.format}.v1" for d in documents})),
        "claims": claims,
        "align": align,
        "verify": verify,
        "reconcile": "accord.majority.v1",
        **more,
    }
    embed = _embedding_backend(settings)
    if embed is not None:
        backends["embed"] = embed
    skipped = (
        *skipped_judges(settings),
        *(
            ()
            if embed is not None
            else ("align: sentence embeddings not configured (BM25 and slot keys only)",)
        ),
    )
    return backends, skipped


def _embedding_backend(settings: Settings) -> str | None:
    """The embedding model and runtime the run's aligner uses, or ``None`` when it uses none.

    Cheap: the aligner is built (its ``__init__`` loads nothing) but its model is not loaded.
    """
    from accord.align import aligners

    factory = aligners.get(settings.aligner)
    if not getattr(factory, "uses_embeddings", False):
        return None
    describe = getattr(factory(top_k=settings.top_k), "embedding_backend", None)
    return str(describe()) if callable(describe) else "sentence embeddings"


def run(
    sources: Sequence[str | Path | Source],
    settings: Settings | None = None,
    on_progress: ProgressCallback | None = None,
) -> Report:
    """Check ``sources`` against each other and return the full report.

    Args:
        sources: file or directory paths, ``accord.Source``\\ s (a text or a file with what
            the user declares of it), or texts when ``settings.sources_are_text``.
        settings: what to run; defaults to ``Settings()``.
        on_progress: optional callback for progress events.

    Raises:
        accord.errors.AccordError: bad input or a failing stage.
    """
    from accord.claims.subject import unify_subjects, with_shared_names
    from accord.isolate import Failures, extract_each, read_each
    from accord.language import with_languages
    from accord.reconcile.question import question_weights
    from accord.subjects import subject_name
    from accord.verify.base import mark_possible
    from accord.verify.setup import bind_documents, describe_verifier

    settings = settings or Settings()
    progress = on_progress or _noop
    timings: dict[str, float] = {}

    started = time.perf_counter()
    failures = Failures()
    read = read_each(sources, settings, failures)
    # One check is about one subject: the names several documents use for it, and the name
    # the user gives it, are each document's names for it (``claims.subject.shared_names``).
    subject = subject_name([document for document, _ in read], settings.subject)
    named = with_shared_names([document for document, _ in read], settings.subject)
    # two sources may have one text (one id): the named copy maps back by identity
    originals = {id(copy): document for copy, (document, _) in zip(named, read, strict=True)}
    read = [(document, spent) for document, (_, spent) in zip(named, read, strict=True)]
    documents = [document for document, _ in read]
    # Stages load after the input is read, so bad input is reported before models load.
    from accord.reconcile import reconcile

    extractor, aligner, verifier = make_stages(settings)

    timings["ingest"] = time.perf_counter() - started
    progress("ingest", len(documents), len(documents))

    started = time.perf_counter()
    documents, claims = extract_each(extractor, read, settings, failures)
    claims = unify_subjects(claims, documents)
    named = documents  # with the names several documents use for the subject, for matching
    documents = [originals[id(document)] for document in documents]  # as the sources name them
    timings["claims"] = time.perf_counter() - started
    progress("claims", len(documents), len(documents))

    started = time.perf_counter()
    pairs = aligner.align(claims)
    timings["align"] = time.perf_counter() - started
    progress("align", len(pairs), len(pairs))

    started = time.perf_counter()
    bind_documents(verifier, named)
    verdicts = informative(mark_possible(verifier.verify(pairs), settings.min_confidence))
    timings["verify"] = time.perf_counter() - started
    progress("verify", len(verdicts), len(verdicts))

    started = time.perf_counter()
    record = reconcile(
        documents,
        claims,
        verdicts,
        priors=settings.priors,
        weights=question_weights(settings.question, claims),
        subject=subject,
    )
    timings["reconcile"] = time.perf_counter() - started

    documents, warnings, unchecked = with_languages(documents)
    backends, skipped = describe_run(
        documents,
        settings,
        claims=f"{settings.extractor} ({extractor.describe()})",
        align=f"{settings.aligner} ({aligner.describe()})",
        verify=describe_verifier(settings, verifier),
    )
    info = RunInfo(
        version=__version__,
        backends=backends,
        skipped=(*skipped, *unchecked),
        timings_s=timings,
        failures=tuple(failures.items),
        min_confidence=settings.min_confidence,
        question=settings.question,
        warnings=warnings,
    )
    failures.log()
    return Report(
        documents=tuple(documents),
        claims=tuple(claims),
        verdicts=tuple(verdicts),
        record=record,
        run=info,
    )
