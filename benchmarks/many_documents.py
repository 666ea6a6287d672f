"""Benchmark: one subject of many documents, checked end to end, and its report rendered.

Writes N synthetic ~1,000-word documents (the seeded generator of ``benchmarks/run.py``:
sentences of the bundled examples shuffled), all titled as the examples' subject, so that
every document is checked against every other. Prints each stage's time as the run records
it, the claims, pairs and verdicts by label, the time and size of each report format, and
the peak resident memory of this process after the check and after each report (each
written to a temporary file as ``accord check -o FILE`` writes it; the JSON report of a
large subject is large: every claim pair the aligner proposed has a verdict in it).

    python benchmarks/many_documents.py [--docs 100] [--formats json,html,md,text]
"""

from __future__ import annotations

import argparse
import io
import os
import resource
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import line, synthetic_texts  # the script's own directory, added above

FORMATS = {
    "json": "accord.json.v1",
    "html": "accord.html.v1",
    "md": "accord.markdown.v1",
}
SUBJECT = "Anglo-Soviet Agreement"


def write_corpus(folder: Path, count: int) -> None:
    """``count`` synthetic documents in ``folder``, each with the subject as its title line."""
    for i, text in enumerate(synthetic_texts(count)):
        body = text.split("\n\n", 1)[1]
        (folder / f"doc{i:04d}.txt").write_text(f"{SUBJECT}\n\n{body}", encoding="utf-8")


def render_terminal_text(report: object) -> str:
    from rich.console import Console

    from accord.report import render_terminal

    buffer = io.StringIO()
    render_terminal(report, Console(file=buffer, width=100, color_system=None))  # type: ignore[arg-type]
    return buffer.getvalue()


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=100, help="documents in the subject")
    parser.add_argument(
        "--formats", default="json,html,md,text", help="report formats to render, comma-separated"
    )
    parser.add_argument(
        "--all-verdicts",
        action="store_true",
        help="list NOT_MENTIONED verdicts in the JSON report too",
    )
    args = parser.parse_args(argv)

    from accord import pipeline
    from accord.report import reporters

    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        write_corpus(folder, args.docs)
        start = time.perf_counter()
        report = pipeline.run([str(folder)], pipeline.Settings())
        total = time.perf_counter() - start
    print(line("documents", f"{len(report.documents)}"))
    print(line("claims", f"{len(report.claims):,}"))
    labels = Counter(v.label.value for v in report.verdicts)
    shown = ", ".join(f"{n:,} {label}" for label, n in sorted(labels.items()))
    print(line("verdicts", f"{len(report.verdicts):,} ({shown})"))
    for stage, seconds in report.run.timings_s.items():
        print(line(f"stage {stage}", f"{seconds:.2f} s"))
    print(line("check, in all", f"{total:.2f} s"))
    print(line("peak RSS after the check", f"{_peak_mib():,.0f} MiB"))
    for name in [f.strip() for f in args.formats.split(",") if f.strip()]:
        start = time.perf_counter()
        with tempfile.TemporaryFile("w+", encoding="utf-8") as out:
            if name == "text":
                out.write(render_terminal_text(report))
            else:
                options = {"all_verdicts": True} if name == "json" and args.all_verdicts else {}
                reporter = reporters.get(FORMATS[name])(**options)
                write = getattr(reporter, "write", None)  # as accord check -o FILE writes it
                if write is not None:
                    write(report, out)
                else:
                    out.write(reporter.render(report))
            out.flush()
            size = os.fstat(out.fileno()).st_size
        seconds = time.perf_counter() - start
        shown = f"{seconds:.2f} s, {size / 2**20:,.1f} MiB; peak RSS so far {_peak_mib():,.0f} MiB"
        print(line(f"report {name}", shown))
        if name == "json":
            print(line("json report size", f"{size:,} bytes ({size / 1e6:,.1f} MB)"))


def _peak_mib() -> float:
    """This process's peak resident memory. Linux keeps ``ru_maxrss`` across ``exec``, so
    a script started by a large process would report that process's peak; the address
    space's high-water mark starts afresh."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for row in status:
                if row.startswith("VmHWM:"):
                    return int(row.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


if __name__ == "__main__":
    main()
