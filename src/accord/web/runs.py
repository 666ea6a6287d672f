"""Runs of the web app: kept in memory (bounded), executed one at a time in a worker thread.

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
from collections import OrderedDict
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from accord.errors import AccordError
from accord.model import Report
from accord.web.uploads import Upload

if TYPE_CHECKING:
    from accord.pipeline import ProgressCallback

logger = logging.getLogger(__name__)

__all__ = [
    "STAGES",
    "Run",
    "RunBusyError",
    "Runs",
    "check_uploads_now",
    "iso_utc",
    "stored_name",
    "write_uploads",
]

MAX_RUNS = 50  # finished runs kept for viewing; the oldest finished one goes first
MAX_QUEUED = 8  # runs waiting for the worker; more is refused (the server is busy)
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
    subject's name the request gave, if any; ``split`` asks a store to file each document
    under its own subject instead of the upload under one. With a store, ``subjects`` holds
    the (key, name, documents in the store) of each subject the run's documents went to,
    the one the upload was filed under first, and ``store_runs`` the ids of the runs it
    logged in the store.
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


def check_uploads_now(
    uploads: list[Upload], on_progress: Any = None, subject: str | None = None
) -> Report:
    """Check ``uploads`` with the full pipeline and return the report, labelled by name.

    Args:
        uploads: documents that passed ``check_uploads``.
        on_progress: the pipeline's progress callback, if any.
        subject: the subject's name, if the request gave one.
    """
    from accord import pipeline

    with tempfile.TemporaryDirectory(prefix="accord-run-") as tmp:
        labels = write_uploads(uploads, Path(tmp))
        paths = [Path(path) for path in labels]
        settings = pipeline.Settings(subject=subject)
        report = pipeline.run(paths, settings, on_progress=on_progress)
    documents = tuple(replace(d, source=labels.get(d.source, d.source)) for d in report.documents)
    failures = tuple(replace(f, source=labels.get(f.source, f.source)) for f in report.run.failures)
    return replace(report, documents=documents, run=replace(report.run, failures=failures))


class Runs:
    """The app's runs: a bounded in-memory table and a one-thread executor.

    One worker: a check loads the English pipeline and uses the CPU fully, so running two
    at once only makes both slower.
    """

    def __init__(self, *, max_runs: int = MAX_RUNS, max_queued: int = MAX_QUEUED) -> None:
        self._runs: OrderedDict[str, Run] = OrderedDict()
        self._lock = threading.Lock()
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="accord-run")
        self.max_runs = max_runs
        self.max_queued = max_queued

    def get(self, run_id: str) -> Run | None:
        """Return the run with id ``run_id``, if it is still kept."""
        with self._lock:
            return self._runs.get(run_id)

    def recent(self) -> list[Run]:
        """Return the kept runs, newest first."""
        with self._lock:
            return list(reversed(self._runs.values()))

    def submit(
        self, uploads: list[Upload], *, subject: str | None = None, split: bool = False
    ) -> Run:
        """Queue a check of ``uploads``; return its run at once.

        Args:
            uploads: the documents, checked by ``check_uploads``.
            subject: the subject's name, if the request gave one.
            split: with a store, file each document under its own subject.

        Raises:
            RunBusyError: ``max_queued`` runs are already waiting.
        """
        run = Run(
            id=secrets.token_hex(8),
            names=tuple(upload.name for upload in uploads),
            created_s=time.time(),
            subject=subject,
            split=split,
        )
        with self._lock:
            waiting = sum(1 for r in self._runs.values() if r.status in ("queued", "running"))
            if waiting >= self.max_queued:
                raise RunBusyError(f"{waiting} checks are already waiting; try again shortly")
            self._runs[run.id] = run
            self._evict()
        self._executor.submit(self._execute, run, uploads)
        return run

    def check(
        self, uploads: list[Upload], *, subject: str | None = None, split: bool = False
    ) -> Run:
        """Run a check of ``uploads`` on the worker and wait for it to finish."""
        run = self.submit(uploads, subject=subject, split=split)
        future: Future[None] = self._executor.submit(lambda: None)
        future.result()  # the executor runs jobs in order: ours has finished
        return run

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

        with self._lock:
            run.status = "running"
            run.stage = STAGES[0]
        try:
            report = self._work(run, uploads, on_progress)
        except AccordError as exc:
            self._finish(run, error=str(exc))
        except Exception as exc:  # a bug: keep serving, show it on the run
            logger.exception("run %s failed", run.id)
            self._finish(run, error=f"internal error: {type(exc).__name__}: {exc}")
        else:
            self._finish(run, report=report)

    def _work(self, run: Run, uploads: list[Upload], on_progress: ProgressCallback) -> Report:
        """Check ``uploads`` for ``run`` (on the worker thread); return the report."""
        return check_uploads_now(uploads, on_progress, subject=run.subject)

    def _finish(self, run: Run, *, report: Report | None = None, error: str | None = None) -> None:
        with self._lock:
            run.report = report
            run.error = error
            run.status = "failed" if error is not None else "done"
            if report is not None:
                run.stages_done = list(STAGES)
            run.stage = ""
            run.finished_s = time.time()

    def close(self) -> None:
        """Stop taking runs and wait for the running one to finish."""
        self._executor.shutdown(wait=True, cancel_futures=True)
