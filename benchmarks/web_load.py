"""Benchmark: ``accord serve`` under concurrent ``POST /check`` requests.

Starts ``accord serve`` (with the given options) on a free loopback port, checks the two
bundled example documents once to load the English pipeline, then sends N checks of them
at once, each from its own client, and prints how many were answered (and how: a report,
or 503 with Retry-After), the p50/p95/max latency, and the peak resident memory of the
server and its children (summed, sampled from /proc every 0.1 s).

    python benchmarks/web_load.py [--clients 20] [--client-timeout 30] [-- SERVE OPTIONS...]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

from accord.testing.server import serve_process, tree_rss_bytes

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "examples").glob("*.txt"))
SAMPLE_S = 0.1
WARM_UP_TIMEOUT_S = 300.0


def _files() -> list[tuple[str, tuple[str, bytes, str]]]:
    return [("files", (path.name, path.read_bytes(), "text/plain")) for path in EXAMPLES]


def _post(url: str, timeout_s: float) -> tuple[str, float]:
    started = time.perf_counter()
    try:
        with httpx.Client(base_url=url, timeout=timeout_s) as client:
            answer = client.post("/check", files=_files())
        outcome = str(answer.status_code)
        if answer.status_code == 503 and "retry-after" in answer.headers:
            outcome += " + Retry-After"
    except httpx.HTTPError as exc:
        outcome = f"no answer ({type(exc).__name__})"
    return outcome, time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--client-timeout", type=float, default=30.0)
    parser.add_argument("serve_args", nargs="*", help="options for accord serve (after --)")
    args = parser.parse_args(argv)

    with serve_process(args.serve_args) as served:
        with httpx.Client(base_url=served.url, timeout=WARM_UP_TIMEOUT_S) as http:
            warm = http.post("/check", files=_files())
        print(f"warm-up check: {warm.status_code}")
        peak = [tree_rss_bytes(served.pid)]
        stop = threading.Event()

        def sample() -> None:
            while not stop.is_set():
                peak[0] = max(peak[0], tree_rss_bytes(served.pid))
                stop.wait(SAMPLE_S)

        sampler = threading.Thread(target=sample)
        sampler.start()
        started = time.perf_counter()
        try:
            with ThreadPoolExecutor(max_workers=args.clients) as pool:
                results = list(
                    pool.map(lambda _: _post(served.url, args.client_timeout), range(args.clients))
                )
        finally:
            stop.set()
            sampler.join()
        wall = time.perf_counter() - started

    latencies = sorted(seconds for _, seconds in results)
    answered = sum(1 for outcome, _ in results if not outcome.startswith("no answer"))
    p95 = latencies[min(len(latencies) - 1, round(0.95 * (len(latencies) - 1)))]
    print(f"clients                {args.clients}")
    print(f"answered               {answered} of {args.clients} in {wall:.1f} s")
    for outcome, count in sorted(Counter(outcome for outcome, _ in results).items()):
        print(f"  {outcome:<20} {count}")
    print(f"latency p50            {statistics.median(latencies):.2f} s")
    print(f"latency p95            {p95:.2f} s")
    print(f"latency max            {latencies[-1]:.2f} s")
    print(f"peak RSS (server tree) {peak[0] / 1024**2:.0f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
