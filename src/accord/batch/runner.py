"""``accord batch``: check a whole corpus, subject by subject, on a local pool or on Ray.

Two passes over a store (the user's ``--store DB``, else a temporary one):

1. **documents**: the inputs are streamed as passages, in batches, through the
   ``DocumentStage`` on the executor's workers (a passage over 16 KiB in a worker process of
   their own, killed at ``--max-seconds`` and limited to ``--max-memory``); each new document
   is stored with its claims in its own transaction as its outcome comes back (in input
   order). Documents already in the store are recognised and not extracted again.
2. **subjects**: for each subject the inputs touched, in key order, the document pairs not
   yet aligned go through the ``SubjectStage``; the verdicts of each document pair are
   stored in their own transaction, then the subject's report is rebuilt from the store
   (``accord.corpus.stored_report``) and its rows are written to the output files.

Memory is bounded: at most a window of batches is in flight, and no more than those
subjects' documents and claims are held. An interrupted batch keeps what the store
committed; running the same command again does only the missing work.
"""

from __future__ import annotations

import dataclasses
import logging
import tempfile
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from accord.batch.inputs import input_kinds, is_document_file, iter_inputs
from accord.batch.outputs import BatchOutputs, failure_rows, subject_rows, write_summary
from accord.batch.stages import (
    DocumentOutcome,
    DocumentStage,
    SubjectOutcome,
    SubjectStage,
    SubjectWork,
    close_workers,
)
from accord.errors import IngestError, SourceNotFoundError, TooManyDocumentsError
from accord.ingest.passages import Passage, to_failure
from accord.model import KIND_DECLARED, Claim, Document, Failure, Label
from accord.pipeline import Settings, make_stages
from accord.scale import Executor, batched, make_executor
from accord.store import Store, SubjectRow
from accord.version import __version__

logger = logging.getLogger(__name__)

__all__ = ["DEFAULT_BATCH_SIZE", "BatchOptions", "BatchResult", "run_batch"]

DEFAULT_BATCH_SIZE = 8  # documents per task: small enough to balance, big enough to amortise
BatchProgress = Callable[[str, int, int], None]
"""Called as ``on_progress(stage, done, total)``; stage is ``documents`` (total 0: unknown,
as for a compressed JSONL file or a dump, streamed without a count) or ``subjects``."""


@dataclass(frozen=True, slots=True, kw_only=True)
class BatchOptions:
    """How a batch runs and where its results go.

    Attributes:
        engine: ``local`` (a process pool) or ``ray``.
        workers: worker processes or Ray CPUs (``None``: the CPU count).
        address: a Ray cluster address (``None``: a local Ray).
        store: the SQLite store to add to and check (``None``: a temporary one).
        output: the directory for the result tables (``None``: none written).
        format: ``jsonl`` or ``parquet``.
        subject: file every document under this subject.
        batch_size: documents per task.
        kinds: ``(INPUT, kind)`` pairs (``--kind INPUT=KIND``): every document read from
            that INPUT which does not declare its own kind (in a sidecar or a JSONL field)
            gets this kind. Each INPUT must be one of the inputs given.
        all_verdicts: give NOT_MENTIONED verdicts rows in the ``verdicts`` table too.
    """

    engine: str = "local"
    workers: int | None = None
    address: str | None = None
    store: str | None = None
    output: Path | None = None
    format: str = "jsonl"
    subject: str | None = None
    batch_size: int = DEFAULT_BATCH_SIZE
    kinds: tuple[tuple[str, str], ...] = ()
    all_verdicts: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class BatchResult:
    """What a batch did. ``failures`` lists every document or subject that failed."""

    engine: str
    documents_read: int
    documents_added: int
    documents_stored_before: int
    subjects: int
    subjects_verified: int
    document_pairs_aligned: int
    verdicts_added: int
    contradictions: int
    failures: tuple[Failure, ...] = ()
    outputs: tuple[Path, ...] = ()
    seconds: float = 0.0
    stats: dict[str, Any] = field(default_factory=dict)


