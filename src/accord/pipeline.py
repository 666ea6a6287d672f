"""Runs the stages in their fixed order: ingest -> claims -> align -> verify -> reconcile.

``check`` is the one-call API; ``run`` takes ready ``Settings`` and reports progress.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from accord.model import Component, Document, Label, Report, RunInfo, Verdict
from accord.settings import Settings
from accord.version import __version__

if TYPE_CHECKING:
    from accord.align.base import Aligner
    from accord.claims.base import ClaimExtractor
    from accord.registry import Registry
    from accord.scale.bounded import BoundedPool
    from accord.sources import Source
    from accord.verify.base import Verifier

logger = logging.getLogger(__name__)

__all__ = [
    "ProgressCallback",
    "Settings",
    "describe_components",
    "describe_run",
    "make_stages",
    "run",
]

ProgressCallback = Callable[[str, int, int], None]
"""Called as ``on_progress(stage, done, total)``: ``(stage, 0, total)`` as a stage starts,
then as its documents (``ingest``, ``claims``) or claim pairs (``verify``) are done, and
``(stage, total, total)`` when it ends. ``align`` starts as ``(align, 0, 0)`` (its size is
known only when it ends, as its count of pairs)."""


def _noop(stage: str, done: int, total: int) -> None:
    return None


def _stage(progress: ProgressCallback, stage: str) -> Callable[[int, int], None]:
    """``progress`` for one stage, as the ``(done, total)`` callback its steps take."""

    def advance(done: int, total: int) -> None:
        progress(stage, done, total)

    return advance


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
    from accord.per_document import Failures, read_each

    return [document for document, _ in read_each(sources, settings, Failures())]


def make_stages(settings: Settings) -> tuple[ClaimExtractor, Aligner, Verifier]:
    """Build the extractor, aligner and verifier ``settings`` name, from their registries,
    each with the settings it takes and its own options (``accord.registry.Registry.build``).

    Options given for a component the run does not use are logged as a warning: they are
    left unused, as when a settings file is rerun with another verifier.

    Raises:
        accord.errors.UnknownStageError: a name that is not registered.
        accord.errors.ConfigError: an option a component does not take.
    """
    from accord.align import aligners
    from accord.claims import extractors
    from accord.verify import verifiers

    extractor = extractors.build(settings.extractor, settings)
    aligner = aligners.build(settings.aligner, settings)
    verifier = verifiers.build(settings.verifier, settings)
    used = {settings.extractor, settings.aligner, settings.verifier}
    for name in sorted(set(settings.components) - used):
        logger.warning(
            "options for %s left unused: this run uses %s", name, ", ".join(sorted(used))
        )
    return extractor, aligner, verifier


def describe_components(settings: Settings) -> dict[str, Component]:
    """The extractor, aligner and verifier of a run (``claims``, ``align``, ``verify``), each
    with the options its registry builds it with from ``settings``, as JSON-safe data."""
    from accord.align import aligners
    from accord.claims import extractors
    from accord.settings import to_json_value
    from accord.verify import verifiers

    stages: dict[str, tuple[Registry[Any], str]] = {
        "claims": (extractors, settings.extractor),
        "align": (aligners, settings.aligner),
        "verify": (verifiers, settings.verifier),
    }
    return {
        stage: Component(name=name, options=to_json_value(registry.options(name, settings)))
        for stage, (registry, name) in stages.items()
    }


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
    from accord.verify.judges import skipped_judges

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
        accord.errors.JudgeUnreachableError: the LLM judge's endpoint does not answer (and
            ``settings.skip_unreachable_judge`` is off).
        accord.errors.AccordError: bad input or a failing stage.
    """
    from accord.scale.bounded import BoundedPool

    settings = settings or Settings()
    # the worker processes that read each document and extract its claims under its limits;
    # leaving the block stops them, also when the run fails or is interrupted
    with BoundedPool(settings.max_memory_per_document) as workers:
        return _run(sources, settings, on_progress, workers)


def _run(
    sources: Sequence[str | Path | Source],
    settings: Settings,
    on_progress: ProgressCallback | None,
    workers: BoundedPool,
) -> Report:
    from accord.claims.subject import unify_subjects, with_shared_names
    from accord.language import with_languages
    from accord.per_document import Failures, extract_each, read_each
    from accord.reconcile.question import question_weights
    from accord.subjects import subject_name
    from accord.verify.base import bind_documents, bound_progress, describe_verifier, mark_possible
    from accord.verify.judges import reach_judge

    given = settings  # as asked for: a rerun with them tries a skipped judge again
    # an LLM judge that cannot be reached fails the run before any document is read
    settings = reach_judge(settings)
    progress = on_progress or _noop
    timings: dict[str, float] = {}

    started = time.perf_counter()
    failures = Failures()
    read = read_each(sources, settings, failures, _stage(progress, "ingest"), workers)
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

    started = time.perf_counter()
    progress("claims", 0, len(read))
    documents, claims = extract_each(
        extractor, read, settings, failures, _stage(progress, "claims"), workers
    )
    workers.close()  # every document is read and extracted: free their memory
    claims = unify_subjects(claims, documents)
    named = documents  # with the names several documents use for the subject, for matching
    documents = [originals[id(document)] for document in documents]  # as the sources name them
    timings["claims"] = time.perf_counter() - started

    started = time.perf_counter()
    progress("align", 0, 0)  # one step: its size is known when it is done
    pairs = aligner.align(claims)
    timings["align"] = time.perf_counter() - started
    progress("align", len(pairs), len(pairs))

    started = time.perf_counter()
    bind_documents(verifier, named)
    progress("verify", 0, len(pairs))
    with bound_progress(verifier, _stage(progress, "verify")):
        verdicts = informative(mark_possible(verifier.verify(pairs), settings.min_confidence))
    timings["verify"] = time.perf_counter() - started
    progress("verify", len(pairs), len(pairs))

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
        components=describe_components(settings),
        settings=given.to_dict(),
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
