"""Serve the web app for tests and benchmarks: an ASGI app with uvicorn in a background
thread, or ``accord serve`` in a process of its own, on a free local port."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from accord.errors import AccordError

__all__ = ["ServedApp", "free_port", "serve_in_thread", "serve_process", "tree_rss_bytes"]

START_TIMEOUT_S = 20.0  # the app starts in well under a second
STOP_TIMEOUT_S = 20.0  # lets a running check finish before the thread is left behind
_POLL_S = 0.02
_START_POLL_S = 0.2  # a process takes seconds to import the app


@contextmanager
def serve_in_thread(app: Any) -> Iterator[str]:
    """Serve ``app`` on 127.0.0.1 until the block ends; yield its base URL.

    Raises:
        AccordError: the server did not start in ``START_TIMEOUT_S`` seconds.
    """
    import uvicorn

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(
        app, host="127.0.0.1", port=port, log_level="warning", ws="none", lifespan="on"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while not server.started:
            if time.monotonic() > deadline or not thread.is_alive():
                raise AccordError("the web app did not start")
            time.sleep(_POLL_S)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=STOP_TIMEOUT_S)
        sock.close()


def free_port() -> int:
    """A TCP port on 127.0.0.1 that is free now (another process may take it before use)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


@contextmanager
def serve_process(args: Sequence[str], *, start_timeout_s: float = 60.0) -> Iterator[ServedApp]:
    """Run ``accord serve ARGS`` in a process of its own on a free local port until the block
    ends; yield its URL and process id. Its output goes to a temporary file, shown when it
    does not start.

    Raises:
        AccordError: it exited or did not answer ``GET /`` within ``start_timeout_s``.
    """
    import subprocess
    import sys
    import tempfile
    import urllib.request

    port = free_port()
    command = [sys.executable, "-m", "accord", "serve", "--port", str(port), *args]
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + start_timeout_s
            while True:
                try:
                    with urllib.request.urlopen(url + "/", timeout=5) as answer:
                        if answer.status == 200:
                            break
                except OSError:
                    pass
                if process.poll() is not None or time.monotonic() > deadline:
                    log.seek(0)
                    output = log.read().decode("utf-8", "replace")[-2000:]
                    raise AccordError(f"accord serve did not start: {output}")
                time.sleep(_START_POLL_S)
            yield ServedApp(url=url, pid=process.pid)
        finally:
            process.terminate()
            try:
                process.wait(timeout=STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@dataclass(frozen=True, slots=True)
class ServedApp:
    """A served app: its base URL and its server's process id."""

    url: str
    pid: int


def tree_rss_bytes(pid: int) -> int:
    """The resident memory of process ``pid`` and all its descendants, in bytes (Linux
    ``/proc``: each one's ``VmRSS``); a process that has exited counts 0."""
    total = 0
    pending = [pid]
    while pending:
        current = pending.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text(encoding="ascii")
            for task in Path(f"/proc/{current}/task").iterdir():
                children = (task / "children").read_text(encoding="ascii").split()
                pending.extend(int(child) for child in children)
        except OSError:
            continue
        for line in status.splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1]) * 1024  # reported in kB
    return total
