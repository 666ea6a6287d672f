"""Uploaded and pasted documents: limits, names, and early checks that give clear 4xx errors.

An upload's file name is only ever a label: it is cleaned for display and never used as a
path. Each upload is read with the real ingest stage before a run starts, so an empty,
binary or oversized document is refused at once with a message that names it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from accord.errors import (
    AccordError,
    BinaryInputError,
    EmptyDocumentError,
    InputTooLargeError,
    UnsupportedFormatError,
)
from accord.ingest import read_document

__all__ = [
    "ALLOWED_CONTENT_TYPES",
    "MAX_DOCUMENTS",
    "MAX_DOCUMENT_BYTES",
    "MAX_REQUEST_BYTES",
    "RequestError",
    "Upload",
    "check_uploads",
    "display_name",
]

MAX_DOCUMENTS = 10  # one check compares a handful of sources about one subject
MAX_DOCUMENT_BYTES = 1024 * 1024  # 1 MB: any article fits; also the form parser's field limit
MAX_REQUEST_BYTES = MAX_DOCUMENTS * MAX_DOCUMENT_BYTES + 64 * 1024  # plus multipart overhead
MAX_NAME_CHARS = 120
ALLOWED_CONTENT_TYPES = frozenset(
    {
        "",  # a client that names no type: the content is sniffed like any file's
        "text/plain",
        "text/html",
        "text/markdown",
        "text/x-markdown",
        "text/x-wiki",
        "text/x-mediawiki",
        "application/xhtml+xml",
        "application/octet-stream",  # what browsers send for .wiki and other unknown names
    }
)
"""Media types a document upload may declare; ``text/*`` of any other kind is accepted too."""

_UNSAFE_NAME = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


class RequestError(AccordError):
    """A request was refused; ``status`` is the HTTP status to answer with."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True, slots=True, kw_only=True)
class Upload:
    """One document as received: its display name, declared media type and bytes."""

    name: str
    content_type: str
    data: bytes


def display_name(given: str | None, fallback: str) -> str:
    """Return an upload's name for display: its last path part, cleaned, never empty.

    ``../../etc/passwd`` becomes ``passwd``; ``C:\\x\\a.txt`` becomes ``a.txt``. The result
    is a label only: uploads are never written to disk under it.
    """
    name = (given or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = _UNSAFE_NAME.sub("", name).strip().lstrip(".")
    return name[:MAX_NAME_CHARS] or fallback


def _media_type(content_type: str) -> str:
    return content_type.split(";", 1)[0].strip().lower()


def _check_one(upload: Upload) -> None:
    media = _media_type(upload.content_type)
    if media not in ALLOWED_CONTENT_TYPES and not media.startswith("text/"):
        raise RequestError(
            f"{upload.name}: content type {media!r} is not a document accord reads; "
            "send text, HTML, Markdown or MediaWiki (text/plain, text/html, text/markdown)",
            415,
        )
    if not upload.data.strip():
        raise RequestError(f"{upload.name} is empty", 422)
    if len(upload.data) > MAX_DOCUMENT_BYTES:
        raise RequestError(
            f"{upload.name} is {len(upload.data):,} bytes, over the limit of "
            f"{MAX_DOCUMENT_BYTES:,} bytes per document",
            413,
        )
    try:
        read_document(upload.data, name=upload.name, max_bytes=MAX_DOCUMENT_BYTES)
    except (BinaryInputError, UnsupportedFormatError) as exc:
        raise RequestError(str(exc), 415) from exc
    except InputTooLargeError as exc:
        raise RequestError(str(exc), 413) from exc
    except EmptyDocumentError as exc:
        message = f"{exc} (nothing is left once markup and boilerplate are removed)"
        raise RequestError(message, 422) from exc
    except AccordError as exc:
        raise RequestError(str(exc), 422) from exc


def check_uploads(uploads: list[Upload]) -> None:
    """Check the count, size, type and content of every upload.

    Raises:
        RequestError: the first problem found, with the HTTP status that fits it: 422 for
            none or too many documents and for empty ones, 413 for an oversized one, 415
            for a binary one or a type that is not a document.
    """
    if not uploads:
        raise RequestError(
            "no documents: upload files (field 'files') or send texts ('texts')", 422
        )
    if len(uploads) > MAX_DOCUMENTS:
        raise RequestError(
            f"{len(uploads)} documents given, over the limit of {MAX_DOCUMENTS} per check", 422
        )
    for upload in uploads:
        _check_one(upload)
