"""Runs of the web app over a store: uploads are added to the corpus and checked incrementally.

One upload is one subject, as one check is: its documents are filed under the name the
request gives, else the name they share (``accord.subjects.subject_name``); a request that
asks to ``split`` files each under the subject it names, as ``accord add`` does. The worker
thread opens the store for each run and calls the library's corpus functions
(``add_sources``, then ``check_store`` for each subject the uploads went to), the same ones
``accord add`` and ``accord check --store`` use. Request handlers read through
:meth:`StoreRuns.reading`, a connection of their own for the request: SQLite connections
are not shared across threads.

Each run's state and report are written to the store's ``web_runs`` table as the run goes
on, and read back from there, so that with several server processes (``accord serve
--workers``) any of them answers for a run another one started.
"""

from __future__ import annotations

import logging
import os
import socket
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from accord.model import Report
from accord.store import codec
from accord.store.base import WebRunRow
from accord.web.limits import MAX_QUEUED
from accord.web.runs import MAX_RUNS, Run, Runs, upload_sources, write_uploads
from accord.web.uploads import Upload

if TYPE_CHECKING:
    from accord.pipeline import ProgressCallback, Settings
    from accord.store import Store

logger = logging.getLogger(__name__)

__all__ = ["StoreRuns"]

# What the corpus functions report, as the pipeline stages a run's progress shows.
_STAGES_OF = {"add": ("ingest", "claims"), "verify": ("align", "verify")}
SAVED_KEPT = 1000  # runs whose last write this process remembers, to keep writes in order
REPORTS_CACHED = 8  # finished reports a process keeps decoded (they never change)
_HOST = socket.gethostname()


class StoreRuns(Runs):
    """Runs that add their uploads to the store at ``location`` and check them there.

    Args:
        location: the store (a SQLite file path); created, with its schema, when missing.
        settings: the extractor, aligner, verifier and priors every run uses.
        max_runs: finished runs kept in memory for their progress pages.
        max_queued: background runs waiting for a free check before more are refused.
        checks: checks admitted at once (default: 1). Their store work runs one at a time
            whatever this is (a lock): two runs adding the same text at once must not race.

    Raises:
        StoreError: the store cannot be opened or migrated.
    """

    def __init__(
        self,
        location: str,
        settings: Settings | None = None,
        *,
        max_runs: int = MAX_RUNS,
        max_queued: int = MAX_QUEUED,
        checks: int | None = None,
    ) -> None:
        from accord.store import open_store

        super().__init__(
            max_runs=max_runs, max_queued=max_queued, checks=checks or 1, settings=settings
        )
        self.location = location
        self._writing = threading.Lock()
        self._saving = threading.Lock()  # a run's states reach the store in order
        self._changes = 0
        self._saved: dict[str, int] = {}
        self._reports: dict[str, Report] = {}
        open_store(location).close()  # create and migrate it now, not in the first request

    def _record(self, run: Run) -> None:
        """Write ``run``'s state now to the store, unless a later one was written already."""
        with self._lock:
            self._changes += 1
            change = self._changes
            row = _to_row(run)
        with self._saving:
            if self._saved.get(run.id, 0) > change:
                return
            self._saved[run.id] = change
            while len(self._saved) > SAVED_KEPT:  # the oldest runs' last writes are long done
                del self._saved[next(iter(self._saved))]
            with self.reading() as store:
                store.save_web_run(row)

    def get(self, run_id: str) -> Run | None:
        """The run with this id as the store holds it, whichever process started it."""
        with self.reading() as store:
            row = store.web_run(run_id)
        if row is None:
            return None
        run = _from_row(row)
        if row.report is not None:
            with self._lock:
                report = self._reports.get(run_id)
            if report is None:
                report = codec.record_from_dict(row.report, Report)
                with self._lock:
                    while len(self._reports) >= REPORTS_CACHED:
                        del self._reports[next(iter(self._reports))]
                    self._reports[run_id] = report
            run.report = report
        return run

    def recent(self) -> list[Run]:
        """The newest runs in the store (``MAX_RUNS``), newest first, without reports."""
        with self.reading() as store:
            rows = store.web_runs(self.max_runs)
        return [_from_row(row) for row in rows]

    @contextmanager
    def reading(self) -> Iterator[Store]:
        """A connection to the store for the calling thread, closed on exit."""
        from accord.store import open_store

        with closing(open_store(self.location, create=False)) as store:
            yield store

    def _work(self, run: Run, uploads: list[Upload], on_progress: ProgressCallback) -> Report:
        from accord.corpus import add_sources, check_store
        from accord.store import open_store

        def progress(stage: str, done: int, total: int) -> None:
            for name in _STAGES_OF.get(stage, (stage,)):
                on_progress(name, done, total)

        with (
            self._writing,
            closing(open_store(self.location)) as store,
            tempfile.TemporaryDirectory(prefix="accord-run-") as tmp,
        ):
            first_log = max((row.id for row in store.runs()), default=0)
            labels = write_uploads(uploads, Path(tmp))
            added = add_sources(
                store,
                upload_sources(uploads, labels),
                self.settings,
                subject=run.subject,
                together=not run.split,
                on_progress=progress,
                labels=labels,
            )
            # a document stored before stays under its subject; the upload's own comes first
            filed = Counter(doc.subject for doc in added.documents)
            rows = []
            for name, _ in filed.most_common():
                row = store.find_subject(name)
                if row is not None and row not in rows:
                    rows.append(row)
            reports = [
                check_store(store, self.settings, row, on_progress=progress).report for row in rows
            ]
            logged = [row.id for row in store.runs() if row.id > first_log]
            counts = {row.key: row.documents for row in store.subjects()}
        run.subjects = [(row.key, row.name, counts.get(row.key, row.documents)) for row in rows]
        run.store_runs = logged
        logger.info(
            "run %s: %d documents added, %d already stored, subjects %s",
            run.id,
            sum(1 for doc in added.documents if doc.new),
            sum(1 for doc in added.documents if not doc.new),
            ", ".join(row.name for row in rows),
        )
        # One report per run: the subject the upload was filed under (all are listed).
        report = reports[0]
        failures = tuple(replace(f, source=labels.get(f.source, f.source)) for f in added.failures)
        return replace(report, run=replace(report.run, failures=failures))


