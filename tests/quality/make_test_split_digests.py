"""Write ``test_split_digests.json``: digests of the public test splits, so the test suite can
check that no file in the repository holds them without holding them itself.

    python tests/quality/make_test_split_digests.py DATA_DIR

``DATA_DIR`` is the folder of the public evaluation data, with each split at the path
``SPLITS`` names (``fm2/test.jsonl``, ``fever_symmetric/fever_symmetric_test.jsonl``,
``vitaminc_sample/test.jsonl``, ``ramdocs/RAMDocs_test.jsonl``). For each split the file
records the sha256 of the whole source file (and of the held-out lines alone, where the split
is part of a file) and the first 16 hex digits of the sha256 of every line
(``line_digest``). The tests only read the result (``test_data_provenance.py``); run this
again only when a split is added or changes.
"""

from __future__ import annotations

import argparse
import hashlib
import json
from pathlib import Path

OUT = Path(__file__).with_name("test_split_digests.json")
LINE_DIGEST_HEX = 16  # 64 bits: a chance match among a few thousand lines is negligible
# The public test splits: (name, file under DATA_DIR, first line, last line or None: to the end).
# RAMDocs publishes one file; its lines 251-500 are the held-out half (lines 1-250 are
# development data).
SPLITS = (
    ("fm2/test", "fm2/test.jsonl", 1, None),
    ("fever_symmetric/test", "fever_symmetric/fever_symmetric_test.jsonl", 1, None),
    ("vitaminc/test", "vitaminc_sample/test.jsonl", 1, None),
    ("ramdocs/heldout", "ramdocs/RAMDocs_test.jsonl", 251, 500),
)


def line_digest(line: bytes) -> str | None:
    """The short digest of one line, or None for a blank one.

    The line break and surrounding white space are left out, so a copy with other line
    endings or trailing spaces still matches.
    """
    text = line.strip()
    return hashlib.sha256(text).hexdigest()[:LINE_DIGEST_HEX] if text else None


def split_digests(data_dir: Path, relative: str, first: int, last: int | None) -> dict[str, object]:
    """The digests of lines ``first``..``last`` (1-based, inclusive) of one file."""
    data = (data_dir / relative).read_bytes()
    lines = data.splitlines(keepends=True)
    taken = lines[first - 1 : last]
    files = [hashlib.sha256(data).hexdigest()]
    if len(taken) != len(lines):
        files.append(hashlib.sha256(b"".join(taken)).hexdigest())
    digests = [d for d in map(line_digest, taken) if d is not None]
    return {
        "file": relative,
        "lines": f"{first}-{first + len(taken) - 1}",
        "file_sha256": files,
        "line_digests": digests,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", type=Path, help="the folder of the public evaluation data")
    parser.add_argument("--out", type=Path, default=OUT, help="where to write the digests")
    args = parser.parse_args(argv)
    result = {
        "line_digest": (
            f"first {LINE_DIGEST_HEX} hex digits of the sha256 of a line without its line "
            "break and surrounding white space; blank lines are left out"
        ),
        "splits": {
            name: split_digests(args.data, relative, first, last)
            for name, relative, first, last in SPLITS
        },
    }
    args.out.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    for name, entry in result["splits"].items():
        print(f"{name}: lines {entry['lines']}, {len(entry['line_digests'])} line digests")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