def _noop(stage: str, done: int, total: int) -> None:
    return None


def run_batch(
    inputs: Sequence[str | Path],
    settings: Settings | None = None,
    options: BatchOptions | None = None,
    *,
    on_progress: BatchProgress | None = None,
) -> BatchResult:
    """Check a corpus: ingest and extract every document, then verify subject by subject.

    Args:
        inputs: directories, JSONL passage files, MediaWiki XML dumps or document files.
        settings: stages and limits; ``max_documents`` applies per subject.
        options: engine, store, outputs (see :class:`BatchOptions`).
        on_progress: optional callback for progress events.

    Returns:
        What was done, with the failures.

    Raises:
        IngestError: no input gave a document (the first failure's message).
        ConfigError: a ``kinds`` entry names no input, or no kind.
        AccordError: the store, the outputs or the engine failed.
    """
    from accord.verify.judges import reach_judge

    options = options or BatchOptions()
    input_kinds(inputs, options.kinds)  # a bad --kind fails before any work
    settings = reach_judge(settings or Settings())
    return _Batch(settings, options, on_progress).run(inputs)


class _Batch:
    """One run of ``run_batch``: its store, executor, counters and outputs."""

    def __init__(
        self, settings: Settings, options: BatchOptions, on_progress: BatchProgress | None
    ) -> None:
        self.settings = settings
        self.options = options
        self.progress = on_progress or _noop
        self.failures: list[Failure] = []
        self.timings: dict[str, float] = {}
        self.counts = {
            "read": 0,
            "added": 0,
            "stored_before": 0,
            "subjects": 0,
            "subjects_verified": 0,
            "document_pairs_aligned": 0,
            "verdicts_added": 0,
            "contradictions": 0,
        }

    def run(self, inputs: Sequence[str | Path]) -> BatchResult:
        from accord.store import SQLiteStore, open_store

        started = time.perf_counter()
        options = self.options
        with ExitStack() as stack:
            if options.store is not None:
                store = open_store(options.store)
            else:
                scratch = stack.enter_context(tempfile.TemporaryDirectory(prefix="accord-batch-"))
                store = SQLiteStore(Path(scratch) / "batch.db")
            stack.callback(store.close)
            outputs = None
            if options.output is not None:
                outputs = stack.enter_context(BatchOutputs(options.output, options.format))
            executor = stack.enter_context(
                make_executor(options.engine, options.workers, options.address)
            )
            stack.callback(close_workers)  # the bounded workers of large passages read here
            run_id = store.start_run("batch", options.subject)
            phase = time.perf_counter()
            touched = self._documents(store, executor, run_id, inputs)
            close_workers()  # their memory is free for the subjects pass
            if self.counts["read"] == 0:
                self._raise_nothing_read(inputs)
            self.timings["documents"] = time.perf_counter() - phase
            logger.info(
                "documents: %d read (%d added) in %.1f s",
                self.counts["read"],
                self.counts["added"],
                self.timings["documents"],
            )
            phase = time.perf_counter()
            self._subjects(store, executor, run_id, touched, outputs)
            self.timings["subjects"] = time.perf_counter() - phase
            logger.info("subjects: %d in %.1f s", self.counts["subjects"], self.timings["subjects"])
            stats = {**self.counts, "failed": len(self.failures), "engine": executor.describe()}
            store.finish_run(run_id, stats)
            paths: list[Path] = []
            seconds = time.perf_counter() - started
            if outputs is not None and options.output is not None:
                outputs.write("failures", failure_rows(self.failures))
                paths = outputs.commit()
                summary = {
                    "accord": __version__,
                    "seconds": round(seconds, 3),
                    "seconds_by_pass": {k: round(v, 3) for k, v in self.timings.items()},
                    **stats,
                }
                paths.append(write_summary(options.output, summary))
            engine = executor.describe()
        logger.info("batch done in %.1f s: %s", seconds, stats)
        return BatchResult(
            engine=engine,
            documents_read=self.counts["read"],
            documents_added=self.counts["added"],
            documents_stored_before=self.counts["stored_before"],
            subjects=self.counts["subjects"],
            subjects_verified=self.counts["subjects_verified"],
            document_pairs_aligned=self.counts["document_pairs_aligned"],
            verdicts_added=self.counts["verdicts_added"],
            contradictions=self.counts["contradictions"],
            failures=tuple(sorted(self.failures, key=lambda f: (f.source, f.error))),
            outputs=tuple(paths),
            seconds=seconds,
            stats=stats,
        )

    # -- pass 1: documents -------------------------------------------------------------------

    def _passages(self, inputs: Sequence[str | Path]) -> Iterator[Passage]:
        """The inputs' passages, with the kinds ``--kind`` declares; what cannot be read is
        recorded as a failure.

        ``--kind`` naming one document file wins over its sidecar, as in ``accord check``;
        naming a container (a directory, a JSONL file, a dump), it gives the kind of the
        documents that declare none themselves, and a dump's site name gives way to it.
        """
        kinds = input_kinds(inputs, self.options.kinds)
        for given in inputs:
            kind = kinds.get(given)
            wins = kind is not None and is_document_file(Path(given))
            for item in iter_inputs([given], max_bytes=self.settings.max_bytes):
                if isinstance(item, Failure):
                    self.failures.append(item)
                elif kind is not None and (
                    wins or item.kind is None or item.kind_origin != KIND_DECLARED
                ):
                    yield dataclasses.replace(item, kind=kind, kind_origin=KIND_DECLARED)
                else:
                    yield item

    def _documents(
        self, store: Store, executor: Executor, run_id: int, inputs: Sequence[str | Path]
    ) -> set[str]:
        """Ingest and extract every input, storing each new document; return the subject
        keys of every document read."""
        extractor, _, _ = make_stages(self.settings)
        stage = DocumentStage(
            extractor=extractor,
            settings=self.settings,
            subject=self.options.subject,
            known=frozenset(store.document_ids()),
        )
        touched: set[str] = set()
        done = 0
        total = self._count(inputs)
        self.progress("documents", 0, total)
        batches = batched(self._passages(inputs), self.options.batch_size)
        for outcomes in executor.map(stage, batches):
            for outcome in outcomes:
                self._store_document(store, run_id, outcome, touched)
            done += len(outcomes)
            self.progress("documents", done, max(total, done) if total else 0)
        self.progress("documents", done, done)
        return touched

    def _count(self, inputs: Sequence[str | Path]) -> int:
        """The documents to read, for the progress bar's total (0: not cheap to know).
        Nothing is counted when no one watches the progress."""
        if self.progress is _noop:
            return 0
        from accord.batch.inputs import count_inputs

        return count_inputs(inputs) or 0

    def _store_document(
        self, store: Store, run_id: int, outcome: DocumentOutcome, touched: set[str]
    ) -> None:
        if outcome.failure is not None:
            self.failures.append(outcome.failure)
            return
        self.counts["read"] += 1
        touched.add(outcome.subject_key)
        if outcome.document is None:  # known: stored by an earlier run
            self.counts["stored_before"] += 1
            return
        new = store.add_document(
            outcome.document,
            subject_key=outcome.subject_key,
            subject_name=outcome.subject_name,
            claims=outcome.claims,
            extractor=self.settings.extractor,
            run_id=run_id,
        )
        self.counts["added" if new else "stored_before"] += 1

    def _raise_nothing_read(self, inputs: Sequence[str | Path]) -> None:
        if self.failures:
            first = self.failures[0]
            more = len(self.failures) - 1
            tail = f" (and {more:,} more failures)" if more else ""
            raise IngestError(f"nothing could be checked: {first.source}: {first.message}{tail}")
        given = ", ".join(str(i) for i in inputs)
        raise SourceNotFoundError(f"no documents found in {given}")

    # -- pass 2: subjects --------------------------------------------------------------------

    def _subjects(
        self,
        store: Store,
        executor: Executor,
        run_id: int,
        touched: set[str],
        outputs: BatchOutputs | None,
    ) -> None:
        """Verify each touched subject's new document pairs and write its rows, in key order."""
        from accord.corpus import stored_report

        rows = {row.key: row for row in store.subjects() if row.key in touched}
        keys = sorted(rows)
        self.counts["subjects"] = len(keys)
        order: deque[tuple[str, bool]] = deque()  # (key, sent to a worker) in key order
        loaded: dict[str, tuple[list[Document], list[Claim]]] = {}
        finished = 0

        def finish(key: str, outcome: SubjectOutcome | None) -> None:
            nonlocal finished
            documents, claims = loaded.pop(key, (None, None))
            if outcome is not None:
                self._save(store, run_id, outcome)
            finished += 1
            self.progress("subjects", finished, len(keys))
            if rows[key].documents > self.settings.max_documents:
                return  # failed: listed, and not loaded whole for a report either
            report = stored_report(
                store, self.settings, rows[key], documents=documents, claims=claims
            )
            self.counts["contradictions"] += sum(
                1 for v in report.verdicts if v.label is Label.CONTRADICTS
            )
            if outputs is not None:
                outputs.write_subject(
                    subject_rows(
                        key, rows[key].name, report, all_verdicts=self.options.all_verdicts
                    )
                )

        def work_batches() -> Iterator[list[SubjectWork]]:
            batch: list[SubjectWork] = []
            size = 0
            for key in keys:
                work = self._work(store, rows[key])
                order.append((key, work is not None))
                if work is None:
                    continue
                loaded[key] = (list(work.documents), list(work.claims))
                batch.append(work)
                size += len(work.documents)
                if size >= self.options.batch_size:
                    yield batch
                    batch, size = [], 0
            if batch:
                yield batch

        _, aligner, verifier = make_stages(self.settings)
        stage = SubjectStage(
            aligner=aligner, verifier=verifier, min_confidence=self.settings.min_confidence
        )
        for outcomes in executor.map(stage, work_batches()):
            for outcome in outcomes:
                while order[0] != (outcome.key, True):  # subjects with nothing new, before it
                    finish(order.popleft()[0], None)
                order.popleft()
                finish(outcome.key, outcome)
        while order:
            finish(order.popleft()[0], None)

    def _work(self, store: Store, row: SubjectRow) -> SubjectWork | None:
        """A subject's work, or ``None`` when every pair of its documents is aligned."""
        if row.documents > self.settings.max_documents:
            self.failures.append(
                to_failure(
                    f"subject {row.name!r}",
                    TooManyDocumentsError(
                        f"subject {row.name!r} has {row.documents:,} documents, over the limit "
                        f"of {self.settings.max_documents:,} per subject; raise it with "
                        "--max-documents"
                    ),
                )
            )
            return None
        documents = store.documents(row.key)
        ids = [doc.id for doc in documents]
        done = store.aligned(ids)
        todo = tuple((a, b) for i, a in enumerate(ids) for b in ids[i + 1 :] if (a, b) not in done)
        if not todo:
            return None
        return SubjectWork(
            key=row.key,
            name=row.name,
            documents=tuple(documents),
            claims=tuple(store.claims(ids)),
            todo=todo,
            verified=frozenset(store.verified_pairs(ids)),
        )

    def _save(self, store: Store, run_id: int, outcome: SubjectOutcome) -> None:
        if outcome.failure is not None:
            self.failures.append(outcome.failure)
            return
        for alignment in outcome.alignments:
            self.counts["verdicts_added"] += store.save_alignment(
                alignment.left, alignment.right, alignment.verdicts, run_id
            )
        self.counts["document_pairs_aligned"] += len(outcome.alignments)
        self.counts["subjects_verified"] += 1
