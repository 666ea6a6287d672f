"""``run_batch`` and ``accord batch``: tables, determinism, resume, failures, limits."""

from __future__ import annotations

import json
import sqlite3
import subprocess
from pathlib import Path
from typing import Any

import pytest

import accord.testing.fakes  # noqa: F401 - registers accord.fake.v1
from accord.batch import BatchOptions, run_batch
from accord.errors import IngestError
from accord.pipeline import Settings

FAKE = Settings(extractor="accord.fake.v1")
TABLES = ("subjects", "documents", "verdicts", "records", "reliability", "failures")


def _rows(directory: Path, table: str) -> list[dict[str, Any]]:
    lines = (directory / f"{table}.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines]


def _tables(directory: Path) -> dict[str, list[dict[str, Any]]]:
    return {table: _rows(directory, table) for table in TABLES}


@pytest.mark.parametrize("workers", [1])
def test_batch_run_writes_one_row_set_per_subject(
    batch_jsonl: Path, tmp_path: Path, workers: int
) -> None:
    out = tmp_path / "out"
    result = run_batch([batch_jsonl], FAKE, BatchOptions(workers=workers, output=out))
    assert (result.documents_read, result.documents_added, result.subjects) == (6, 6, 2)
    tables = _tables(out)
    subjects = {row["subject_key"]: row for row in tables["subjects"]}
    assert list(subjects) == ["castelmar siege", "valdoria treaty"]
    assert subjects["valdoria treaty"]["documents"] == 3
    assert all(row["contradictions"] >= 1 for row in subjects.values())
    assert len(tables["documents"]) == 6
    assert {row["source"] for row in tables["documents"]} == {"v1", "v2", "v3", "c1", "c2", "c3"}
    kinds = {row["source"]: (row["kind"], row["kind_origin"]) for row in tables["documents"]}
    assert kinds["v3"] == ("news", "declared")
    signed = [r for r in tables["records"] if r["subject_key"] == "valdoria treaty"]
    assert [(r["field"], r["consensus"]) for r in signed] == [("signed on", "1852-05-03")]
    contradictions = [r for r in tables["verdicts"] if r["label"] == "contradicts"]
    assert {r["reason"] for r in contradictions} >= {"signed on: 1852-05-03 vs 1849-06-09"}
    for table, rows in tables.items():  # sorted within each subject, subjects in key order
        keys = [row.get("subject_key", "") for row in rows]
        assert keys == sorted(keys), table
    summary = json.loads((out / "summary.json").read_text())
    assert summary["added"] == 6 and summary["failed"] == 0
    assert result.failures == ()


@pytest.mark.parametrize("threshold", [0.99])
def test_batch_run_counts_possible_conflicts_apart(
    batch_jsonl: Path, tmp_path: Path, threshold: float
) -> None:
    out = tmp_path / "out"
    settings = Settings(extractor="accord.fake.v1", min_confidence=threshold)
    result = run_batch([batch_jsonl], settings, BatchOptions(workers=1, output=out))
    tables = _tables(out)
    assert result.contradictions == 0
    subjects = {row["subject_key"]: row for row in tables["subjects"]}
    assert all(row["contradictions"] == 0 for row in subjects.values())
    assert all(row["possible_conflicts"] >= 1 for row in subjects.values())
    flagged = [r for r in tables["verdicts"] if r["possible_conflict"]]
    assert {r["label"] for r in flagged} == {"not_mentioned"}
    assert all(r["confidence"] < threshold for r in flagged)
    assert any(r["reason"].startswith("signed on: 1852-05-03 vs 1849-06-09") for r in flagged)
    assert all(r["possible_conflict"] is False for r in tables["verdicts"] if r not in flagged)


@pytest.mark.parametrize("all_verdicts", [False, True])
def test_batch_run_lists_not_mentioned_verdicts_only_when_asked(
    batch_jsonl: Path, tmp_path: Path, all_verdicts: bool
) -> None:
    out = tmp_path / "out"
    options = BatchOptions(workers=1, output=out, all_verdicts=all_verdicts)
    run_batch([batch_jsonl], FAKE, options)
    tables = _tables(out)
    not_mentioned = sum(row["not_mentioned"] for row in tables["subjects"])
    assert not_mentioned > 0  # counted either way
    listed = [r for r in tables["verdicts"] if r["label"] == "not_mentioned"]
    assert len(listed) == (not_mentioned if all_verdicts else 0)
    total = sum(row["verdicts"] for row in tables["subjects"])
    assert len(tables["verdicts"]) == (total if all_verdicts else total - not_mentioned)


@pytest.mark.parametrize("workers", [2])
def test_batch_run_gives_the_same_rows_in_process_and_in_workers(
    batch_jsonl: Path, tmp_path: Path, workers: int
) -> None:
    one = run_batch([batch_jsonl], FAKE, BatchOptions(workers=1, output=tmp_path / "one"))
    many = run_batch(
        [batch_jsonl], FAKE, BatchOptions(workers=workers, batch_size=2, output=tmp_path / "two")
    )
    assert "worker processes" in many.engine and "in this process" in one.engine
    assert _tables(tmp_path / "one") == _tables(tmp_path / "two")


@pytest.mark.parametrize("workers", [1])
def test_batch_rerun_on_a_store_does_only_new_work(
    batch_jsonl: Path, tmp_path: Path, workers: int
) -> None:
    db = str(tmp_path / "corpus.db")
    first = run_batch(
        [batch_jsonl], FAKE, BatchOptions(workers=workers, store=db, output=tmp_path / "a")
    )
    assert (first.documents_added, first.document_pairs_aligned) == (6, 6)
    again = run_batch(
        [batch_jsonl], FAKE, BatchOptions(workers=workers, store=db, output=tmp_path / "b")
    )
    assert (again.documents_added, again.documents_stored_before) == (0, 6)
    assert (again.document_pairs_aligned, again.verdicts_added) == (0, 0)
    assert _tables(tmp_path / "a") == _tables(tmp_path / "b")

    extra = tmp_path / "more.jsonl"
    extra.write_text(
        json.dumps({"id": "v4", "text": "Treaty of Valdoria\n\nIt was signed on 1852-05-03."})
        + "\n"
    )
    more = run_batch([batch_jsonl, extra], FAKE, BatchOptions(workers=workers, store=db))
    assert (more.documents_added, more.documents_stored_before) == (1, 6)
    assert more.document_pairs_aligned == 3  # the new report against each stored one
    assert more.subjects_verified == 1


@pytest.mark.parametrize("workers", [1])
def test_batch_lists_failures_and_checks_the_rest(
    tmp_path: Path, batch_jsonl: Path, workers: int
) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "good.txt").write_text("Treaty of Valdoria\n\nIt was signed on 1852-05-03.\n")
    (docs / "empty.txt").write_text("   \n")
    (docs / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(200))
    huge = json.dumps({"text": "Treaty of Valdoria\n\n" + "It was long. " * 400})
    (docs / "passages.jsonl").write_text(batch_jsonl.read_text() + "{oops\n" + huge + "\n")
    missing = tmp_path / "missing.txt"
    out = tmp_path / "out"
    settings = Settings(extractor="accord.fake.v1", max_bytes=3_000)
    result = run_batch(
        [docs, missing], settings, BatchOptions(workers=workers, output=out, batch_size=3)
    )
    assert result.documents_read == 7
    failures = _rows(out, "failures")
    assert [(f["source"], f["error"]) for f in failures] == sorted(
        [
            (str(docs / "binary.txt"), "BinaryInputError"),
            (str(docs / "empty.txt"), "EmptyDocumentError"),
            (f"{docs / 'passages.jsonl'}:7", "IngestError"),
            (f"{docs / 'passages.jsonl'}:8", "InputTooLargeError"),
            (str(missing), "SourceNotFoundError"),
        ]
    )
    assert len(result.failures) == 5
    assert sum(row["documents"] for row in _rows(out, "subjects")) == 7


