"""``benchmarks/batch_memory.py`` runs end to end at a tiny size and prints its figures."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.integration
@pytest.mark.parametrize("docs", [4])
def test_batch_memory_benchmark_prints_its_figures(docs: int, tmp_path: Path) -> None:
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "benchmarks" / "batch_memory.py"),
            "--docs",
            str(docs),
            "--per-subject",
            "2",
            "--workers",
            "1",
            "--keep",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert f"documents: {docs} read, {docs} added" in out
    assert re.search(r"documents/s: \d+\.\d\d", out)
    assert re.search(r"peak RSS, process tree \(sampled every 0.2 s\): [1-9]\d* MiB", out)
    assert re.search(r"peak RSS, largest single process .*: [1-9]\d* MiB", out)
    lines = (tmp_path / "corpus.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == docs
    again = tmp_path / "again.jsonl"
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        from batch_memory import make_corpus
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    make_corpus(again, docs, 2, 7)
    assert again.read_text(encoding="utf-8").splitlines() == lines  # seeded: reproducible
