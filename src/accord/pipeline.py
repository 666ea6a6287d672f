"""Runs the stages in their fixed order: ingest -> claims -> align -> verify -> reconcile.

``check`` is the one-call API; ``run`` takes ready ``Settings`` and reports progress.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from accord import __version__
from accord.model import Document, Report, RunInfo

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
        max_bytes: largest source accepted, in bytes.
    """

    extractor: str = "accord.spacy.v1"
    aligner: str = "accord.bm25.v1"
    verifier: str = "accord.slots.v1"
    top_k: int = 5
    encoding: str | None = None
    entity_files: tuple[Path, ...] = ()
    max_bytes: int = 10_000_000
    sources_are_text: bool = False
    extra: dict[str, str] = field(default_factory=dict)


def _noop(stage: str, done: int, total: int) -> None:
    return None


def load_documents(sources: Sequence[str | Path], settings: Settings) -> list[Document]:
    """Ingest every source: paths (files or directories) or, with ``sources_are_text``, texts."""
    from accord.ingest import expand_paths, read_document, read_text

    if settings.sources_are_text:
        return [read_text(str(text), name=f"<text {i + 1}>") for i, text in enumerate(sources)]
    paths = expand_paths(sources)
    return [
        read_document(path, encoding=settings.encoding, max_bytes=settings.max_bytes)
        for path in paths
    ]


def run(
    sources: Sequence[str | Path],
    settings: Settings | None = None,
    on_progress: ProgressCallback | None = None,
) -> Report:
    """Check ``sources`` against each other and return the full report.

    Args:
        sources: file or directory paths, or texts when ``settings.sources_are_text``.
        settings: what to run; defaults to ``Settings()``.
        on_progress: optional callback for progress events.

    Raises:
        accord.errors.AccordError: bad input or a failing stage.
    """
    settings = settings or Settings()
    progress = on_progress or _noop
    timings: dict[str, float] = {}

    started = time.perf_counter()
    documents = load_documents(sources, settings)
    # Stages load after the input is read, so bad input is reported before models load.
    from accord.align import aligners
    from accord.claims import extractors
    from accord.reconcile import reconcile
    from accord.verify import verifiers

    timings["ingest"] = time.perf_counter() - started
    progress("ingest", len(documents), len(documents))

    started = time.perf_counter()
    extractor = extractors.get(settings.extractor)(entity_files=settings.entity_files)
    claims = extractor.extract(documents)
    timings["claims"] = time.perf_counter() - started
    progress("claims", len(documents), len(documents))

    started = time.perf_counter()
    aligner = aligners.get(settings.aligner)(top_k=settings.top_k)
    pairs = aligner.align(claims)
    timings["align"] = time.perf_counter() - started
    progress("align", len(pairs), len(pairs))

    started = time.perf_counter()
    verifier = verifiers.get(settings.verifier)(entity_files=settings.entity_files)
    verdicts = verifier.verify(pairs)
    timings["verify"] = time.perf_counter() - started
    progress("verify", len(verdicts), len(verdicts))

    started = time.perf_counter()
    record = reconcile(documents, claims, verdicts)
    timings["reconcile"] = time.perf_counter() - started

    backends = {
        "ingest": ", ".join(sorted({f"accord.{d.format}.v1" for d in documents})),
        "claims": f"{settings.extractor} ({extractor.describe()})",
        "align": f"{settings.aligner} ({aligner.describe()})",
        "verify": settings.verifier,
        "reconcile": "accord.majority.v1",
    }
    skipped = (
        "verify: neural NLI not configured (slot comparison only)",
        "verify: LLM judge not configured",
        "align: sentence embeddings not configured (BM25 and slot keys only)",
    )
    info = RunInfo(version=__version__, backends=backends, skipped=skipped, timings_s=timings)
    return Report(
        documents=tuple(documents),
        claims=tuple(claims),
        verdicts=tuple(verdicts),
        record=record,
        run=info,
    )
