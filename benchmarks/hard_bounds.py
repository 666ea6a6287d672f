"""Hard per-document bounds: what a worker process costs small documents, and how hostile
inputs end under ``--max-seconds`` and ``--max-memory``.

Run ``python benchmarks/hard_bounds.py [--repeat R] [--max-seconds S] [--part routes|hostile]``.
``routes``: cold ``accord check`` of the bundled examples and of 20 synthetic small documents
(about 1,000 words each), as it runs them (in this process: they are under
``accord.per_document.IN_PROCESS_MAX_BYTES``) and with that threshold set to -1, which sends every
document to a worker process. ``hostile``: one cold ``accord check HOSTILE good.txt`` per
generated hostile input, its wall time against twice ``--max-seconds``, its outcome and the
peak resident memory of the largest process of the run (the command or one of its workers).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from measure import Figure, line
from run import EXAMPLES, synthetic_texts

SMALL_DOCUMENTS = 20
SENTENCE = "The Harbour Bridge was opened on 19 March 1932 in Sydney by the premier.\n"
GOOD = SENTENCE + "It carries eight lanes and was designed by John Bradfield.\n"


def _attributes() -> str:
    attributes = " ".join(f'a{i}="v"' for i in range(100_000))
    return f"<html><body><p {attributes}>{SENTENCE}</p></body></html>"


def _paragraphs() -> str:
    return "<html><body>" + "<p>x</p>" * 200_000 + f"<p>{SENTENCE}</p></body></html>"


def _link_definitions() -> str:
    return "".join(f"[l{i}]: http://example.com/{i}\n" for i in range(50_000)) + "\n" + SENTENCE


def _unclosed_tables() -> str:
    return "'''Bridge'''\n" + "{|\n|a\n" * 5000 + SENTENCE


HOSTILE: dict[str, tuple[str, Callable[[], str]]] = {
    "100,000 attributes": ("attributes.html", _attributes),
    "200,000 <p>": ("paragraphs.html", _paragraphs),
    "50,000 link defs": ("links.md", _link_definitions),
    "5,000 unclosed tables": ("tables.wiki", _unclosed_tables),
}

_FORCE_WORKERS = (
    "import sys, accord.per_document as per_document; per_document.IN_PROCESS_MAX_BYTES = -1; "
    "from accord.cli import cli; cli(sys.argv[1:])"
)


@dataclass(frozen=True)
class Run:
    """One cold run: wall seconds, exit status, the largest process's peak RSS, stdout."""

    seconds: float
    status: int
    peak_mib: float
    output: bytes


def _timed_run(args: Sequence[str]) -> Run:
    """Run ``args``; the peak RSS is of the largest of the process and its waited-for
    children (its workers), as ``wait4`` reports it."""
    started = time.monotonic()
    process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    output = process.stdout.read() if process.stdout else b""
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.stdout:
        process.stdout.close()
    return Run(time.monotonic() - started, process.returncode, usage.ru_maxrss / 1024, output)


def routes(repeat: int) -> list[str]:
    """Cold ``accord check`` of small documents in this process and in a worker."""
    lines = []
    with tempfile.TemporaryDirectory(prefix="accord-bounds-") as tmp:
        small = Path(tmp) / "small"
        small.mkdir()
        for i, text in enumerate(synthetic_texts(SMALL_DOCUMENTS)):
            (small / f"doc{i:02d}.txt").write_text(text, encoding="utf-8")
        for label, target in (("examples/", EXAMPLES), (f"{SMALL_DOCUMENTS} small", small)):
            for route, prefix in (
                ("in this process", [sys.executable, "-m", "accord"]),
                ("in a worker", [sys.executable, "-c", _FORCE_WORKERS]),
            ):
                runs = [_timed_run([*prefix, "check", str(target)]) for _ in range(repeat)]
                seconds = Figure(tuple(run.seconds for run in runs))
                peak = max(run.peak_mib for run in runs)
                lines.append(
                    line(f"check {label}, {route}", f"{seconds.show(2, 's')}, {peak:.0f} MiB")
                )
    return lines


def hostile(max_seconds: float, max_memory: str | None) -> list[str]:
    """One cold ``accord check`` per hostile input, next to one good document."""
    lines = []
    limits = ["--max-seconds", f"{max_seconds:g}"]
    if max_memory:
        limits += ["--max-memory", max_memory]
    with tempfile.TemporaryDirectory(prefix="accord-hostile-") as tmp:
        good = Path(tmp) / "good.txt"
        good.write_text(GOOD, encoding="utf-8")
        for label, (name, make) in HOSTILE.items():
            path = Path(tmp) / name
            path.write_text(make(), encoding="utf-8")
            command = [sys.executable, "-m", "accord", "check", str(path), str(good)]
            run = _timed_run([*command, "--format", "json", *limits])
            outcome = _outcome(run.output, str(path))
            bound = "within" if run.seconds <= 2 * max_seconds else "OVER"
            lines.append(
                line(
                    f"{label} ({path.stat().st_size / 1000:,.0f} kB)",
                    f"{run.seconds:.1f} s ({bound} 2 x {max_seconds:g} s), "
                    f"{run.peak_mib:.0f} MiB, exit {run.status}, {outcome}",
                )
            )
    return lines


def _outcome(output: bytes, source: str) -> str:
    """``checked``, or the error the hostile document failed with."""
    try:
        report = json.loads(output)
    except ValueError:
        return "no report"
    for failure in report["run"]["failures"]:
        if failure["source"] == source:
            return str(failure["error"])
    return "checked"


def main(argv: Sequence[str] | None = None) -> None:
    """Run the parts asked for and print one line per figure."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per route figure (median)")
    parser.add_argument("--max-seconds", type=float, default=10.0, help="per-document limit")
    parser.add_argument("--max-memory", default=None, help="per-document memory limit")
    parser.add_argument("--part", choices=("routes", "hostile"), action="append")
    args = parser.parse_args(argv)
    parts = args.part or ["routes", "hostile"]
    if "routes" in parts:
        for text in routes(args.repeat):
            print(text, flush=True)
    if "hostile" in parts:
        for text in hostile(args.max_seconds, args.max_memory):
            print(text, flush=True)


if __name__ == "__main__":
    main()
