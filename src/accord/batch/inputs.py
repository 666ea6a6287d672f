"""What ``accord batch`` reads: directory trees, JSONL passage files and MediaWiki dumps,
as one lazy stream of passages (and failures for what cannot be read).

Each INPUT is taken as:

- a directory: every document file under it, recursively and sorted (hidden, README and
  LICENSE files, images, archives and data files skipped, as ``accord check`` does); a
  ``.jsonl``/``.ndjson`` file or a MediaWiki ``.xml`` dump found there is read as a corpus;
- a ``.jsonl``/``.ndjson`` file (maybe ``.gz``/``.bz2``): one passage per line
  (``accord.ingest.passages``);
- a MediaWiki XML dump, ``.xml`` maybe ``.gz``/``.bz2``: one passage per article
  (``accord.ingest.dump``);
- any other file: one document, with what its sidecar ``FILE.meta.json`` declares (kind,
  title, url, published, metadata); a bad sidecar fails that document. Sidecars are never
  documents themselves.

Files are read here, in the calling process, so workers (on any machine) get the bytes.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

from accord.errors import (
    AccordError,
    ConfigError,
    IngestError,
    InputTooLargeError,
    SourceNotFoundError,
)
from accord.ingest import expand_paths
from accord.ingest.dump import is_dump_file, iter_dump
from accord.ingest.files import check_regular, open_regular
from accord.ingest.guard import display_name
from accord.ingest.passages import Passage, is_passages_file, iter_passages, to_failure
from accord.model import DocKind, Failure
from accord.sources import check_kind, is_sidecar, read_sidecar

logger = logging.getLogger(__name__)

__all__ = ["count_inputs", "input_kinds", "is_document_file", "iter_inputs"]

# Counting reads every plain JSONL byte once more; past this many bytes in all it costs too
# much for a progress bar's total, which is then left unknown (the bar shows the rate).
MAX_COUNTED_BYTES = 1 << 30
_COUNT_CHUNK = 1 << 20


def iter_inputs(inputs: Sequence[str | Path], *, max_bytes: int) -> Iterator[Passage | Failure]:
    """Stream every document of ``inputs`` as a ``Passage``; what cannot be read as a
    ``Failure``, and the stream goes on.

    Args:
        inputs: directories, JSONL files, MediaWiki dumps or document files.
        max_bytes: the size limit of one document (a file, a JSONL line, a dump page).
    """
    for given in inputs:
        path = Path(given)
        name = display_name(str(given))
        if not path.exists():
            yield to_failure(name, SourceNotFoundError(f"no such file or directory: {name}"))
            continue
        if not path.is_dir():
            if is_sidecar(path):
                logger.info("skipping %s: a sidecar, read with the file it names", name)
                continue
            yield from _read_file(path, max_bytes)
            continue
        try:
            files = expand_paths([path])
        except (AccordError, OSError) as exc:
            yield to_failure(name, exc)
            continue
        for found in files:
            yield from _read_file(found, max_bytes)


def _read_file(path: Path, max_bytes: int) -> Iterator[Passage | Failure]:
    if is_passages_file(path):
        yield from iter_passages(path, max_bytes=max_bytes)
    elif is_dump_file(path):
        yield from iter_dump(path, max_bytes=max_bytes)
    else:
        yield _read_document_file(path, max_bytes)


def _read_document_file(path: Path, max_bytes: int) -> Passage | Failure:
    name = display_name(str(path))
    try:
        check_regular(path, name)
        size = path.stat().st_size
        if size > max_bytes:
            raise InputTooLargeError(
                f"{name} is {size:,} bytes, over the limit of {max_bytes:,} bytes; accord "
                "refuses it rather than check a cut-off part; raise the limit with --max-bytes"
            )
        with open_regular(path, name) as handle:
            data = handle.read(max_bytes + 1)
    except IngestError as exc:  # over the limit, or a pipe or device
        return to_failure(name, exc)
    except OSError as exc:
        return to_failure(name, IngestError(f"cannot read {name}: {exc.strerror or exc}"))
    try:
        declared = read_sidecar(path)
    except ConfigError as exc:
        return to_failure(name, exc)
    if declared is None:
        return Passage(source=name, data=data)
    return Passage(
        source=name,
        data=data,
        title=declared.title,
        kind=declared.declared_kind,
        source_id=declared.id,
        url=declared.url,
        published=declared.published,
        metadata=tuple(sorted(declared.metadata.items())),
    )


def input_kinds(
    inputs: Sequence[str | Path], kinds: Sequence[tuple[str, str]] | Mapping[str, str]
) -> dict[str | Path, DocKind]:
    """The kind ``--kind INPUT=KIND`` declares for each of ``inputs`` it names.

    An INPUT is matched to an input given by the file or directory both name, so
    ``--kind ./news=news`` names the input ``news``.

    Raises:
        ConfigError: an INPUT that is none of the inputs given, or an unknown kind.
    """
    pairs = kinds.items() if isinstance(kinds, Mapping) else kinds
    given = {_where(Path(item)): item for item in inputs}
    out: dict[str | Path, DocKind] = {}
    for name, kind in pairs:
        item = given.get(_where(Path(name)))
        if item is None:
            raise ConfigError(
                f"--kind names {display_name(name)}, which is not one of the inputs given "
                "(name the INPUT itself: a file, a directory, a JSONL file or a dump)"
            )
        out[item] = check_kind(kind)
    return out


def is_document_file(path: Path) -> bool:
    """Whether ``path`` is read as one document (a file, not a JSONL file or a dump)."""
    return path.is_file() and not is_passages_file(path) and not is_dump_file(path)


def _where(path: Path) -> Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        return path.absolute()


def count_inputs(inputs: Sequence[str | Path]) -> int | None:
    """How many documents ``iter_inputs`` will yield, when that is cheap to know: files are
    counted and plain JSONL lines too. ``None`` when any input is a compressed file or a
    dump (counting would mean reading it all twice) or the JSONL is over
    ``MAX_COUNTED_BYTES``. Failures count as documents, as the progress bar counts them.
    """
    total = 0
    budget = MAX_COUNTED_BYTES
    for given in inputs:
        path = Path(given)
        try:
            files = expand_paths([path]) if path.is_dir() else [path]
        except (AccordError, OSError):
            total += 1  # one failure
            continue
        for found in files:
            if not found.exists():
                total += 1
            elif not path.is_dir() and is_sidecar(found):
                continue
            elif is_passages_file(found) or is_dump_file(found):
                counted = _count_lines(found, budget)
                if counted is None:
                    return None
                lines, size = counted
                total += lines
                budget -= size
            else:
                total += 1
    return total


def _count_lines(path: Path, budget: int) -> tuple[int, int] | None:
    """The non-blank lines of a plain JSONL file and its size, or ``None`` when it is
    compressed, a dump, or over ``budget`` bytes."""
    if not is_passages_file(path) or path.suffix.lower() in (".gz", ".bz2"):
        return None
    try:
        size = path.stat().st_size
        if size > budget:
            return None
        lines = 0
        with path.open("rb") as handle:
            for line in handle:
                if line.strip():
                    lines += 1
    except OSError:
        return 1, 0
    return lines, size
