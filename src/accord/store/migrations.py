"""The store's schema as ordered migrations, in SQLite's dialect (``accord.store.dialect``
translates them for PostgreSQL); ``PRAGMA user_version`` holds how many ran.

Each migration runs in its own transaction with the version bump, so a crash leaves the
schema at one version or the next, never between. Never edit a released migration: append.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable, Iterable
from typing import Any, Protocol

from accord.errors import SchemaVersionError
from accord.store.dialect import split_statements

logger = logging.getLogger(__name__)

__all__ = [
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "Migration",
    "MigrationConnection",
    "check_version",
    "migrate",
    "rekey_subjects",
]


class MigrationConnection(Protocol):
    """What a migration function is given: a connection inside the migration's transaction
    that takes SQLite's SQL with ``?`` placeholders (``sqlite3.Connection``, or the
    PostgreSQL store's translating wrapper)."""

    def execute(self, sql: str, parameters: Any = ..., /) -> Any:
        """Run one statement; the result has ``fetchall()``."""
        ...

    def executemany(self, sql: str, parameters: Iterable[Any], /) -> Any:
        """Run one statement once per parameter row."""
        ...


_V1 = """
CREATE TABLE subjects (
    key TEXT PRIMARY KEY,
    name TEXT NOT NULL
);
CREATE TABLE documents (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    subject TEXT NOT NULL REFERENCES subjects(key),
    source TEXT NOT NULL,
    title TEXT NOT NULL,
    kind TEXT NOT NULL,
    format TEXT NOT NULL,
    encoding TEXT NOT NULL,
    text TEXT NOT NULL,
    data TEXT NOT NULL,
    extractor TEXT NOT NULL,
    run_id INTEGER
);
CREATE INDEX documents_subject ON documents(subject, seq);
CREATE TABLE removed (
    doc_id TEXT NOT NULL REFERENCES documents(id),
    ord INTEGER NOT NULL,
    text TEXT NOT NULL,
    reason TEXT NOT NULL,
    at INTEGER NOT NULL,
    PRIMARY KEY (doc_id, ord)
);
CREATE TABLE claims (
    id TEXT PRIMARY KEY,
    doc_id TEXT NOT NULL REFERENCES documents(id),
    ord INTEGER NOT NULL,
    data TEXT NOT NULL
);
CREATE INDEX claims_doc ON claims(doc_id, ord);
CREATE TABLE pairs (
    left_id TEXT NOT NULL REFERENCES claims(id),
    right_id TEXT NOT NULL REFERENCES claims(id),
    left_doc TEXT NOT NULL,
    right_doc TEXT NOT NULL,
    score REAL NOT NULL,
    retriever TEXT NOT NULL,
    run_id INTEGER,
    PRIMARY KEY (left_id, right_id)
);
CREATE TABLE verdicts (
    left_id TEXT NOT NULL,
    right_id TEXT NOT NULL,
    label TEXT NOT NULL,
    confidence REAL NOT NULL,
    method TEXT NOT NULL,
    reason TEXT NOT NULL,
    field TEXT,
    data TEXT NOT NULL,
    run_id INTEGER,
    PRIMARY KEY (left_id, right_id),
    FOREIGN KEY (left_id, right_id) REFERENCES pairs(left_id, right_id)
);
CREATE TABLE aligned (
    left_doc TEXT NOT NULL,
    right_doc TEXT NOT NULL,
    run_id INTEGER,
    PRIMARY KEY (left_doc, right_doc)
);
CREATE TABLE runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    command TEXT NOT NULL,
    subject TEXT,
    started_at REAL NOT NULL,
    finished_at REAL,
    stats TEXT NOT NULL DEFAULT '{}'
);
"""

# Version 2: find a subject's claim pairs by their documents without scanning every pair
# (accord batch walks a large store subject by subject).
_V2 = """
CREATE INDEX pairs_docs ON pairs(left_doc, right_doc);
"""

# Version 3: a verdict's clash under the contradiction threshold (a possible conflict) is
# marked in a column of its own, as label and confidence are, for queries over the table;
# older rows were stored before the mark existed and default to 0 (not one).
_V3 = """
ALTER TABLE verdicts ADD COLUMN possible_conflict INTEGER NOT NULL DEFAULT 0;
"""

# Version 4: where a document's kind came from, the id its user gave it, its URL and
# published date, in columns of their own for queries (the document's data keeps them all,
# with its metadata). A kind stored before this was guessed, perhaps from the file name: it
# is kept, and its origin says so; an unknown one is the default.
_V4 = """
ALTER TABLE documents ADD COLUMN kind_origin TEXT NOT NULL DEFAULT 'default';
ALTER TABLE documents ADD COLUMN source_id TEXT;
ALTER TABLE documents ADD COLUMN url TEXT;
ALTER TABLE documents ADD COLUMN published TEXT;
UPDATE documents SET kind_origin = 'stored by an older accord (guessed, maybe from the file name)'
    WHERE kind != 'unknown';
UPDATE documents SET data = json_set(data, '$.kind_origin', kind_origin);
"""


