"""Benchmark: ``accord serve --store postgresql://… --workers W`` under N simulated users.

Starts a throwaway PostgreSQL server (``accord.testing.postgres``, its default settings),
then for each W: ``accord serve`` on a fresh database and a free loopback port, one warm-up
run per process, and N users who for ``--seconds`` each upload two small documents (a new
text every time, so each upload is real work) with ``POST /runs``, poll ``GET /runs/{id}``
until it is done (the answer carries the report) and read the subject's report
(``GET /subjects/{key}``). A 503 is counted and retried after its ``Retry-After`` (at most
1 s here). Prints requests/s, p50/p95 latency, answers by class, uploads finished and the
peak resident memory of the server's processes (summed, sampled every 0.1 s).

    python benchmarks/web_load_workers.py [--users 8] [--seconds 45] [--workers 1,2]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import httpx

from accord.testing.postgres import PostgresServer
from accord.testing.server import serve_process, tree_rss_bytes

SAMPLE_S = 0.1
POLL_S = 0.2  # a user's pause between two polls of its run
MAX_BACKOFF_S = 1.0  # what a user waits after a 503 (Retry-After, capped: the run is short)
WARM_UP_TIMEOUT_S = 300.0
PLACES = ("Castelmar", "Valdor", "Ostrheim", "Lenne")


@dataclass
class Tally:
    """What the users saw: each request's latency and answer class, uploads finished."""

    latencies: list[float] = field(default_factory=list)
    classes: Counter[str] = field(default_factory=Counter)
    finished: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, seconds: float, status: int) -> None:
        kind = "503" if status == 503 else f"{status // 100}xx"
        with self.lock:
            self.latencies.append(seconds)
            self.classes[kind] += 1


def _documents(user: int, turn: int) -> list[tuple[str, tuple[str, bytes, str]]]:
    year = 1800 + (user * 97 + turn) % 200
    place = PLACES[(user + turn) % len(PLACES)]
    title = f"Treaty of Benchmark {user}"
    texts = [
        f"{title}\n\nThe treaty was signed on {year}-05-03 in {place}. Upload {turn}.\n",
        f"{title}\n\nThe treaty was signed on {year + 1}-06-09 in {place}. Upload {turn}.\n",
    ]
    return [
        ("files", (f"u{user}-{turn}-{i}.txt", text.encode(), "text/plain"))
        for i, text in enumerate(texts)
    ]


def _request(
    http: httpx.Client, tally: Tally, method: str, path: str, **kw: object
) -> httpx.Response:
    started = time.perf_counter()
    answer = http.request(method, path, **kw)  # type: ignore[arg-type]
    tally.add(time.perf_counter() - started, answer.status_code)
    if answer.status_code == 503:
        time.sleep(min(float(answer.headers.get("retry-after", 1)), MAX_BACKOFF_S))
    return answer


def _user(url: str, user: int, stop_at: float, tally: Tally) -> None:
    turn = 0
    with httpx.Client(base_url=url, timeout=120) as http:
        while time.monotonic() < stop_at:
            turn += 1
            started = _request(http, tally, "POST", "/runs", files=_documents(user, turn))
            if started.status_code != 202:
                continue
            run_id = started.json()["id"]
            data: dict[str, object] = {}
            while time.monotonic() < stop_at:
                answer = _request(http, tally, "GET", f"/runs/{run_id}")
                data = answer.json() if answer.status_code == 200 else {}
                if data.get("status") in ("done", "failed"):
                    break
                time.sleep(POLL_S)
            if data.get("status") != "done":
                continue
            with tally.lock:
                tally.finished += 1
            for subject in data.get("subjects", []):  # type: ignore[union-attr]
                _request(http, tally, "GET", subject["links"]["self"])  # type: ignore[index]
                break


def _measure(url: str, pid: int, users: int, seconds: float) -> tuple[Tally, float, int]:
    peak = [tree_rss_bytes(pid)]
    stop = threading.Event()

    def sample() -> None:
        while not stop.is_set():
            peak[0] = max(peak[0], tree_rss_bytes(pid))
            stop.wait(SAMPLE_S)

    sampler = threading.Thread(target=sample)
    sampler.start()
    tally = Tally()
    started = time.perf_counter()
    stop_at = time.monotonic() + seconds
    try:
        with ThreadPoolExecutor(max_workers=users) as pool:
            list(pool.map(lambda u: _user(url, u, stop_at, tally), range(users)))
    finally:
        stop.set()
        sampler.join()
    return tally, time.perf_counter() - started, peak[0]


def _warm_up(url: str, workers: int) -> None:
    """One finished run per process (each loads the English pipeline on its first)."""
    with httpx.Client(base_url=url, timeout=WARM_UP_TIMEOUT_S) as http:
        for turn in range(2 * workers):
            http.post("/check", files=_documents(999, turn))


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=45.0)
    parser.add_argument("--workers", default="1,2", help="server processes, comma-separated")
    parser.add_argument("serve_args", nargs="*", help="more options for accord serve (after --)")
    args = parser.parse_args(argv)

    with PostgresServer() as server:
        for workers in [int(w) for w in args.workers.split(",")]:
            url = server.create_database(f"accord_load_{workers}")
            serve = ["--store", url, "--workers", str(workers), "-q", *args.serve_args]
            with serve_process(serve, start_timeout_s=WARM_UP_TIMEOUT_S) as served:
                _warm_up(served.url, workers)
                tally, wall, peak = _measure(served.url, served.pid, args.users, args.seconds)
            latencies = sorted(tally.latencies)
            p95 = latencies[min(len(latencies) - 1, round(0.95 * (len(latencies) - 1)))]
            classes = ", ".join(f"{k} {v}" for k, v in sorted(tally.classes.items()))
            print(f"workers {workers}, {args.users} users, {wall:.0f} s")
            print(f"  requests/s         {len(latencies) / wall:.1f} ({len(latencies)} requests)")
            print(f"  answers            {classes}")
            print(f"  uploads finished   {tally.finished} ({tally.finished / wall:.2f}/s)")
            print(f"  latency p50        {statistics.median(latencies) * 1000:.0f} ms")
            print(f"  latency p95        {p95 * 1000:.0f} ms")
            print(f"  peak RSS (server)  {peak / 1024**2:.0f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
