"""Runs the coverage-guided ingest fuzz target (fuzz/ingest_fuzz.py) for a bounded time.

The run ends after ``FUZZ_RUNS`` executions from a fixed seed (or ``FUZZ_SECONDS``, whichever
comes first), and must end with no finding. Raise the bounds for a longer hunt with
ACCORD_ATHERIS_RUNS, ACCORD_ATHERIS_SECONDS and ACCORD_ATHERIS_SEED.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TARGET = ROOT / "fuzz" / "ingest_fuzz.py"
FUZZ_SECONDS = int(os.environ.get("ACCORD_ATHERIS_SECONDS", "60"))  # upper bound on the run
# A fixed seed and number of executions make the CI run repeatable: the same inputs every
# time (about 20 s on 2 cores). Raise both through the environment for a longer hunt.
FUZZ_RUNS = int(os.environ.get("ACCORD_ATHERIS_RUNS", "10000"))
FUZZ_SEED = int(os.environ.get("ACCORD_ATHERIS_SEED", "1"))
SEEDS = {
    "html": b"<!DOCTYPE html><html><head><title>T</title></head><body><nav>Home</nav>"
    b"<h1>Bridge</h1><p>The bridge opened on 19 March 1932.</p><ul><li>Sydney</li></ul>"
    b"<table><tr><td>1932</td></tr></table><script>x()</script></body></html>",
    "wiki": b"'''Bridge''' was opened on {{start date|1932|3|19}} in [[Sydney|the city]].\n"
    b"== History ==\n{{Infobox bridge|name=Harbour}}\n* item<ref>cite</ref>\n[[Category:X]]",
    "markdown": b"---\ntitle: Bridge\n---\n# Bridge\n\nIt **opened** in 1932. [link](http://x)\n\n"
    b"- one\n- two\n\n```\ncode\n```\n\n| a | b |\n|---|---|\n| 1 | 2 |\n",
    "text": b"Bridge\n\nOpened: 19 March 1932\nPlace: Sydney\n\nThe bridge was opened in 1932.\n",
    "utf16": "The bridge opened in 1932 in Sydney.".encode("utf-16"),
    "cp1252": "The \u201cbridge\u201d opened \u2014 in 1932.".encode("cp1252"),
    # The target reads its last byte as the choice: 5 is the JSONL reader, 6 the dump reader.
    "jsonl": b'{"text": "The bridge opened in 1932.", "title": "Bridge", "id": 7, '
    b'"metadata": {"a": "b"}, "format": "mediawiki"}\n[[1]]\n{"text": "\\udc80 x"}\n\x05',
    "dump": b'<mediawiki xmlns="http://www.mediawiki.org/xml/export-0.11/"><siteinfo>'
    b"<sitename>W</sitename></siteinfo><page><title>Bridge</title><ns>0</ns><revision>"
    b"<text>'''Bridge''' opened in 1932.{|\n| a\n&lt;ref&gt;x</text></revision></page>"
    b"</mediawiki>\x06",
}


@pytest.mark.slow
@pytest.mark.parametrize("target", [TARGET])
def test_fuzz_ingest_atheris_bounded_run_finds_nothing(tmp_path: Path, target: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name, data in SEEDS.items():
        (corpus / name).write_bytes(data)
    command = [
        sys.executable,
        str(target),
        f"-max_total_time={FUZZ_SECONDS}",
        f"-runs={FUZZ_RUNS}",
        f"-seed={FUZZ_SEED}",
        f"-artifact_prefix={tmp_path}/",
        "-print_final_stats=1",
        str(corpus),
    ]
    result = subprocess.run(
        command, capture_output=True, text=True, timeout=FUZZ_SECONDS + 120, cwd=ROOT
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-4000:]
    assert "Uncaught Python exception" not in output
    assert not list(tmp_path.glob("crash-*")), output[-4000:]
    done = re.search(r"Done (\d+) runs in (\d+) second", output)
    assert done is not None, output[-4000:]
    assert int(done.group(1)) > 0
    assert int(done.group(2)) <= FUZZ_SECONDS + 5
