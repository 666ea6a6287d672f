"""Hard per-document bounds: a document whose ingest or claims never yield (a parser stuck in
C code) is killed at its deadline, one that needs too much memory is stopped at its limit;
each becomes a failure while the other documents are still checked."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any, ClassVar

import pytest

import accord
from accord.errors import ConfigError, DocumentMemoryError, DocumentTimeoutError
from accord.ingest import read_text
from accord.limits import format_size, parse_size
from accord.model import Claim, Document
from accord.per_document import IN_PROCESS_MAX_BYTES, Failures, extract_each, runs_in_process
from accord.pipeline import Settings

SENTENCE = "The Harbour Bridge was opened on 19 March 1932 in Sydney by the premier."
RUN_WAIT_S = 240  # a run that takes longer hangs: the test fails instead of waiting forever
MEMORY_LIMIT = 600 * 1000**2  # far above an idle worker, far below what the hog asks for

# Loaded by every process started with it on PYTHONPATH (the CLI and its workers): reading a
# document whose name says so stalls without ever reaching a deadline check, or allocates
# until memory runs out, as a parser stuck in C code would.
HOOKS = """
import time

import accord.per_document as per_document

_read_one = per_document._read_one


def _stalling_read_one(name, source, settings):
    if "stall" in name:
        time.sleep(600)
    if "hog" in name:
        held = []
        while len(held) < 512:  # 8 GiB at most, should the limit not hold
            held.append(bytearray(16 * 1024**2))
    return _read_one(name, source, settings)


per_document._read_one = _stalling_read_one
"""


class _StallingExtractor:
    """Extracts nothing; stalls on a document that says STALL, allocates without end on one
    that says HOG."""

    name: ClassVar[str] = "test.stalling.v1"

    def __init__(self, entity_files: Sequence[Path] = ()) -> None:
        self.entity_files = tuple(entity_files)

    def extract(self, documents: Sequence[Document]) -> list[Claim]:
        for document in documents:
            if "STALL" in document.text:
                time.sleep(600)
            if "HOG" in document.text:
                held = []
                while len(held) < 512:
                    held.append(bytearray(16 * 1024**2))
        return []

    def describe(self) -> str:
        return "stalls on demand"


def _large(mark: str, name: str) -> Document:
    """A document over ``IN_PROCESS_MAX_BYTES``, so that it runs in a worker process."""
    text = f"{mark} {SENTENCE}\n\n" * (IN_PROCESS_MAX_BYTES // len(SENTENCE) + 1)
    return read_text(text, name=name)


@pytest.mark.parametrize("limit_s", [2.0])
def test_extract_each_kills_a_stalled_document_and_checks_the_next(limit_s: float) -> None:
    stalled, good = _large("STALL", "stall.txt"), _large("Fine", "good.txt")
    failures = Failures()
    settings = Settings(max_seconds_per_document=limit_s)
    started = time.monotonic()
    documents, _ = extract_each(
        _StallingExtractor(), [(stalled, 0.0), (good, 0.0)], settings, failures
    )
    assert time.monotonic() - started < RUN_WAIT_S  # a generous bound: it stalls for 600 s
    assert documents == [good]  # extracted by the worker that replaced the killed one
    (failure,) = failures.items
    assert failure.error == DocumentTimeoutError.__name__
    assert "stall.txt took longer than the limit of 2 s" in failure.message


@pytest.mark.parametrize("limit", [MEMORY_LIMIT])
def test_extract_each_stops_a_document_over_the_memory_limit(limit: int) -> None:
    hog, good = _large("HOG", "hog.txt"), _large("Fine", "good.txt")
    failures = Failures()
    settings = Settings(max_memory_per_document=limit)
    documents, _ = extract_each(_StallingExtractor(), [(hog, 0.0), (good, 0.0)], settings, failures)
    assert documents == [good]
    (failure,) = failures.items
    assert failure.error == DocumentMemoryError.__name__
    assert "hog.txt needed more than the limit of 600 MB of memory" in failure.message


@pytest.mark.parametrize(
    ("sizes", "settings", "expected"),
    [
        ([100, IN_PROCESS_MAX_BYTES], Settings(), True),
        ([100, IN_PROCESS_MAX_BYTES + 1], Settings(), False),
        ([100, 100], Settings(workers=2), False),
        ([10**7], Settings(max_seconds_per_document=None, max_memory_per_document=None), True),
    ],
)
def test_runs_in_process_only_small_documents_of_one_process(
    sizes: list[int], settings: Settings, expected: bool
) -> None:
    assert runs_in_process(sizes, settings) is expected


def _check(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``accord check`` in a process of its own, with the stalling reader installed."""
    hooks = tmp_path / "hooks"
    hooks.mkdir(exist_ok=True)
    (hooks / "sitecustomize.py").write_text(HOOKS, encoding="utf-8")
    src = Path(accord.__file__).resolve().parents[1]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(hooks), str(src)])}
    command = [sys.executable, "-m", "accord", "check", *args, "--format", "json"]
    return subprocess.run(
        command, capture_output=True, text=True, env=env, timeout=RUN_WAIT_S, check=False
    )


