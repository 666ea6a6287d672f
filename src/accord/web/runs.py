"""Runs of the web app: kept in memory (bounded), a fixed number checked at once on worker
threads, a bounded queue of background runs behind them.

A run writes its uploads to a private temporary directory under generated names
(``01/<name reduced to [A-Za-z0-9_-]>.<ext>``, never the name a client gave), checks them
with ``pipeline.run`` and puts the display names back on the report's documents.
"""

from __future__ import annotations

import datetime
import logging
import re
import secrets
import tempfile
import threading
import time
from collections import OrderedDict, deque
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeoutError
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from accord.errors import AccordError
from accord.model import Report
from accord.web.limits import MAX_QUEUED, default_checks
from accord.web.uploads import Upload

if TYPE_CHECKING:
    from accord.pipeline import ProgressCallback, Settings
    from accord.sources import Source

logger = logging.getLogger(__name__)

__all__ = [
    "STAGES",
    "Run",
    "RunBusyError",
    "Runs",
    "Slot",
    "check_uploads_now",
    "iso_utc",
    "stored_name",
    "upload_sources",
    "write_uploads",
]

MAX_RUNS = 50  # finished runs kept for viewing; the oldest finished one goes first
STAGES = ("ingest", "claims", "align", "verify", "reconcile")
_SAFE_SUFFIX = re.compile(r"\.[A-Za-z0-9]{1,10}$")
_UNSAFE_STEM = re.compile(r"[^A-Za-z0-9_-]+")
MAX_STEM_CHARS = 60


class RunBusyError(AccordError):
    """Too many runs are waiting; the client should retry later."""


@dataclass(slots=True, kw_only=True)
class Run:
    """One check requested through the app, and how far it got.

    ``status`` is ``queued``, ``running``, ``done`` or ``failed``. ``subject`` is the
    subject's name the request gave, if any, and ``question`` the question the documents were
    gathered for (it weighs trust and marks the conflicts on it); ``split`` asks a store to
    file each document under its own subject instead of the upload under one. With a store,
    ``subjects`` holds the (key, name, documents in the store) of each subject the run's
    documents went to, the one the upload was filed under first, and ``store_runs`` the ids
    of the runs it logged in the store.
    """

    id: str
    names: tuple[str, ...]
    created_s: float
    status: str = "queued"
    stage: str = ""
    stages_done: list[str] = field(default_factory=list)
    error: str | None = None
    report: Report | None = None
    finished_s: float | None = None
    subject: str | None = None
    question: str | None = None
    split: bool = False
    subjects: list[tuple[str, str, int]] = field(default_factory=list)
    store_runs: list[int] = field(default_factory=list)

    def progress(self) -> dict[str, Any]:
        """Progress as JSON-able data: the stage now running and the share done (0-1)."""
        share = 1.0 if self.status == "done" else len(self.stages_done) / len(STAGES)
        return {"stage": self.stage, "stages_done": list(self.stages_done), "fraction": share}


def iso_utc(seconds: float | None) -> str | None:
    """A time in seconds since the epoch as ISO 8601 in UTC, to the millisecond
    (``2026-12-05T10:24:03.123Z``); ``None`` stays ``None``."""
    if seconds is None:
        return None
    moment = datetime.datetime.fromtimestamp(seconds, tz=datetime.UTC)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def stored_name(name: str) -> str:
    """A safe file name for an upload: ``<stem>.<ext>`` with only ASCII letters, digits,
    ``_`` and ``-`` kept from the given name.

    What survives still helps the source-kind guess, the title and the format tiebreak,
    while no name can reach outside its directory or hide a different extension.
    """
    suffix = _SAFE_SUFFIX.search(name)
    stem = name[: suffix.start()] if suffix else name
    stem = _UNSAFE_STEM.sub("_", stem).strip("_-")[:MAX_STEM_CHARS] or "document"
    return stem + (suffix.group(0).lower() if suffix else "")


def write_uploads(uploads: list[Upload], directory: Path) -> dict[str, str]:
    """Write each upload under ``directory`` as ``NN/<stored_name>``.

    Returns:
        The display name of each written file, keyed by its path, in upload order.
    """
    labels: dict[str, str] = {}
    for index, upload in enumerate(uploads, start=1):
        folder = directory / f"{index:02d}"  # one folder each: equal names cannot clash
        folder.mkdir()
        path = folder / stored_name(upload.name)
        path.write_bytes(upload.data)
        labels[str(path)] = upload.name
    return labels


def upload_sources(uploads: list[Upload], labels: dict[str, str]) -> list[Path | Source]:
    """The written uploads as the pipeline takes them: each file's path, or a ``Source`` of
    that path with what its client declared (kind, title, URL, published date).

    Args:
        uploads: the uploads, in the order ``write_uploads`` wrote them.
        labels: what ``write_uploads`` returned (display names keyed by path, in order).
    """
    out: list[Path | Source] = []
    for upload, path in zip(uploads, labels, strict=True):
        declared = upload.declared
        out.append(Path(path) if declared is None else replace(declared, path=Path(path)))
    return out


