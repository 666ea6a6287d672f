"""Runs over hostile directories and faults: bad files among good ones, symlink loops,
unreadable files, too many documents, interrupted runs, atomic output."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

import accord
from accord.cli import EXIT_INTERRUPTED, EXIT_TERMINATED, cli
from accord.errors import DocumentTimeoutError, SourceNotFoundError
from accord.limits import check_deadline, checked, time_limit

pytestmark = pytest.mark.usefixtures("restore_accord_logger")

GOOD = (
    "The Harbour Bridge was opened on 19 March 1932 in Sydney.\n\n"
    "It was designed by John Bradfield. The bridge carries eight lanes.\n"
)
OTHER = "The Harbour Bridge opened in March 1932. Bradfield designed it.\n"
SIGNAL_WAIT_S = 120  # how long a signalled run may take to stop before the test fails


def _invoke(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def _json(result: Result) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def _one_line(result: Result) -> str:
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


@pytest.mark.integration
@pytest.mark.parametrize("bad", ["binary", "empty", "undecodable_utf16", "too_big"])
def test_run_bad_file_among_good_is_a_failure(tmp_path: Path, bad: str) -> None:
    (tmp_path / "a.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "b.txt").write_text(OTHER, encoding="utf-8")
    content = {
        "binary": b"\x7fELF" + bytes(300),
        "empty": b"",
        "undecodable_utf16": b"\xff\xfe" + b"\x00\xd8" * 10,  # a BOM, then lone surrogates
        "too_big": b"The bridge opened in 1932. " * 400,
    }[bad]
    (tmp_path / "c_bad.txt").write_bytes(content)
    result = _invoke("check", str(tmp_path), "--format", "json", "--max-bytes", "5000")
    assert result.exit_code == 0, result.stderr
    data = _json(result)
    sources = sorted(Path(d["source"]).name for d in data["documents"])
    failed = [Path(f["source"]).name for f in data["run"]["failures"]]
    if bad == "undecodable_utf16":
        assert "c_bad.txt" in sources + failed  # decoded with replacements, or refused
    else:
        assert failed == ["c_bad.txt"]
    assert sources[:2] == ["a.txt", "b.txt"]
    assert "Traceback" not in result.stderr


@pytest.mark.integration
@pytest.mark.parametrize("fmt", ["text", "md"])
def test_run_failures_rendered_at_the_end(tmp_path: Path, fmt: str) -> None:
    (tmp_path / "a.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "z.txt").write_bytes(b"%PDF-1.4 binary")
    result = _invoke("check", str(tmp_path / "a.txt"), str(tmp_path / "z.txt"), "--format", fmt)
    assert result.exit_code == 0, result.stderr
    heading = "Could not check (1)"
    assert heading in result.stdout
    assert result.stdout.rindex(heading) > result.stdout.rindex("Run")
    assert "z.txt" in result.stdout.split(heading)[1]


@pytest.mark.integration
@pytest.mark.parametrize("case", ["all_bad"])
def test_run_every_input_failing_is_one_error_line(tmp_path: Path, case: str) -> None:
    (tmp_path / "a.txt").write_bytes(b"")
    (tmp_path / "b.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(100))
    result = _invoke("check", str(tmp_path), "--format", "json")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert _one_line(result).startswith("error: ")


@pytest.mark.integration
@pytest.mark.parametrize("case", ["missing_among_good"])
def test_run_missing_path_among_good_is_a_failure(tmp_path: Path, case: str) -> None:
    (tmp_path / "a.txt").write_text(GOOD, encoding="utf-8")
    missing = tmp_path / "gone.txt"
    result = _invoke("check", str(tmp_path / "a.txt"), str(missing), "--format", "json")
    assert result.exit_code == 0, result.stderr
    failures = _json(result)["run"]["failures"]
    assert [(f["source"], f["error"]) for f in failures] == [(str(missing), "SourceNotFoundError")]


@pytest.mark.integration
@pytest.mark.parametrize("case", ["symlink_loop"])
def test_run_symlink_loop_in_directory(tmp_path: Path, case: str) -> None:
    (tmp_path / "a.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "loop").symlink_to(tmp_path, target_is_directory=True)
    (tmp_path / "self.txt").symlink_to(tmp_path / "self.txt")
    (tmp_path / "x.txt").symlink_to(tmp_path / "y.txt")
    (tmp_path / "y.txt").symlink_to(tmp_path / "x.txt")
    started = time.monotonic()
    result = _invoke("check", str(tmp_path), "--format", "json")
    assert time.monotonic() - started < 60
    assert result.exit_code in (0, 2), result.stderr
    assert "Traceback" not in result.stderr
    if result.exit_code == 0:
        names = [Path(d["source"]).name for d in _json(result)["documents"]]
        assert "a.txt" in names


@pytest.mark.integration
@pytest.mark.parametrize("case", ["chmod_000"])
def test_run_unreadable_file(tmp_path: Path, case: str) -> None:
    (tmp_path / "a.txt").write_text(GOOD, encoding="utf-8")
    locked = tmp_path / "locked.txt"
    locked.write_text(OTHER, encoding="utf-8")
    locked.chmod(0)
    try:
        result = _invoke("check", str(tmp_path), "--format", "json")
    finally:
        locked.chmod(0o644)
    assert result.exit_code == 0, result.stderr
    data = _json(result)
    names = [Path(d["source"]).name for d in data["documents"]]
    failed = {Path(f["source"]).name: f for f in data["run"]["failures"]}
    # Root (as CI runs) reads a chmod 000 file anyway; anyone else gets a failure for it.
    if os.geteuid() == 0:
        assert "locked.txt" in names
    else:
        assert failed["locked.txt"]["error"] == "IngestError"
    assert "a.txt" in names


@pytest.mark.parametrize("limit", [2])
def test_run_too_many_documents_refused(tmp_path: Path, limit: int) -> None:
    for n in range(limit + 1):
        (tmp_path / f"d{n}.txt").write_text(GOOD, encoding="utf-8")
    result = _invoke("check", str(tmp_path), "--max-documents", str(limit))
    assert result.exit_code == 2
    line = _one_line(result)
    assert line.startswith("error: 3 documents given, over the limit of 2")
    assert "--max-documents" in line


@pytest.mark.integration
@pytest.mark.parametrize("limit_s", [1e-9])
def test_run_time_limit_fails_document_not_run(tmp_path: Path, limit_s: float) -> None:
    (tmp_path / "a.txt").write_text(GOOD, encoding="utf-8")
    report = accord.check([tmp_path / "a.txt"], max_seconds_per_document=None)
    assert report.documents and not report.run.failures
    with pytest.raises(DocumentTimeoutError, match="took longer than the limit"):
        accord.check([tmp_path / "a.txt"], max_seconds_per_document=limit_s)


@pytest.mark.parametrize("seconds", [0.05])
def test_limits_deadline_raises_only_inside_block(seconds: float) -> None:
    check_deadline()  # no deadline set: nothing happens
    with time_limit(seconds, "doc.txt"):
        check_deadline()
        time.sleep(seconds * 2)
        with pytest.raises(DocumentTimeoutError, match=r"doc\.txt took longer than"):
            list(checked([1, 2, 3]))
    check_deadline()
    with time_limit(None, "doc.txt"):
        assert list(checked([1, 2])) == [1, 2]


@pytest.mark.parametrize("case", ["missing"])
def test_run_library_missing_only_input_raises(tmp_path: Path, case: str) -> None:
    with pytest.raises(SourceNotFoundError):
        accord.check([tmp_path / "nope.txt"])


def _start_check(tmp_path: Path, output: Path) -> subprocess.Popen[str]:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    paragraph = "The Harbour Bridge was opened on 19 March 1932 in Sydney by the premier. " * 40
    for n in range(60):
        (corpus / f"doc{n:02d}.txt").write_text((paragraph + "\n\n") * 20, encoding="utf-8")
    command = [sys.executable, "-m", "accord", "check", str(corpus), "--format", "json"]
    return subprocess.Popen(
        [*command, "-o", str(output), "--max-seconds", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )


@pytest.mark.integration
@pytest.mark.parametrize(
    ("signum", "code", "word"),
    [
        (signal.SIGTERM, EXIT_TERMINATED, "terminated"),
        (signal.SIGINT, EXIT_INTERRUPTED, "interrupted"),
    ],
)
def test_run_signal_stops_cleanly(tmp_path: Path, signum: int, code: int, word: str) -> None:
    output = tmp_path / "report.json"
    process = _start_check(tmp_path, output)
    try:
        time.sleep(8)  # past start-up: reading documents or extracting claims
        assert process.poll() is None, process.communicate()
        process.send_signal(signum)
        stdout, stderr = process.communicate(timeout=SIGNAL_WAIT_S)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == code, stderr
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {word}"), stderr
    assert "Traceback" not in stderr
    assert stdout == ""
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corpus"]  # no partial or temp file


@pytest.mark.parametrize("fmt", ["json"])
def test_run_output_is_atomic_on_interrupt(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, fmt: str
) -> None:
    from accord.cli import base as cli_module
    from accord.cli.interrupt import Terminated

    target = tmp_path / "report.json"
    target.write_text("previous report", encoding="utf-8")
    real_fsync = os.fsync

    def fsync_then_terminate(fd: int) -> None:
        real_fsync(fd)
        raise Terminated("SIGTERM")  # arrives mid-write, after the temp file has content

    monkeypatch.setattr(cli_module.os, "fsync", fsync_then_terminate)
    (tmp_path / "a.txt").write_text(GOOD, encoding="utf-8")
    result = _invoke("check", str(tmp_path / "a.txt"), "--format", fmt, "-o", str(target))
    assert result.exit_code == EXIT_TERMINATED
    assert target.read_text(encoding="utf-8") == "previous report"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt", "report.json"]


@pytest.mark.integration
@pytest.mark.parametrize("fmt", ["json", "md", "text"])
def test_issue_8_non_utf8_file_name_gives_valid_utf8_report(tmp_path: Path, fmt: str) -> None:
    directory = os.fsencode(tmp_path)
    with open(directory + b"/\xff\xfe bad name.txt", "wb") as handle:
        handle.write(GOOD.encode("utf-8"))
    with open(directory + b"/\xfe binary.txt", "wb") as handle:
        handle.write(b"\x7fELF" + bytes(100))
    (tmp_path / "good.txt").write_text(OTHER, encoding="utf-8")
    result = _invoke("check", str(tmp_path), "--format", fmt)
    assert result.exit_code == 0, result.stderr
    result.stdout.encode("utf-8")
    assert "good.txt" in result.stdout or fmt == "text"  # the terminal shows titles
    if fmt == "json":
        data = _json(result)
        names = sorted(Path(d["source"]).name for d in data["documents"])
        assert names == ["\\xff\\xfe bad name.txt", "good.txt"]
        assert [Path(f["source"]).name for f in data["run"]["failures"]] == ["\\xfe binary.txt"]


@pytest.mark.parametrize("count", [5000])
def test_issue_8_many_files_refused_fast(tmp_path: Path, count: int) -> None:
    for n in range(count):
        (tmp_path / f"d{n:05d}.txt").write_text("The bridge opened in 1932.", encoding="utf-8")
    (tmp_path / "README.md").write_text("A readme.", encoding="utf-8")
    started = time.monotonic()
    result = _invoke("check", str(tmp_path), "--max-documents", "10")
    assert time.monotonic() - started < 20  # listing was quadratic: minutes for 20,000 files
    assert result.exit_code == 2
    assert _one_line(result).startswith(f"error: {count:,} documents given")
