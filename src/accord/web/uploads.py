"""Uploaded and pasted documents: limits, names, what a client declares of each, and early
checks that give clear 4xx errors.

An upload's file name is only ever a label: it is cleaned for display and never used as a
path. What can be told of an upload cheaply (its size, type, whether it is binary, or text
with no letter at all) is checked in the request, so a plainly bad document is refused at
once with a message that names it; parsing it is left to the run, under the per-document
time and memory limits, so that no upload holds a request. What a client declares of a
document (kind, title, URL, published date) is checked as ``accord.Source`` checks it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from accord.errors import AccordError, BinaryInputError, ConfigError
from accord.ingest.decode import NO_WORDS, check_not_binary, clean_text, has_words
from accord.sources import Source

__all__ = [
    "ALLOWED_CONTENT_TYPES",
    "DECLARED_KEYS",
    "MAX_DECLARED_CHARS",
    "MAX_DOCUMENTS",
    "MAX_DOCUMENT_BYTES",
    "MAX_REQUEST_BYTES",
    "RequestError",
    "Upload",
    "check_uploads",
    "declare",
    "declared_source",
    "display_name",
]

MAX_DOCUMENTS = 10  # one check compares a handful of sources about one subject
MAX_DOCUMENT_BYTES = 1024 * 1024  # 1 MB: any article fits; also the form parser's field limit
MAX_REQUEST_BYTES = MAX_DOCUMENTS * MAX_DOCUMENT_BYTES + 64 * 1024  # plus multipart overhead
MAX_NAME_CHARS = 120
DECLARED_KEYS = ("kind", "title", "url", "published")
"""What a client may declare of each document (as in a ``FILE.meta.json`` sidecar)."""
MAX_DECLARED_CHARS = 2000  # a title or a URL, not a text
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
    """One document as received: its display name, declared media type and bytes, and what
    its client declared of it (``declared``: a ``Source`` whose ``path`` is only the upload's
    name until the run writes the file; ``None`` when nothing was declared)."""

    name: str
    content_type: str
    data: bytes
    declared: Source | None = None


def declared_source(name: str, fields: Mapping[str, object]) -> Source | None:
    """What a client declares of upload ``name``: its kind, title, URL and published date.

    Args:
        name: the upload's display name (for messages).
        fields: any of ``DECLARED_KEYS``; an empty or ``None`` value declares nothing.

    Returns:
        A ``Source`` of ``name`` with the checked values, or ``None`` when none is given (the
        document then takes what its page says, else the neutral prior).

    Raises:
        RequestError: 422 for an unknown key, a bad kind or date, or an overlong value.
    """
    unknown = sorted(str(key) for key in fields if key not in DECLARED_KEYS)
    if unknown:
        raise RequestError(
            f"{name}: unknown key {unknown[0]!r}; a document may declare "
            f"{', '.join(DECLARED_KEYS)}",
            422,
        )
    given = {key: value for key, value in fields.items() if value is not None and value != ""}
    for key, value in given.items():
        if isinstance(value, str) and len(value) > MAX_DECLARED_CHARS:
            raise RequestError(f"{name}: {key} is over {MAX_DECLARED_CHARS} characters", 422)
    if not given:
        return None
    try:
        return Source(path=name, **given)  # type: ignore[arg-type]
    except ConfigError as exc:
        raise RequestError(f"{name}: {exc}", 422) from None


def declare(uploads: Sequence[Upload], meta: str) -> list[Upload]:
    """``uploads`` with what the API's ``meta`` field declares of them.

    ``meta`` is JSON: a list with one object (or ``null``) per document in upload order
    (files first, then texts), or an object keyed by a document's name (a file's name, or
    ``text N``); each object holds any of ``DECLARED_KEYS``.

    Raises:
        RequestError: 422 for JSON of another shape, a list longer than the documents, a
            name that is none of them, or a bad value (see ``declared_source``).
    """
    if not meta.strip():
        return list(uploads)
    try:
        given = json.loads(meta)
    except json.JSONDecodeError as exc:
        raise RequestError(f"meta is not valid JSON ({exc})", 422) from None
    shape = (
        "meta must be a JSON list with one object per document (files, then texts) or an "
        f"object keyed by document name; each object holds any of {', '.join(DECLARED_KEYS)}"
    )
    if isinstance(given, list):
        if len(given) > len(uploads):
            raise RequestError(
                f"meta describes {len(given)} documents, but {len(uploads)} were given", 422
            )
        by_index = dict(enumerate(given))
    elif isinstance(given, dict):
        names = [upload.name for upload in uploads]
        missing = next((key for key in given if key not in names), None)
        if missing is not None:
            raise RequestError(
                f"meta names {missing!r}, which is none of the documents ({', '.join(names)})",
                422,
            )
        by_index = {i: given[name] for i, name in enumerate(names) if name in given}
    else:
        raise RequestError(shape, 422)
    out = list(uploads)
    for index, fields in by_index.items():
        if fields is None:
            continue
        if not isinstance(fields, dict):
            raise RequestError(shape, 422)
        declared = declared_source(out[index].name, fields)
        out[index] = replace(out[index], declared=declared)
    return out


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
        check_not_binary(upload.data, upload.name)
    except BinaryInputError as exc:
        raise RequestError(str(exc), 415) from exc
    if _has_no_words(upload.data):
        raise RequestError(f"{upload.name} is empty ({NO_WORDS})", 422)


def _has_no_words(data: bytes) -> bool:
    """Whether ``data`` is UTF-8 text without a letter or digit once cleaned: one pass over
    it, no parsing. Text in another encoding is left to the run, which detects it."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return not has_words(clean_text(text))


def check_uploads(uploads: list[Upload]) -> None:
    """Check the count, size and type of every upload, and that it is text with words.

    Only what takes one pass over the bytes is checked here: a document whose markup leaves
    nothing, or that a parser chokes on, fails in the run, under the per-document limits.

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
