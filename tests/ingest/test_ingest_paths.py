"""Paths: expanding directories, and the errors for missing, empty and oversized sources."""

from __future__ import annotations

from pathlib import Path

import pytest

from accord.errors import (
    BinaryInputError,
    EmptyDocumentError,
    InputTooLargeError,
    SourceNotFoundError,
    UnsupportedFormatError,
)
from accord.ingest import expand_paths, read_document


@pytest.mark.parametrize(
    "skipped",
    [".hidden.txt", "README.md", "LICENSE", "LICENCE.txt", "ATTRIBUTION.md", "img.png", "a.zip"],
    ids=str,
)
def test_expand_paths_skips_non_documents(tmp_path: Path, skipped: str) -> None:
    (tmp_path / "b.txt").write_text("b")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.html").write_text("a")
    (tmp_path / skipped).write_bytes(b"x")
    assert expand_paths([tmp_path]) == [tmp_path / "b.txt", tmp_path / "sub" / "a.html"]


@pytest.mark.parametrize("name", ["README.md"], ids=["explicit-file"])
def test_expand_paths_keeps_files_as_given(tmp_path: Path, name: str) -> None:
    (tmp_path / name).write_text("x")
    assert expand_paths([str(tmp_path / name)]) == [tmp_path / name]


@pytest.mark.parametrize("missing", ["nope.txt"], ids=["missing"])
def test_expand_paths_missing_path(tmp_path: Path, missing: str) -> None:
    with pytest.raises(SourceNotFoundError, match=r"no such file or directory: .*nope\.txt"):
        expand_paths([tmp_path / missing])


@pytest.mark.parametrize("content", [[], ["README.md", ".x.txt"]], ids=["empty", "only-skipped"])
def test_expand_paths_directory_without_documents(tmp_path: Path, content: list[str]) -> None:
    for name in content:
        (tmp_path / name).write_text("x")
    with pytest.raises(SourceNotFoundError, match="holds no documents"):
        expand_paths([tmp_path])


@pytest.mark.parametrize(
    ("data", "error", "message"),
    [
        (b"", EmptyDocumentError, "is empty"),
        (b" \n\n \t", EmptyDocumentError, "is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", BinaryInputError, r"\(PNG image\)"),
        (b"a" * 64, InputTooLargeError, "64 bytes, over the limit of 32 bytes"),
    ],
    ids=["empty", "whitespace", "png", "too-large"],
)
def test_read_document_file_errors(
    tmp_path: Path, data: bytes, error: type[Exception], message: str
) -> None:
    path = tmp_path / "doc.txt"
    path.write_bytes(data)
    with pytest.raises(error, match=message):
        read_document(path, max_bytes=32)


@pytest.mark.parametrize("target", ["missing.txt", "."], ids=["missing", "directory"])
def test_read_document_path_not_a_file(tmp_path: Path, target: str) -> None:
    with pytest.raises(SourceNotFoundError):
        read_document(tmp_path / target)


@pytest.mark.parametrize("fmt", ["pdf"], ids=str)
def test_read_document_rejects_unknown_format(fmt: str) -> None:
    with pytest.raises(UnsupportedFormatError, match="valid: text, html, mediawiki, markdown"):
        read_document(b"text", name="x", format=fmt)


@pytest.mark.parametrize("text", ["Ad blocker interference detected!"], ids=["all-junk"])
def test_read_document_all_boilerplate_is_empty(text: str) -> None:
    with pytest.raises(EmptyDocumentError):
        read_document(text.encode(), name="x.txt")


@pytest.mark.parametrize("data", [b"The pact was signed in 1941."], ids=["bytes"])
def test_read_document_bytes_record_name_and_id(data: bytes) -> None:
    doc = read_document(data, name="note.txt")
    assert doc.source == "note.txt"
    assert doc.id == read_document(data, name="other.txt").id
    assert len(doc.id) == 16


@pytest.mark.parametrize("name", ["LICENSE.md", "README.txt", "ATTRIBUTION.md"])
def test_expand_paths_skips_project_files_given_among_documents(tmp_path: Path, name: str) -> None:
    from accord.ingest import expand_paths

    document = tmp_path / "report.txt"
    document.write_text("The Treaty of Vell was signed in 1820.", encoding="utf-8")
    extra = tmp_path / name
    extra.write_text("Licensed under CC BY-SA.", encoding="utf-8")
    assert expand_paths([document, extra]) == [document]
    assert expand_paths([extra]) == [extra]
