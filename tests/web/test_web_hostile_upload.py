"""A hostile upload holds no request: an upload is only sniffed in the request (size, type,
binary, no letters) and parsed in the run, under the per-document limits, so a document
whose reading never ends is answered within the stated limits while other requests are
served, and becomes a failure that names the limit."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest

import accord
from accord.per_document import IN_PROCESS_MAX_BYTES
from accord.testing.server import ServedApp, serve_process

pytestmark = pytest.mark.integration

SENTENCE = "The Harbour Bridge was opened on 19 March 1932 in Sydney by the premier.\n\n"
GOOD = "The Harbour Bridge opened in 1932. It carries eight lanes of road."
# accord serve as the bounds tests run it, with a 2 s limit per document: a POST /check is
# answered within 5 s plus the 2 s it may wait for a free check
SERVE_ARGS = ("--checks", "2", "--max-queued", "4", "--check-timeout", "5", "--max-seconds", "2")
ANSWER_TIMEOUT_S = 15.0  # 5 s + 2 s, and room for a loaded machine
RUN_WAIT_S = 120.0  # the stalled reading sleeps 600 s: a run not over by then is hung

# Loaded by the server and its worker processes: reading a document whose name says
# ``stall`` never returns and reaches no deadline check, as a parser stuck in C code.
HOOKS = """
import time

import accord.ingest as ingest

_read_document = ingest.read_document


def _stalling_read_document(source, **kwargs):
    if "stall" in str(kwargs.get("name") or source):
        time.sleep(600)
    return _read_document(source, **kwargs)


ingest.read_document = _stalling_read_document
"""


@pytest.fixture
def stalling_server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[ServedApp]:
    """``accord serve`` with the stalling reader installed, in a process of its own."""
    hooks = tmp_path / "hooks"
    hooks.mkdir()
    (hooks / "sitecustomize.py").write_text(HOOKS, encoding="utf-8")
    src = Path(accord.__file__).resolve().parents[1]
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(hooks), str(src)]))
    with serve_process(SERVE_ARGS) as served:
        yield served


def _hostile() -> dict[str, Any]:
    """A document that stalls its reader, over ``IN_PROCESS_MAX_BYTES`` (so it is read in a
    worker process), with a good one."""
    stall = SENTENCE * (IN_PROCESS_MAX_BYTES // len(SENTENCE) + 1)
    return {
        "files": [
            ("files", ("stall.txt", stall.encode(), "text/plain")),
            ("files", ("good.txt", GOOD.encode(), "text/plain")),
        ]
    }


def _finished(http: httpx.Client, run_id: str) -> dict[str, Any]:
    deadline = time.monotonic() + RUN_WAIT_S
    while time.monotonic() < deadline:
        run: dict[str, Any] = http.get(f"/runs/{run_id}").json()
        if run["status"] in ("done", "failed"):
            return run
        time.sleep(0.2)
    raise AssertionError(f"run {run_id} did not finish within {RUN_WAIT_S} s")


def _assert_stall_failed(report: dict[str, Any]) -> None:
    (failure,) = report["run"]["failures"]
    assert failure["source"] == "stall.txt"
    assert failure["error"] == "DocumentTimeoutError"
    assert "longer than the limit of 2 s" in failure["message"]
    assert [document["source"] for document in report["documents"]] == ["good.txt"]


@pytest.mark.parametrize("path", ["/check", "/runs"])
def test_web_hostile_upload_is_answered_in_bounded_time_while_others_are_served(
    stalling_server: ServedApp, path: str
) -> None:
    url = stalling_server.url
    # a timeout raises: an answer that does not come within the bound fails the test
    with (
        ThreadPoolExecutor(max_workers=1) as pool,
        httpx.Client(base_url=url, timeout=ANSWER_TIMEOUT_S) as hostile_client,
    ):
        answer = pool.submit(hostile_client.post, path, **_hostile())
        with httpx.Client(base_url=url, timeout=ANSWER_TIMEOUT_S) as http:
            other = http.post("/runs", data={"texts": [GOOD, GOOD + " It is grey."]})
            assert other.status_code == 202, other.text
            assert http.get("/runs").status_code == 200
        response = answer.result()
    with httpx.Client(base_url=url, timeout=ANSWER_TIMEOUT_S) as http:
        if response.status_code == 200:  # the check ended within POST /check's limit
            _assert_stall_failed(response.json())
            return
        if path == "/check":
            assert response.status_code == 503, response.text
            assert int(response.headers["retry-after"]) > 0
            run_id = response.json()["run"]["id"]
        else:
            assert response.status_code == 202, response.text
            run_id = response.json()["id"]
        run = _finished(http, run_id)
        assert run["status"] == "done", run
        _assert_stall_failed(run["report"])