def check_uploads_now(
    uploads: list[Upload], on_progress: Any = None, settings: Settings | None = None
) -> Report:
    """Check ``uploads`` with the full pipeline and return the report, labelled by name.

    Args:
        uploads: documents that passed ``check_uploads``.
        on_progress: the pipeline's progress callback, if any.
        settings: the run's settings, as the command line builds them (the subject's name
            included); ``pipeline.Settings()`` by default.
    """
    from accord import pipeline

    with tempfile.TemporaryDirectory(prefix="accord-run-") as tmp:
        labels = write_uploads(uploads, Path(tmp))
        sources = upload_sources(uploads, labels)
        report = pipeline.run(sources, settings or pipeline.Settings(), on_progress=on_progress)
    documents = tuple(replace(d, source=labels.get(d.source, d.source)) for d in report.documents)
    failures = tuple(replace(f, source=labels.get(f.source, f.source)) for f in report.run.failures)
    return replace(report, documents=documents, run=replace(report.run, failures=failures))


class Slot:
    """A check slot held for a request that will check and wait (``POST /check``).

    The guard takes one before the request's body is read; ``Runs.check`` turns it into a
    running check. ``release`` gives back one that was not used (a refused upload); it does
    nothing once the slot has been used or released.
    """

    def __init__(self, runs: Runs) -> None:
        self._runs = runs
        self.held = True

    def release(self) -> None:
        """Give the slot back, if it is still held."""
        self._runs._give_back(self)


