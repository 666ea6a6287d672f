"""Benchmark: how long `accord check` takes on each hostile input the markup caps are for.

Writes each input (an HTML element with 100,000 attributes, 200,000 tiny paragraphs, Markdown
with 50,000 link definitions and 20,000 unclosed brackets or links, MediaWiki with 5,000
unclosed tables or tags, a paragraph of 20,000 citation markers) to a temporary directory,
runs `accord check FILE --format json` on each in a fresh process, and prints the exit status,
the seconds and the peak resident memory of that process. A run past --limit seconds is
killed and shown as such. Point --src at another checkout's src/ to compare versions.

    python benchmarks/hostile_inputs.py [--limit 120] [--src src] [--only NAME]
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SENTENCE = "The Harbour Bridge was opened on 19 March 1932 in Sydney."
DEFINITIONS = "".join(f"[r{i}]: http://example.com/{i}\n" for i in range(50_000))
INPUTS = {
    "html_100k_attributes.html": lambda: (
        "<html><body><p "
        + " ".join(f'a{i}="x"' for i in range(100_000))
        + f">{SENTENCE}</p></body></html>"
    ),
    "html_200k_paragraphs.html": lambda: (
        "<html><body>" + "<p>a</p>" * 200_000 + f"<p>{SENTENCE}</p></body></html>"
    ),
    "markdown_links.md": lambda: f"# Bridge\n\n{SENTENCE}\n\n{DEFINITIONS}\n" + "[\n" * 20_000,
    "markdown_unclosed_links.md": lambda: (
        f"# Bridge\n\n{SENTENCE}\n\n{DEFINITIONS}\n" + "[x](" * 20_000
    ),
    "wiki_unclosed_tables.wiki": lambda: (
        f"'''Bridge''' {SENTENCE}\n\n" + "{|\n|-\n| cell\n" * 5_000
    ),
    "wiki_unclosed_refs.wiki": lambda: f"'''Bridge''' {SENTENCE}\n\n" + '<ref name="a">x\n' * 5_000,
    "text_20k_citations.txt": lambda: f"{SENTENCE}\n\n" + "Word [1] " * 20_000,
}


def _check(path: Path, src: Path, limit_s: float) -> str:
    """One `accord check` of ``path`` in a fresh process: status, seconds, peak RSS."""
    env = {**os.environ, "PYTHONPATH": str(src)}
    command = [sys.executable, "-m", "accord", "check", str(path), "--format", "json"]
    started = time.monotonic()
    with subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    ) as process:
        try:
            status = str(process.wait(timeout=limit_s))
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
            status = "killed"
    seconds = time.monotonic() - started
    # Children's peak RSS so far: the largest of the runs up to this one (printed per run,
    # so run one input at a time with --only for a figure of its own).
    peak_mib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return f"exit {status}, {seconds:.1f} s, peak RSS so far {peak_mib:.0f} MiB"


def main() -> None:
    """Write the inputs and time a check of each."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=float, default=120.0, help="kill a run after this")
    parser.add_argument("--src", type=Path, default=Path(__file__).parents[1] / "src")
    parser.add_argument("--only", choices=sorted(INPUTS), help="time this input alone")
    args = parser.parse_args()
    names = [args.only] if args.only else list(INPUTS)
    with tempfile.TemporaryDirectory() as folder:
        for name in names:
            path = Path(folder) / name
            path.write_text(INPUTS[name](), encoding="utf-8")
            print(f"{name}: {_check(path, args.src.resolve(), args.limit)}", flush=True)


if __name__ == "__main__":
    main()
