"""The PostgreSQL store (psycopg 3, the ``postgres`` extra): the SQLite store's schema and
behaviour in a database that several processes and machines write to at once.

Every write method is one transaction. Concurrent writers do not lock the store: rows are
keyed by content ids and inserted with ``ON CONFLICT DO NOTHING``, so two processes adding
the same document or verdict store it once, and each learns whether its own write was new.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, ClassVar
from urllib.parse import urlsplit, urlunsplit

from accord.errors import MissingExtraError, StoreError, StoreNotFoundError
from accord.model import Claim, Document, Pair, Verdict
from accord.store import codec
from accord.store.base import RunRow, SubjectRow, WebRunRow
from accord.store.dialect import split_statements, to_postgres
from accord.store.migrations import MIGRATIONS, SCHEMA_VERSION, check_version

try:
    import psycopg
except ImportError as exc:  # pragma: no cover - exercised without the extra installed
    raise MissingExtraError(
        'a postgresql:// store needs psycopg: pip install "accord[postgres]"'
    ) from exc

logger = logging.getLogger(__name__)

__all__ = ["PostgresStore", "redact_url"]

# Serialises migrations across processes (a transaction-scoped advisory lock, per database):
# two processes opening a fresh store must not both run migration 1.
_MIGRATION_LOCK = 0x61636372  # "accr"
# Seconds to wait for the server when connecting; an unreachable host fails in this time.
CONNECT_TIMEOUT_S = 30


def redact_url(url: str) -> str:
    """``url`` with its password (if any) replaced by ``***``, for messages and logs."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.netloc.rsplit("@", 1)[1]
    user = parts.username or ""
    return urlunsplit(parts._replace(netloc=f"{user}:***@{host}"))


class _Translating:
    """A connection for migration functions: takes SQLite's SQL, runs PostgreSQL's."""

    def __init__(self, conn: psycopg.Connection[Any]) -> None:
        self._conn = conn

    def execute(self, sql: str, parameters: Any = None, /) -> Any:
        return self._conn.execute(to_postgres(sql), parameters or None)

    def executemany(self, sql: str, parameters: Iterable[Any], /) -> Any:
        with self._conn.cursor() as cursor:
            cursor.executemany(to_postgres(sql), list(parameters))


