"""``-`` as a path: a document read from standard input, named ``<stdin>`` in reports."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
WIKI = "examples/wikipedia_anglo_soviet_agreement.txt"
ENGLISH = (
    "Anglo-Soviet Agreement\n\nThe Anglo-Soviet Agreement was signed in Moscow on 12 July 1941 "
    "by Stafford Cripps and Vyacheslav Molotov.\n"
)
GERMAN = (
    "Britisch-sowjetisches Abkommen\n\nDas Abkommen wurde am 12. Juli 1941 in Moskau von "
    "Stafford Cripps und Wjatscheslaw Molotow unterzeichnet. Beide Regierungen verpflichteten "
    "sich, einander im Krieg gegen Deutschland zu unterstützen.\n"
)


def _accord(*args: str, stdin: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "accord", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
        check=False,
    )


@pytest.mark.integration
@pytest.mark.parametrize(("text", "language"), [(ENGLISH, "en"), (GERMAN, "de")])
def test_check_reads_stdin_and_names_it(text: str, language: str) -> None:
    result = _accord("check", "-", WIKI, "--format", "json", stdin=text)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    stdin_doc, wiki = report["documents"]
    assert stdin_doc["source"] == "<stdin>"
    assert stdin_doc["char_count"] == len(text.strip())
    assert (stdin_doc["language"], wiki["language"]) == (language, "en")
    warnings = report["run"]["warnings"]
    stderr_warnings = [line for line in result.stderr.splitlines() if "WARNING" in line]
    if language == "en":
        assert warnings == [] and stderr_warnings == []
    else:
        assert warnings == ["<stdin>: in German (de); accord reads English only"]
        assert len(stderr_warnings) == 1 and "<stdin>: in German (de)" in stderr_warnings[0]


@pytest.mark.parametrize(
    ("args", "text", "message"),
    [
        (("check", "-", "-"), ENGLISH, "more than once"),
        (("check", "-"), "", "<stdin>"),
    ],
)
def test_check_bad_stdin_is_one_error_line(args: tuple[str, ...], text: str, message: str) -> None:
    result = _accord(*args, stdin=text)
    assert result.returncode == 2
    assert result.stdout == ""
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("error: ") and message in line


@pytest.mark.integration
@pytest.mark.parametrize("case", ["add"])
def test_add_reads_stdin(tmp_path: Path, case: str) -> None:
    store = str(tmp_path / "corpus.db")
    result = _accord(case, "-", "--store", store, stdin=ENGLISH)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("added: <stdin> -> 'Anglo-Soviet Agreement'")
