"""Sources as a user declares them: a text or a file with its id, title, URL, kind, published
date and metadata (``accord.Source``), and the sidecar files (``FILE.meta.json``) that
declare the same for a file.

What is declared wins over what a page says of itself; a kind is never read from a file
name. Every value is checked here, and a bad one is a ``ConfigError`` naming it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, BinaryIO

from accord.errors import AccordError, ConfigError
from accord.model import KIND_DECLARED, DocKind, Document
from accord.published import check_published

__all__ = [
    "SIDECAR_KEYS",
    "SIDECAR_SUFFIX",
    "SOURCE_KEYS",
    "Source",
    "apply_source",
    "check_kind",
    "check_metadata",
    "check_published",
    "declared_paths",
    "is_sidecar",
    "merged",
    "read_sidecar",
    "sidecar_path",
    "stdin_sources",
    "to_source",
]

STDIN_PATH = "-"
"""The path that stands for standard input on the command line."""
STDIN_NAME = "<stdin>"
"""What reports call a document read from standard input (its source and id)."""
SIDECAR_SUFFIX = ".meta.json"
SOURCE_KEYS = ("text", "path", "id", "title", "url", "kind", "published", "metadata")
SIDECAR_KEYS = ("id", "title", "url", "kind", "published", "metadata")
MAX_SIDECAR_BYTES = 1 << 20  # a sidecar holds a few fields; more is not a sidecar


def check_kind(value: object) -> DocKind:
    """``value`` (a ``DocKind`` or its name) as a ``DocKind``.

    Raises:
        ConfigError: not a kind; the message lists the valid ones.
    """
    if isinstance(value, DocKind):
        return value
    if not isinstance(value, str):
        raise ConfigError(f"kind must be a string, not a {type(value).__name__}")
    try:
        kind: DocKind = DocKind.from_str(value.strip())
    except ValueError as exc:
        raise ConfigError(str(exc)) from None
    return kind


def check_metadata(value: object) -> tuple[tuple[str, str], ...]:
    """``value``, a mapping of strings to strings, as key/value pairs sorted by key (lone
    surrogates, which no UTF-8 output can hold, replaced by U+FFFD).

    Raises:
        ConfigError: not such a mapping.
    """
    from accord.ingest.guard import scrub_surrogates

    if not isinstance(value, Mapping) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    ):
        raise ConfigError(
            "must be an object of strings (each key and each value a string), "
            f"not {_describe(value)}"
        )
    return tuple(sorted((scrub_surrogates(k), scrub_surrogates(v)) for k, v in value.items()))


def _describe(value: object) -> str:
    if isinstance(value, Mapping):
        bad = next(
            (v for k, v in value.items() if not (isinstance(k, str) and isinstance(v, str))), None
        )
        return f"an object with a {type(bad).__name__} value"
    return f"a {type(value).__name__}"


def _optional_text(name: str, value: object) -> str | None:
    from accord.ingest.guard import scrub_surrogates

    if value is None:
        return None
    if not isinstance(value, str):
        raise ConfigError(f"{name} must be a string, not a {type(value).__name__}")
    return scrub_surrogates(value.strip()) or None


@dataclass(frozen=True, slots=True, kw_only=True)
class Source:
    """A document to check, with what the user says about it.

    Exactly one of ``text`` (the document's text) and ``path`` (a file, or a directory whose
    files all take the declared kind, URL, date and metadata) is given.

    Attributes:
        text: the document's text.
        path: the file (or directory) to read.
        id: the user's id for it (a passage id); the report names a text by it.
        title: its title, over the one found in the text.
        url: where it was published.
        kind: ``encyclopedia``, ``wiki``, ``news`` or ``unknown`` (or a ``DocKind``); sets the
            reliability prior, and the report says it was declared.
        published: its publication date, ISO 8601 (``2020``, ``2020-05``, ``2020-05-04``,
            ``2020-05-04T10:30:00Z``).
        metadata: free key/value pairs (strings), shown in reports and kept in the store.

    Raises:
        ConfigError: both or neither of text and path; a bad kind, date or metadata.

    Example:
        >>> Source(text="The treaty was signed in 1941.", id="p1", kind="news").kind
        <DocKind.NEWS: 'news'>
    """

    text: str | None = None
    path: str | Path | None = None
    id: str | None = None
    title: str | None = None
    url: str | None = None
    kind: DocKind | str | None = None
    published: str | None = None
    metadata: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if (self.text is None) == (self.path is None):
            raise ConfigError("a Source takes exactly one of text and path")
        if self.text is not None and not isinstance(self.text, str):
            raise ConfigError(f"Source text must be a string, not a {type(self.text).__name__}")
        if self.path is not None and not isinstance(self.path, str | Path):
            raise ConfigError(
                f"Source path must be a str or Path, not a {type(self.path).__name__}"
            )
        for name in ("id", "title", "url"):
            object.__setattr__(self, name, _optional_text(f"Source {name}", getattr(self, name)))
        if self.kind is not None:
            object.__setattr__(self, "kind", check_kind(self.kind))
        if self.published is not None:
            object.__setattr__(self, "published", check_published(self.published))
        try:
            pairs = check_metadata(self.metadata)
        except ConfigError as exc:
            raise ConfigError(f"Source metadata {exc}") from None
        object.__setattr__(self, "metadata", dict(pairs))

    @property
    def declared_kind(self) -> DocKind | None:
        """The declared kind, as a ``DocKind`` (``kind`` is one after checking)."""
        return self.kind if isinstance(self.kind, DocKind) else None


def to_source(given: Source | Mapping[str, Any]) -> Source:
    """A ``Source`` from a ``Source`` or a plain dict with its keys.

    Raises:
        ConfigError: an unknown key or a bad value.
    """
    if isinstance(given, Source):
        return given
    unknown = sorted(str(key) for key in given if key not in SOURCE_KEYS)
    if unknown:
        raise ConfigError(
            f"unknown key {unknown[0]!r} in a source; valid: {', '.join(SOURCE_KEYS)}"
        )
    return Source(**{str(key): value for key, value in given.items()})


def merged(base: Source | None, over: Source) -> Source:
    """``over`` with what it leaves unsaid taken from ``base`` (metadata merged, ``over``'s
    values winning)."""
    if base is None:
        return over
    changes: dict[str, Any] = {
        name: getattr(base, name)
        for name in ("id", "title", "url", "kind", "published")
        if getattr(over, name) is None
    }
    changes["metadata"] = {**base.metadata, **over.metadata}
    return replace(over, **changes)


def apply_source(document: Document, source: Source) -> Document:
    """``document`` with what ``source`` declares: its title, id, URL, kind (marked
    declared), published date and metadata (merged over what the page gave)."""
    from accord.ingest.guard import display_name

    changes: dict[str, Any] = {}
    if source.title:
        changes["title"] = display_name(source.title)
    if source.id:
        changes["source_id"] = display_name(source.id)
    if source.url:
        changes["url"] = display_name(source.url)
    if source.declared_kind is not None:
        changes["kind"] = source.declared_kind
        changes["kind_origin"] = KIND_DECLARED
    if source.published:
        changes["published"] = source.published
    if source.metadata:
        pairs = {**dict(document.metadata), **source.metadata}
        changes["metadata"] = tuple(sorted(pairs.items()))
    return replace(document, **changes) if changes else document


def sidecar_path(path: Path) -> Path:
    """Where the sidecar of ``path`` would be: ``FILE.meta.json`` next to it."""
    return path.with_name(path.name + SIDECAR_SUFFIX)


def is_sidecar(path: Path) -> bool:
    """Whether ``path`` is named as a sidecar (``*.meta.json``): metadata, not a document."""
    return path.name.lower().endswith(SIDECAR_SUFFIX)


def read_sidecar(path: Path) -> Source | None:
    """The sidecar of document ``path`` as a ``Source`` of that path, or ``None`` when it has
    none.

    The sidecar, ``FILE.meta.json``, is one JSON object with any of the keys
    ``SIDECAR_KEYS``: ``{"kind": "news", "title": "...", "url": "...", "published":
    "2020-05-04", "metadata": {"desk": "world"}}``.

    Raises:
        ConfigError: the sidecar cannot be read, is not such an object, or holds a bad value;
            the message names the sidecar.
    """
    from accord.ingest.files import is_special_file, open_regular
    from accord.ingest.guard import display_name

    sidecar = sidecar_path(path)
    name = display_name(str(sidecar))
    if not sidecar.is_file() and not is_special_file(sidecar):
        return None
    try:
        with open_regular(sidecar, f"sidecar {name}") as handle:
            data = handle.read(MAX_SIDECAR_BYTES + 1)
    except AccordError as exc:
        raise ConfigError(str(exc)) from None
    except OSError as exc:
        raise ConfigError(f"cannot read sidecar {name}: {exc.strerror or exc}") from None
    if len(data) > MAX_SIDECAR_BYTES:
        raise ConfigError(f"sidecar {name} is over {MAX_SIDECAR_BYTES:,} bytes")
    try:
        item = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        # ValueError: bad JSON, or an integer over Python's digit limit; RecursionError:
        # arrays or objects nested thousands deep
        raise ConfigError(f"sidecar {name} is not valid JSON ({exc})") from None
    if not isinstance(item, dict):
        raise ConfigError(
            f"sidecar {name} must hold a JSON object with any of {', '.join(SIDECAR_KEYS)}, "
            f"not a JSON {type(item).__name__}"
        )
    unknown = sorted(key for key in item if key not in SIDECAR_KEYS)
    if unknown:
        raise ConfigError(
            f"sidecar {name}: unknown key {unknown[0]!r}; valid: {', '.join(SIDECAR_KEYS)}"
        )
    if isinstance(item.get("id"), int) and not isinstance(item.get("id"), bool):
        item["id"] = str(item["id"])
    try:
        return Source(path=path, **{key: value for key, value in item.items() if value is not None})
    except ConfigError as exc:
        raise ConfigError(f"sidecar {name}: {exc}") from None


def declared_paths(
    given: Sequence[str | Path | Source], kinds: Mapping[str, str]
) -> list[str | Path | Source]:
    """``given`` with the files ``kinds`` names (``--kind FILE=KIND``) as ``Source``\\ s of
    that kind; a directory is expanded to its files so that a file in it can be named.

    Raises:
        ConfigError: a named file is none of the documents, or a kind is bad.
    """
    from accord.ingest import expand_paths

    if not kinds:
        return list(given)
    wanted = {_key(Path(name)): (name, check_kind(kind)) for name, kind in kinds.items()}
    out: list[str | Path | Source] = []
    for item in given:
        if isinstance(item, Source):
            out.append(item)
            continue
        try:
            files = expand_paths([item]) if Path(item).is_dir() else [Path(item)]
        except (AccordError, OSError):  # an empty or unreadable directory: the run reports it
            out.append(item)
            continue
        for path in files:
            found = wanted.pop(_key(path), None)
            out.append(path if found is None else Source(path=path, kind=found[1]))
    if wanted:
        name = next(iter(wanted.values()))[0]
        raise ConfigError(f"--kind names {name}, which is not among the documents given")
    return out


def _key(path: Path) -> Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        return path.absolute()


def _is_stdin(item: str | Path | Source) -> bool:
    path = item.path if isinstance(item, Source) else item
    return path is not None and str(path) == STDIN_PATH


def stdin_sources(
    given: Sequence[str | Path | Source],
    stream: BinaryIO,
    *,
    encoding: str | None = None,
    max_bytes: int,
) -> list[str | Path | Source]:
    """``given`` with ``-`` (a path, or a declared ``Source`` of it) read from ``stream``:
    a text ``Source`` named ``<stdin>`` that keeps what was declared of it.

    Args:
        given: the paths and sources given.
        stream: standard input, as bytes.
        encoding: a codec to decode with instead of detecting one.
        max_bytes: the size limit; more bytes are refused, not cut.

    Raises:
        ConfigError: ``-`` given more than once.
        InputTooLargeError: standard input is over ``max_bytes``.
        DecodeError: ``encoding`` names no known codec.
    """
    from accord.ingest.decode import decode_bytes

    if sum(map(_is_stdin, given)) > 1:
        raise ConfigError("- (standard input) is given more than once; it can be read once")
    out: list[str | Path | Source] = []
    for item in given:
        if not _is_stdin(item):
            out.append(item)
            continue
        data = stream.read(max_bytes + 1)
        text = decode_bytes(data, name=STDIN_NAME, encoding=encoding, max_bytes=max_bytes).text
        declared = item if isinstance(item, Source) else Source(text="")
        out.append(replace(declared, text=text, path=None, id=declared.id or STDIN_NAME))
    return out
