"""Corpora of passages: JSONL files (one JSON object per line), read line by line.

A ``Passage`` is a document not yet ingested: its raw text or bytes and what its container
says about it (title, subject, kind, format). ``read_passage`` turns one into a ``Document``
through the ordinary readers (``read_text``/``read_document``), so the limits, boilerplate
removal and hostile-input guards apply to every passage as to every file.

The JSONL layout, one object per line (blank lines are skipped)::

    {"text": "...", "title": "...", "subject": "...", "id": "...", "kind": "news",
     "url": "https://...", "published": "2020-05-04", "metadata": {"desk": "world"}}

``text`` is required; ``title`` (the document's title), ``subject`` (the subject to file it
under, as ``--subject`` does for one document), ``id`` or ``source`` (the name it is recorded
under; default ``FILE:LINE``; ``id`` is also kept as the document's ``source_id``), ``kind``
(encyclopedia, wiki, news, unknown; recorded as declared), ``url``, ``published`` or
``date`` (an ISO 8601 date), ``metadata`` (an object of strings) and ``format`` (text, html,
markdown, mediawiki; default: sniffed) are optional. A bad line becomes a
``Failure`` naming the file and line, and the lines after it are still read; a line over
``max_bytes`` is skipped without being held in memory.
"""

from __future__ import annotations

import bz2
import gzip
import io
import json
import logging
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from accord.errors import AccordError, ConfigError, IngestError, InputTooLargeError
from accord.ingest import read_document, read_text
from accord.ingest.files import open_regular
from accord.ingest.guard import display_name, scrub_surrogates
from accord.limits import DEFAULT_MAX_BYTES, DEFAULT_MAX_HTML_DEPTH
from accord.model import KIND_DECLARED, DocKind, Document, Failure
from accord.published import check_published
from accord.sources import check_metadata

logger = logging.getLogger(__name__)

__all__ = [
    "JSONL_SUFFIXES",
    "Passage",
    "is_passages_file",
    "iter_passages",
    "open_maybe_compressed",
    "read_passage",
    "to_failure",
]

JSONL_SUFFIXES = (".jsonl", ".ndjson")
COMPRESSED_SUFFIXES = (".gz", ".bz2")
_SKIP_CHUNK = 1 << 20  # how much of an over-long line is read at a time to skip it
_OPTIONAL_FIELDS = ("title", "subject", "source", "kind", "format", "url", "published", "date")
_LAYOUT_HINT = 'each line must be one JSON object with a "text" string (see docs/batch.md)'


@dataclass(frozen=True, slots=True, kw_only=True)
class Passage:
    """A document to ingest: its raw content and what its container says about it.

    Exactly one of ``text`` (already decoded) and ``data`` (raw bytes to decode) is set.
    ``source`` is the name the document is recorded under; ``title``, ``subject``, ``kind``
    (with ``kind_origin``: ``declared``, or ``page: ...`` for a dump's site), ``format``,
    ``source_id``, ``url``, ``published`` and ``metadata`` override what ingest would find,
    when given.
    """

    source: str
    text: str | None = None
    data: bytes | None = None
    title: str | None = None
    subject: str | None = None
    kind: DocKind | None = None
    format: str | None = None
    source_id: str | None = None
    url: str | None = None
    published: str | None = None
    metadata: tuple[tuple[str, str], ...] = ()
    kind_origin: str = KIND_DECLARED


def to_failure(source: str, exc: BaseException) -> Failure:
    """The ``Failure`` entry for ``source`` failing with ``exc`` (as ``accord check`` lists it)."""
    if isinstance(exc, AccordError):
        message = str(exc)
    else:
        message = f"internal error: {type(exc).__name__}: {exc}"
    return Failure(
        source=display_name(source), error=type(exc).__name__, message=display_name(message)
    )


def is_passages_file(path: Path) -> bool:
    """Whether ``path`` is named as a JSONL corpus (``.jsonl``/``.ndjson``, maybe .gz/.bz2)."""
    name = path.name.lower()
    for suffix in COMPRESSED_SUFFIXES:
        name = name.removesuffix(suffix)
    return name.endswith(JSONL_SUFFIXES)