@pytest.mark.parametrize("workers", [1])
def test_batch_every_input_failing_is_an_error_and_writes_nothing(
    tmp_path: Path, workers: int
) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text("nope\n[]\n")
    out = tmp_path / "out"
    out.mkdir()
    (out / "documents.jsonl").write_text("old\n")
    with pytest.raises(IngestError, match=r"nothing could be checked: .*bad.jsonl:1.*1 more"):
        run_batch([bad], FAKE, BatchOptions(workers=workers, output=out))
    assert sorted(p.name for p in out.iterdir()) == ["documents.jsonl"]
    assert (out / "documents.jsonl").read_text() == "old\n"


@pytest.mark.parametrize("limit", [2])
def test_batch_subject_over_the_document_limit_fails_alone(
    batch_jsonl: Path, tmp_path: Path, limit: int
) -> None:
    lines = batch_jsonl.read_text().splitlines()
    batch_jsonl.write_text("\n".join(lines[:4]) + "\n")  # three Valdoria reports, one Castelmar
    settings = Settings(extractor="accord.fake.v1", max_documents=limit)
    out = tmp_path / "out"
    result = run_batch([batch_jsonl], settings, BatchOptions(workers=1, output=out))
    (failure,) = result.failures
    assert failure.error == "TooManyDocumentsError"
    assert "'Treaty of Valdoria' has 3 documents" in failure.message
    assert result.document_pairs_aligned == 0
    assert [row["subject_key"] for row in _rows(out, "subjects")] == ["castelmar siege"]
    assert [row["source"] for row in _rows(out, "documents")] == ["c1"]


@pytest.mark.parametrize("subject", ["Everything"])
def test_batch_subject_option_files_every_document_under_it(
    batch_jsonl: Path, tmp_path: Path, subject: str
) -> None:
    out = tmp_path / "out"
    result = run_batch([batch_jsonl], FAKE, BatchOptions(workers=1, output=out, subject=subject))
    assert result.subjects == 1
    assert [row["subject"] for row in _rows(out, "subjects")] == [subject]
    assert result.document_pairs_aligned == 15  # 6 documents: every pair once


