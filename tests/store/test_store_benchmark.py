"""benchmarks/store_write.py runs at tiny sizes and prints every rate of both backends."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
RATE = r"\d+ \S+/s \(\d+–\d+, n=1\)"  # median unit (min–max, n=R)


@pytest.mark.slow
@pytest.mark.parametrize("writers", [(1, 2)])
def test_store_write_benchmark_prints_every_rate(writers: tuple[int, ...]) -> None:
    tiny = "--documents 6 --per-subject 3 --claims 2 --verdicts 2 --repeat 1".split()
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "benchmarks" / "store_write.py"),
            *tiny,
            "--writers",
            ",".join(map(str, writers)),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    for backend in ("sqlite", "postgresql", "postgresql, synchronous_commit=off"):
        for count in writers:
            heading = f"{backend}{'' if backend != 'sqlite' else ' (WAL, synchronous=NORMAL)'}"
            after = result.stdout.split(f"{heading}, {count} writer", 1)[1]
            block = "\n".join(after.splitlines()[1:4])  # the three lines under the heading
            for line in ("documents", "document pairs", "verdicts"):
                assert re.search(rf"^  {line} +{RATE}$", block, re.MULTILINE), (line, block)