def rekey_subjects(conn: MigrationConnection) -> None:
    """Recompute every subject's key from its name with ``accord.subjects.subject_key``;
    subjects whose names now share a key become one, under the name of the one stored first.

    Documents and logged runs follow their subject. Runs inside a migration's transaction;
    foreign keys are checked at its commit, once every row has its new key.
    """
    from accord.subjects import subject_key

    rows = conn.execute("SELECT key, name FROM subjects ORDER BY rowid").fetchall()
    moves = [(old, subject_key(name)) for old, name in rows]
    if all(old == new for old, new in moves):
        return
    names: dict[str, str] = {}
    for (_, name), (_, new) in zip(rows, moves, strict=True):
        names.setdefault(new, name)
    conn.execute("PRAGMA defer_foreign_keys = ON")
    conn.execute("CREATE TEMP TABLE rekey (old TEXT PRIMARY KEY, new TEXT NOT NULL)")
    conn.executemany("INSERT INTO rekey (old, new) VALUES (?, ?)", moves)
    # One statement per table, so a key that is both an old and a new one moves once.
    for table in ("documents", "runs"):
        conn.execute(
            f"UPDATE {table} SET subject = (SELECT new FROM rekey WHERE old = {table}.subject)"
            " WHERE subject IN (SELECT old FROM rekey)"
        )
    conn.execute("DELETE FROM subjects")
    conn.executemany("INSERT INTO subjects (key, name) VALUES (?, ?)", list(names.items()))
    conn.execute("DROP TABLE temp.rekey")
    merged = len(rows) - len(names)
    logger.info("recomputed %d subject keys; %d subjects merged into others", len(rows), merged)


Migration = str | Callable[[MigrationConnection], None]
"""SQL statements, or a function that changes rows (given the connection, in the transaction)."""

# Version 5: subject keys match aliases of one name ("Versailles Treaty", "Treaty of
# Versailles"; "USSR", "Soviet Union"): stored keys are recomputed and subjects that now
# share a key merge. When ``subject_key`` changes again, append ``rekey_subjects`` again.
_V5: Migration = rekey_subjects

# Version 6: the web app's runs (``accord serve``), so that a run started by one server
# process can be followed and read from any other (``--workers``): its state and report as
# JSON, rewritten as the run goes on.
_V6 = """
CREATE TABLE web_runs (
    id TEXT PRIMARY KEY,
    status TEXT NOT NULL,
    created_at REAL NOT NULL,
    updated_at REAL NOT NULL,
    state TEXT NOT NULL,
    report TEXT
);
CREATE INDEX web_runs_created ON web_runs(created_at);
"""

MIGRATIONS: tuple[Migration, ...] = (_V1, _V2, _V3, _V4, _V5, _V6)
"""Migration ``i`` takes the schema from version ``i`` to ``i + 1``."""

SCHEMA_VERSION = len(MIGRATIONS)


def _version(conn: sqlite3.Connection) -> int:
    row = conn.execute("PRAGMA user_version").fetchone()
    return int(row[0])


def migrate(conn: sqlite3.Connection, path: str) -> int:
    """Bring the schema of ``conn`` up to :data:`SCHEMA_VERSION`; return the version found.

    Args:
        conn: a connection in autocommit mode (``isolation_level=None``).
        path: the store's location, for messages.

    Raises:
        SchemaVersionError: the store was written by a newer accord.
    """
    found = _version(conn)
    check_version(found, path)
    while True:
        # BEGIN IMMEDIATE takes the write lock first, so two processes opening a fresh
        # store do not both run migration 1.
        conn.execute("BEGIN IMMEDIATE")
        try:
            version = _version(conn)
            if version >= SCHEMA_VERSION:
                conn.execute("COMMIT")
                return found
            step = MIGRATIONS[version]
            if callable(step):
                step(conn)
            else:
                for statement in split_statements(step):
                    conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {version + 1}")
            conn.execute("COMMIT")
            logger.info("migrated store %s to schema version %d", path, version + 1)
        except BaseException:
            conn.execute("ROLLBACK")
            raise


def check_version(found: int, location: str) -> None:
    """Refuse a store whose schema is newer than this accord's.

    Raises:
        SchemaVersionError: ``found`` is above :data:`SCHEMA_VERSION`.
    """
    if found > SCHEMA_VERSION:
        raise SchemaVersionError(
            f"store {location} has schema version {found}, newer than this accord's "
            f"{SCHEMA_VERSION}; upgrade accord"
        )
