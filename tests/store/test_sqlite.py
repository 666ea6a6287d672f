"""The SQLite store: the shared contract, plus schema versions and SQLite settings."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from accord.errors import SchemaVersionError, StoreError, StoreNotFoundError
from accord.store import Store, open_store
from accord.store.migrations import SCHEMA_VERSION
from accord.store.sqlite import SQLiteStore
from accord.testing.contracts import (
    StoreContract,
    sample_claims,
    sample_document,
    sample_possible_conflict,
    sample_verdicts,
)


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


@pytest.mark.parametrize("url", ["mysql://x/y", "mongodb://host/db"])
def test_open_store_names_unsupported_schemes(url: str) -> None:
    with pytest.raises(StoreError, match="unsupported store URL scheme"):
        open_store(url)


def _as_version_2(path: Path) -> None:
    """Turn the store at ``path`` back into what schema version 2 wrote: no
    ``possible_conflict`` column, and no such key in a verdict's data (nor what version 3
    lacked)."""
    _as_version_3(path)
    conn = sqlite3.connect(path)
    conn.execute("ALTER TABLE verdicts DROP COLUMN possible_conflict")
    conn.execute("UPDATE verdicts SET data = json_remove(data, '$.possible_conflict')")
    conn.execute("PRAGMA user_version = 2")
    conn.commit()
    conn.close()


@pytest.mark.parametrize("from_version", [2])
def test_sqlite_store_migrates_verdicts_to_possible_conflicts(
    tmp_path: Path, from_version: int
) -> None:
    path = tmp_path / "c.db"
    docs = [sample_document("Treaty of Valdoria\nsigned 1852."), sample_document("Other.")]
    claims = [sample_claims(doc) for doc in docs]
    ids = [doc.id for doc in docs]
    with SQLiteStore(path) as store:
        for doc, doc_claims in zip(docs, claims, strict=True):
            store.add_document(
                doc, subject_key="t", subject_name="T", claims=doc_claims, extractor="test.v1"
            )
        old = sample_verdicts(claims[0][:1], claims[1][:1])
        store.save_alignment(ids[0], ids[1], old)
    _as_version_2(path)
    with SQLiteStore(path) as store:
        assert store.verdicts(ids) == old  # rows without the mark read as no possible conflict
        possible = sample_possible_conflict(claims[0][1], claims[1][1])
        store.save_alignment(ids[1], ids[0], [possible])
        assert store.verdicts(ids) == [*old, possible]
    conn = sqlite3.connect(path)
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    marks = conn.execute("SELECT label, possible_conflict FROM verdicts ORDER BY rowid").fetchall()
    conn.close()
    assert from_version < version == SCHEMA_VERSION
    assert marks == [("contradicts", 0), ("not_mentioned", 1)]


def _as_version_3(path: Path) -> None:
    """Turn the store at ``path`` back into what schema version 3 wrote: no source metadata
    columns, and no such keys in a document's data."""
    conn = sqlite3.connect(path)
    for column in ("kind_origin", "url", "published", "source_id"):
        conn.execute(f"ALTER TABLE documents DROP COLUMN {column}")
        conn.execute(f"UPDATE documents SET data = json_remove(data, '$.{column}')")
    conn.execute("UPDATE documents SET data = json_remove(data, '$.metadata')")
    conn.execute("DROP TABLE web_runs")  # added by version 6
    conn.execute("PRAGMA user_version = 3")
    conn.commit()
    conn.close()


@pytest.mark.parametrize("from_version", [3])
def test_sqlite_store_migrates_documents_to_source_metadata(
    tmp_path: Path, from_version: int
) -> None:
    path = tmp_path / "c.db"
    doc = sample_document("Treaty of Valdoria\nsigned 1852.")
    with SQLiteStore(path) as store:
        store.add_document(doc, subject_key="t", subject_name="T", claims=[], extractor="x.v1")
    _as_version_3(path)
    with SQLiteStore(path) as store:
        (old,) = store.documents()
    # a kind stored before accord said where kinds came from may have come from a file name
    assert old.kind is doc.kind
    assert old.kind_origin.startswith("stored by an older accord")
    assert (old.url, old.published, old.metadata, old.source_id) == (None, None, (), None)
    conn = sqlite3.connect(path)
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    conn.close()
    assert from_version < version == SCHEMA_VERSION


# Subjects as schema version 4 and earlier keyed them (the name case-folded, article dropped):
# aliases of one name were apart.
OLD_SUBJECTS = [
    ("treaty of versailles", "Treaty of Versailles"),
    ("versailles treaty", "Versailles Treaty"),
    ("ussr", "USSR"),
    ("treaty of paris (1763)", "Treaty of Paris (1763)"),
    ("treaty of paris (1783)", "Treaty of Paris (1783)"),
]


@pytest.mark.parametrize("subjects", [OLD_SUBJECTS])
def test_sqlite_store_migrates_subject_keys_so_aliases_meet(
    tmp_path: Path, subjects: list[tuple[str, str]]
) -> None:
    path = tmp_path / "c.db"
    docs = [
        sample_document(f"{name}\nsigned in 1919 ({i}).") for i, (_, name) in enumerate(subjects)
    ]
    with SQLiteStore(path) as store:
        for doc, (key, name) in zip(docs, subjects, strict=True):
            store.add_document(
                doc, subject_key=key, subject_name=name, claims=sample_claims(doc),
                extractor="test.v1",
            )  # fmt: skip
        store.finish_run(store.start_run("check", "versailles treaty"), {})
    conn = sqlite3.connect(path)
    conn.execute("DROP TABLE web_runs")  # added by version 6
    conn.execute("PRAGMA user_version = 4")
    conn.commit()
    conn.close()
    with SQLiteStore(path) as store:
        rows = {row.name: row.documents for row in store.subjects()}
        versailles = store.find_subject("Versailles Treaty")
        assert versailles is not None
        assert [doc.id for doc in store.documents(versailles.key)] == [docs[0].id, docs[1].id]
        assert [run.subject for run in store.runs()] == [versailles.key]
        soviet = store.find_subject("Soviet Union")
    assert rows == {
        "Treaty of Versailles": 2,
        "USSR": 1,
        "Treaty of Paris (1763)": 1,
        "Treaty of Paris (1783)": 1,
    }
    assert soviet is not None and soviet.name == "USSR"
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    conn.close()