class PostgresStore:
    """A corpus in one PostgreSQL database.

    Args:
        url: a libpq connection URL, ``postgresql://user@host:port/database``.
        create: create the store's tables in an empty database; otherwise a database
            without them is an error.

    Raises:
        StoreNotFoundError: ``create`` is false and the database holds no store.
        StoreError: the server cannot be reached, or the database is not usable.
    """

    name: ClassVar[str] = "accord.postgres.v1"

    def __init__(self, url: str, *, create: bool = True) -> None:
        self.location = redact_url(url)
        try:
            self._conn = psycopg.connect(url, autocommit=True, connect_timeout=CONNECT_TIMEOUT_S)
        except psycopg.Error as exc:
            raise StoreError(f"cannot open store {self.location}: {_message(exc)}") from exc
        try:
            self._migrate(create)
        except psycopg.Error as exc:
            self._conn.close()
            raise StoreError(f"cannot open store {self.location}: {_message(exc)}") from exc
        except BaseException:
            self._conn.close()
            raise

    # -- plumbing ---------------------------------------------------------------------------

    def close(self) -> None:
        """Close the connection."""
        self._conn.close()

    def __enter__(self) -> PostgresStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _version(self) -> int:
        row = self._conn.execute("SELECT to_regclass('accord_schema') IS NOT NULL").fetchone()
        if not row or not row[0]:
            return 0
        row = self._conn.execute("SELECT version FROM accord_schema").fetchone()
        return int(row[0]) if row else 0

    def _migrate(self, create: bool) -> None:
        """Bring the schema up to ``SCHEMA_VERSION``, one migration per transaction (as the
        SQLite store does, with the version kept in table ``accord_schema``)."""
        found = self._version()
        check_version(found, self.location)
        if found == 0 and not create:
            raise StoreNotFoundError(
                f"no store in {self.location}; create one with: "
                f"accord add FILE... --store {self.location}"
            )
        while found < SCHEMA_VERSION:
            with self._conn.transaction():
                self._conn.execute("SELECT pg_advisory_xact_lock(%s)", (_MIGRATION_LOCK,))
                self._conn.execute(
                    "CREATE TABLE IF NOT EXISTS accord_schema (version INTEGER NOT NULL)"
                )
                version = self._version()
                check_version(version, self.location)
                if version < SCHEMA_VERSION:
                    step = MIGRATIONS[version]
                    if callable(step):
                        step(_Translating(self._conn))
                    else:
                        for statement in split_statements(step):
                            self._conn.execute(to_postgres(statement))
                    self._conn.execute("DELETE FROM accord_schema")
                    self._conn.execute(
                        "INSERT INTO accord_schema (version) VALUES (%s)", (version + 1,)
                    )
                    logger.info(
                        "migrated store %s to schema version %d", self.location, version + 1
                    )
            found = self._version()

    @contextmanager
    def _write(self) -> Iterator[psycopg.Connection[Any]]:
        """One write transaction (READ COMMITTED: conflicts are settled row by row)."""
        try:
            # pipeline mode: the statements go out together, not one round trip each
            with self._conn.pipeline(), self._conn.transaction():
                yield self._conn
        except psycopg.Error as exc:
            raise StoreError(f"cannot write to store {self.location}: {_message(exc)}") from exc

    def _rows(self, sql: str, *params: Any) -> list[tuple[Any, ...]]:
        try:
            rows: list[tuple[Any, ...]] = self._conn.execute(sql, params).fetchall()
        except psycopg.Error as exc:
            raise StoreError(f"cannot read store {self.location}: {_message(exc)}") from exc
        return rows

    # -- documents --------------------------------------------------------------------------

    def has_document(self, doc_id: str) -> bool:
        """Whether a document with this id is stored."""
        return bool(self._rows("SELECT 1 FROM documents WHERE id = %s", doc_id))

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
            ``True`` when stored, ``False`` when it was there already (nothing changes),
            also when another process stored it first while this one was writing.
        """
        if self.has_document(document.id):
            return False
        try:
            self._add_document(document, subject_key, subject_name, claims, extractor, run_id)
        except _AlreadyStored:
            return False
        return True

    def _add_document(
        self,
        document: Document,
        subject_key: str,
        subject_name: str,
        claims: Sequence[Claim],
        extractor: str,
        run_id: int | None,
    ) -> None:
        with self._write() as conn:
            conn.execute(
                "INSERT INTO subjects (key, name) VALUES (%s, %s) ON CONFLICT DO NOTHING",
                (subject_key, subject_name),
            )
            # A concurrent writer of the same document holds its id until it commits; this
            # insert waits for it and then does nothing.
            inserted = conn.execute(
                "INSERT INTO documents (id, subject, source, title, kind, format, encoding, text,"
                " data, extractor, run_id, kind_origin, source_id, url, published)"
                " VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s)"
                " ON CONFLICT (id) DO NOTHING RETURNING seq",
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
            ).fetchone()
            if inserted is None:
                # Stored by another process meanwhile: undo the subject this one may have
                # added, as the SQLite store never adds it for a known document.
                raise _AlreadyStored
            with conn.cursor() as cursor:
                cursor.executemany(
                    "INSERT INTO removed (doc_id, ord, text, reason, at) VALUES (%s,%s,%s,%s,%s)",
                    [
                        (document.id, i, r.text, r.reason, r.at)
                        for i, r in enumerate(document.removed)
                    ],
                )
                cursor.executemany(
                    "INSERT INTO claims (id, doc_id, ord, data) VALUES (%s,%s,%s,%s)"
                    " ON CONFLICT DO NOTHING",
                    [
                        (c.id, c.doc_id, i, codec.dumps(codec.claim_to_dict(c)))
                        for i, c in enumerate(claims)
                    ],
                )

    def subjects(self) -> list[SubjectRow]:
        """Every subject with its document count, by key."""
        rows = self._rows(
            "SELECT s.key, s.name, COUNT(d.id) FROM subjects s"
            " LEFT JOIN documents d ON d.subject = s.key GROUP BY s.key, s.name"
            ' ORDER BY s.key COLLATE "C"'  # byte order, as SQLite sorts
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
        rows = self._rows("SELECT subject FROM documents WHERE id = %s", doc_id)
        if not rows:
            return None
        return next((row for row in self.subjects() if row.key == rows[0][0]), None)

    def documents(self, subject_key: str | None = None) -> list[Document]:
        """Stored documents (of one subject when given), in the order they were added."""
        where, params = ("", ()) if subject_key is None else (" WHERE subject = %s", (subject_key,))
        rows = self._rows(f"SELECT id, text, data FROM documents{where} ORDER BY seq", *params)
        removed: dict[str, list[Any]] = {}
        for doc_id, text, reason, at in self._rows(
            "SELECT r.doc_id, r.text, r.reason, r.at FROM removed r"
            f" JOIN documents d ON d.id = r.doc_id{where.replace('subject', 'd.subject')}"
            " ORDER BY r.doc_id, r.ord",
            *params,
        ):
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
            "SELECT doc_id, ord, data FROM claims WHERE doc_id = ANY(%s)", list(doc_ids)
        )
        rows.sort(key=lambda row: (order[row[0]], row[1]))
        return [codec.claim_from_dict(codec.loads(data)) for _, _, data in rows]

    # -- pairs and verdicts -----------------------------------------------------------------

    def aligned(self, doc_ids: Sequence[str]) -> set[tuple[str, str]]:
        """The (left, right) document pairs among ``doc_ids`` already aligned and verified."""
        ids = list(doc_ids)
        rows = self._rows(
            "SELECT left_doc, right_doc FROM aligned"
            " WHERE left_doc = ANY(%s) AND right_doc = ANY(%s)",
            ids,
            ids,
        )
        return {(left, right) for left, right in rows}

    def verified_pairs(self, doc_ids: Sequence[str]) -> set[tuple[str, str]]:
        """The (left, right) claim-id pairs with a verdict, among these documents' claims."""
        ids = list(doc_ids)
        rows = self._rows(
            "SELECT v.left_id, v.right_id FROM verdicts v JOIN pairs p"
            " ON p.left_id = v.left_id AND p.right_id = v.right_id"
            " WHERE p.left_doc = ANY(%s) AND p.right_doc = ANY(%s)",
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
            How many verdicts were new (those on pairs already stored, by this process or
            another, are ignored).
        """
        # Pairs are inserted in key order, so two writers of overlapping pairs wait for
        # each other in the same order and never deadlock.
        by_key = {(v.pair.left.id, v.pair.right.id): v for v in reversed(verdicts)}
        with self._write() as conn:
            new: set[tuple[str, str]] = set()
            if by_key:
                with conn.cursor() as cursor:
                    cursor.executemany(
                        "INSERT INTO pairs (left_id, right_id, left_doc, right_doc, score,"
                        " retriever, run_id) VALUES (%s,%s,%s,%s,%s,%s,%s)"
                        " ON CONFLICT DO NOTHING RETURNING left_id, right_id",
                        [
                            (*key, p.left.doc_id, p.right.doc_id, p.score, p.retriever, run_id)
                            for key, p in ((key, by_key[key].pair) for key in sorted(by_key))
                        ],
                        returning=True,
                    )
                    new = _returned(cursor)
            rows = []
            for verdict in verdicts:  # in the order given, which ``verdicts()`` gives back
                key = (verdict.pair.left.id, verdict.pair.right.id)
                if key not in new:
                    continue
                new.discard(key)  # the first verdict given on a pair is the one stored
                rows.append(
                    (
                        *key,
                        verdict.label.value,
                        verdict.confidence,
                        verdict.method,
                        verdict.reason,
                        verdict.field,
                        codec.dumps(codec.record_to_dict(verdict, leave_out=("pair",))),
                        run_id,
                        int(verdict.possible_conflict),
                    )
                )
            with conn.cursor() as cursor:
                cursor.executemany(
                    "INSERT INTO verdicts (left_id, right_id, label, confidence, method, reason,"
                    " field, data, run_id, possible_conflict)"
                    " VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s,%s)",
                    rows,
                )
            conn.execute(
                "INSERT INTO aligned (left_doc, right_doc, run_id) VALUES (%s,%s,%s)"
                " ON CONFLICT DO NOTHING",
                (left_doc, right_doc, run_id),
            )
        return len(rows)

    def verdicts(self, doc_ids: Sequence[str]) -> list[Verdict]:
        """Verdicts whose two claims are both in these documents, with their claims."""
        claims = {claim.id: claim for claim in self.claims(doc_ids)}
        ids = list(doc_ids)
        rows = self._rows(
            "SELECT p.left_id, p.right_id, p.score, p.retriever, v.data"
            " FROM verdicts v JOIN pairs p"
            " ON p.left_id = v.left_id AND p.right_id = v.right_id"
            " WHERE p.left_doc = ANY(%s) AND p.right_doc = ANY(%s) ORDER BY v.rowid",
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
            row = conn.execute(
                "INSERT INTO runs (command, subject, started_at) VALUES (%s, %s, %s) RETURNING id",
                (command, subject, time.time()),
            ).fetchone()
        return int(row[0]) if row else 0

    def finish_run(self, run_id: int, stats: dict[str, Any]) -> None:
        """Log the end of a run with what it did."""
        with self._write() as conn:
            conn.execute(
                "UPDATE runs SET finished_at = %s, stats = %s WHERE id = %s",
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
                " VALUES (%s,%s,%s,%s,%s,%s)"
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
            "SELECT id, status, created_at, updated_at, state, report FROM web_runs WHERE id = %s",
            run_id,
        )
        return _web_run(rows[0]) if rows else None

    def web_runs(self, limit: int) -> list[WebRunRow]:
        """The ``limit`` newest web runs, newest first, without their reports."""
        rows = self._rows(
            "SELECT id, status, created_at, updated_at, state, NULL FROM web_runs"
            " ORDER BY created_at DESC, id LIMIT %s",
            limit,
        )
        return [_web_run(row) for row in rows]


class _AlreadyStored(Exception):
    """Rolls back a document's transaction when another process stored it first."""


def _returned(cursor: psycopg.Cursor[Any]) -> set[tuple[str, str]]:
    """The (left, right) keys an ``executemany(..., returning=True)`` inserted."""
    keys: set[tuple[str, str]] = set()
    while True:
        row = cursor.fetchone()
        if row is not None:
            keys.add((row[0], row[1]))
        if not cursor.nextset():
            return keys


def _message(exc: BaseException) -> str:
    """The first line of a driver error, without the server's multi-line detail."""
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


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