def open_maybe_compressed(path: Path) -> io.BufferedIOBase:
    """Open ``path`` for reading bytes, decompressing ``.gz`` and ``.bz2`` as a stream.

    Raises:
        NotAFileError: ``path`` is a pipe, socket or device (it is never opened).
        OSError: ``path`` cannot be opened.
    """
    name = path.name.lower()
    raw = open_regular(path, display_name(str(path)))
    if name.endswith(".gz"):
        return _GzipReader(raw)
    if name.endswith(".bz2"):
        return _Bz2Reader(raw)
    return raw


class _GzipReader(gzip.GzipFile):
    """A gzip stream over an open file, which it closes when closed."""

    def __init__(self, raw: io.BufferedReader) -> None:
        super().__init__(fileobj=raw, mode="rb")
        self._source = raw

    def close(self) -> None:
        try:
            super().close()
        finally:
            self._source.close()


class _Bz2Reader(bz2.BZ2File):
    """A bzip2 stream over an open file, which it closes when closed."""

    def __init__(self, raw: io.BufferedReader) -> None:
        super().__init__(raw, "rb")
        self._source = raw

    def close(self) -> None:
        try:
            super().close()
        finally:
            self._source.close()


def read_passage(
    passage: Passage,
    *,
    encoding: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_html_depth: int = DEFAULT_MAX_HTML_DEPTH,
) -> Document:
    """Ingest one passage into a cleaned ``Document``, with the container's title and kind.

    Args:
        passage: what to read.
        encoding: a codec for ``passage.data`` instead of detecting one.
        max_bytes: the size limit in bytes (of ``data``, or of ``text`` as UTF-8).
        max_html_depth: HTML tags nested deeper than this are flattened (text kept).

    Raises:
        IngestError: the passage cannot be read as a document (empty, binary, too large...).
    """
    if passage.data is not None:
        document = read_document(
            passage.data,
            name=passage.source,
            encoding=encoding,
            format=passage.format,
            max_bytes=max_bytes,
            max_html_depth=max_html_depth,
        )
    else:
        text = passage.text or ""
        size = len(text.encode("utf-8", "surrogatepass"))
        if size > max_bytes:
            raise InputTooLargeError(
                f"{display_name(passage.source)} is {size:,} bytes, over the limit of "
                f"{max_bytes:,} bytes; accord refuses it rather than check a cut-off part; "
                "raise the limit with --max-bytes"
            )
        document = read_text(
            text, name=passage.source, format=passage.format, max_html_depth=max_html_depth
        )
    changes: dict[str, Any] = {}
    if passage.title and passage.title.strip():
        changes["title"] = display_name(passage.title.strip())
    if passage.kind is not None:
        changes["kind"] = passage.kind
        changes["kind_origin"] = passage.kind_origin
    if passage.source_id:
        changes["source_id"] = display_name(passage.source_id)
    if passage.url:
        changes["url"] = display_name(passage.url)
    if passage.published:
        changes["published"] = passage.published
    if passage.metadata:
        changes["metadata"] = tuple(
            sorted({**dict(document.metadata), **dict(passage.metadata)}.items())
        )
    return replace(document, **changes) if changes else document


