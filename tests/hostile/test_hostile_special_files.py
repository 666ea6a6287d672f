"""Pipes, sockets and devices are refused, never opened: opening a named pipe for reading
blocks until something writes to it, so each run here is a subprocess with a timeout and a
hang fails the test."""

from __future__ import annotations

import json
import os
import socket
import stat
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from accord.ingest.files import is_special_file, special_kind

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")

GOOD = "The Harbour Bridge was opened on 19 March 1932 in Sydney. It has eight lanes.\n"
OTHER = "The Harbour Bridge opened in March 1932. Bradfield designed it.\n"
HANG_GUARD_S = 120  # a run that has not ended by then is hung on the pipe


def _run(argv: list[str], env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*argv, *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=HANG_GUARD_S,
        check=False,
        stdin=subprocess.DEVNULL,
    )


@pytest.fixture
def unix_socket(tmp_path: Path) -> Iterator[Path]:
    """A bound Unix socket file (its path kept short: the limit is about 100 bytes)."""
    path = tmp_path / "s.txt"
    if len(str(path)) > 100:
        pytest.skip("the temporary directory's path is too long for a Unix socket")
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(str(path))
    try:
        yield path
    finally:
        server.close()


def _special(tmp_path: Path, kind: str, name: str, request: pytest.FixtureRequest) -> Path:
    if kind == "socket":
        path: Path = request.getfixturevalue("unix_socket")
        return path
    path = tmp_path / name
    os.mkfifo(path)
    return path


@pytest.mark.parametrize(
    ("mode", "expected"),
    [
        (stat.S_IFIFO, "a named pipe (FIFO)"),
        (stat.S_IFSOCK, "a socket"),
        (stat.S_IFCHR, "a character device"),
        (stat.S_IFBLK, "a block device"),
        (stat.S_IFREG, None),
        (stat.S_IFDIR, None),
    ],
)
def test_special_kind_names_what_is_refused(mode: int, expected: str | None) -> None:
    assert special_kind(mode | 0o644) == expected


@pytest.mark.parametrize("name", ["p.txt"])
def test_is_special_file_tells_a_fifo_without_opening_it(tmp_path: Path, name: str) -> None:
    os.mkfifo(tmp_path / name)
    (tmp_path / "a.txt").write_text(GOOD, encoding="utf-8")
    assert is_special_file(tmp_path / name)
    assert not is_special_file(tmp_path / "a.txt")
    assert not is_special_file(tmp_path / "missing.txt")


@pytest.mark.parametrize("command", ["check", "add", "batch"])
@pytest.mark.parametrize("kind", ["fifo", "socket"])
@pytest.mark.parametrize("name", ["p.txt", "p.jsonl", "p.xml.bz2"])
def test_special_file_alone_is_one_error_line(
    batch_argv: list[str],
    batch_env: dict[str, str],
    tmp_path: Path,
    request: pytest.FixtureRequest,
    command: str,
    kind: str,
    name: str,
) -> None:
    special = _special(tmp_path, kind, name, request)
    args = {
        "check": ["check", str(special)],
        "add": ["add", str(special), "--store", str(tmp_path / "c.db")],
        "batch": ["batch", str(special), "--output", str(tmp_path / "out")],
    }[command]
    extractor = ["--extractor", "accord.fake.v1"] if command != "check" else []
    done = _run(batch_argv, batch_env, *args, *extractor)
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    refusal = [line for line in lines if "not a regular file" in line]
    assert len(refusal) == 1, done.stderr
    assert str(special) in refusal[0]
    assert done.returncode == 2, done.stderr
    assert lines == refusal
    assert lines[0].startswith("error: ")
    assert done.stdout == ""


@pytest.mark.parametrize("command", ["check", "add", "batch"])
@pytest.mark.parametrize("name", ["p.txt", "q.jsonl", "r.xml"])
def test_fifo_in_a_directory_is_a_failure_and_the_rest_checked(
    batch_argv: list[str], batch_env: dict[str, str], tmp_path: Path, command: str, name: str
) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "a.txt").write_text(GOOD, encoding="utf-8")
    (folder / "b.txt").write_text(OTHER, encoding="utf-8")
    os.mkfifo(folder / name)
    args = {
        "check": ["check", str(folder), "--format", "json"],
        "add": ["add", str(folder), "--store", str(tmp_path / "c.db")],
        "batch": ["batch", str(folder), "--output", str(tmp_path / "out")],
    }[command]
    extractor = ["--extractor", "accord.fake.v1"] if command != "check" else []
    done = _run(batch_argv, batch_env, *args, *extractor)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    if command == "check":  # the failure is in the report (stderr's warning may wrap)
        report = json.loads(done.stdout)
        assert sorted(d["source"] for d in report["documents"]) == [
            str(folder / "a.txt"),
            str(folder / "b.txt"),
        ]
        failures = [(f["source"], f["error"]) for f in report["run"]["failures"]]
        assert failures == [(str(folder / name), "NotAFileError")]
        return
    refusal = [line for line in done.stderr.splitlines() if "not a regular file" in line]
    assert len(refusal) == 1, done.stderr
    assert refusal[0].startswith(f"failed: {folder / name}: ")
    if command == "add":
        assert done.stdout.count("added: ") == 2
    else:
        assert "2 added" in done.stdout and "1 failed" in done.stdout


@pytest.mark.parametrize("name", ["a.txt.meta.json"])
def test_fifo_sidecar_fails_its_document_without_blocking(
    batch_argv: list[str], batch_env: dict[str, str], tmp_path: Path, name: str
) -> None:
    (tmp_path / "a.txt").write_text(GOOD, encoding="utf-8")
    os.mkfifo(tmp_path / name)
    done = _run(batch_argv, batch_env, "check", str(tmp_path / "a.txt"))
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    (line,) = done.stderr.strip().splitlines()
    assert "sidecar" in line and "named pipe" in line


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["check", "{a}", "{b}", "--entities", "{p}"], "entity file {p} (given with --entities)"),
        (["batch", "{a}", "--output", "{out}", "--entities", "{p}"], "entity file {p}"),
        (["add", "{a}", "--store", "{p}"], "store {p} is a named pipe (FIFO)"),
        (["check", "--store", "{p}"], "store {p} is a named pipe (FIFO)"),
        (["batch", "{a}", "--store", "{p}"], "store {p} is a named pipe (FIFO)"),
    ],
    ids=["check-entities", "batch-entities", "add-store", "check-store", "batch-store"],
)
def test_fifo_given_as_an_option_file_is_one_error_line(
    batch_argv: list[str],
    batch_env: dict[str, str],
    tmp_path: Path,
    args: list[str],
    message: str,
) -> None:
    names = {"a": tmp_path / "a.txt", "b": tmp_path / "b.txt", "p": tmp_path / "p.json"}
    names["a"].write_text(GOOD, encoding="utf-8")
    names["b"].write_text(OTHER, encoding="utf-8")
    os.mkfifo(names["p"])
    values = {key: str(path) for key, path in names.items()} | {"out": str(tmp_path / "out")}
    extractor = ["--extractor", "accord.fake.v1"] if args[0] in ("add", "batch") else []
    done = _run(batch_argv, batch_env, *[arg.format(**values) for arg in args], *extractor)
    assert done.returncode == 2, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert message.format(**values) in lines[0]
    assert "not a" in lines[0]
    assert stat.S_ISFIFO(os.stat(names["p"]).st_mode)  # left as it was, never replaced
