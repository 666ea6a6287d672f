"""The SQLite store: the shared contract, plus schema versions and SQLite settings."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from accord.errors import SchemaVersionError, StoreError, StoreNotFoundError
from accord.store import Store, open_store
from accord.store.migrations import SCHEMA_VERSION
from accord.store.sqlite import SQLiteStore
from accord.testing.contracts import StoreContract


class TestSQLiteStore(StoreContract):
    def make_store(self, path: Path) -> Store:
        return SQLiteStore(path / "corpus.db")


@pytest.mark.parametrize("pragma", ["journal_mode", "user_version", "foreign_keys"])
def test_sqlite_store_sets_up_the_database(tmp_path: Path, pragma: str) -> None:
    SQLiteStore(tmp_path / "c.db").close()
    conn = sqlite3.connect(tmp_path / "c.db")
    value = conn.execute(f"PRAGMA {pragma}").fetchone()[0]
    conn.close()
    expected = {"journal_mode": "wal", "user_version": SCHEMA_VERSION, "foreign_keys": 0}
    assert value == expected[pragma]  # foreign_keys is per connection: off for this one


@pytest.mark.parametrize("reopen", [1, 3])
def test_sqlite_store_migrates_once(tmp_path: Path, reopen: int) -> None:
    for _ in range(reopen):
        SQLiteStore(tmp_path / "c.db").close()
    conn = sqlite3.connect(tmp_path / "c.db")
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    conn.close()
    assert {"documents", "removed", "claims", "pairs", "verdicts", "runs", "subjects"} <= tables


@pytest.mark.parametrize("ahead", [1, 5])
def test_sqlite_store_refuses_a_newer_schema(tmp_path: Path, ahead: int) -> None:
    conn = sqlite3.connect(tmp_path / "c.db")
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + ahead}")
    conn.close()
    with pytest.raises(SchemaVersionError, match="newer"):
        SQLiteStore(tmp_path / "c.db")


@pytest.mark.parametrize("content", [b"not a database at all" * 100])
def test_sqlite_store_rejects_a_file_that_is_not_sqlite(tmp_path: Path, content: bytes) -> None:
    (tmp_path / "c.db").write_bytes(content)
    with pytest.raises(StoreError, match="cannot open store"):
        SQLiteStore(tmp_path / "c.db")


@pytest.mark.parametrize("location", ["missing.db", "sqlite:///missing.db"])
def test_open_store_without_create_needs_an_existing_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, location: str
) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(StoreNotFoundError, match="accord add"):
        open_store(location, create=False)
    assert not (tmp_path / "missing.db").exists()


@pytest.mark.parametrize("url", ["postgresql://localhost/accord", "mysql://x/y"])
def test_open_store_names_unsupported_schemes(url: str) -> None:
    with pytest.raises(StoreError, match="unsupported store URL scheme"):
        open_store(url)
