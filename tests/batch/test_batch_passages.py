"""JSONL passage files: good lines, bad lines listed and skipped, over-long lines refused."""

from __future__ import annotations

import bz2
import gzip
import json
from pathlib import Path

import pytest

from accord.errors import EmptyDocumentError, InputTooLargeError, UnsupportedFormatError
from accord.ingest.passages import Passage, is_passages_file, iter_passages, read_passage
from accord.model import DocKind, Failure


def _lines(path: Path, *lines: str | bytes) -> Path:
    data = b"".join((line if isinstance(line, bytes) else line.encode()) + b"\n" for line in lines)
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("suffix", [".jsonl", ".ndjson", ".jsonl.gz", ".jsonl.bz2"])
def test_passages_read_good_lines_with_their_fields(tmp_path: Path, suffix: str) -> None:
    rows = [
        {"text": "Alpha text.", "id": 7, "title": "Alpha", "kind": "news"},
        {"text": "Beta text.", "source": "https://example.org/beta", "subject": "Greek letters"},
        {"text": "<p>Gamma</p>", "format": "html"},
    ]
    data = "".join(json.dumps(row) + "\n" for row in rows).encode()
    if suffix.endswith(".gz"):
        data = gzip.compress(data)
    elif suffix.endswith(".bz2"):
        data = bz2.compress(data)
    path = tmp_path / f"corpus{suffix}"
    path.write_bytes(data)
    assert is_passages_file(path)
    items = list(iter_passages(path))
    assert items == [
        Passage(source="7", text="Alpha text.", title="Alpha", kind=DocKind.NEWS, source_id="7"),
        Passage(source="https://example.org/beta", text="Beta text.", subject="Greek letters"),
        Passage(source=f"{path}:3", text="<p>Gamma</p>", format="html"),
    ]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("not json", "not valid JSON"),
        ("[1, 2]", "a JSON list, not an object"),
        ('{"title": "no text"}', 'no "text" field'),
        ('{"text": 12}', 'a int as its "text" field'),
        ('{"text": "x", "title": ["a"]}', 'field "title" must be a string, not a list'),
        ('{"text": "x", "id": true}', 'field "id" must be a string or a number'),
        ('{"text": "x", "kind": "blog"}', "unknown DocKind 'blog'; valid: encyclopedia"),
        ('{"text": "x", "url": 3}', 'field "url" must be a string, not a int'),
        ('{"text": "x", "published": "soon"}', 'field "published": "soon" is not an ISO 8601 date'),
        (
            '{"text": "x", "date": "2020-02-31"}',
            'field "date": "2020-02-31" is not an ISO 8601 date',
        ),
        ('{"text": "x", "metadata": ["a"]}', 'field "metadata" must be an object of strings'),
        ('{"text": "x", "metadata": {"a": 1}}', 'field "metadata" must be an object of strings'),
        (b'{"text": "caf\xe9"}', "not UTF-8"),
    ],
)
def test_passages_bad_line_is_listed_and_the_rest_read(
    tmp_path: Path, line: str | bytes, expected: str
) -> None:
    path = _lines(tmp_path / "corpus.jsonl", '{"text": "first"}', line, "", '{"text": "last"}')
    items = list(iter_passages(path))
    assert [type(item) for item in items] == [Passage, Failure, Passage]
    failure = items[1]
    assert isinstance(failure, Failure)
    assert failure.source == f"{path}:2"
    assert failure.error == "IngestError"
    assert expected in failure.message
    assert "\n" not in failure.message
    assert [item.text for item in items if isinstance(item, Passage)] == ["first", "last"]


@pytest.mark.parametrize("size", [1_000, 50_000])
def test_passages_line_over_the_limit_fails_alone(tmp_path: Path, size: int) -> None:
    huge = json.dumps({"text": "word " * size})
    path = _lines(tmp_path / "corpus.jsonl", '{"text": "before"}', huge, '{"text": "after"}')
    limit = 2_000
    items = list(iter_passages(path, max_bytes=limit))
    assert [type(item) for item in items] == [Passage, Failure, Passage]
    failure = items[1]
    assert isinstance(failure, Failure)
    assert failure.error == "InputTooLargeError"
    assert f"over the limit of {limit:,} bytes" in failure.message
    assert "--max-bytes" in failure.message
    assert isinstance(items[2], Passage) and items[2].text == "after"