class Runs:
    """The app's runs: a bounded in-memory table, ``checks`` worker threads and a bounded
    queue of background runs.

    A check that waits for its answer (``POST /check``) needs a free slot (``reserve``);
    background runs (``POST /runs``, the upload form) wait in a queue of at most
    ``max_queued`` for one. Nothing waits without bound: past these limits a request is
    refused (``RunBusyError``, answered 503 with ``Retry-After``).

    Args:
        max_runs: finished runs kept for viewing.
        max_queued: background runs that may wait for a slot.
        checks: checks run at once (default: ``default_checks()``).
        settings: the settings every run uses, as ``accord serve`` built them from its
            options (``pipeline.Settings()`` by default); a request's subject is set on them.
    """

    def __init__(
        self,
        *,
        max_runs: int = MAX_RUNS,
        max_queued: int = MAX_QUEUED,
        checks: int | None = None,
        settings: Settings | None = None,
    ) -> None:
        self._runs: OrderedDict[str, Run] = OrderedDict()
        self._lock = threading.Lock()
        self.checks = checks or default_checks()
        self._executor = ThreadPoolExecutor(
            max_workers=self.checks, thread_name_prefix="accord-run"
        )
        self._queue: deque[tuple[Run, list[Upload]]] = deque()
        self._running = 0
        self._reserved = 0
        self._closed = False
        self.max_runs = max_runs
        self.max_queued = max_queued
        self._settings = settings

    @property
    def settings(self) -> Settings:
        """The settings every run starts from."""
        if self._settings is None:
            from accord.settings import Settings

            self._settings = Settings()
        return self._settings

    def settings_for(self, run: Run) -> Settings:
        """The settings of ``run``: the app's, with the subject and question its request named."""
        return replace(self.settings, subject=run.subject, question=run.question)

    def get(self, run_id: str) -> Run | None:
        """Return the run with id ``run_id``, if it is still kept."""
        with self._lock:
            return self._runs.get(run_id)

    def recent(self) -> list[Run]:
        """Return the kept runs, newest first."""
        with self._lock:
            return list(reversed(self._runs.values()))

    def load(self) -> tuple[int, int]:
        """Checks running or reserved, and background runs waiting, now."""
        with self._lock:
            return self._running + self._reserved, len(self._queue)

    def reserve(self) -> Slot | None:
        """Take a free check slot for a check that will wait for its answer, or ``None``
        when every slot is taken (the caller may retry a short while, then refuse)."""
        with self._lock:
            if self._closed or self._running + self._reserved >= self.checks:
                return None
            self._reserved += 1
            return Slot(self)

    def has_room(self) -> bool:
        """Whether a background run submitted now would be taken (a free slot or queue room)."""
        with self._lock:
            free = self._running + self._reserved < self.checks
            return not self._closed and (free or len(self._queue) < self.max_queued)

    def _new_run(
        self, uploads: list[Upload], subject: str | None, split: bool, question: str | None
    ) -> Run:
        return Run(
            id=secrets.token_hex(8),
            names=tuple(upload.name for upload in uploads),
            created_s=time.time(),
            subject=subject,
            question=question,
            split=split,
        )

    def submit(
        self,
        uploads: list[Upload],
        *,
        subject: str | None = None,
        split: bool = False,
        question: str | None = None,
    ) -> Run:
        """Start a check of ``uploads`` in the background, or queue it; return its run at once.

        Args:
            uploads: the documents, checked by ``check_uploads``.
            subject: the subject's name, if the request gave one.
            split: with a store, file each document under its own subject.
            question: the question the documents were gathered for, if the request gave one.

        Raises:
            RunBusyError: every slot is taken and ``max_queued`` runs already wait.
        """
        run = self._new_run(uploads, subject, split, question)
        with self._lock:
            if self._closed:
                raise RunBusyError("the server is shutting down; try again shortly")
            free = self._running + self._reserved < self.checks  # then nothing is queued
            if not free and len(self._queue) >= self.max_queued:
                raise RunBusyError(
                    f"{self._running} checks are running and {len(self._queue)} waiting, the "
                    "most this server takes; try again shortly"
                )
            self._runs[run.id] = run
            self._evict()
            self._queue.append((run, uploads))
            self._dispatch()
        self._record(run)
        return run

    def check(
        self,
        uploads: list[Upload],
        *,
        slot: Slot | None = None,
        subject: str | None = None,
        split: bool = False,
        question: str | None = None,
        timeout_s: float | None = None,
    ) -> Run:
        """Check ``uploads`` now, in ``slot``, and wait for the answer up to ``timeout_s``.

        A check still running after ``timeout_s`` goes on as a background run: the run
        returned is then ``running``, and can be followed like any other.

        Args:
            uploads: the documents, checked by ``check_uploads``.
            slot: the slot ``reserve`` gave (default: one is reserved now).
            subject: the subject's name, if the request gave one.
            split: with a store, file each document under its own subject.
            question: the question the documents were gathered for, if the request gave one.
            timeout_s: the longest to wait (``None``: until the check ends).

        Raises:
            RunBusyError: no slot was given and none is free.
        """
        slot = slot or self.reserve()
        run = self._new_run(uploads, subject, split, question)
        with self._lock:
            if slot is None or not slot.held or self._closed:
                raise RunBusyError(
                    f"all {self.checks} checks are taken; try again shortly, or start a "
                    "background run (POST /runs)"
                )
            slot.held = False
            self._reserved -= 1
            self._runs[run.id] = run
            self._evict()
            future = self._start(run, uploads)
        self._record(run)
        try:
            future.result(timeout=timeout_s)
        except FutureTimeoutError:
            logger.info("run %s goes on in the background after %s s", run.id, timeout_s)
        return run

    def _give_back(self, slot: Slot) -> None:
        with self._lock:
            if slot.held:
                slot.held = False
                self._reserved -= 1
                self._dispatch()

    def _start(self, run: Run, uploads: list[Upload]) -> Future[None]:
        """Start ``run`` on a worker (the lock is held and a slot is free)."""
        self._running += 1
        return self._executor.submit(self._execute, run, uploads)

    def _dispatch(self) -> None:
        """Start queued runs while slots are free (the lock is held)."""
        while self._queue and not self._closed and self._running + self._reserved < self.checks:
            self._start(*self._queue.popleft())

    def _evict(self) -> None:
        finished = [r.id for r in self._runs.values() if r.status in ("done", "failed")]
        while len(self._runs) > self.max_runs and finished:
            del self._runs[finished.pop(0)]

    def _execute(self, run: Run, uploads: list[Upload]) -> None:
        def on_progress(stage: str, done: int, total: int) -> None:
            with self._lock:
                run.stage = stage
                if stage not in run.stages_done:
                    run.stages_done.append(stage)
                    changed = True
                else:
                    changed = False
            if changed:
                self._record(run)

        with self._lock:
            run.status = "running"
            run.stage = STAGES[0]
        self._record(run)
        report: Report | None = None
        error: str | None = "the check stopped"
        try:
            report, error = self._work(run, uploads, on_progress), None
        except AccordError as exc:
            error = str(exc)
        except Exception as exc:  # a bug: keep serving, show it on the run
            logger.exception("run %s failed", run.id)
            error = f"internal error: {type(exc).__name__}: {exc}"
        finally:
            self._finish(run, report=report, error=error)

    def _work(self, run: Run, uploads: list[Upload], on_progress: ProgressCallback) -> Report:
        """Check ``uploads`` for ``run`` (on a worker thread); return the report."""
        return check_uploads_now(uploads, on_progress, settings=self.settings_for(run))

    def _finish(self, run: Run, *, report: Report | None, error: str | None) -> None:
        """Record how ``run`` ended, free its slot and start a queued run in it."""
        with self._lock:
            run.report = report
            run.error = error
            run.status = "failed" if error is not None else "done"
            if report is not None:
                run.stages_done = list(STAGES)
            run.stage = ""
            run.finished_s = time.time()
            self._running -= 1
            self._dispatch()
        self._record(run)

    def _record(self, run: Run) -> None:
        """Called after each change of ``run`` (outside the lock); runs kept in memory only
        need nothing, ``StoreRuns`` writes the run to its store."""

    def close(self) -> None:
        """Stop taking runs, drop the queued ones and wait for the running ones to finish."""
        with self._lock:
            self._closed = True
            dropped = [run for run, _ in self._queue]
            for run in dropped:
                run.status, run.error = "failed", "the server stopped before this run started"
            self._queue.clear()
        for run in dropped:
            self._record(run)
        self._executor.shutdown(wait=True, cancel_futures=True)
