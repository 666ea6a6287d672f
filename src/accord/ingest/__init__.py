"""The ingest stage: read paths, bytes or text into cleaned ``Document`` records.

Decode, sniff the format, then hand the text to the ingester registered for that format.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

from accord.errors import (
    EmptyDocumentError,
    IngestError,
    InputTooLargeError,
    SourceNotFoundError,
    UnsupportedFormatError,
)
from accord.ingest.base import Ingester, ingesters
from accord.ingest.decode import NO_WORDS, clean_text, decode_bytes, has_words
from accord.ingest.files import check_regular, is_special_file, open_regular
from accord.ingest.guard import (
    display_name,
    flatten_deep_html,
    flatten_deep_markdown,
    flatten_deep_wikitext,
    flatten_unclosed_markdown,
    flatten_unclosed_wikitext,
)
from accord.ingest.html import HTMLIngester
from accord.ingest.markdown import MarkdownIngester
from accord.ingest.mediawiki import MediaWikiIngester
from accord.ingest.sniff import FORMATS, sniff_format
from accord.ingest.text import PlainTextIngester
from accord.limits import DEFAULT_MAX_BYTES, DEFAULT_MAX_HTML_DEPTH, check_deadline
from accord.model import Document

__all__ = [
    "DEFAULT_MAX_BYTES",
    "FORMATS",
    "HTMLIngester",
    "Ingester",
    "MarkdownIngester",
    "MediaWikiIngester",
    "PlainTextIngester",
    "drop_project_files",
    "expand_paths",
    "ingesters",
    "read_document",
    "read_text",
    "sniff_format",
]

logger = logging.getLogger(__name__)

SKIPPED_NAME_PREFIXES = ("readme", "license", "licence", "attribution", "copying")
SKIPPED_EXTENSIONS = frozenset(
    [
        ".png",
        ".jpg",
        ".jpeg",
        ".gif",
        ".bmp",
        ".webp",
        ".svg",
        ".ico",
        ".tif",
        ".tiff",
        ".heic",
        ".psd",
        ".zip",
        ".gz",
        ".tgz",
        ".bz2",
        ".xz",
        ".7z",
        ".rar",
        ".tar",
        ".zst",
        ".pdf",
        ".doc",
        ".docx",
        ".xls",
        ".xlsx",
        ".ppt",
        ".pptx",
        ".odt",
        ".epub",
        ".mp3",
        ".mp4",
        ".wav",
        ".ogg",
        ".flac",
        ".avi",
        ".mov",
        ".mkv",
        ".webm",
        ".exe",
        ".dll",
        ".so",
        ".dylib",
        ".bin",
        ".o",
        ".a",
        ".class",
        ".jar",
        ".pyc",
        ".whl",
        ".db",
        ".sqlite",
        ".sqlite3",
        ".woff",
        ".woff2",
        ".ttf",
        ".otf",
        ".eot",
        ".json",
        ".csv",
        ".tsv",
        ".yaml",
        ".yml",
        ".toml",
        ".ini",
        ".cfg",
        ".lock",
    ]
)  # not prose documents accord can read; a data file explicitly named is still read
_FORMAT_ALIASES = {
    "txt": "text",
    "plain": "text",
    "htm": "html",
    "md": "markdown",
    "wiki": "mediawiki",
    "wikitext": "mediawiki",
}


def expand_paths(paths: Sequence[str | Path]) -> list[Path]:
    """Expand files and directories into the list of document files to read.

    A file is kept as given. A directory expands, recursively and sorted, to the document
    files under it, skipping hidden files, README/LICENSE/ATTRIBUTION files and files whose
    extension marks them as images, archives, binaries or data. Pipes, sockets and devices
    are kept (given, or in a directory) so that reading them fails, naming them, without
    opening them.

    Raises:
        SourceNotFoundError: a path does not exist, or a directory holds no documents.
    """
    out: list[Path] = []
    seen: set[Path] = set()
    for given in paths:
        path = Path(given)
        if not path.exists():
            raise SourceNotFoundError(f"no such file or directory: {given}")
        if not path.is_dir():
            found = [path]
        else:
            found = sorted(
                p
                for p in path.rglob("*")
                if (p.is_file() or is_special_file(p)) and _is_document(p.relative_to(path))
            )
            if not found:
                raise SourceNotFoundError(
                    f"{given} holds no documents (looked for text, HTML, MediaWiki and "
                    "Markdown files, skipping hidden, README and LICENSE files)"
                )
        for p in found:  # a set, not `in out`: a directory may hold 100,000 files
            if p not in seen:
                seen.add(p)
                out.append(p)
    return drop_project_files(out)


def drop_project_files(paths: list[Path]) -> list[Path]:
    """Drop README/LICENSE/ATTRIBUTION files given among other documents.

    ``accord check examples/*`` expands to the documents and their licence file; the licence
    is not one of the documents to compare. Given alone, such a file is checked as asked.
    """
    kept = [p for p in paths if not p.name.lower().startswith(SKIPPED_NAME_PREFIXES)]
    if not kept:
        return paths
    kept_set = set(kept)  # membership in a list made 20,000 files take minutes
    for path in paths:
        if path not in kept_set:
            logger.warning("skipping %s: a readme or licence file, not a document", path)
    return kept


def _is_document(relative: Path) -> bool:
    if any(part.startswith(".") for part in relative.parts):
        return False
    name = relative.name.lower()
    return (
        not name.startswith(SKIPPED_NAME_PREFIXES)
        and relative.suffix.lower() not in SKIPPED_EXTENSIONS
    )


def read_document(
    source: str | Path | bytes,
    *,
    name: str | None = None,
    encoding: str | None = None,
    format: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_html_depth: int = DEFAULT_MAX_HTML_DEPTH,
) -> Document:
    """Read one source into a cleaned ``Document``.

    Args:
        source: a file path, or the raw bytes of a document.
        name: the name to record as the document's source (default: the path, or
            ``"<bytes>"``); also used for the kind guess and the format tiebreak.
        encoding: a codec to decode with instead of detecting one.
        format: ``text``, ``html``, ``mediawiki`` or ``markdown`` instead of sniffing.
        max_bytes: the size limit in bytes; a larger source is refused, not cut.
        max_html_depth: HTML tags nested deeper than this are flattened (text kept).

    Raises:
        SourceNotFoundError: the path does not exist or is a directory.
        NotAFileError: the path is a pipe, socket or device (it is never opened).
        InputTooLargeError: the source is over ``max_bytes``.
        EmptyDocumentError: the source holds no letters or digits once cleaned.
        BinaryInputError: the source is binary data.
        DecodeError: ``encoding`` names no known codec.
        UnsupportedFormatError: ``format`` is not one of the known formats.
    """
    fmt = _check_format(format)
    if isinstance(source, bytes):
        label = name or "<bytes>"
        data = source
    else:
        label = display_name(name or str(source))
        data = _read_bytes(Path(source), display_name(str(source)), max_bytes)
    decoded = decode_bytes(data, name=label, encoding=encoding, max_bytes=max_bytes)
    return _ingest(decoded.text, label, decoded.encoding, fmt, max_html_depth)


def read_text(
    text: str,
    *,
    name: str = "<text>",
    format: str | None = None,
    max_html_depth: int = DEFAULT_MAX_HTML_DEPTH,
) -> Document:
    """Read text given directly (already decoded) into a cleaned ``Document``.

    ``max_html_depth`` is as for ``read_document``.

    Raises:
        EmptyDocumentError: ``text`` holds no letters or digits once cleaned.
        UnsupportedFormatError: ``format`` is not one of the known formats.
    """
    fmt = _check_format(format)
    cleaned = clean_text(text)
    if not cleaned.strip():
        raise EmptyDocumentError(f"{name} is empty")
    if not has_words(cleaned):
        raise EmptyDocumentError(f"{name} is empty ({NO_WORDS})")
    return _ingest(cleaned, name, "utf-8", fmt, max_html_depth)


def _check_format(format: str | None) -> str | None:
    if format is None:
        return None
    fmt = _FORMAT_ALIASES.get(format.lower(), format.lower())
    if fmt not in FORMATS:
        raise UnsupportedFormatError(f"unknown format {format!r}; valid: {', '.join(FORMATS)}")
    return fmt


def _read_bytes(path: Path, given: str, max_bytes: int) -> bytes:
    if not path.exists():
        raise SourceNotFoundError(f"no such file or directory: {given}")
    if path.is_dir():
        raise SourceNotFoundError(
            f"{given} is a directory, not a file; expand_paths() lists the documents in it"
        )
    try:
        check_regular(path, given)
        size = path.stat().st_size
        if size > max_bytes:
            raise InputTooLargeError(
                f"{given} is {size:,} bytes, over the limit of {max_bytes:,} bytes; "
                "accord refuses it rather than check a cut-off part; raise the limit "
                "with --max-bytes"
            )
        with open_regular(path, given) as handle:
            return handle.read(max_bytes + 1)
    except OSError as exc:
        raise IngestError(f"cannot read {given}: {exc.strerror or exc}") from exc


def _ingest(
    text: str, source: str, encoding: str, fmt: str | None, max_html_depth: int
) -> Document:
    check_deadline()
    fmt = fmt or sniff_format(text, name=source)
    if fmt == "html":
        text = flatten_deep_html(text, max_depth=max_html_depth, name=source)
    elif fmt == "mediawiki":
        text = flatten_unclosed_wikitext(flatten_deep_wikitext(text, name=source), name=source)
    elif fmt == "markdown":
        text = flatten_unclosed_markdown(flatten_deep_markdown(text, name=source), name=source)
    check_deadline()
    ingester = ingesters.get(f"accord.{fmt}.v1")()
    document = ingester.ingest(text, source=source, encoding=encoding)
    check_deadline()
    return document
