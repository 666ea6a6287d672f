"""Runs of the web app over a store: uploads are added to the corpus and checked incrementally.

One upload is one subject, as one check is: its documents are filed under the name the
request gives, else the name they share (``accord.subjects.subject_name``); a request that
asks to ``split`` files each under the subject it names, as ``accord add`` does. The worker
thread opens the store for each run and calls the library's corpus functions
(``add_sources``, then ``check_store`` for each subject the uploads went to), the same ones
``accord add`` and ``accord check --store`` use. Request handlers read through
:meth:`StoreRuns.reading`, a connection of their own for the request: SQLite connections
are not shared across threads.
"""

from __future__ import annotations

import logging
import tempfile
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from accord.model import Report
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
        open_store(location).close()  # create and migrate it now, not in the first request

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