@pytest.mark.parametrize("name", ["wiki.xml.bz2"])
def test_batch_reads_a_dump_with_other_sources_of_one_subject(
    tmp_path: Path, write_dump: Any, batch_jsonl: Path, name: str
) -> None:
    dump = write_dump(
        tmp_path / name,
        [
            {"title": "Treaty of Valdoria", "text": "The treaty was signed on 1852-05-03."},
            {"title": "Unrelated", "text": "Nothing about treaties is said on 2001-01-01."},
            {"title": "Talk:Unrelated", "text": "Skipped.", "ns": 1},
        ],
    )
    out = tmp_path / "out"
    result = run_batch([dump, batch_jsonl], FAKE, BatchOptions(workers=1, output=out))
    assert (result.documents_read, result.subjects) == (8, 3)
    subjects = {row["subject_key"]: row["documents"] for row in _rows(out, "subjects")}
    assert subjects == {"castelmar siege": 3, "valdoria treaty": 4, "unrelated": 1}
    sources = {row["source"] for row in _rows(out, "documents")}
    assert f"{dump}#Treaty of Valdoria" in sources


@pytest.mark.parametrize("fmt", ["parquet"])
def test_batch_parquet_tables_hold_the_jsonl_rows(
    batch_jsonl: Path, tmp_path: Path, fmt: str
) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    run_batch([batch_jsonl], FAKE, BatchOptions(workers=1, output=tmp_path / "j"))
    run_batch([batch_jsonl], FAKE, BatchOptions(workers=1, output=tmp_path / "p", format=fmt))
    for table in TABLES:
        assert pq.read_table(tmp_path / "p" / f"{table}.parquet").to_pylist() == _rows(
            tmp_path / "j", table
        ), table


def _accord(argv: list[str], env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*argv, *args], env=env, capture_output=True, text=True, timeout=120, check=False
    )


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        ([], 2, "give --store DB, --output DIR, or both"),
        (["--output", "{out}", "--address", "ray://x:1"], 2, "--address needs --engine ray"),
        (["--output", "{out}", "--encoding", "klingon"], 2, "unknown encoding 'klingon'"),
        (["--output", "{out}", "--fail-on-contradiction"], 1, ""),
    ],
)
def test_batch_cli_exit_codes(
    batch_argv: list[str],
    batch_env: dict[str, str],
    batch_jsonl: Path,
    tmp_path: Path,
    args: list[str],
    code: int,
    message: str,
) -> None:
    out = str(tmp_path / "out")
    extra = [arg.replace("{out}", out) for arg in args]
    done = _accord(
        batch_argv,
        batch_env,
        "batch",
        str(batch_jsonl),
        "--extractor",
        "accord.fake.v1",
        "--workers",
        "1",
        *extra,
    )
    assert done.returncode == code, done.stderr
    assert "Traceback" not in done.stderr
    if message:
        assert message in done.stderr.strip().splitlines()[-1]
    else:
        assert "documents: 6 read, 6 added" in done.stdout
        assert "contradictions in all" in done.stdout


@pytest.mark.parametrize("workers", ["2"])
def test_batch_cli_with_a_store_resumes_and_says_so(
    batch_argv: list[str],
    batch_env: dict[str, str],
    batch_jsonl: Path,
    tmp_path: Path,
    workers: str,
) -> None:
    db = tmp_path / "corpus.db"
    args = ["batch", str(batch_jsonl), "--extractor", "accord.fake.v1", "--store", str(db)]
    first = _accord(batch_argv, batch_env, *args, "--workers", workers)
    assert first.returncode == 0, first.stderr
    assert "6 added, 0 stored before" in first.stdout
    second = _accord(batch_argv, batch_env, *args, "--workers", workers)
    assert second.returncode == 0, second.stderr
    assert "0 added, 6 stored before" in second.stdout
    assert "0 verified now (0 document pairs" in second.stdout
    with sqlite3.connect(db) as conn:
        commands = [row[0] for row in conn.execute("SELECT command FROM runs ORDER BY id")]
    assert commands == ["batch", "batch"]


@pytest.mark.parametrize("verifier", ["test.failing-slots.v1"])
def test_batch_subject_whose_verification_fails_is_listed_and_the_rest_checked(
    batch_jsonl: Path, tmp_path: Path, verifier: str
) -> None:
    import batch_plugins  # noqa: F401 - registers test.failing-slots.v1

    with batch_jsonl.open("a") as handle:
        text = "Siege of Castelmar\n\nFAIL-VERIFY on 1850-01-02."
        handle.write(json.dumps({"id": "c4", "text": text}) + "\n")
    settings = Settings(extractor="accord.fake.v1", verifier=verifier)
    out = tmp_path / "out"
    result = run_batch([batch_jsonl], settings, BatchOptions(workers=1, output=out))
    (failure,) = result.failures
    assert failure.source == "subject 'Siege of Castelmar'"
    assert "RuntimeError: the verifier broke on purpose" in failure.message
    assert result.subjects_verified == 1
    subjects = {row["subject_key"]: row for row in _rows(out, "subjects")}
    assert subjects["valdoria treaty"]["verdicts"] > 0
    assert subjects["castelmar siege"]["verdicts"] == 0
