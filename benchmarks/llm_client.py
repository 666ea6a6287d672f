"""The LLM judge's HTTP client: accord's own retries and answer cache
(``accord.verify.llm.LLMVerifier``: httpx, doubling back-off, one JSON file per prompt)
against the ``openai`` client's retries (which honour ``Retry-After``) and ``diskcache``.

A local chat-completions server started here answers each scenario: ``ok`` (an answer at
once), ``429`` (a rate limit: ``Retry-After: --retry-after`` seconds, and 429 again to a
request that comes back earlier), ``500`` (two server errors, then an answer) and ``slow``
(an answer after ``--slow`` seconds, over the clients' 1 s timeout). Both clients try a
request three times at most (accord's ``max_attempts=3``, openai's ``max_retries=2``). For
each: whether the answer came, the requests the server saw, and the seconds. Then the cache:
``--entries`` answers written and read back, and the size on disk; then each library's
import time in a fresh interpreter, and the lines of accord's own code each would replace.

Needs ``pip install openai diskcache``; a missing one is skipped.

    python benchmarks/llm_client.py [--prompts 3] [--retry-after 2] [--entries 2000]
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import json
import math
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from measure import line

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

TIMEOUT_S = 1.0
ANSWER = json.dumps(
    {"label": "supports", "confidence": 0.9, "reason": "same date", "evidence": ["a", "b"]}
)


class _Server:
    """The scenarios' state: requests seen, and per prompt when it may be answered."""

    def __init__(self, retry_after_s: float, slow_s: float) -> None:
        self.retry_after_s = retry_after_s
        self.slow_s = slow_s
        self.requests = 0
        self.lock = threading.Lock()
        self.state: dict[str, float] = {}

    def reply(self, scenario: str, prompt: str) -> tuple[int, dict[str, str], float]:
        """(status, headers, seconds to wait first) for one request."""
        with self.lock:
            self.requests += 1
            key = f"{scenario}:{prompt}"
            now = time.monotonic()
            if scenario == "429":
                allowed = self.state.setdefault(key, now + self.retry_after_s)
                if now < allowed:
                    return 429, {"Retry-After": str(math.ceil(allowed - now))}, 0.0
            elif scenario == "500":
                seen = self.state.get(key, 0) + 1
                self.state[key] = seen
                if seen <= 2:
                    return 500, {}, 0.0
            elif scenario == "slow":
                return 200, {}, self.slow_s
        return 200, {}, 0.0


def _handler(server: _Server) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            scenario = self.path.strip("/").split("/")[0]
            status, headers, wait = server.reply(scenario, body["messages"][-1]["content"])
            time.sleep(wait)
            payload = json.dumps(
                {
                    "id": "chatcmpl-1",
                    "object": "chat.completion",
                    "created": 0,
                    "model": body["model"],
                    "choices": [
                        {
                            "index": 0,
                            "message": {"role": "assistant", "content": ANSWER},
                            "finish_reason": "stop",
                        }
                    ],
                }
                if status == 200
                else {"error": {"message": f"HTTP {status}"}}
            ).encode()
            try:
                self.send_response(status)
                for name, value in {**headers, "Content-Type": "application/json"}.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (timed out) first

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler


def accord_client(base: str) -> Callable[[str], str]:
    """One chat completion through accord's LLM judge (its retries, no cache)."""
    from accord.verify.llm import LLMVerifier

    judge = LLMVerifier(url=base, model="m", timeout_s=TIMEOUT_S, max_attempts=3)
    judge.warm_up()
    messages = [{"role": "user", "content": ""}]

    def ask(prompt: str) -> str:
        messages[0]["content"] = prompt
        return judge._post({"model": "m", "messages": messages, "temperature": 0})

    return ask


def openai_client(base: str) -> Callable[[str], str]:
    """One chat completion through the openai client (its retries)."""
    import openai

    client = openai.OpenAI(base_url=base, api_key="none", max_retries=2, timeout=TIMEOUT_S)

    def ask(prompt: str) -> str:
        response = client.chat.completions.create(
            model="m", messages=[{"role": "user", "content": prompt}], temperature=0
        )
        return response.choices[0].message.content or ""

    return ask


