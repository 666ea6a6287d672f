"""``accord batch`` holds the hard per-document bounds too: a passage whose claims never end
is killed at its deadline and one that eats memory is stopped at its limit; each is listed
with the limit's value among the batch's failures, the other passages are committed, and a
rerun does no committed work again."""

from __future__ import annotations

import json
import sqlite3
import subprocess
from pathlib import Path

import pytest

from accord.batch.stages import runs_bounded
from accord.ingest.passages import Passage
from accord.per_document import IN_PROCESS_MAX_BYTES
from accord.settings import Settings

pytestmark = pytest.mark.integration

SENTENCE = "The Harbour Bridge was opened on 1932-03-19 in Sydney by the premier. "
RUN_WAIT_S = 240  # the stalled passage sleeps 600 s: a run still going by then is hung


def _large(mark: str) -> str:
    """A passage over ``IN_PROCESS_MAX_BYTES``, so that it runs in a bounded worker."""
    return f"{mark} {SENTENCE}" * (IN_PROCESS_MAX_BYTES // len(SENTENCE) + 1)


def _corpus(path: Path) -> Path:
    rows = [
        {"id": "stall", "subject": "Harbour Bridge", "text": _large("STALL")},
        {"id": "hog", "subject": "Harbour Bridge", "text": _large("HOG")},
        {"id": "large", "subject": "Harbour Bridge", "text": _large("Fine")},
        {"id": "small", "subject": "Harbour Bridge", "text": "It opened on 1932-03-20."},
    ]
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    return path


def _batch(argv: list[str], env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*argv, "batch", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=RUN_WAIT_S,
        check=False,
        stdin=subprocess.DEVNULL,
    )


@pytest.mark.parametrize("workers", ["1", "2"])
def test_batch_passage_over_a_hard_limit_is_listed_and_the_rest_committed(
    tmp_path: Path, batch_argv: list[str], batch_env: dict[str, str], workers: str
) -> None:
    corpus, store, out = _corpus(tmp_path / "c.jsonl"), tmp_path / "s.db", tmp_path / "out"
    args = [str(corpus), "--store", str(store), "--extractor", "test.hostile-fake.v1"]
    limits = ["--max-seconds", "2", "--max-memory", "600MB", "--workers", workers]
    result = _batch(batch_argv, batch_env, *args, *limits, "--output", str(out))
    assert result.returncode == 0, result.stderr
    assert "documents: 2 read, 2 added, 0 stored before, 2 failed" in result.stdout
    lines = (out / "failures.jsonl").read_text(encoding="utf-8").splitlines()
    failures = {row["source"]: row for row in map(json.loads, lines)}
    assert failures["stall"]["error"] == "DocumentTimeoutError"
    assert "longer than the limit of 2 s" in failures["stall"]["message"]
    assert failures["hog"]["error"] == "DocumentMemoryError"
    assert "more than the limit of 600 MB" in failures["hog"]["message"]
    with sqlite3.connect(store) as db:
        (stored,) = db.execute("SELECT count(*) FROM documents").fetchone()
    assert stored == 2
    again = _batch(batch_argv, batch_env, *args, *limits)
    assert again.returncode == 0, again.stderr
    assert "documents: 2 read, 0 added, 2 stored before, 2 failed" in again.stdout
    assert "Traceback" not in result.stderr + again.stderr


@pytest.mark.parametrize(
    ("size", "settings", "expected"),
    [
        (IN_PROCESS_MAX_BYTES, Settings(), False),
        (IN_PROCESS_MAX_BYTES + 1, Settings(), True),
        (IN_PROCESS_MAX_BYTES + 1, Settings(max_memory_per_document=10**9), True),
        (
            IN_PROCESS_MAX_BYTES + 1,
            Settings(max_seconds_per_document=None, max_memory_per_document=None),
            False,
        ),
    ],
)
def test_runs_bounded_only_large_passages_under_a_limit(
    size: int, settings: Settings, expected: bool
) -> None:
    assert runs_bounded(Passage(source="p", text="a" * size), settings) is expected
    assert runs_bounded(Passage(source="p", data=b"a" * size), settings) is expected