def iter_passages(path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[Passage | Failure]:
    """Read a JSONL corpus line by line: a ``Passage`` per good line, a ``Failure`` per bad one.

    Memory stays bounded by ``max_bytes`` whatever the file's size: a longer line is skipped
    in chunks and reported, never held whole.

    Args:
        path: the file (``.gz`` and ``.bz2`` are decompressed as a stream).
        max_bytes: the longest line accepted, in bytes.

    Yields:
        Passages and failures, in file order.
    """
    given = display_name(str(path))
    try:
        handle = open_maybe_compressed(path)
    except IngestError as exc:
        yield to_failure(given, exc)
        return
    except OSError as exc:
        yield to_failure(given, IngestError(f"cannot read {given}: {exc.strerror or exc}"))
        return
    with handle:
        lineno = 0
        while True:
            try:
                line = handle.readline(max_bytes + 1)
            except (OSError, EOFError) as exc:  # a truncated or corrupt .gz/.bz2
                where = f"{given}:{lineno + 1}"
                yield to_failure(
                    where,
                    IngestError(
                        f"cannot read {given} after line {lineno}: {exc}; the lines before it "
                        "were read"
                    ),
                )
                return
            if not line:
                return
            lineno += 1
            where = f"{given}:{lineno}"
            if len(line) > max_bytes and not line.endswith(b"\n"):
                _skip_rest_of_line(handle)
                yield to_failure(
                    where,
                    InputTooLargeError(
                        f"line {lineno} of {given} is over the limit of {max_bytes:,} bytes; "
                        "accord refuses it rather than check a cut-off part; raise the limit "
                        "with --max-bytes"
                    ),
                )
                continue
            if not line.strip():
                continue
            try:
                passage = _parse_line(line, where)
            except IngestError as exc:
                yield to_failure(where, exc)
                continue
            except Exception as exc:  # a bug; still that line's failure, and the rest is read
                logger.debug("%s failed", where, exc_info=exc)
                yield to_failure(where, exc)
                continue
            yield passage


def _skip_rest_of_line(handle: io.BufferedIOBase) -> None:
    while True:
        chunk = handle.readline(_SKIP_CHUNK)
        if not chunk or chunk.endswith(b"\n"):
            return


def _parse_line(line: bytes, where: str) -> Passage:
    try:
        decoded = line.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise IngestError(
            f"not UTF-8 ({exc.reason} at byte {exc.start}); JSONL files must be UTF-8"
        ) from None
    try:
        item = json.loads(decoded)
    except json.JSONDecodeError as exc:
        raise IngestError(
            f"not valid JSON ({exc.msg} at column {exc.colno}); {_LAYOUT_HINT}"
        ) from None
    except RecursionError:
        raise IngestError(
            f"JSON arrays or objects nested too deep to read; {_LAYOUT_HINT}"
        ) from None
    except ValueError as exc:  # an integer over Python's limit of digits, say
        raise IngestError(f"not readable JSON ({exc}); {_LAYOUT_HINT}") from None
    if not isinstance(item, dict):
        raise IngestError(f"a JSON {type(item).__name__}, not an object; {_LAYOUT_HINT}")
    text = item.get("text")
    if not isinstance(text, str):
        found = "no" if text is None else f"a {type(text).__name__} as its"
        raise IngestError(f'{found} "text" field; {_LAYOUT_HINT}')
    fields: dict[str, str] = {}
    for name in _OPTIONAL_FIELDS:
        value = item.get(name)
        if value is None:
            continue
        if not isinstance(value, str):
            raise IngestError(f'field "{name}" must be a string, not a {type(value).__name__}')
        fields[name] = scrub_surrogates(value)  # "\\udc80" is valid JSON, never valid UTF-8
    ident = item.get("id")
    if isinstance(ident, bool) or (ident is not None and not isinstance(ident, str | int)):
        raise IngestError('field "id" must be a string or a number')
    if isinstance(ident, str):
        ident = scrub_surrogates(ident)
    kind = None
    if "kind" in fields:
        try:
            kind = DocKind.from_str(fields["kind"])
        except ValueError as exc:
            raise IngestError(f'field "kind": {exc}') from None
    published = fields.get("published", fields.get("date"))
    date_field = "published" if "published" in fields else "date"
    try:
        published = check_published(published) if published is not None else None
    except ConfigError as exc:
        raise IngestError(f'field "{date_field}": {exc}') from None
    metadata = item.get("metadata")
    try:
        pairs = check_metadata(metadata) if metadata is not None else ()
    except ConfigError as exc:
        raise IngestError(f'field "metadata" {exc}') from None
    source = fields.get("source") or (str(ident) if ident is not None else "") or where
    return Passage(
        source=source,
        text=scrub_surrogates(text),
        title=fields.get("title"),
        subject=fields.get("subject"),
        kind=kind,
        format=fields.get("format"),
        source_id=str(ident) if ident is not None else None,
        url=fields.get("url"),
        published=published,
        metadata=pairs,
    )
