"""Ingest and claims one document at a time, so that one bad document fails alone.

A source that cannot be found, read, decoded or parsed, or whose ingest and claims take
longer than the per-document time limit, becomes a ``Failure`` in the report while every
other source is still checked. Only when every source fails does the run fail, with the
first source's error (so a single bad input is still a one-line error).
"""

from __future__ import annotations

import logging
import os
import pickle
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from accord.errors import AccordError, TooManyDocumentsError
from accord.limits import time_limit
from accord.model import Claim, Document, Failure

if TYPE_CHECKING:
    from accord.claims.base import ClaimExtractor
    from accord.pipeline import Settings

logger = logging.getLogger(__name__)

__all__ = ["Failures", "extract_each", "read_each"]


@dataclass(slots=True)
class Failures:
    """The failures of a run so far, with the first exception kept to re-raise."""

    items: list[Failure] = field(default_factory=list)
    first: BaseException | None = None

    def add(self, source: str, exc: Exception) -> None:
        """Record that ``source`` failed with ``exc``; ``log`` reports it later."""
        from accord.ingest.guard import display_name

        if isinstance(exc, AccordError):
            message = str(exc)
        else:
            message = f"internal error: {type(exc).__name__}: {exc}"
            logger.debug("%s failed", source, exc_info=exc)
        source, message = display_name(source), display_name(message)
        self.items.append(Failure(source=source, error=type(exc).__name__, message=message))
        self.first = self.first or exc
        logger.debug("%s failed: %s", source, message)

    def log(self) -> None:
        """Log one warning per failure (at the end of a run that checked the others)."""
        for failure in self.items:
            logger.warning("could not check %s: %s", failure.source, failure.message)

    def raise_first(self) -> None:
        """Re-raise the first failure's exception (every source failed)."""
        if self.first is not None:
            raise self.first


def expand_sources(sources: Sequence[str | Path], failures: Failures) -> list[Path]:
    """The document files of the given paths, in order and once each; a path that cannot
    be expanded is recorded in ``failures`` and skipped."""
    from accord.ingest import drop_project_files, expand_paths

    paths: list[Path] = []
    seen: set[Path] = set()
    for given in sources:
        try:
            found = expand_paths([given])
        except (AccordError, OSError) as exc:
            failures.add(str(given), exc)
            continue
        for path in found:
            if path not in seen:
                seen.add(path)
                paths.append(path)
    return drop_project_files(paths)


def read_each(
    sources: Sequence[str | Path], settings: Settings, failures: Failures
) -> list[tuple[Document, float]]:
    """Read every source into a document, each under the per-document time limit.

    Args:
        sources: paths (files or directories), or texts with ``settings.sources_are_text``.
        settings: the run's settings (limits, encoding).
        failures: where sources that fail are recorded.

    Returns:
        Each document read with the seconds its ingest took.

    Raises:
        TooManyDocumentsError: more sources than ``settings.max_documents``.
        AccordError: every source failed (the first one's error).
    """
    from accord.ingest import read_document, read_text
    from accord.ingest.guard import display_name

    if settings.sources_are_text:
        named: list[tuple[str, str | Path]] = [
            (f"<text {i + 1}>", text) for i, text in enumerate(sources)
        ]
    else:
        named = [(display_name(str(path)), path) for path in expand_sources(sources, failures)]
    if len(named) > settings.max_documents:
        raise TooManyDocumentsError(
            f"{len(named):,} documents given, over the limit of {settings.max_documents:,} "
            "per run; check fewer at a time or raise it with --max-documents"
        )
    out: list[tuple[Document, float]] = []
    for name, source in named:
        started = time.monotonic()
        try:
            with time_limit(settings.max_seconds_per_document, name):
                if settings.sources_are_text:
                    document = read_text(
                        str(source), name=name, max_html_depth=settings.max_html_depth
                    )
                else:
                    document = read_document(
                        source,
                        encoding=settings.encoding,
                        max_bytes=settings.max_bytes,
                        max_html_depth=settings.max_html_depth,
                    )
        except Exception as exc:
            failures.add(name, exc)
            continue
        out.append((document, time.monotonic() - started))
    if not out:
        failures.raise_first()
    return out


# Below this many documents a check extracts claims in this process: each worker process
# loads the English model first (about a second), which only pays off over many documents.
# On 2 cores, 32 one-page documents took as long either way; 64 went 1.3x as fast in two
# workers (the `parallel_claims` lines of benchmarks/run.py at those sizes).
PARALLEL_MIN_DOCUMENTS = 32
DOCUMENTS_PER_WORKER = 8  # at least this many documents for each worker started
DOCUMENTS_PER_BATCH = 2  # documents a worker takes at a time: keeps both workers busy


