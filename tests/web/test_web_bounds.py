"""The web app is never starved: checks are admitted up to a bound and refused past it with
503 and Retry-After, bodies arrive within a deadline, memory stays bounded."""

from __future__ import annotations

import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest

from accord.testing.server import ServedApp, tree_rss_bytes

pytestmark = pytest.mark.integration

TEXTS = {"texts": ["The bridge was opened in 1932.", "The bridge was opened in 1934."]}
ANSWER_TIMEOUT_S = 10.0  # every answer, a report or a refusal, comes within this
WARM_UP_TIMEOUT_S = 120.0  # the first check loads the English pipeline
MAX_RSS_BYTES = 2 * 1024**3  # the server and its children, under 20 checks at once
RSS_POLL_S = 0.1


def _rss_peak(pid: int, stop: threading.Event, peak: list[int]) -> None:
    while not stop.is_set():
        peak[0] = max(peak[0], tree_rss_bytes(pid))
        stop.wait(RSS_POLL_S)


@pytest.mark.parametrize("clients", [20])
def test_web_serve_answers_every_concurrent_check_in_bounded_time_and_memory(
    served_process: ServedApp, clients: int
) -> None:
    with httpx.Client(base_url=served_process.url, timeout=WARM_UP_TIMEOUT_S) as http:
        warm = http.post("/check", data=TEXTS)
    assert warm.status_code in (200, 503), warm.text
    stop, peak = threading.Event(), [0]
    watcher = threading.Thread(target=_rss_peak, args=(served_process.pid, stop, peak))
    watcher.start()

    def post(_: int) -> httpx.Response:
        # a timeout raises: an answer that does not come within the bound fails the test
        with httpx.Client(base_url=served_process.url, timeout=ANSWER_TIMEOUT_S) as client:
            return client.post("/check", data=TEXTS)

    try:
        with ThreadPoolExecutor(max_workers=clients) as pool:
            answers = list(pool.map(post, range(clients)))
    finally:
        stop.set()
        watcher.join()
    statuses = [answer.status_code for answer in answers]
    assert set(statuses) <= {200, 503}, statuses
    assert 200 in statuses, statuses
    for answer in answers:
        if answer.status_code == 503:
            assert int(answer.headers["retry-after"]) > 0
            assert "/runs" in answer.json()["detail"]
        else:
            assert answer.json()["summary"]["counts"]["documents"] == 2
    assert 0 < peak[0] < MAX_RSS_BYTES


@pytest.mark.parametrize(("declared", "sent"), [(1000, 10)])
def test_web_serve_cuts_off_a_body_shorter_than_its_content_length(
    served_process: ServedApp, declared: int, sent: int
) -> None:
    port = int(served_process.url.rsplit(":", 1)[1])
    head = (
        "POST /check HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        "Content-Type: multipart/form-data; boundary=x\r\n"
        f"Content-Length: {declared}\r\n\r\n"
    ).encode("ascii")
    with socket.create_connection(("127.0.0.1", port), timeout=ANSWER_TIMEOUT_S) as sock:
        sock.sendall(head + b"x" * sent)
        received = b""
        while chunk := sock.recv(4096):  # the server answers, then closes the connection
            received += chunk
    assert received.startswith(b"HTTP/1.1 408"), received[:200]
    assert b"did not arrive within 1 s" in received


def _wait_status(http: httpx.Client, run_id: str, wanted: str) -> str:
    for _ in range(300):
        status: str = http.get(f"/runs/{run_id}").json()["status"]
        if status == wanted:
            break
        time.sleep(0.05)
    return status


@pytest.mark.parametrize("retry_after", ["5"])
def test_web_full_server_refuses_with_503_and_retry_after(
    blocked_web: Any, retry_after: str
) -> None:
    url, release = blocked_web
    with httpx.Client(base_url=url, timeout=ANSWER_TIMEOUT_S) as http:
        slow = http.post("/check", data=TEXTS)  # outlasts POST /check's limit: goes on
        assert slow.status_code == 503, slow.text
        assert slow.headers["retry-after"] == retry_after
        running = slow.json()["run"]
        assert f"GET /runs/{running['id']}" in slow.json()["detail"]
        assert _wait_status(http, running["id"], "running") == "running"

        busy = http.post("/check", data=TEXTS)  # the one check is taken
        assert busy.status_code == 503, busy.text
        assert busy.headers["retry-after"] == retry_after
        assert "POST /runs" in busy.json()["detail"]
        assert busy.json()["runs"] == "/runs"

        queued = http.post("/runs", data=TEXTS)  # one background run may wait
        assert queued.status_code == 202, queued.text
        full = http.post("/runs", data=TEXTS)
        assert full.status_code == 503, full.text
        assert full.headers["retry-after"] == retry_after
        page = http.post("/ui/check", data={"text-1": TEXTS["texts"][0]})
        assert page.status_code == 503
        assert page.headers["retry-after"] == retry_after
        assert page.headers["content-type"].startswith("text/html")
        assert 'href="/runs"' in page.text

        release.set()
        assert _wait_status(http, queued.json()["id"], "done") == "done"
        assert _wait_status(http, running["id"], "done") == "done"
        again = http.post("/check", data=TEXTS)
    assert again.status_code == 200, again.text


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (
            ["--checks", "3", "--max-queued", "2", "--max-seconds", "7", "--body-timeout", "4"],
            (3, 2, 7.0, 4.0),
        ),
        ([], (None, 8, 120.0, 10.0)),
    ],
)
def test_cli_serve_passes_its_settings_and_limits_to_the_app(
    monkeypatch: pytest.MonkeyPatch,
    restore_accord_logger: Any,
    args: list[str],
    expected: tuple[Any, ...],
) -> None:
    import uvicorn
    from click.testing import CliRunner

    from accord.cli import cli
    from accord.web import app as app_module

    served: dict[str, Any] = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **kwargs: served.update(app=app))
    seen: dict[str, Any] = {}
    real = app_module.create_app

    def create_app(**kwargs: Any) -> Any:
        seen.update(kwargs)
        return real(**kwargs)

    monkeypatch.setattr(app_module, "create_app", create_app)
    result = CliRunner().invoke(cli, ["serve", *args])
    assert result.exit_code == 0, result.output
    limits, settings = seen["limits"], seen["settings"]
    got = (limits.checks, limits.max_queued, settings.max_seconds_per_document)
    assert (*got, limits.body_timeout_s) == expected
    assert served["app"].state.runs.settings is settings
