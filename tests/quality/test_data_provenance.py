"""No data file in the repository holds a public test split, whole or a line of it.

The test splits are kept for published figures; a test, a training file or the quality gate
that read them would make those figures optimistic. ``test_split_digests.json`` (written by
``make_test_split_digests.py``) holds the sha256 of each split's file and a short digest of
each of its lines, so the check needs no copy of the splits.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from make_test_split_digests import line_digest

ROOT = Path(__file__).resolve().parents[2]
DIGESTS = json.loads(Path(__file__).with_name("test_split_digests.json").read_text("utf-8"))
FILE_DIGESTS = {d for split in DIGESTS["splits"].values() for d in split["file_sha256"]}
LINE_DIGESTS = {d for split in DIGESTS["splits"].values() for d in split["line_digests"]}
DATA_SUFFIXES = frozenset({".jsonl", ".ndjson", ".json", ".txt", ".csv", ".tsv"})


def split_copies(root: Path, files: set[str], lines: set[str]) -> list[str]:
    """Every data file under ``root`` that is a test split's file or holds one of its lines.

    Args:
        root: The folder to walk (hidden folders and caches are skipped).
        files: sha256 digests of the test splits' files.
        lines: Short digests of their lines (``line_digest``).

    Returns:
        One line per offending file, naming the file and its first matching line.
    """
    found = []
    for folder, subfolders, names in os.walk(root):
        subfolders[:] = [d for d in subfolders if not d.startswith(".") and d != "__pycache__"]
        for name in sorted(names):
            path = Path(folder, name)
            if path.suffix.lower() not in DATA_SUFFIXES:
                continue
            data = path.read_bytes()
            if hashlib.sha256(data).hexdigest() in files:
                found.append(f"{path}: a test split's whole file")
                continue
            for number, line in enumerate(data.splitlines(), start=1):
                if line_digest(line) in lines:
                    found.append(f"{path}:{number}: a test split's line")
                    break
    return found


@pytest.mark.parametrize(
    ("split", "lines"),
    [
        ("fm2/test", 1380),
        ("fever_symmetric/test", 712),
        ("vitaminc/test", 100),
        ("ramdocs/heldout", 250),
    ],
)
def test_data_provenance_digests_cover_each_test_split(split: str, lines: int) -> None:
    entry = DIGESTS["splits"][split]
    assert len(set(entry["line_digests"])) == lines
    assert entry["file_sha256"]


@pytest.mark.parametrize("folder", ["tests", "training", "src/accord/data"])
def test_data_provenance_no_data_file_holds_a_test_split(folder: str) -> None:
    found = split_copies(ROOT / folder, FILE_DIGESTS, LINE_DIGESTS)
    assert not found, "test-split data in the repository:\n" + "\n".join(found)


# A stand-in split line, so the detector is shown to fire without any test-split text here.
SPLIT_LINE = b'{"claim": "A claim kept for published figures.", "label": "SUPPORTS"}'


@pytest.mark.parametrize(
    ("content", "finding"),
    [
        (b'{"claim": "dev"}\n' + SPLIT_LINE + b"\n", "sample.jsonl:2: a test split's line"),
        (b'{"claim": "dev"}\r\n' + SPLIT_LINE + b"  \r\n", "sample.jsonl:2: a test split's line"),
        (SPLIT_LINE + b"\n", "sample.jsonl: a test split's whole file"),
        (b'{"claim": "dev"}\n\n', None),
    ],
    ids=["a-line", "other-line-endings", "whole-file", "clean"],
)
def test_data_provenance_finds_a_copied_test_split(
    tmp_path: Path, content: bytes, finding: str | None
) -> None:
    (tmp_path / "nested").mkdir()
    (tmp_path / "nested" / "sample.jsonl").write_bytes(content)
    files = {hashlib.sha256(SPLIT_LINE + b"\n").hexdigest()}
    lines = {line_digest(SPLIT_LINE)}
    found = split_copies(tmp_path, files, {d for d in lines if d})
    assert [f.split("nested/", 1)[1] for f in found] == ([finding] if finding else [])
