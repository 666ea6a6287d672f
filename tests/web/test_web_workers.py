"""``accord serve --store DB --workers 2``: two server processes that share their runs
through the store, started as a real command and stopped with SIGTERM."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from accord.testing.server import free_port

pytestmark = pytest.mark.integration

SIGNED_1852 = b"Treaty of Valdoria\n\nThe treaty was signed on 1852-05-03 in Castelmar.\n"
SIGNED_1849 = b"Treaty of Valdoria\n\nThe treaty was signed on 1849-06-09 in Castelmar.\n"
START_TIMEOUT_S = 90  # two processes import the app
RUN_TIMEOUT_S = 120  # each process loads the English pipeline for its first run
STOP_TIMEOUT_S = 30
POLL_S = 0.1


def _descendants(pid: int) -> set[int]:
    found: set[int] = set()
    pending = [pid]
    while pending:
        current = pending.pop()
        try:
            tasks = list(Path(f"/proc/{current}/task").iterdir())
            for task in tasks:
                children = (task / "children").read_text().split()
                for child in map(int, children):
                    if child not in found:
                        found.add(child)
                        pending.append(child)
        except OSError:
            continue
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _fresh_get(url: str, path: str) -> httpx.Response:
    """A GET on a connection of its own, so the kernel may hand it to either process."""
    with httpx.Client(base_url=url, timeout=30) as http:
        return http.get(path, headers={"Connection": "close"})


@pytest.fixture(params=["postgresql", "sqlite"])
def workers_store(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "postgresql":
        return str(request.getfixturevalue("postgres_url"))
    return str(tmp_path / "corpus.db")


@pytest.fixture
def two_workers(workers_store: str, tmp_path: Path) -> Any:
    """``accord serve --store DB --workers 2`` on a free port; yields (URL, process)."""
    port = free_port()
    command = [sys.executable, "-m", "accord", "serve", "--port", str(port)]
    command += ["--store", workers_store, "--workers", "2"]
    log = tmp_path / "serve.log"
    with log.open("wb") as output:
        process = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + START_TIMEOUT_S
    while True:
        try:
            if _fresh_get(url, "/healthz").status_code == 200:
                break
        except httpx.HTTPError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            process.wait()
            pytest.fail(f"accord serve did not start: {log.read_text(errors='replace')}")
        time.sleep(0.2)
    try:
        yield url, process
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


@pytest.mark.parametrize("documents", [[("a.txt", SIGNED_1852), ("b.txt", SIGNED_1849)]])
def test_serve_workers_share_runs_through_the_store(
    two_workers: tuple[str, subprocess.Popen[bytes]], documents: list[tuple[str, bytes]]
) -> None:
    url, process = two_workers
    workers = _descendants(process.pid)
    files = [("files", (name, data, "text/plain")) for name, data in documents]
    with httpx.Client(base_url=url, timeout=60) as http:
        started = http.post("/runs", files=files)
    assert started.status_code == 202, started.text
    run_id = started.json()["id"]

    # Poll on fresh connections until the run is done and both processes have answered.
    answered_by: set[int] = set()
    deadline = time.monotonic() + RUN_TIMEOUT_S
    status = ""
    while status != "done" or len(answered_by) < 2:
        assert time.monotonic() < deadline, (status, answered_by)
        answered_by.add(_fresh_get(url, "/healthz").json()["pid"])
        run = _fresh_get(url, f"/runs/{run_id}")
        assert run.status_code == 200, run.text
        status = run.json()["status"]
        assert status in ("queued", "running", "done"), run.json()
        time.sleep(POLL_S)
    assert answered_by <= workers and len(answered_by) == 2

    # Every process gives the same finished run, its report and the subject it was filed under.
    reports = set()
    for _ in range(8):
        data = _fresh_get(url, f"/runs/{run_id}").json()
        assert data["status"] == "done" and data["documents"] == ["a.txt", "b.txt"]
        assert data["report"]["summary"]["counts"]["contradictions"] == 1
        reports.add(str(data["report"]["summary"]))
        html = _fresh_get(url, f"/runs/{run_id}/report.html")
        assert html.status_code == 200 and "Castelmar" in html.text
    assert len(reports) == 1
    subjects = _fresh_get(url, "/subjects").json()
    assert [(s["name"], s["documents"]) for s in subjects] == [("Treaty of Valdoria", 2)]

    # SIGTERM stops the server and both processes, leaving none behind.
    everything = _descendants(process.pid)
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=STOP_TIMEOUT_S) == 0
    deadline = time.monotonic() + STOP_TIMEOUT_S
    while any(_alive(pid) for pid in everything) and time.monotonic() < deadline:
        time.sleep(POLL_S)
    assert not [pid for pid in everything if _alive(pid)]
    assert os.getpid() not in everything


@pytest.mark.parametrize("workers", ["2", "3"])
def test_serve_workers_without_a_store_is_refused_in_one_line(workers: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "accord", "serve", "--workers", workers, "--port", "0"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode != 0
    assert done.stderr.strip() == (
        f"error: --workers {workers} needs --store (a postgresql:// URL, or a SQLite file): "
        "without a store each process keeps its runs in its own memory"
    )
