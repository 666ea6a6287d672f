"""Ingest and claims one document at a time, so that one bad document fails alone.

A source that cannot be found, read, decoded or parsed, or whose ingest and claims take
longer than the per-document time limit or need more than its memory limit, becomes a
``Failure`` in the report while every other source is still checked. Only when every source
fails does the run fail, with the first source's error (so a single bad input is still a
one-line error). Documents run in worker processes that are killed at those limits
(``accord.scale.bounded``), except small ones in a run of one process (``runs_in_process``).
"""

from __future__ import annotations

import logging
import os
import stat
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from accord.errors import AccordError, TooManyDocumentsError
from accord.limits import time_limit
from accord.model import Claim, Document, Failure
from accord.sources import Source

if TYPE_CHECKING:
    from accord.claims.base import ClaimExtractor
    from accord.scale.bounded import BoundedPool
    from accord.settings import Settings

logger = logging.getLogger(__name__)

Advance = Callable[[int, int], None]
"""Called as ``advance(done, total)`` after each document (failed ones included)."""

__all__ = [
    "Failures",
    "extract_each",
    "extract_in_workers",
    "read_each",
    "runs_in_process",
    "warm_up_reader",
]


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


def expand_sources(
    sources: Sequence[str | Path | Source], failures: Failures, *, texts: bool = False
) -> list[Path | Source]:
    """The documents of the given sources, in order and each file once: a text ``Source``
    as it is (a plain string too when ``texts``), each file of a path. A file with a sidecar
    (``FILE.meta.json``), or given as a ``Source``, comes as a ``Source`` of that file with
    what they declare; sidecars are never documents. A path that cannot be expanded is
    recorded in ``failures`` and skipped.

    Raises:
        ConfigError: a bad sidecar, or a directory given as a ``Source`` with an id or title.
        SourceNotFoundError: only sidecars were given.
    """
    from accord.errors import ConfigError, SourceNotFoundError
    from accord.ingest import drop_project_files, expand_paths
    from accord.sources import is_sidecar

    found: list[tuple[Path, Source | None] | Source] = []
    seen: set[Path] = set()
    sidecars: list[str] = []
    for given in sources:
        if isinstance(given, Source) and given.text is not None:
            found.append(given)
            continue
        if texts and isinstance(given, str):
            found.append(Source(text=given))
            continue
        declared = given if isinstance(given, Source) else None
        # a Source without text has a path (Source checks it)
        target: str | Path = (given.path or "") if isinstance(given, Source) else given
        if is_sidecar(Path(target)) and not Path(target).is_dir():
            sidecars.append(str(target))
            continue
        try:
            paths = expand_paths([target])
        except (AccordError, OSError) as exc:
            failures.add(str(target), exc)
            continue
        if declared is not None and (declared.id or declared.title) and Path(target).is_dir():
            raise ConfigError(
                f"Source(path={str(target)!r}) is a directory: an id or title names one "
                "document; give each file its own Source"
            )
        for path in paths:
            if path not in seen:
                seen.add(path)
                found.append((path, declared))
    if sidecars and not found:
        raise SourceNotFoundError(
            f"{sidecars[0]} is a sidecar (metadata of the file it is named after), not a "
            "document; give the document itself"
        )
    kept = set(drop_project_files([item[0] for item in found if isinstance(item, tuple)]))
    return [
        _with_sidecar(*item) if isinstance(item, tuple) else item
        for item in found
        if not isinstance(item, tuple) or item[0] in kept
    ]


def _with_sidecar(path: Path, declared: Source | None) -> Path | Source:
    """``path`` with what its sidecar and ``declared`` say of it (``declared`` winning)."""
    from dataclasses import replace

    from accord.sources import merged, read_sidecar

    sidecar = read_sidecar(path)
    if declared is None:
        return path if sidecar is None else sidecar
    return merged(sidecar, replace(declared, path=path))


def read_each(
    sources: Sequence[str | Path | Source],
    settings: Settings,
    failures: Failures,
    advance: Advance | None = None,
    workers: BoundedPool | None = None,
) -> list[tuple[Document, float]]:
    """Read every source into a document, each under the per-document limits.

    Args:
        sources: paths (files or directories), ``Source``\\ s, or texts with
            ``settings.sources_are_text``. A text is named by its id, else ``<text N>``.
        settings: the run's settings (limits, encoding).
        failures: where sources that fail are recorded.
        advance: called after each source, read or failed, with the count so far.
        workers: the worker processes to read in (kept for ``extract_each``); ``None``:
            workers started for this call only, where they are needed.

    Returns:
        Each document read with the seconds its ingest took.

    Raises:
        TooManyDocumentsError: more sources than ``settings.max_documents``.
        ConfigError: a bad sidecar (before any document is read).
        AccordError: every source failed (the first one's error).
    """
    from accord.ingest.guard import display_name

    items = expand_sources(sources, failures, texts=settings.sources_are_text)
    named = [(_name(item, n), item) for n, item in enumerate(items, start=1)]
    if len(named) > settings.max_documents:
        raise TooManyDocumentsError(
            f"{len(named):,} documents given, over the limit of {settings.max_documents:,} "
            "per run; check fewer at a time or raise it with --max-documents"
        )
    if advance is not None:
        advance(0, len(named))
    if not runs_in_process([_size(source) for _, source in named], settings):
        return _read_in_workers(named, settings, failures, workers, advance)
    out: list[tuple[Document, float]] = []
    for done, (name, source) in enumerate(named, start=1):
        started = time.monotonic()
        try:
            with time_limit(settings.max_seconds_per_document, name):
                document = _read_one(name, source, settings)
        except Exception as exc:
            failures.add(display_name(name), exc)
        else:
            out.append((document, time.monotonic() - started))
        if advance is not None:
            advance(done, len(named))
    if not out:
        failures.raise_first()
    return out


