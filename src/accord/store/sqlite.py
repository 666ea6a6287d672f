"""The SQLite store (standard library ``sqlite3``): WAL, a busy timeout, one transaction per
unit of work, and the schema migrated in code (``accord.store.migrations``).

Crash safety comes from SQLite itself: every write method runs inside ``BEGIN IMMEDIATE`` ..
``COMMIT``, so a process killed mid-way leaves the last committed state, and the rows are
keyed by content ids, so a rerun inserts what is missing and nothing twice.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import stat
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, ClassVar, TypeVar

from accord.errors import StoreError, StoreNotFoundError
from accord.model import Claim, Document, Pair, Verdict
from accord.store import codec
from accord.store.base import RunRow, SubjectRow, WebRunRow
from accord.store.migrations import migrate

logger = logging.getLogger(__name__)

__all__ = ["SQLiteStore"]

# How long a writer waits for another process's transaction before giving up: adding a
# document holds the lock for milliseconds, so a minute only runs out when something hangs.
BUSY_TIMEOUT_MS = 60_000


T = TypeVar("T")

# How long opening a store waits for another process that holds its lock: switching a new
# file to WAL and migrating it can report "database is locked" at once, without the busy
# handler, while another process is doing the same.
OPEN_RETRY_S = 60.0


def _retry_locked(step: Callable[[], T]) -> T:
    """Run ``step``, again after a short pause while SQLite says the database is locked."""
    deadline = time.monotonic() + OPEN_RETRY_S
    pause = 0.02
    while True:
        try:
            return step()
        except sqlite3.OperationalError as exc:
            message = str(exc).lower()
            if "locked" not in message and "busy" not in message:
                raise
            if time.monotonic() > deadline:
                raise
            time.sleep(pause)
            pause = min(pause * 2, 0.5)


class SQLiteStore:
    """A corpus in one SQLite file.

    Args:
        path: the database file.
        create: create the file when missing; otherwise a missing file is an error.

    Raises:
        StoreNotFoundError: ``create`` is false and there is no file at ``path``.
        StoreError: the file is not a usable SQLite database.
    """

    name: ClassVar[str] = "accord.sqlite.v1"

    def __init__(self, path: str | Path, *, create: bool = True) -> None:
        self.path = str(path)
        _check_not_special(self.path)
        if not create and self.path != ":memory:" and not Path(self.path).is_file():
            raise StoreNotFoundError(
                f"no store at {self.path}; create one with: accord add FILE... --store {self.path}"
            )
        try:
            self._conn = sqlite3.connect(self.path, isolation_level=None, timeout=60.0)
            self._conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            _retry_locked(lambda: self._conn.execute("PRAGMA journal_mode = WAL"))
            # NORMAL is safe against a killed process in WAL mode; only a power cut can lose
            # the last commits, and the store is rebuilt from its sources anyway.
            self._conn.execute("PRAGMA synchronous = NORMAL")
            self._conn.execute("PRAGMA foreign_keys = ON")
            _retry_locked(lambda: migrate(self._conn, self.path))
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"cannot open store {self.path}: {exc}") from exc

    # -- plumbing ---------------------------------------------------------------------------

    def close(self) -> None:
        """Close the connection."""
        self._conn.close()

    def __enter__(self) -> SQLiteStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction; taken up front so concurrent writers queue, not deadlock."""
        try:
            self._conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise StoreError(f"store {self.path} is busy: {exc}") from exc
        try:
            yield self._conn
        except BaseException:
            self._conn.execute("ROLLBACK")
            raise
        self._conn.execute("COMMIT")

    def _rows(self, sql: str, *params: Any) -> list[tuple[Any, ...]]:
        return self._conn.execute(sql, params).fetchall()

    # -- documents --------------------------------------------------------------------------

    def has_document(self, doc_id: str) -> bool:
        """Whether a document with this id is stored."""
        return bool(self._rows("SELECT 1 FROM documents WHERE id = ?", doc_id))

    def document_ids(self) -> set[str]:
        """The ids of every stored document (to skip work already done, without the texts)."""
        return {doc_id for (doc_id,) in self._rows("SELECT id FROM documents")}

    def add_document(
        self,
        document: Document,
        *,
        subject_key: str,
        subject_name: str,
        claims: Sequence[Claim],
        extractor: str,
        run_id: int | None = None,
    ) -> bool:
        """Store a document, its subject and its claims in one transaction.

        Returns:
            ``True`` when stored, ``False`` when it was there already (nothing changes).
        """
        with self._write() as conn:
            if conn.execute("SELECT 1 FROM documents WHERE id = ?", (document.id,)).fetchone():
                return False
            conn.execute(
                "INSERT OR IGNORE INTO subjects (key, name) VALUES (?, ?)",
                (subject_key, subject_name),
            )
            conn.execute(
                "INSERT INTO documents (id, subject, source, title, kind, format, encoding, text,"
                " data, extractor, run_id, kind_origin, source_id, url, published)"
                " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (
                    document.id,
                    subject_key,
                    document.source,
                    document.title,
                    document.kind.value,
                    document.format,
                    document.encoding,
                    document.text,
                    codec.dumps(codec.record_to_dict(document, leave_out=("text", "removed"))),
                    extractor,
                    run_id,
                    document.kind_origin,
                    document.source_id,
                    document.url,
                    document.published,
                ),
            )
            conn.executemany(
                "INSERT INTO removed (doc_id, ord, text, reason, at) VALUES (?,?,?,?,?)",
                [(document.id, i, r.text, r.reason, r.at) for i, r in enumerate(document.removed)],
            )
            conn.executemany(
                "INSERT OR IGNORE INTO claims (id, doc_id, ord, data) VALUES (?,?,?,?)",
                [
                    (c.id, c.doc_id, i, codec.dumps(codec.claim_to_dict(c)))
                    for i, c in enumerate(claims)
                ],
            )
        return True

    def subjects(self) -> list[SubjectRow]:
        """Every subject with its document count, by key."""
        rows = self._rows(
            "SELECT s.key, s.name, COUNT(d.id) FROM subjects s"
            " LEFT JOIN documents d ON d.subject = s.key GROUP BY s.key ORDER BY s.key"
        )
        return [SubjectRow(key=k, name=n, documents=int(c)) for k, n, c in rows]

    def find_subject(self, name: str) -> SubjectRow | None:
        """The subject whose key or display name is ``name`` (exactly, or case-folded), else
        the one ``name`` is an alias of (the same ``accord.subjects.subject_key``)."""
        from accord.subjects import subject_key

        wanted = name.strip().casefold()
        rows = self.subjects()
        for row in rows:
            if wanted in (row.key.casefold(), row.name.casefold()):
                return row
        key = subject_key(name)
        return next((row for row in rows if row.key == key), None)

    def subject_of(self, doc_id: str) -> SubjectRow | None:
        """The subject a stored document is filed under, or ``None`` when it is not stored."""
        rows = self._rows("SELECT subject FROM documents WHERE id = ?", doc_id)
        if not rows:
            return None
        return next((row for row in self.subjects() if row.key == rows[0][0]), None)

    def documents(self, subject_key: str | None = None) -> list[Document]:
        """Stored documents (of one subject when given), in the order they were added."""
        sql = "SELECT id, text, data FROM documents"
        rows = (
            self._rows(sql + " ORDER BY seq")
            if subject_key is None
            else self._rows(sql + " WHERE subject = ? ORDER BY seq", subject_key)
        )
        removed: dict[str, list[Any]] = {}
        # Only the removed spans of the documents asked for: reading every document's for one
        # subject made a corpus of many subjects quadratic to walk subject by subject.
        removed_sql = "SELECT r.doc_id, r.text, r.reason, r.at FROM removed r"
        removed_rows = (
            self._rows(removed_sql + " ORDER BY r.doc_id, r.ord")
            if subject_key is None
            else self._rows(
                removed_sql + " JOIN documents d ON d.id = r.doc_id WHERE d.subject = ?"
                " ORDER BY r.doc_id, r.ord",
                subject_key,
            )
        )
        for doc_id, text, reason, at in removed_rows:
            removed.setdefault(doc_id, []).append({"text": text, "reason": reason, "at": at})
        return [
            codec.record_from_dict(
                codec.loads(data),
                Document,
                text=text,
                removed=tuple(codec.removed_from_dict(r) for r in removed.get(doc_id, [])),
            )
            for doc_id, text, data in rows
        ]

    def claims(self, doc_ids: Sequence[str]) -> list[Claim]:
        """The claims of these documents, in the given document order then text order."""
        order = {doc_id: i for i, doc_id in enumerate(doc_ids)}
        rows = self._rows(
            "SELECT doc_id, ord, data FROM claims WHERE doc_id IN (SELECT value FROM json_each(?))",
            codec.dumps(list(doc_ids)),
        )
        rows.sort(key=lambda row: (order[row[0]], row[1]))
        return [codec.claim_from_dict(codec.loads(data)) for _, _, data in rows]

    # -- pairs and verdicts -----------------------------------------------------------------

    def aligned(self, doc_ids: Sequence[str]) -> set[tuple[str, str]]:
        """The (left, right) document pairs among ``doc_ids`` already aligned and verified."""
        ids = codec.dumps(list(doc_ids))
        rows = self._rows(
            "SELECT left_doc, right_doc FROM aligned"
            " WHERE left_doc IN (SELECT value FROM json_each(?))"
            " AND right_doc IN (SELECT value FROM json_each(?))",
            ids,
            ids,
        )
        return {(left, right) for left, right in rows}

    def verified_pairs(self, doc_ids: Sequence[str]) -> set[tuple[str, str]]:
        """The (left, right) claim-id pairs with a verdict, among these documents' claims."""
        ids = codec.dumps(list(doc_ids))
        rows = self._rows(
            "SELECT v.left_id, v.right_id FROM verdicts v JOIN pairs p"
            " ON p.left_id = v.left_id AND p.right_id = v.right_id"
            " WHERE p.left_doc IN (SELECT value FROM json_each(?))"
            " AND p.right_doc IN (SELECT value FROM json_each(?))",
            ids,
            ids,
        )
        return {(left, right) for left, right in rows}

    def save_alignment(
        self,
        left_doc: str,
        right_doc: str,
        verdicts: Sequence[Verdict],
        run_id: int | None = None,
    ) -> int:
        """Store verdicts with their pairs and mark the two documents aligned, atomically.

        Returns:
            How many verdicts were new (those on pairs already stored are ignored).
        """
        new = 0
        with self._write() as conn:
            for verdict in verdicts:
                pair = verdict.pair
                cursor = conn.execute(
                    "INSERT OR IGNORE INTO pairs (left_id, right_id, left_doc, right_doc, score,"
                    " retriever, run_id) VALUES (?,?,?,?,?,?,?)",
                    (
                        pair.left.id,
                        pair.right.id,
                        pair.left.doc_id,
                        pair.right.doc_id,
                        pair.score,
                        pair.retriever,
                        run_id,
                    ),
                )
                if cursor.rowcount == 0:
                    continue
                conn.execute(
                    "INSERT INTO verdicts (left_id, right_id, label, confidence, method, reason,"
                    " field, data, run_id, possible_conflict) VALUES (?,?,?,?,?,?,?,?,?,?)",
                    (
                        pair.left.id,
                        pair.right.id,
                        verdict.label.value,
                        verdict.confidence,
                        verdict.method,
                        verdict.reason,
                        verdict.field,
                        codec.dumps(codec.record_to_dict(verdict, leave_out=("pair",))),
                        run_id,
                        int(verdict.possible_conflict),
                    ),
                )
                new += 1
            conn.execute(
                "INSERT OR IGNORE INTO aligned (left_doc, right_doc, run_id) VALUES (?,?,?)",
                (left_doc, right_doc, run_id),
            )
        return new

    def verdicts(self, doc_ids: Sequence[str]) -> list[Verdict]:
        """Verdicts whose two claims are both in these documents, with their claims."""
        claims = {claim.id: claim for claim in self.claims(doc_ids)}
        ids = codec.dumps(list(doc_ids))
        rows = self._rows(
            "SELECT p.left_id, p.right_id, p.score, p.retriever, v.data"
            " FROM verdicts v JOIN pairs p"
            " ON p.left_id = v.left_id AND p.right_id = v.right_id"
            " WHERE p.left_doc IN (SELECT value FROM json_each(?))"
            " AND p.right_doc IN (SELECT value FROM json_each(?)) ORDER BY v.rowid",
            ids,
            ids,
        )
        out = []
        for left, right, score, retriever, data in rows:
            pair = Pair(left=claims[left], right=claims[right], score=score, retriever=retriever)
            out.append(codec.record_from_dict(codec.loads(data), Verdict, pair=pair))
        return out

    # -- runs -------------------------------------------------------------------------------

    def start_run(self, command: str, subject: str | None = None) -> int:
        """Log the start of a run; return its id."""
        with self._write() as conn:
            cursor = conn.execute(
                "INSERT INTO runs (command, subject, started_at) VALUES (?, ?, ?)",
                (command, subject, time.time()),
            )
            return int(cursor.lastrowid or 0)

    def finish_run(self, run_id: int, stats: dict[str, Any]) -> None:
        """Log the end of a run with what it did."""
        with self._write() as conn:
            conn.execute(
                "UPDATE runs SET finished_at = ?, stats = ? WHERE id = ?",
                (time.time(), codec.dumps(stats), run_id),
            )

    def runs(self) -> list[RunRow]:
        """Every logged run, oldest first."""
        return [
            RunRow(
                id=run_id,
                command=command,
                subject=subject,
                started_at=started,
                finished_at=finished,
                stats=codec.loads(stats),
            )
            for run_id, command, subject, started, finished, stats in self._rows(
                "SELECT id, command, subject, started_at, finished_at, stats FROM runs ORDER BY id"
            )
        ]

    # -- the web app's runs -----------------------------------------------------------------

    def save_web_run(self, row: WebRunRow) -> None:
        """Store a web run's latest state (and report), replacing what its id held."""
        report = None if row.report is None else codec.dumps(row.report)
        with self._write() as conn:
            conn.execute(
                "INSERT INTO web_runs (id, status, created_at, updated_at, state, report)"
                " VALUES (?,?,?,?,?,?)"
                " ON CONFLICT (id) DO UPDATE SET status = excluded.status,"
                " updated_at = excluded.updated_at, state = excluded.state,"
                " report = excluded.report",
                (
                    row.id,
                    row.status,
                    row.created_at,
                    row.updated_at,
                    codec.dumps(row.state),
                    report,
                ),
            )

    def web_run(self, run_id: str) -> WebRunRow | None:
        """The web run with this id, with its report, or ``None``."""
        rows = self._rows(
            "SELECT id, status, created_at, updated_at, state, report FROM web_runs WHERE id = ?",
            run_id,
        )
        return _web_run(rows[0]) if rows else None

    def web_runs(self, limit: int) -> list[WebRunRow]:
        """The ``limit`` newest web runs, newest first, without their reports."""
        rows = self._rows(
            "SELECT id, status, created_at, updated_at, state, NULL FROM web_runs"
            " ORDER BY created_at DESC, id LIMIT ?",
            limit,
        )
        return [_web_run(row) for row in rows]


def _check_not_special(path: str) -> None:
    """Refuse a store path that is a pipe, socket or device (SQLite would fail on it with
    "disk I/O error"), or a directory.

    Raises:
        StoreError: it is one of these.
    """
    from accord.ingest.files import special_kind

    try:
        mode = os.stat(path).st_mode
    except (OSError, ValueError):  # missing (created), or a name the OS refuses (SQLite says)
        return
    kind = "a directory" if stat.S_ISDIR(mode) else special_kind(mode)
    if kind is not None:
        raise StoreError(
            f"store {path} is {kind}, not a SQLite file; give a file path (created if "
            "missing) or a postgresql:// URL"
        )


def _web_run(row: tuple[Any, ...]) -> WebRunRow:
    run_id, status, created, updated, state, report = row
    return WebRunRow(
        id=run_id,
        status=status,
        created_at=created,
        updated_at=updated,
        state=codec.loads(state),
        report=None if report is None else codec.loads(report),
    )