def _to_row(run: Run) -> WebRunRow:
    """``run`` as the store keeps it; its process is noted, to tell a run whose process died."""
    state = {
        "names": list(run.names),
        "stage": run.stage,
        "stages_done": list(run.stages_done),
        "error": run.error,
        "finished_s": run.finished_s,
        "subject": run.subject,
        "split": run.split,
        "subjects": [list(entry) for entry in run.subjects],
        "store_runs": list(run.store_runs),
        "process": {"host": _HOST, "pid": os.getpid()},
    }
    report = None if run.report is None else codec.record_to_dict(run.report)
    return WebRunRow(
        id=run.id,
        status=run.status,
        created_at=run.created_s,
        updated_at=time.time(),
        state=state,
        report=report,
    )


def _from_row(row: WebRunRow) -> Run:
    """The run a stored row describes (without its report). A run still queued or running
    whose server process on this machine is gone is shown as failed: nothing will finish it."""
    state = row.state
    run = Run(
        id=row.id,
        names=tuple(state.get("names", ())),
        created_s=row.created_at,
        status=row.status,
        stage=state.get("stage", ""),
        stages_done=list(state.get("stages_done", ())),
        error=state.get("error"),
        finished_s=state.get("finished_s"),
        subject=state.get("subject"),
        split=bool(state.get("split", False)),
        subjects=[(key, name, int(count)) for key, name, count in state.get("subjects", ())],
        store_runs=[int(run_id) for run_id in state.get("store_runs", ())],
    )
    process = state.get("process") or {}
    gone = process.get("host") == _HOST and not _is_alive(int(process.get("pid", 0)))
    if run.status in ("queued", "running") and gone:
        run.status, run.stage = "failed", ""
        run.error = "the server process that ran this check stopped before it finished"
    return run


def _is_alive(pid: int) -> bool:
    """Whether a process with this id runs on this machine."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # it exists, as another user's
        return True
    return True
