"""``accord batch --engine ray`` gives the local engine's results, row for row."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

TABLES = ("subjects", "documents", "verdicts", "records", "reliability", "failures")


def _ray_processes() -> set[int]:
    """Pids of Ray's daemons (raylet, GCS) running on this machine."""
    found = set()
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/cmdline", "rb") as handle:
                cmdline = handle.read()
        except OSError:
            continue
        if b"raylet" in cmdline or b"gcs_server" in cmdline:
            found.add(int(entry))
    return found


@pytest.mark.integration
@pytest.mark.parametrize("workers", ["2"])
def test_batch_ray_engine_gives_the_local_engine_rows(
    batch_argv: list[str],
    batch_env: dict[str, str],
    batch_jsonl: Path,
    write_dump: Any,
    tmp_path: Path,
    workers: str,
) -> None:
    pytest.importorskip("ray")
    dump = write_dump(
        tmp_path / "wiki.xml.bz2",
        [{"title": "Treaty of Valdoria", "text": "The treaty was signed on 1852-05-04."}],
    )
    with batch_jsonl.open("a") as handle:
        handle.write("{broken\n")
    ray_before = _ray_processes()
    outputs = {}
    for engine in ("local", "ray"):
        out = tmp_path / engine
        done = subprocess.run(
            [
                *batch_argv,
                "batch",
                str(batch_jsonl),
                str(dump),
                "--extractor",
                "accord.fake.v1",
                "--engine",
                engine,
                "--workers",
                workers,
                "--batch-size",
                "2",
                "--output",
                str(out),
            ],
            env=batch_env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        assert "Traceback" not in done.stderr
        assert f"engine: {engine}" in done.stdout
        outputs[engine] = out
    for table in TABLES:
        local = (outputs["local"] / f"{table}.jsonl").read_text(encoding="utf-8").splitlines()
        ray = (outputs["ray"] / f"{table}.jsonl").read_text(encoding="utf-8").splitlines()
        assert ray == local, table
        assert local or table == "failures"
    lines = (outputs["ray"] / "subjects.jsonl").read_text(encoding="utf-8").splitlines()
    subjects = [json.loads(line) for line in lines]
    assert [s["documents"] for s in subjects] == [3, 4]
    assert all(s["contradictions"] >= 1 for s in subjects)
    failures = (outputs["ray"] / "failures.jsonl").read_text().splitlines()
    assert len(failures) == 1 and "not valid JSON" in failures[0]
    local_summary = json.loads((outputs["local"] / "summary.json").read_text())
    ray_summary = json.loads((outputs["ray"] / "summary.json").read_text())
    for key in ("read", "added", "subjects", "document_pairs_aligned", "verdicts_added"):
        assert ray_summary[key] == local_summary[key], key
    assert _ray_processes() <= ray_before  # the local Ray the command started is gone
