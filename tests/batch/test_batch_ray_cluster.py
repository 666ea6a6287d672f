"""``accord batch --engine ray --address`` on a real two-node Ray cluster, with the English
pipeline: the local engine's rows, and no committed work lost when a node dies mid-run."""

from __future__ import annotations

import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

TABLES = ("subjects", "documents", "verdicts", "records", "reliability", "failures")
SUBJECTS = 36  # x PASSAGES_PER_SUBJECT: a few hundred short passages
PASSAGES_PER_SUBJECT = 5
RUN_S = 600  # one batch on a loaded 2-core machine; an idle one needs well under a minute
KILL_AFTER_DOCUMENTS = 20  # documents committed to the store before the worker node is killed


def _store(tmp_path: Path, name: str) -> str:
    """Where a run's store lives: the one place to change for another store backend."""
    return str(tmp_path / f"{name}.db")


def _stored_ids(store: str) -> list[str]:
    """The ids of the documents in a store, as stored (duplicates would show twice)."""
    with sqlite3.connect(f"file:{store}?mode=ro", uri=True) as conn:
        return [row[0] for row in conn.execute("SELECT id FROM documents ORDER BY id")]


def _corpus(path: Path) -> Path:
    """Short reports on made-up treaties: most agree on the date and the article count,
    one in three subjects has a report with another year, one in four another count."""
    syllables = ("val", "dor", "mar", "ken", "tis", "bru", "lo", "sen", "qua", "rin", "ost", "pel")
    months = ("January", "March", "May", "July", "September", "November")
    lines = []
    for s in range(SUBJECTS):
        name = (syllables[s % 12] + syllables[(s * 5 + 3) % 12] + syllables[(s // 3) % 12]).title()
        year, day, month, articles = 1800 + s, 1 + s % 27, months[s % 6], 10 + s
        for p in range(PASSAGES_PER_SUBJECT):
            said_year = year + 3 if p == 4 and s % 3 == 0 else year
            said_articles = articles + 5 if p == 3 and s % 4 == 0 else articles
            text = (
                f"Treaty of {name}\n\nThe Treaty of {name} was signed on {day} {month} "
                f"{said_year} in {name}. It had {said_articles} articles."
            )
            text += f" Copy {p + 1} is kept in the city archive."  # no two texts alike
            lines.append(json.dumps({"id": f"t{s}-{p}", "text": text}))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _argv(corpus: Path, engine: str, store: str, out: Path, *extra: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "accord",
        "batch",
        str(corpus),
        "--engine",
        engine,
        "--batch-size",
        "4",
        "--store",
        store,
        "--output",
        str(out),
        *extra,
    ]


def _run(argv: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=RUN_S, check=False)
    assert "Traceback" not in done.stderr, done.stderr
    assert "internal error" not in done.stderr.lower(), done.stderr
    return done


def _tables(out: Path) -> dict[str, list[str]]:
    return {t: (out / f"{t}.jsonl").read_text(encoding="utf-8").splitlines() for t in TABLES}


@pytest.mark.integration
@pytest.mark.slow
@pytest.mark.parametrize("kill_at", [KILL_AFTER_DOCUMENTS])
def test_batch_ray_cluster_gives_the_local_rows_and_survives_a_dead_node(
    ray_cluster: dict[str, Any], tmp_path: Path, kill_at: int
) -> None:
    corpus = _corpus(tmp_path / "passages.jsonl")
    env = ray_cluster["env"]
    address = ray_cluster["address"]

    local_store = _store(tmp_path, "local")
    done = _run(_argv(corpus, "local", local_store, tmp_path / "local", "--workers", "1"), env)
    assert done.returncode == 0, done.stderr
    local = _tables(tmp_path / "local")
    assert len(local["documents"]) == SUBJECTS * PASSAGES_PER_SUBJECT
    subjects = [json.loads(line) for line in local["subjects"]]
    assert len(subjects) == SUBJECTS
    assert any(s["contradictions"] for s in subjects)  # the real pipeline found the clashes
    assert any(s["agreements"] for s in subjects)
    assert local["failures"] == []
    local_ids = _stored_ids(local_store)

    # the cluster, joined by its GCS address from this machine (a node of it)
    ray_store = _store(tmp_path, "ray")
    argv = _argv(corpus, "ray", ray_store, tmp_path / "ray", "--address", address)
    done = _run(argv, env)
    assert done.returncode == 0, done.stderr
    assert f"engine: ray at {address}, 2 CPUs" in done.stdout
    assert _tables(tmp_path / "ray") == local
    assert _stored_ids(ray_store) == local_ids

    # the worker node dies once some documents are committed
    killed_store = _store(tmp_path, "killed")
    argv = _argv(corpus, "ray", killed_store, tmp_path / "killed", "--address", address)
    running = subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + RUN_S
    stored = 0
    while running.poll() is None and time.monotonic() < deadline:
        stored = len(_stored_ids(killed_store)) if Path(killed_store).exists() else 0
        if stored >= kill_at:
            break
        time.sleep(0.2)
    assert running.poll() is None, "the batch ended before the node could be killed"
    os.killpg(ray_cluster["worker"].pid, signal.SIGKILL)
    committed = _stored_ids(killed_store)
    stdout, stderr = running.communicate(timeout=RUN_S)
    first = subprocess.CompletedProcess(argv, running.returncode, stdout.decode(), stderr.decode())
    assert "Traceback" not in first.stderr, first.stderr
    assert "internal error" not in first.stderr.lower(), first.stderr
    if first.returncode == 0:  # Ray ran the lost tasks again on the head node
        assert _tables(tmp_path / "killed") == local
    else:  # one line that says to rerun, and nothing committed was lost
        assert "rerun the same command" in first.stderr, first.stderr
    after = _stored_ids(killed_store)
    assert set(committed) <= set(after) <= set(local_ids)
    assert len(after) == len(set(after))

    done = _run(argv, env)
    assert done.returncode == 0, done.stderr
    assert _tables(tmp_path / "killed") == local
    assert _stored_ids(killed_store) == local_ids


@pytest.mark.parametrize("host", ["127.0.0.1"])
def test_ray_executor_names_an_address_with_nothing_listening(host: str) -> None:
    pytest.importorskip("ray")
    from accord.errors import AccordError
    from accord.scale.ray import RayExecutor

    with socket.socket() as probe:  # a port that was free a moment ago, now closed
        probe.bind((host, 0))
        port = probe.getsockname()[1]
    with pytest.raises(AccordError, match=f"cannot reach the Ray cluster at {host}:{port}: "):
        RayExecutor(address=f"{host}:{port}").__enter__()