def _name(item: Path | Source, number: int) -> str:
    """The name a document is recorded under: a file's path, a text's id or ``<text N>``."""
    from accord.ingest.guard import display_name

    if isinstance(item, Source):
        if item.text is not None:
            return display_name(item.id) if item.id else f"<text {number}>"
        return display_name(str(item.path))
    return display_name(str(item))


def _read_one(name: str, source: Path | Source, settings: Settings) -> Document:
    from accord.ingest import read_document, read_text
    from accord.sources import apply_source

    if isinstance(source, Source) and source.text is not None:
        document = read_text(source.text, name=name, max_html_depth=settings.max_html_depth)
    else:
        path = source if not isinstance(source, Source) else (source.path or "")
        document = read_document(
            path,
            encoding=settings.encoding,
            max_bytes=settings.max_bytes,
            max_html_depth=settings.max_html_depth,
        )
    return apply_source(document, source) if isinstance(source, Source) else document


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
    advance: Advance | None = None,
    workers: BoundedPool | None = None,
) -> tuple[list[Document], list[Claim]]:
    """Extract the claims of each document under what is left of its limits.

    Documents run in worker processes (several with ``Settings.workers``), except small
    ones in a run of one process (``runs_in_process``); the results, and the failures, are
    the same either way, in the same order.

    Args:
        extractor: the claim extractor.
        read: documents with the seconds their ingest took (from ``read_each``).
        settings: the run's settings.
        failures: where documents that fail are recorded.
        advance: called as documents are done (each one here; each batch in workers).
        workers: the worker processes to use; ``None``: started for this call only.

    Returns:
        The documents whose claims were extracted, and all their claims in order.

    Raises:
        AccordError: every document failed (the first one's error).
    """
    tell = advance or _silent
    if not runs_in_process([len(document.text) for document, _ in read], settings):
        outcomes = extract_in_workers(extractor, read, settings, workers, tell)
    else:
        warm_up = getattr(extractor, "warm_up", None)
        if callable(warm_up):
            warm_up()  # loading models is the run's cost, not the first document's
        outcomes = []
        for document, spent in read:
            outcomes.append(
                _extract_one(extractor, document, spent, settings.max_seconds_per_document)
            )
            tell(len(outcomes), len(read))
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


def _silent(done: int, total: int) -> None:
    return None


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


# A document this small runs in this process when a run has one process: a worker costs
# its start (about 0.4 s: a fresh interpreter imports accord) and nothing bounded is saved.
# The slowest inputs of this size found (nested MediaWiki tables, HTML attributes) take
# about 2 s; docs/performance.md has the figures.
IN_PROCESS_MAX_BYTES = 16 * 1024


def runs_in_process(sizes: Sequence[int], settings: Settings) -> bool:
    """Whether documents of these sizes (bytes or characters) run in this process rather
    than in worker processes: they are all small, the run has one process and no worker
    is needed for parallelism; or no limit is set; or workers cannot start here."""
    from accord.scale.bounded import is_supported

    if not is_supported():
        return True
    if extraction_workers(len(sizes), settings.workers) > 1:
        return False
    if not settings.max_seconds_per_document and not settings.max_memory_per_document:
        return True
    return all(size <= IN_PROCESS_MAX_BYTES for size in sizes)


def _size(source: Path | Source) -> int:
    """A source's size: a text's characters, a regular file's bytes; ``0`` for a path that
    cannot be read (its error is cheap to give), unbounded for a pipe or device."""
    if isinstance(source, Source) and source.text is not None:
        return len(source.text)
    path = source.path if isinstance(source, Source) else source
    try:
        status = os.stat(path or "")
    except (OSError, ValueError):
        return 0
    return status.st_size if stat.S_ISREG(status.st_mode) else IN_PROCESS_MAX_BYTES + 1