def _write_large(path: Path) -> Path:
    path.write_text(f"{SENTENCE}\n\n" * (IN_PROCESS_MAX_BYTES // len(SENTENCE) + 1))
    return path


@pytest.mark.integration
@pytest.mark.parametrize(
    ("name", "limits", "error", "message"),
    [
        (
            "stall.txt",
            ["--max-seconds", "2"],
            "DocumentTimeoutError",
            "longer than the limit of 2 s",
        ),
        (
            "hog.txt",
            ["--max-memory", "600MB"],
            "DocumentMemoryError",
            "more than the limit of 600 MB",
        ),
    ],
)
def test_cli_document_over_a_hard_limit_is_listed_and_the_rest_checked(
    tmp_path: Path, name: str, limits: list[str], error: str, message: str
) -> None:
    bad = _write_large(tmp_path / name)
    good = tmp_path / "good.txt"
    good.write_text(f"{SENTENCE} It carries eight lanes.\n", encoding="utf-8")
    result = _check(tmp_path, str(bad), str(good), *limits)
    assert result.returncode == 0, result.stderr
    report: dict[str, Any] = json.loads(result.stdout)
    assert [d["source"] for d in report["documents"]] == [str(good)]
    (failure,) = report["run"]["failures"]
    assert failure["source"] == str(bad)
    assert failure["error"] == error
    assert message in failure["message"]
    assert "Traceback" not in result.stderr


@pytest.mark.integration
@pytest.mark.parametrize(
    ("name", "limits", "message"),
    [
        ("stall.txt", ["--max-seconds", "2"], "took longer than the limit of 2 s"),
        ("hog.txt", ["--max-memory", "600MB"], "needed more than the limit of 600 MB"),
    ],
)
def test_cli_one_document_over_a_hard_limit_is_a_one_line_error(
    tmp_path: Path, name: str, limits: list[str], message: str
) -> None:
    bad = _write_large(tmp_path / name)
    result = _check(tmp_path, str(bad), *limits)
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert message in lines[0]


@pytest.mark.integration
@pytest.mark.parametrize("size", ["lots", "-1GiB", "1.5 GiBs"])
def test_cli_bad_memory_limit_is_a_usage_error(tmp_path: Path, size: str) -> None:
    good = tmp_path / "good.txt"
    good.write_text(SENTENCE, encoding="utf-8")
    result = _check(tmp_path, str(good), "--max-memory", size)
    assert result.returncode == 2
    assert "is not a size" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("text", "size", "shown"),
    [
        ("1.5GiB", 3 * 1024**3 // 2, "1.5 GiB"),
        ("800MB", 800 * 1000**2, "800 MB"),
        ("2 gib", 2 * 1024**3, "2 GiB"),
        ("1048576", 1024**2, "1 MiB"),
        ("512", 512, "512 B"),
    ],
)
def test_parse_size_reads_units_and_format_size_names_them(
    text: str, size: int, shown: str
) -> None:
    assert parse_size(text) == size
    assert format_size(size) == shown


@pytest.mark.parametrize("text", ["", "lots", "0", "1.5 GiBs", "-1GiB", "GiB"])
def test_parse_size_refuses_what_is_no_size(text: str) -> None:
    with pytest.raises(ConfigError, match="size"):
        parse_size(text)


@pytest.mark.integration
@pytest.mark.parametrize("size", ["1.5GiB"])
def test_check_api_takes_a_memory_limit_in_words(size: str) -> None:
    report = accord.check(
        [f"{SENTENCE} It has eight lanes.", "The Harbour Bridge opened in 1932 in Sydney."],
        max_memory_per_document=size,
    )
    assert len(report.documents) == 2
    with pytest.raises(ConfigError, match="is not a size"):
        accord.check([SENTENCE], max_memory_per_document="a lot")
