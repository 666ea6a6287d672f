"""SIGTERM to a running ``accord batch --store DB``: a clean stop, a consistent store, and a
rerun that does exactly the missing work."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

DOCUMENTS = 48
SUBJECTS = ("Treaty of Valdoria", "Siege of Castelmar", "Battle of Ostrheim", "Peace of Lenne")
PER_SUBJECT = DOCUMENTS // len(SUBJECTS)
ALL_PAIRS = len(SUBJECTS) * PER_SUBJECT * (PER_SUBJECT - 1) // 2


def _corpus(path: Path) -> Path:
    lines = []
    for i in range(DOCUMENTS):
        subject = SUBJECTS[i % len(SUBJECTS)]
        day = 1 + i % 5
        text = f"{subject}\n\nReport {i} says it happened on 1852-05-{day:02d}. It was long."
        lines.append(json.dumps({"id": f"r{i:02d}", "text": text}))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _count(db: Path, sql: str) -> int:
    if not db.exists():
        return 0
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
        try:
            return int(conn.execute(sql).fetchone()[0])
        finally:
            conn.close()
    except sqlite3.OperationalError:  # the schema is not there yet
        return 0


def _children(pid: int) -> set[int]:
    found: set[int] = set()
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as handle:
                found.update(int(child) for child in handle.read().split())
    except FileNotFoundError:
        pass
    return found


def _running(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as handle:
            return handle.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def _snapshot(db: Path) -> dict[str, object]:
    """Check the store's invariants; return what it holds, for comparisons."""
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        # each document is stored with all its claims (three: title and two sentences) or not
        per_doc = conn.execute(
            "SELECT d.id, COUNT(c.id) FROM documents d LEFT JOIN claims c ON c.doc_id = d.id"
            " GROUP BY d.id"
        ).fetchall()
        assert {count for _, count in per_doc} <= {3}
        # each aligned document pair has its verdicts, and no verdict lacks its pair
        orphans = conn.execute(
            "SELECT COUNT(*) FROM pairs p WHERE NOT EXISTS (SELECT 1 FROM aligned a WHERE"
            " (a.left_doc = p.left_doc AND a.right_doc = p.right_doc) OR"
            " (a.left_doc = p.right_doc AND a.right_doc = p.left_doc) OR"
            " p.left_doc = p.right_doc)"
        ).fetchone()[0]
        assert orphans == 0
        return {
            "documents": {row[0] for row in conn.execute("SELECT id FROM documents")},
            "aligned": set(conn.execute("SELECT left_doc, right_doc FROM aligned").fetchall()),
            "verdicts": set(
                conn.execute("SELECT left_id, right_id, label, reason FROM verdicts").fetchall()
            ),
        }
    finally:
        conn.close()


@pytest.mark.integration
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@pytest.mark.parametrize(
    ("phase", "sql", "at_least", "signum"),
    [
        ("documents", "SELECT COUNT(*) FROM documents", 8, signal.SIGTERM),
        ("subjects", "SELECT COUNT(*) FROM aligned", 20, signal.SIGTERM),
        ("documents", "SELECT COUNT(*) FROM documents", 8, signal.SIGINT),
    ],
    ids=["sigterm-in-documents", "sigterm-in-subjects", "sigint-in-documents"],
)
def test_batch_sigterm_stops_cleanly_and_the_rerun_completes(
    batch_argv: list[str],
    batch_env: dict[str, str],
    tmp_path: Path,
    phase: str,
    sql: str,
    at_least: int,
    signum: signal.Signals,
) -> None:
    corpus = _corpus(tmp_path / "reports.jsonl")
    args = [
        "batch",
        str(corpus),
        "--extractor",
        "test.slow-fake.v1",
        "--verifier",
        "test.slow-slots.v1",
        "--workers",
        "2",
        "--batch-size",
        "2",
    ]
    slow = {
        **batch_env,
        "ACCORD_TEST_DOCUMENT_DELAY_S": "0.08",
        "ACCORD_TEST_VERIFY_DELAY_S": "0.03",
    }

    db = tmp_path / "corpus.db"
    process = subprocess.Popen(
        [*batch_argv, *args, "--store", str(db)],
        env=slow,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    workers: set[int] = set()
    deadline = time.monotonic() + 120
    while _count(db, sql) < at_least:
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "the batch made no progress"
        workers |= _children(process.pid)
        time.sleep(0.02)
    workers |= _children(process.pid)
    process.send_signal(signum)
    stdout, stderr = process.communicate(timeout=60)

    sigterm = signum == signal.SIGTERM
    assert process.returncode == (143 if sigterm else 130), stderr
    assert "Traceback" not in stderr
    (line,) = stderr.strip().splitlines()
    how = "terminated" if sigterm else "interrupted (Ctrl-C)"
    assert line.startswith(f"error: {how}; stopped cleanly")
    assert f"{db} keeps every document and subject finished" in line
    assert "run the same command again to resume" in line
    assert stdout == ""
    assert workers, "the batch ran no worker processes"
    deadline = time.monotonic() + 10
    while any(_running(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(_running(pid) for pid in workers), "worker processes were left behind"

    kept = _snapshot(db)
    kept_documents = len(kept["documents"])  # type: ignore[arg-type]
    kept_pairs = len(kept["aligned"])  # type: ignore[arg-type]
    if phase == "documents":
        assert at_least <= kept_documents < DOCUMENTS and kept_pairs == 0
    else:
        assert kept_documents == DOCUMENTS and at_least <= kept_pairs < ALL_PAIRS

    rerun = subprocess.run(
        [*batch_argv, *args, "--store", str(db)],
        env=batch_env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert rerun.returncode == 0, rerun.stderr
    added = DOCUMENTS - kept_documents
    assert f"{added} added, {kept_documents} stored before" in rerun.stdout
    assert f"({ALL_PAIRS - kept_pairs} document pairs" in rerun.stdout

    reference = tmp_path / "reference.db"
    clean = subprocess.run(
        [*batch_argv, *args, "--store", str(reference)],
        env=batch_env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert clean.returncode == 0, clean.stderr
    assert _snapshot(db) == _snapshot(reference)