@pytest.mark.parametrize("limit", [len('{"text": "exactly"}')])
def test_passages_line_at_the_limit_is_read(tmp_path: Path, limit: int) -> None:
    path = _lines(tmp_path / "corpus.jsonl", '{"text": "exactly"}')
    (item,) = iter_passages(path, max_bytes=limit)
    assert isinstance(item, Passage) and item.text == "exactly"
    (over,) = iter_passages(path, max_bytes=limit - 1)
    assert isinstance(over, Failure) and over.error == "InputTooLargeError"


@pytest.mark.parametrize("name", ["corpus.jsonl.gz"])
def test_passages_truncated_archive_keeps_the_lines_before(tmp_path: Path, name: str) -> None:
    data = gzip.compress(b"".join(b'{"text": "line %d"}\n' % i for i in range(2000)))
    path = tmp_path / name
    path.write_bytes(data[: len(data) // 2])
    items = list(iter_passages(path))
    assert isinstance(items[-1], Failure)
    assert "cannot read" in items[-1].message
    assert all(isinstance(item, Passage) for item in items[:-1]) and len(items) > 10


@pytest.mark.parametrize("date_key", ["published", "date"])
def test_passages_read_url_published_and_metadata(tmp_path: Path, date_key: str) -> None:
    row = {
        "text": "Alpha text.",
        "id": "a1",
        "url": "https://example.org/a",
        date_key: "2021-06-01",
        "metadata": {"lang": "en", "desk": "world"},
    }
    path = _lines(tmp_path / "corpus.jsonl", json.dumps(row))
    (item,) = iter_passages(path)
    assert isinstance(item, Passage)
    assert (item.url, item.published) == ("https://example.org/a", "2021-06-01")
    assert item.metadata == (("desk", "world"), ("lang", "en"))
    document = read_passage(item)
    assert (document.source_id, document.url, document.published) == (
        "a1",
        "https://example.org/a",
        "2021-06-01",
    )
    assert document.metadata == (("desk", "world"), ("lang", "en"))
    assert (document.kind, document.kind_origin) == (DocKind.UNKNOWN, "default")


@pytest.mark.parametrize("kind", ["news"])
def test_passages_declared_kind_is_marked_declared(tmp_path: Path, kind: str) -> None:
    path = _lines(tmp_path / "corpus.jsonl", json.dumps({"text": "Alpha text here.", "kind": kind}))
    (item,) = iter_passages(path)
    assert isinstance(item, Passage)
    document = read_passage(item)
    assert (document.kind.value, document.kind_origin) == (kind, "declared")


@pytest.mark.parametrize("title", ["Treaty of Valdoria"])
def test_read_passage_applies_title_and_kind(title: str) -> None:
    passage = Passage(
        source="p1", text="It was signed in 1852. The treaty ended a war.", title=title
    )
    document = read_passage(passage)
    assert document.title == title
    assert document.source == "p1"
    news = read_passage(Passage(source="p2", text="Some text here.", kind=DocKind.NEWS))
    assert news.kind is DocKind.NEWS


@pytest.mark.parametrize(
    ("passage", "error"),
    [
        (Passage(source="p", text="   "), EmptyDocumentError),
        (Passage(source="p", text="x" * 101), InputTooLargeError),
        (Passage(source="p", data=b"y" * 101), InputTooLargeError),
        (Passage(source="p", text="text", format="pdf"), UnsupportedFormatError),
    ],
)
def test_read_passage_refuses_bad_passages(passage: Passage, error: type[Exception]) -> None:
    with pytest.raises(error):
        read_passage(passage, max_bytes=100)
