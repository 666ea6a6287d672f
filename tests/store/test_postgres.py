"""The PostgreSQL store on a throwaway server (the ``postgres_server`` fixture): the shared
contract, schema versions and migrations, concurrent writer processes, a resumed batch."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import psycopg
import pytest

from accord.errors import (
    AccordError,
    MissingExtraError,
    SchemaVersionError,
    StoreError,
    StoreNotFoundError,
)
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


WEB_RUNS_VERSION = 6  # the schema version that added table web_runs


def _set_version(url: str, version: int, *statements: str) -> None:
    with psycopg.connect(url) as conn:
        for statement in statements:
            conn.execute(statement)
        if version < WEB_RUNS_VERSION:
            conn.execute("DROP TABLE IF EXISTS web_runs")
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
    assert {
        "documents",
        "removed",
        "claims",
        "pairs",
        "verdicts",
        "runs",
        "subjects",
        "web_runs",
    } <= tables
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


# Concurrent writers: several processes at once on one fresh database (which they also
# migrate at once). Each process gets ready (imports done), says so with a file in the gate
# directory (its first argument) and waits for the file "go", so that they write together.
_GATE = """
import os, sys, time
gate = sys.argv.pop(1)
open(os.path.join(gate, f"ready-{os.getpid()}"), "w").close()
while not os.path.exists(os.path.join(gate, "go")):
    time.sleep(0.005)
"""
# The command line with the instant fake extractor, as in test_durability.
_ACCORD_ADD = "import accord.testing.fakes\nfrom accord.cli import cli\n" + _GATE + "cli()\n"
# Saves every document pair's verdicts, in an order of its own (argv: url, seed, documents).
_SAVE_ALIGNMENTS = (
    """
import random, sys
from accord.store import open_store
from accord.testing.contracts import sample_claims, sample_document, sample_verdicts
url, seed, count = sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
rng = random.Random(seed)
docs = [sample_document(f"Report {i}.") for i in range(count)]
claims = {doc.id: sample_claims(doc) for doc in docs}
jobs = [(a.id, b.id) for a in docs for b in docs if a.id != b.id]
rng.shuffle(jobs)
store = open_store(url)
"""
    + _GATE
    + """
new = 0
for left, right in jobs:
    verdicts = sample_verdicts(claims[left], claims[right])
    rng.shuffle(verdicts)
    new += store.save_alignment(left, right, verdicts)
store.close()
print(new)
"""
)


def _together(gate: Path, commands: list[list[str]]) -> list[tuple[bytes, bytes, int]]:
    """Run the gated ``commands`` at once; return each one's stdout, stderr and status."""
    gate.mkdir()
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", code, str(gate), *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for code, *args in commands
    ]
    deadline = time.monotonic() + 300
    while len(list(gate.glob("ready-*"))) < len(procs):
        if time.monotonic() > deadline or any(proc.poll() is not None for proc in procs):
            break  # a process failed before getting ready: its output says why
        time.sleep(0.01)
    (gate / "go").touch()
    outputs = [proc.communicate(timeout=300) for proc in procs]
    return [(out, err, proc.returncode) for (out, err), proc in zip(outputs, procs, strict=True)]


def _write_corpus(directory: Path, count: int) -> list[Path]:
    directory.mkdir()
    paths = []
    for i in range(count):
        subject = ("Treaty of Valdoria", "Siege of Castelmar", "Battle of Orlen")[i % 3]
        lines = [subject, ""] + [
            f"Report {i} line {j} says it was in 18{50 + j}." for j in range(4)
        ]
        path = directory / f"report_{i:03d}.txt"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        paths.append(path)
    return paths


@pytest.mark.slow
@pytest.mark.integration
@pytest.mark.parametrize(("processes", "documents"), [(4, 120)])
def test_postgres_store_concurrent_adds_store_each_document_once(
    postgres_url: str, tmp_path: Path, processes: int, documents: int
) -> None:
    paths = [str(path) for path in _write_corpus(tmp_path / "docs", documents)]
    # Half the processes add the files in order, half in reverse: those of one order race
    # for the same document at every step, and the two orders meet in the middle.
    commands = [
        [_ACCORD_ADD, "add", "--extractor", "accord.fake.v1", "--store", postgres_url,
         *(paths if i % 2 == 0 else paths[::-1])]
        for i in range(processes)
    ]  # fmt: skip
    results = _together(tmp_path / "gate", commands)
    assert [status for _, _, status in results] == [0] * processes, results
    added = sum(out.decode().count("added: ") for out, _, _ in results)
    assert added == documents  # each document stored by exactly one of them
    with psycopg.connect(postgres_url) as conn:
        counts = conn.execute(
            "SELECT (SELECT COUNT(*) FROM documents), (SELECT COUNT(DISTINCT id) FROM documents),"
            " (SELECT COUNT(*) FROM subjects), (SELECT COUNT(*) FROM claims),"
            " (SELECT COUNT(*) FROM documents WHERE id NOT IN (SELECT doc_id FROM claims))"
        ).fetchone()
    # every document with all of its claims: the title line and four report lines
    assert counts == (documents, documents, 3, documents * 5, 0)