def extract_each(
    extractor: ClaimExtractor,
    read: Sequence[tuple[Document, float]],
    settings: Settings,
    failures: Failures,
) -> tuple[list[Document], list[Claim]]:
    """Extract the claims of each document under what is left of its time limit.

    Many documents are shared among worker processes (``Settings.workers``); the results,
    and the failures, are the same as in this process, in the same order.

    Args:
        extractor: the claim extractor.
        read: documents with the seconds their ingest took (from ``read_each``).
        settings: the run's settings.
        failures: where documents that fail are recorded.

    Returns:
        The documents whose claims were extracted, and all their claims in order.

    Raises:
        AccordError: every document failed (the first one's error).
    """
    workers = extraction_workers(len(read), settings.workers)
    if workers > 1:
        outcomes = _extract_in_workers(extractor, read, settings, workers)
    else:
        warm_up = getattr(extractor, "warm_up", None)
        if callable(warm_up):
            warm_up()  # loading models is the run's cost, not the first document's
        outcomes = [
            _extract_one(extractor, document, spent, settings.max_seconds_per_document)
            for document, spent in read
        ]
    documents: list[Document] = []
    claims: list[Claim] = []
    for (document, _), (found, error) in zip(read, outcomes, strict=True):
        if error is not None:
            failures.add(document.source, error)
            continue
        documents.append(document)
        claims.extend(found)
    if not documents:
        failures.raise_first()
    return documents, claims


def extraction_workers(documents: int, workers: int | None) -> int:
    """How many processes extract ``documents`` documents: ``workers`` when given, else one
    per CPU when there are enough documents to pay for starting them."""
    if workers is not None:
        return max(1, min(workers, documents))
    if documents < PARALLEL_MIN_DOCUMENTS:
        return 1
    return max(1, min(os.cpu_count() or 1, documents // DOCUMENTS_PER_WORKER))


def _extract_one(
    extractor: ClaimExtractor, document: Document, spent: float, limit: float | None
) -> tuple[list[Claim], Exception | None]:
    try:
        with time_limit(limit, document.source, spent_s=spent):
            return extractor.extract([document]), None
    except Exception as exc:
        return [], exc


class _ExtractStage:
    """Claim extraction as an executor stage. It is shipped to the workers before any model
    loads; each worker builds a fresh extractor of the same class and warms it up once."""

    def __init__(self, factory: type, entity_files: tuple[Path, ...], limit: float | None) -> None:
        self.factory = factory
        self.entity_files = entity_files
        self.limit = limit
        self._extractor: ClaimExtractor | None = None

    def warm_up(self) -> None:
        self._loaded()

    def _loaded(self) -> ClaimExtractor:
        if self._extractor is None:
            extractor: ClaimExtractor = self.factory(entity_files=self.entity_files)
            warm_up = getattr(extractor, "warm_up", None)
            if callable(warm_up):
                warm_up()
            self._extractor = extractor
        return self._extractor

    def run(
        self, batch: Sequence[tuple[Document, float]]
    ) -> list[tuple[list[Claim], Exception | None]]:
        extractor = self._loaded()
        out = []
        for document, spent in batch:
            found, error = _extract_one(extractor, document, spent, self.limit)
            out.append((found, _picklable(error)))
        return out


def _picklable(error: Exception | None) -> Exception | None:
    """``error``, or an ``AccordError`` with its text when it cannot travel between processes."""
    if error is None:
        return None
    try:
        pickle.dumps(error)
    except Exception:
        return AccordError(f"{type(error).__name__}: {error}")
    return error


def _extract_in_workers(
    extractor: ClaimExtractor,
    read: Sequence[tuple[Document, float]],
    settings: Settings,
    workers: int,
) -> list[tuple[list[Claim], Exception | None]]:
    from accord.scale.base import batched
    from accord.scale.local import LocalExecutor

    stage = _ExtractStage(
        factory=type(extractor),
        entity_files=tuple(settings.entity_files),
        limit=settings.max_seconds_per_document,
    )
    logger.info("extracting claims of %d documents in %d processes", len(read), workers)
    outcomes: list[tuple[list[Claim], Exception | None]] = []
    with LocalExecutor(workers) as executor:
        for results in executor.map(stage, batched(read, DOCUMENTS_PER_BATCH)):
            outcomes.extend(results)
    return outcomes
