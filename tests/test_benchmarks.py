"""The benchmark script runs end to end at tiny sizes and prints every figure with a number."""

from __future__ import annotations

import functools
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NUMBER = r"\d+(?:\.\d+)?"
FIGURE = rf"{NUMBER} \S+ \({NUMBER}–{NUMBER}, n=1\)"  # median unit (min–max, n=R)


@functools.cache
def _output() -> str:
    """One run of the script, shared by the tests (fixtures live only in conftest.py)."""
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "benchmarks" / "run.py"),
            "--quick",
            "--docs",
            "2",
            "--parallel-docs",
            "4",
            "--repeat",
            "1",
            "--scale",
            "200,400",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.mark.parametrize(
    "pattern",
    [
        rf"accord --help \(cold\) +{FIGURE}",
        rf"accord check examples/ \(cold\) +{FIGURE}",
        rf"peak RSS \(largest child\) +{NUMBER} MiB",
        rf"ingest +{FIGURE}",
        rf"ingest\+claims +{FIGURE}",
        rf"claims \(claims/s\) +{FIGURE}",
        rf"ingest\+claims, \d+ processes +{FIGURE} \(4 documents, start-up included\)",
        rf"naive spaCy \(all components\) +{FIGURE}",
        rf"claims / naive spaCy time +{FIGURE}",
        rf"align \(bm25 \+ slot keys\) +{FIGURE}",
        rf"verify \(slots\) +{FIGURE}",
        rf"align 200 claims +{FIGURE}, \d+ pairs",
        rf"align 400 claims +{FIGURE}, \d+ pairs",
        rf"growth 200→400 +{FIGURE}",
        rf"all-pairs baseline 200 +{FIGURE}, \d+ pairs \(only at 200 claims\)",
        rf"bm25 / all-pairs 200 +{FIGURE}",
        rf"peak RSS \(this process\) +{NUMBER} MiB",
    ],
)
def test_benchmarks_run_prints_figure(pattern: str) -> None:
    assert re.search(rf"^{pattern}$", _output(), re.MULTILINE), _output()


def _script_output(script: str, *args: str) -> str:
    """The standard output of ``benchmarks/SCRIPT`` run with ``args``, which must succeed."""
    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / script), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_pipeline_components_prints_every_component_both_ways() -> None:
    out = _script_output("pipeline_components.py", "--docs", "1", "--repeat", "1")
    assert re.search(rf"^matrix product, BLIS +{NUMBER} GFLOPS$", out, re.MULTILINE), out
    assert re.search(rf"^matrix product, numpy +{NUMBER} GFLOPS$", out, re.MULTILINE), out
    for name in ("tok2vec", "parser", "ner", "lemmatizer"):
        assert re.search(rf"^{name} +{NUMBER}s +{NUMBER}s$", out, re.MULTILINE), out
    # the attribute ruler runs in spaCy's pipeline only, its table in accord's only
    assert re.search(rf"^attribute_ruler +{NUMBER}s +-$", out, re.MULTILINE), out
    assert re.search(rf"^token_attributes +- +{NUMBER}s$", out, re.MULTILINE), out


def test_many_documents_prints_stages_and_reports() -> None:
    out = _script_output("many_documents.py", "--docs", "3")
    assert re.search(r"^documents +3$", out, re.MULTILINE), out
    assert re.search(r"^verdicts +[\d,]+ \(.*\)$", out, re.MULTILINE), out
    for stage in ("claims", "align", "verify"):
        assert re.search(rf"^stage {stage} +{NUMBER} s$", out, re.MULTILINE), out
    for fmt in ("json", "html", "md", "text"):
        size = r"[\d,]+(?:\.\d+)?"
        pattern = rf"^report {fmt} +{NUMBER} s, {size} MiB; peak RSS so far {size} MiB$"
        assert re.search(pattern, out, re.MULTILINE), out
    assert re.search(r"^json report size +[\d,]+ bytes \([\d,.]+ MB\)$", out, re.MULTILINE), out