def run_scenarios(args: argparse.Namespace) -> None:
    state = _Server(args.retry_after, args.slow)
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    port = httpd.server_address[1]
    clients = {"accord": accord_client, "openai": openai_client}
    for scenario in ("ok", "429", "500", "slow"):
        prompts = 1 if scenario == "slow" else args.prompts
        for name, make in clients.items():
            try:
                ask = make(f"http://127.0.0.1:{port}/{scenario}/v1")
            except ImportError as exc:
                print(line(f"{scenario} {name}", f"skipped ({exc})"))
                continue
            before, answered = state.requests, 0
            start = time.perf_counter()
            for i in range(prompts):
                with contextlib.suppress(Exception):  # each client's own error: it failed
                    answered += ask(f"{name} prompt {i}") == ANSWER
            seconds = time.perf_counter() - start
            print(
                line(
                    f"{scenario} {name}",
                    f"{answered}/{prompts} answered, {state.requests - before} requests, "
                    f"{seconds:.2f} s",
                )
            )
    httpd.shutdown()


def run_caches(entries: int) -> None:
    from accord.verify.llm import LLMVerifier

    content = ANSWER * 4  # an answer with its reason: about 400 characters
    keys = [f"{i:064x}" for i in range(entries)]
    with tempfile.TemporaryDirectory() as tmp:
        judge = LLMVerifier(url="http://x/v1", model="m", cache_dir=Path(tmp) / "accord")
        judge.cache_dir.mkdir()  # type: ignore[union-attr]
        start = time.perf_counter()
        for key in keys:
            judge._write_cache(key, content)
        wrote = time.perf_counter() - start
        start = time.perf_counter()
        ok = sum(judge._read_cache(key) == content for key in keys)
        read = time.perf_counter() - start
        size = _du(Path(tmp) / "accord")
        print(
            line(
                "cache accord (JSON files)",
                f"write {entries / wrote:.0f}/s, read {entries / read:.0f}/s ({ok} found), "
                f"{size / 2**20:.1f} MiB on disk",
            )
        )
        try:
            import diskcache
        except ImportError as exc:
            print(line("cache diskcache", f"skipped ({exc})"))
            return
        with diskcache.Cache(str(Path(tmp) / "diskcache")) as cache:
            start = time.perf_counter()
            for key in keys:
                cache.set(key, content)
            wrote = time.perf_counter() - start
            start = time.perf_counter()
            ok = sum(cache.get(key) == content for key in keys)
            read = time.perf_counter() - start
        size = _du(Path(tmp) / "diskcache")
        print(
            line(
                "cache diskcache (SQLite)",
                f"write {entries / wrote:.0f}/s, read {entries / read:.0f}/s ({ok} found), "
                f"{size / 2**20:.1f} MiB on disk",
            )
        )


def _du(path: Path) -> int:
    """Bytes of disk the files under ``path`` take (allocated blocks)."""
    return sum(p.stat().st_blocks * 512 for p in path.rglob("*") if p.is_file())


def run_imports() -> None:
    for name, statement in {
        "httpx (accord's client)": "import httpx",
        "openai": "import openai; openai.OpenAI(api_key='x')",
        "diskcache": "import diskcache",
    }.items():
        times = []
        for _ in range(3):
            start = time.perf_counter()
            done = subprocess.run([sys.executable, "-c", statement], capture_output=True)
            times.append(time.perf_counter() - start)
        if done.returncode != 0:
            print(line(f"import {name}", "skipped (not installed)"))
            continue
        print(line(f"import {name}", f"{sorted(times)[1]:.2f} s (fresh process, median of 3)"))


def run_lines() -> None:
    """Lines of accord's code that each library would take over."""
    tree = ast.parse((ROOT / "src" / "accord" / "verify" / "llm.py").read_text(encoding="utf-8"))
    sizes = {
        node.name: node.end_lineno - node.lineno + 1  # type: ignore[operator]
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef)
    }
    retries = sizes["_post"]
    cache = sizes["_read_cache"] + sizes["_write_cache"]
    print(line("lines: retries (_post)", f"{retries} (openai would replace them)"))
    print(line("lines: disk cache", f"{cache} (_read_cache, _write_cache: diskcache's get/set)"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--prompts", type=int, default=3, help="requests per scenario")
    parser.add_argument("--retry-after", type=float, default=2.0, help="seconds a 429 asks")
    parser.add_argument("--slow", type=float, default=1.5, help="seconds a slow answer takes")
    parser.add_argument("--entries", type=int, default=2000, help="answers in the cache test")
    args = parser.parse_args()
    run_scenarios(args)
    run_caches(args.entries)
    run_imports()
    run_lines()
    for package in ("openai", "diskcache", "httpx"):
        try:
            module = __import__(package)
        except ImportError:
            continue
        folder = Path(module.__file__).parent  # type: ignore[arg-type]
        print(line(f"installed: {package}", f"{_du(folder) / 2**20:.1f} MiB (its own folder)"))


if __name__ == "__main__":
    main()