@contextmanager
def _pool(workers: BoundedPool | None, settings: Settings) -> Iterator[BoundedPool]:
    """``workers``, or a pool of workers of ``settings``'s memory limit for this block."""
    from accord.scale.bounded import BoundedPool

    if workers is not None:
        yield workers
        return
    with BoundedPool(settings.max_memory_per_document) as pool:
        yield pool


def _read_in_workers(
    named: Sequence[tuple[str, Path | Source]],
    settings: Settings,
    failures: Failures,
    workers: BoundedPool | None,
    advance: Advance | None,
) -> list[tuple[Document, float]]:
    """``read_each`` in worker processes: each source read under the per-document limits."""
    from accord.ingest.guard import display_name
    from accord.scale.bounded import Call

    limit = settings.max_seconds_per_document or None
    calls = [
        Call(_read_bounded, (name, source, settings), name, seconds_left=limit, limit_s=limit)
        for name, source in named
    ]
    count = extraction_workers(len(calls), settings.workers)
    warm_up = Call(warm_up_reader, (), "the readers")
    with _pool(workers, settings) as pool:
        outcomes = pool.run(calls, workers=count, warm_up=warm_up, advance=advance)
    out: list[tuple[Document, float]] = []
    for (name, _), outcome in zip(named, outcomes, strict=True):
        if outcome.error is not None:
            failures.add(display_name(name), outcome.error)
        else:
            out.append(outcome.value)
    if not out:
        failures.raise_first()
    return out


def warm_up_reader() -> None:
    """Import the readers in a worker and read a small page, before its first document:
    their first use costs about a second that no document should be charged for (the
    warm-up ``Call`` of a pool that reads documents)."""
    from accord.ingest import read_text

    read_text("<html><body><p>A page.</p></body></html>", name="warm-up.html")


def _read_bounded(name: str, source: Path | Source, settings: Settings) -> tuple[Document, float]:
    """Read one source in a worker: the document and the seconds its ingest took."""
    started = time.monotonic()
    with time_limit(settings.max_seconds_per_document, name):
        document = _read_one(name, source, settings)
    return document, time.monotonic() - started


# The extractors a worker process has loaded, by class and entity files: loading the English
# model takes seconds, so a worker keeps it for every document it is given.
_EXTRACTORS: dict[tuple[type, tuple[Path, ...]], ClaimExtractor] = {}


def _loaded_extractor(factory: type, entity_files: tuple[Path, ...]) -> ClaimExtractor:
    """A fresh extractor of class ``factory``, warmed up once per worker process."""
    key = (factory, entity_files)
    if key not in _EXTRACTORS:
        extractor: ClaimExtractor = factory(entity_files=entity_files)
        warm_up = getattr(extractor, "warm_up", None)
        if callable(warm_up):
            warm_up()
        _EXTRACTORS[key] = extractor
    return _EXTRACTORS[key]


def _warm_up_extractor(factory: type, entity_files: tuple[Path, ...]) -> None:
    """Load the extractor in a worker before its first document."""
    _loaded_extractor(factory, entity_files)


def _extract_bounded(
    factory: type,
    entity_files: tuple[Path, ...],
    document: Document,
    spent: float,
    limit: float | None,
) -> list[Claim]:
    """Extract one document's claims in a worker, raising what failed it."""
    found, error = _extract_one(_loaded_extractor(factory, entity_files), document, spent, limit)
    if error is not None:
        raise error
    return found


def extract_in_workers(
    extractor: ClaimExtractor,
    read: Sequence[tuple[Document, float]],
    settings: Settings,
    workers: BoundedPool | None,
    advance: Advance | None = None,
) -> list[tuple[list[Claim], Exception | None]]:
    """``extract_each`` in worker processes. Each builds a fresh extractor of the same class
    and loads it once, before its first document and outside any document's time limit.

    Args:
        extractor: the claim extractor (its class is built in each worker, with
            ``settings.entity_files``).
        read: documents with the seconds their ingest took.
        settings: the run's settings (limits, ``workers``).
        workers: the worker processes to use; ``None``: started for this call only.
        advance: called as documents are done.

    Returns:
        Each document's claims, or the error that failed it, in order.
    """
    from accord.scale.bounded import Call

    count = extraction_workers(len(read), settings.workers)
    limit = settings.max_seconds_per_document or None
    factory, files = type(extractor), tuple(settings.entity_files)
    calls = [
        Call(
            _extract_bounded,
            (factory, files, document, spent, limit),
            document.source,
            seconds_left=None if limit is None else max(0.0, limit - spent),
            limit_s=limit,
        )
        for document, spent in read
    ]
    warm_up = Call(_warm_up_extractor, (factory, files), "the claim extractor")
    if count > 1:
        logger.info("extracting claims of %d documents in %d processes", len(read), count)
    with _pool(workers, settings) as pool:
        outcomes = pool.run(calls, workers=count, warm_up=warm_up, advance=advance)
    return [(outcome.value or [], outcome.error) for outcome in outcomes]
