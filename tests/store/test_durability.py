"""A killed or concurrent ``accord add`` leaves the store consistent, and a rerun completes."""

from __future__ import annotations

import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

# Runs the real command line with the instant fake extractor registered, so the kills land
# in the store's writes rather than in model loading.
_ACCORD_ADD = [
    sys.executable,
    "-c",
    "import accord.testing.fakes; from accord.cli import cli; cli()",
    "add",
    "--extractor",
    "accord.fake.v1",
]
CRASH_TRIALS = 20
CRASH_SEED = 20261125
DOCUMENTS = 60


def _write_corpus(directory: Path, count: int) -> Path:
    directory.mkdir()
    for i in range(count):
        subject = ("Treaty of Valdoria", "Siege of Castelmar")[i % 2]
        day = 1 + i % 28
        lines = [subject, ""]
        lines += [
            f"Report {i} line {j} says the signing was on 1852-05-{day:02d}." for j in range(8)
        ]
        (directory / f"report_{i:03d}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return directory


def _add(docs: Path, db: Path, *, capture: bool = True) -> subprocess.Popen[bytes]:
    out = subprocess.PIPE if capture else subprocess.DEVNULL
    return subprocess.Popen([*_ACCORD_ADD, str(docs), "--store", str(db)], stdout=out, stderr=out)


def _consistent(db: Path) -> tuple[int, int]:
    """Check integrity and invariants; return (documents, claims)."""
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        for table, key in (("documents", "id"), ("claims", "id"), ("subjects", "key")):
            dupes = conn.execute(
                f"SELECT {key} FROM {table} GROUP BY {key} HAVING COUNT(*) > 1"
            ).fetchall()
            assert dupes == [], table
        # Each document is stored with all of its claims or not at all.
        bare = conn.execute(
            "SELECT id FROM documents WHERE id NOT IN (SELECT doc_id FROM claims)"
        ).fetchall()
        assert bare == []
        docs = conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
        claims = conn.execute("SELECT COUNT(*) FROM claims").fetchone()[0]
        per_doc = conn.execute("SELECT COUNT(*) FROM claims GROUP BY doc_id").fetchall()
        assert {n for (n,) in per_doc} <= {9}  # the title line and eight report lines
        return int(docs), int(claims)
    finally:
        conn.close()


def _stored(db: Path, at_least: int = 1, timeout_s: float = 60.0) -> None:
    """Wait until the add has stored ``at_least`` documents."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if db.exists():
            try:
                conn = sqlite3.connect(db, timeout=5)
                try:
                    if conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0] >= at_least:
                        return
                finally:
                    conn.close()
            except sqlite3.OperationalError:
                pass  # the schema is not there yet
        time.sleep(0.005)
    raise AssertionError(f"accord add did not store {at_least} documents")


@pytest.mark.slow
@pytest.mark.integration
@pytest.mark.parametrize("trials", [CRASH_TRIALS])
def test_store_survives_kill_during_add(tmp_path: Path, trials: int) -> None:
    docs = _write_corpus(tmp_path / "docs", DOCUMENTS)
    # Time the writes of one full run (first to last document), to aim the kills at them.
    reference = tmp_path / "reference.db"
    proc = _add(docs, reference, capture=False)
    _stored(reference)
    began = time.monotonic()
    _stored(reference, DOCUMENTS)
    window_s = time.monotonic() - began
    assert proc.wait(timeout=120) == 0
    assert _consistent(reference) == (DOCUMENTS, DOCUMENTS * 9)

    rng = random.Random(CRASH_SEED)
    partial = 0
    for trial in range(trials):
        db = tmp_path / f"trial{trial}.db"
        proc = _add(docs, db, capture=False)
        # Aim the kill inside the writes whatever the machine's load: wait until a random
        # number of documents is stored, then kill after a random sliver of time.
        _stored(db, rng.randint(1, DOCUMENTS - 2))
        time.sleep(rng.uniform(0.0, window_s / DOCUMENTS))
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        found, _ = _consistent(db)
        partial += found < DOCUMENTS
        rerun = subprocess.run(
            [*_ACCORD_ADD, str(docs), "--store", str(db)], capture_output=True, timeout=120
        )
        assert rerun.returncode == 0, rerun.stderr
        assert _consistent(db) == (DOCUMENTS, DOCUMENTS * 9)
        assert rerun.stdout.decode().count("added: ") == DOCUMENTS - found
    print(f"kills that left a partial store: {partial} of {trials}")
    # The kills must have landed inside the writes, not only before or after them.
    assert partial >= trials // 2


@pytest.mark.slow
@pytest.mark.integration
@pytest.mark.parametrize("processes", [2])
def test_store_concurrent_adds_do_not_corrupt(tmp_path: Path, processes: int) -> None:
    docs = _write_corpus(tmp_path / "docs", DOCUMENTS)
    db = tmp_path / "corpus.db"
    procs = [_add(docs, db) for _ in range(processes)]
    outputs = [proc.communicate(timeout=120) for proc in procs]
    assert [proc.returncode for proc in procs] == [0] * processes, outputs
    assert _consistent(db) == (DOCUMENTS, DOCUMENTS * 9)
    added = sum(out.decode().count("added: ") for out, _ in outputs)
    assert added == DOCUMENTS  # each document stored by exactly one of them
