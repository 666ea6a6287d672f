"""Benchmark: documents/s and peak memory of ``accord batch`` over a corpus streamed from disk.

Generates a JSONL corpus of N passages reproducibly (a seeded generator over the sentences of
the two bundled example documents, retitled into subjects of a few passages each, with some
years changed so that subjects hold contradictions), runs

    python -m accord batch CORPUS.jsonl --output DIR --workers W [--engine E]

as a child process, and prints the wall time, documents/s, the peak resident memory of the
whole process tree (the command and its workers, summed, sampled every 0.2 s from /proc)
and the largest single process's peak (``resource.getrusage(RUSAGE_CHILDREN)``).

    python benchmarks/batch_memory.py [--docs 1000] [--per-subject 5] [--workers 2] [--seed 7]

``--passage-kb N`` makes each passage at least N KiB (its sentences drawn again until it is):
over 16 KiB, ``accord batch`` reads and extracts a passage in a bounded worker process.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
SENTENCE = re.compile(r"[^.!?\n]+[.!?]")
YEAR = re.compile(r"\b(19[0-9]{2})\b")
NAMES = ["Valdoria", "Ostrheim", "Castelmar", "Lennbruck", "Marisca", "Tollen", "Brevik"]
KINDS = ["encyclopedia", "wiki", "news", "unknown"]
SAMPLE_S = 0.2


def _sentences() -> list[str]:
    found: list[str] = []
    for path in sorted(EXAMPLES.glob("*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            found += [s.strip() for s in SENTENCE.findall(line) if len(s.split()) >= 6]
    return found


def make_corpus(path: Path, docs: int, per_subject: int, seed: int, passage_kb: int = 0) -> int:
    """Write ``docs`` passages to ``path`` (each at least ``passage_kb`` KiB); return its
    size in bytes."""
    rng = random.Random(seed)
    sentences = _sentences()
    with path.open("w", encoding="utf-8") as handle:
        for i in range(docs):
            group = i // per_subject
            name = f"Anglo-{NAMES[group % len(NAMES)]} Agreement of {1700 + group}"
            body = rng.sample(sentences, k=min(len(sentences), rng.randint(8, 14)))
            if rng.random() < 0.3:  # this source gets the years wrong
                shift = rng.choice([-2, -1, 1, 3])
                body = [YEAR.sub(lambda m, s=shift: str(int(m.group(1)) + s), t) for t in body]
            while sum(len(t) + 1 for t in body) < passage_kb * 1024:
                body += rng.sample(sentences, k=min(len(sentences), 8))
            text = f"{name}\n\n" + " ".join(s.replace("Anglo-Soviet Agreement", name) for s in body)
            row = {"id": f"p{i:06d}", "text": text, "kind": rng.choice(KINDS)}
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    return path.stat().st_size


def _tree_rss_kib(pid: int) -> int:
    """Resident memory of ``pid`` and all its descendants, in KiB."""
    total = 0
    stack = [pid]
    while stack:
        current = stack.pop()
        try:
            with open(f"/proc/{current}/status") as handle:
                for line in handle:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
                        break
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as handle:
                    stack += [int(child) for child in handle.read().split()]
        except (FileNotFoundError, ProcessLookupError):
            continue
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--per-subject", type=int, default=5)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--engine", choices=["local", "ray"], default="local")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--passage-kb", type=int, default=0, help="least size of a passage")
    parser.add_argument("--keep", type=Path, help="keep the corpus and results in this directory")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="accord-batch-bench-") as scratch:
        work = args.keep or Path(scratch)
        work.mkdir(parents=True, exist_ok=True)
        corpus = work / "corpus.jsonl"
        size = make_corpus(corpus, args.docs, args.per_subject, args.seed, args.passage_kb)
        out = work / "results"
        command = [
            sys.executable,
            "-m",
            "accord",
            "batch",
            str(corpus),
            "--output",
            str(out),
            "--workers",
            str(args.workers),
            "--engine",
            args.engine,
        ]
        peak = 0
        started = time.perf_counter()
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        done = threading.Event()

        def sample() -> None:
            nonlocal peak
            while not done.is_set():
                peak = max(peak, _tree_rss_kib(process.pid))
                time.sleep(SAMPLE_S)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        stdout, stderr = process.communicate()
        elapsed = time.perf_counter() - started
        done.set()
        sampler.join()
        if process.returncode != 0:
            sys.exit(f"accord batch failed ({process.returncode}): {stderr.decode()[-2000:]}")
        largest = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # KiB on Linux
        summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))

    print(f"corpus: {args.docs:,} passages, {size / 2**20:.1f} MiB JSONL, seed {args.seed}")
    print(f"command: accord batch ... --workers {args.workers} --engine {args.engine}")
    print(stdout.decode().strip())
    print(f"wall time: {elapsed:.1f} s; by pass: {summary['seconds_by_pass']}")
    print(f"documents/s: {args.docs / elapsed:.2f}")
    print(f"peak RSS, process tree (sampled every {SAMPLE_S} s): {peak / 1024:.0f} MiB")
    print(f"peak RSS, largest single process (getrusage children): {largest / 1024:.0f} MiB")
    print(
        f"subjects: {summary['subjects']:,}; verdicts: {summary['verdicts_added']:,}; "
        f"contradictions: {summary['contradictions']:,}; failed: {summary['failed']:,}"
    )


if __name__ == "__main__":
    main()