@pytest.mark.slow
@pytest.mark.integration
@pytest.mark.parametrize(("processes", "documents"), [(4, 8)])
def test_postgres_store_concurrent_alignments_store_each_verdict_once(
    postgres_url: str, tmp_path: Path, processes: int, documents: int
) -> None:
    docs = [sample_document(f"Report {i}.") for i in range(documents)]
    with PostgresStore(postgres_url) as store:
        for doc in docs:
            store.add_document(
                doc, subject_key="t", subject_name="T", claims=sample_claims(doc), extractor="x"
            )
    commands = [
        [_SAVE_ALIGNMENTS, postgres_url, str(seed), str(documents)] for seed in range(processes)
    ]
    results = _together(tmp_path / "gate", commands)
    assert [status for _, _, status in results] == [0] * processes, results
    pairs = documents * (documents - 1)  # ordered document pairs, two verdicts each
    assert sum(int(out) for out, _, _ in results) == 2 * pairs  # each verdict new once
    ids = [doc.id for doc in docs]
    with PostgresStore(postgres_url) as store:
        assert len(store.verdicts(ids)) == 2 * pairs
        assert len(store.aligned(ids)) == pairs


@pytest.mark.parametrize("subject", ["elsewhere"])
def test_postgres_store_add_waits_for_a_concurrent_writer_of_the_same_document(
    postgres_url: str, subject: str
) -> None:
    doc = sample_document("Treaty of Valdoria\nsigned 1852.")
    claims = sample_claims(doc)
    first, second = PostgresStore(postgres_url), PostgresStore(postgres_url)
    result: list[bool] = []
    # The first writer is inside its transaction (document stored, not committed) when the
    # second one starts: the second cannot see the document yet, so it tries to insert it.
    with first._conn.transaction():
        first._add_document(doc, "treaty of valdoria", "Treaty of Valdoria", claims, "x", None)
        writer = threading.Thread(
            target=lambda: result.append(
                second.add_document(
                    doc, subject_key=subject, subject_name=subject, claims=claims, extractor="x"
                )
            )
        )
        writer.start()
        writer.join(timeout=1.0)
        assert writer.is_alive()  # waiting for the first writer's row
    writer.join(timeout=30)
    assert result == [False]
    assert [(row.key, row.documents) for row in second.subjects()] == [("treaty of valdoria", 1)]
    assert len(second.claims([doc.id])) == len(claims)
    first.close()
    second.close()


@pytest.mark.parametrize("backend", ["accord.postgres.v1"])
def test_postgres_store_is_named_in_a_stored_report(postgres_url: str, backend: str) -> None:
    from accord.corpus import stored_report
    from accord.pipeline import Settings

    with PostgresStore(postgres_url) as store:
        _add(store, "Treaty of Valdoria\nsigned 1852.", "treaty of valdoria", "Treaty of Valdoria")
        (row,) = store.subjects()
        report = stored_report(store, Settings(), row)
    assert report.run.backends["store"] == backend


def _batch_tables(directory: Path) -> dict[str, str]:
    return {path.name: path.read_text(encoding="utf-8") for path in directory.glob("*.jsonl")}


@pytest.mark.integration
@pytest.mark.parametrize("workers", [1])
def test_postgres_store_resumes_a_batch_as_sqlite_does(
    postgres_url: str, batch_jsonl: Path, tmp_path: Path, workers: int
) -> None:
    import accord.testing.fakes  # noqa: F401 - registers accord.fake.v1
    from accord.batch import BatchOptions, run_batch
    from accord.pipeline import Settings

    fake = Settings(extractor="accord.fake.v1")
    sqlite = run_batch(
        [batch_jsonl],
        fake,
        BatchOptions(workers=workers, store=str(tmp_path / "c.db"), output=tmp_path / "s"),
    )
    first = run_batch(
        [batch_jsonl],
        fake,
        BatchOptions(workers=workers, store=postgres_url, output=tmp_path / "a"),
    )
    again = run_batch(
        [batch_jsonl],
        fake,
        BatchOptions(workers=workers, store=postgres_url, output=tmp_path / "b"),
    )
    assert (first.documents_added, first.document_pairs_aligned) == (
        sqlite.documents_added,
        sqlite.document_pairs_aligned,
    )
    assert first.documents_added > 0 and first.verdicts_added > 0
    assert (again.documents_added, again.documents_stored_before) == (0, first.documents_added)
    assert (again.document_pairs_aligned, again.verdicts_added) == (0, 0)
    tables = _batch_tables(tmp_path / "s")
    assert tables and _batch_tables(tmp_path / "a") == tables == _batch_tables(tmp_path / "b")


@pytest.mark.parametrize("url", ["postgresql://someone@db.example/accord"])
def test_open_store_names_the_extra_when_psycopg_is_missing(
    monkeypatch: pytest.MonkeyPatch, url: str
) -> None:
    monkeypatch.setitem(sys.modules, "psycopg", None)  # import psycopg now fails
    monkeypatch.delitem(sys.modules, "accord.store.postgres")
    with pytest.raises(MissingExtraError, match=r'pip install "accord\[postgres\]"'):
        open_store(url)


@pytest.mark.parametrize("install", ["apt-get install postgresql"])
def test_find_postgres_bindir_says_how_to_install_the_server(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, install: str
) -> None:
    import accord.testing.postgres as harness

    monkeypatch.setenv("PATH", str(tmp_path))  # no pg_config, no initdb
    monkeypatch.setenv("ACCORD_PG_BINDIR", str(tmp_path))
    monkeypatch.setattr(harness, "_DEBIAN_BINDIRS", str(tmp_path / "*" / "bin"))
    with pytest.raises(AccordError, match=install) as caught:
        harness.find_postgres_bindir()
    assert str(tmp_path) in str(caught.value)  # where it looked
