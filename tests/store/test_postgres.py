"""The PostgreSQL store: the shared contract, schema versions and migrations, on a throwaway
server (the ``postgres_server`` fixture)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import psycopg
import pytest

from accord.errors import SchemaVersionError, StoreError, StoreNotFoundError
from accord.store import Store, open_store
from accord.store.migrations import SCHEMA_VERSION
from accord.store.postgres import PostgresStore, redact_url
from accord.testing.contracts import StoreContract, sample_claims, sample_document


@pytest.mark.usefixtures("postgres_on_instance")
class TestPostgresStore(StoreContract):
    postgres_server: Any

    def make_store(self, path: Path) -> Store:
        return PostgresStore(self.postgres_server.database_for(path))


def _version(url: str) -> int:
    with psycopg.connect(url) as conn:
        row = conn.execute("SELECT version FROM accord_schema").fetchone()
    assert row is not None
    return int(row[0])


def _set_version(url: str, version: int, *statements: str) -> None:
    with psycopg.connect(url) as conn:
        for statement in statements:
            conn.execute(statement)
        conn.execute("UPDATE accord_schema SET version = %s", (version,))


@pytest.mark.parametrize("reopen", [1, 3])
def test_postgres_store_migrates_once(postgres_url: str, reopen: int) -> None:
    for _ in range(reopen):
        PostgresStore(postgres_url).close()
    assert _version(postgres_url) == SCHEMA_VERSION
    with psycopg.connect(postgres_url) as conn:
        tables = {
            row[0]
            for row in conn.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
            )
        }
        versions = conn.execute("SELECT COUNT(*) FROM accord_schema").fetchone()
    assert {"documents", "removed", "claims", "pairs", "verdicts", "runs", "subjects"} <= tables
    assert versions == (1,)


@pytest.mark.parametrize("ahead", [1, 5])
def test_postgres_store_refuses_a_newer_schema(postgres_url: str, ahead: int) -> None:
    PostgresStore(postgres_url).close()
    _set_version(postgres_url, SCHEMA_VERSION + ahead)
    with pytest.raises(SchemaVersionError, match="newer"):
        PostgresStore(postgres_url)


@pytest.mark.parametrize("create", [False])
def test_open_store_without_create_needs_a_store_in_the_database(
    postgres_url: str, create: bool
) -> None:
    with pytest.raises(StoreNotFoundError, match="accord add"):
        open_store(postgres_url, create=create)
    with psycopg.connect(postgres_url) as conn:
        row = conn.execute("SELECT to_regclass('documents') IS NULL").fetchone()
    assert row == (True,)  # nothing was created
    store = open_store(postgres_url)
    assert isinstance(store, PostgresStore)
    store.close()
    open_store(postgres_url, create=create).close()


@pytest.mark.parametrize("scheme", ["postgresql", "postgres"])
def test_open_store_reports_an_unreachable_postgres_server(tmp_path: Path, scheme: str) -> None:
    url = f"{scheme}://someone:secret@/accord?host={tmp_path}"  # no server listens there
    with pytest.raises(StoreError, match="cannot open store") as caught:
        open_store(url)
    assert "secret" not in str(caught.value)
    assert "someone:***@" in str(caught.value)


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("postgresql://u:pw@db.example:5433/c", "postgresql://u:***@db.example:5433/c"),
        ("postgresql://u@db.example/c", "postgresql://u@db.example/c"),
    ],
)
def test_redact_url_hides_the_password(url: str, shown: str) -> None:
    assert redact_url(url) == shown


def _add(store: Store, text: str, key: str, name: str) -> None:
    doc = sample_document(text)
    store.add_document(
        doc, subject_key=key, subject_name=name, claims=sample_claims(doc), extractor="test.v1"
    )


@pytest.mark.parametrize("from_version", [3])
def test_postgres_store_migrates_documents_to_source_metadata(
    postgres_url: str, from_version: int
) -> None:
    doc = sample_document("Treaty of Valdoria\nsigned 1852.")
    with PostgresStore(postgres_url) as store:
        store.add_document(doc, subject_key="t", subject_name="T", claims=[], extractor="x.v1")
    columns = ("kind_origin", "url", "published", "source_id")
    _set_version(
        postgres_url,
        from_version,
        *(f"ALTER TABLE documents DROP COLUMN {column}" for column in columns),
        "UPDATE documents SET data = (data::jsonb - 'kind_origin' - 'url' - 'published'"
        " - 'source_id' - 'metadata')::text",
    )
    with PostgresStore(postgres_url) as store:
        (old,) = store.documents()
    assert old.kind is doc.kind
    assert old.kind_origin.startswith("stored by an older accord")
    assert (old.url, old.published, old.metadata, old.source_id) == (None, None, (), None)
    assert _version(postgres_url) == SCHEMA_VERSION


@pytest.mark.parametrize(
    "subjects",
    [
        [
            ("treaty of versailles", "Treaty of Versailles"),
            ("versailles treaty", "Versailles Treaty"),
            ("ussr", "USSR"),
        ]
    ],
)
def test_postgres_store_migrates_subject_keys_so_aliases_meet(
    postgres_url: str, subjects: list[tuple[str, str]]
) -> None:
    with PostgresStore(postgres_url) as store:
        for i, (key, name) in enumerate(subjects):
            _add(store, f"{name}\nsigned in 1919 ({i}).", key, name)
        store.finish_run(store.start_run("check", "versailles treaty"), {})
    _set_version(postgres_url, 4)
    with PostgresStore(postgres_url) as store:
        rows = {row.name: row.documents for row in store.subjects()}
        versailles = store.find_subject("Versailles Treaty")
        runs = [run.subject for run in store.runs()]
    assert rows == {"Treaty of Versailles": 2, "USSR": 1}
    assert versailles is not None and runs == [versailles.key]
    assert _version(postgres_url) == SCHEMA_VERSION
