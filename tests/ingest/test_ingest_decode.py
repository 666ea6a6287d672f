"""Decoding bytes: BOMs, legacy encodings, bad bytes, binary and size checks."""

from __future__ import annotations

import codecs
import json

import pytest

from accord.errors import (
    BinaryInputError,
    DecodeError,
    EmptyDocumentError,
    InputTooLargeError,
)
from accord.ingest import read_document, read_text
from accord.ingest.decode import clean_text, decode_bytes

TEXT = "The café was naïve. Signed in Moscow on 12 July 1941."


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (TEXT.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8"),
        (TEXT.encode("utf-16"), "utf-16"),
        (codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"), "utf-16"),
        (TEXT.encode("utf-32"), "utf-32"),
        (TEXT.encode("utf-16-le"), "utf-16-le"),
    ],
    ids=["utf8", "utf8-bom", "utf16-bom", "utf16be-bom", "utf32-bom", "utf16-no-bom"],
)
def test_decode_bytes_honours_boms(data: bytes, encoding: str) -> None:
    decoded = decode_bytes(data, name="x")
    assert decoded.text == TEXT
    assert decoded.encoding == encoding


@pytest.mark.parametrize(
    "data",
    [b"caf\xe9 na\xefve", "Le café était naïve, à Paris.".encode("cp1252")],
    ids=["short-latin1", "cp1252-sentence"],
)
def test_decode_bytes_reads_legacy_western_encodings(data: bytes) -> None:
    decoded = decode_bytes(data, name="x")
    assert decoded.text == data.decode("cp1252")
    assert decoded.encoding != "utf-8"


@pytest.mark.parametrize(
    "data",
    [
        b"valid \xe2\x80\x94 text with one bad \xff byte and more \xc3\xa9 text",
        b"\xff\xfe\xfd\xfc\x81\x8d garbage \x80\x80",
        codecs.BOM_UTF8 + b"after a bom \xff\xfe bad",
    ],
    ids=["mostly-utf8", "garbage", "bom-then-bad"],
)
def test_decode_bytes_never_crashes_on_bad_bytes(data: bytes) -> None:
    decoded = decode_bytes(data, name="x")
    assert decoded.text
    json.dumps(decoded.text, ensure_ascii=False).encode("utf-8")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("a\r\nb\rc", "a\nb\nc"),
        ("nul\x00 and bell\x07 gone\ttab", "nul and bell gone\ttab"),
        ("cafe\u0301", "café"),
        ("on\u00a0July", "on July"),
        ("lone \ud800 surrogate", "lone \ufffd surrogate"),
    ],
    ids=["newlines", "controls", "nfc", "nbsp", "surrogate"],
)
def test_clean_text_normalises_characters(raw: str, expected: str) -> None:
    assert clean_text(raw) == expected


@pytest.mark.parametrize("data", [b"", b"   \n\t\r\n  "], ids=["empty", "whitespace"])
def test_decode_bytes_rejects_empty(data: bytes) -> None:
    with pytest.raises(EmptyDocumentError, match="x is empty"):
        decode_bytes(data, name="x")


@pytest.mark.parametrize(
    ("data", "what"),
    [
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "PNG image"),
        (b"%PDF-1.7\n%binary", "PDF document"),
        (b"PK\x03\x04rest", "ZIP"),
        (b"text\x00\x00\x00\x01\x00\x00\x02\x00" * 40, "NUL bytes"),
    ],
    ids=["png", "pdf", "zip", "nul-heavy"],
)
def test_decode_bytes_rejects_binary(data: bytes, what: str) -> None:
    with pytest.raises(BinaryInputError, match=f"x looks like binary data \\({what}"):
        decode_bytes(data, name="x")


@pytest.mark.parametrize("limit", [10], ids=["ten-bytes"])
def test_decode_bytes_rejects_too_large(limit: int) -> None:
    with pytest.raises(InputTooLargeError, match="over the limit of 10 bytes"):
        decode_bytes(b"a" * (limit + 1), name="x", max_bytes=limit)


@pytest.mark.parametrize(
    ("encoding", "expected"), [("latin-1", "café"), ("cp1252", "café")], ids=["latin1", "cp1252"]
)
def test_read_document_uses_explicit_encoding(encoding: str, expected: str) -> None:
    doc = read_document(b"caf\xe9 is here.", name="x.txt", encoding=encoding)
    assert expected in doc.text
    assert doc.encoding == encoding


@pytest.mark.parametrize("encoding", ["no-such-codec"], ids=["unknown"])
def test_read_document_rejects_unknown_encoding(encoding: str) -> None:
    with pytest.raises(DecodeError, match="no-such-codec"):
        read_document(b"text", name="x.txt", encoding=encoding)


@pytest.mark.parametrize("text", ["", "  \n "], ids=["empty", "whitespace"])
def test_read_text_rejects_empty(text: str) -> None:
    with pytest.raises(EmptyDocumentError):
        read_text(text)
