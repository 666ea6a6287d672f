"""Limits on hostile input: their defaults, sizes in bytes, and a per-document deadline.

A deadline is set around the work on one document (``time_limit``) and checked by the stages
between small units of work (``check_deadline``, ``checked``): between ingest steps and
between the lines the claim extractor parses. That check raises cleanly, but only where the
work yields; a parser call that never returns is stopped from outside instead: the document
runs in a worker process that is killed at the deadline or past its memory limit
(``accord.scale.bounded``, ``accord.per_document``).
"""

from __future__ import annotations

import logging
import math
import re
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TypeVar

from accord.errors import ConfigError, DocumentMemoryError, DocumentTimeoutError

logger = logging.getLogger(__name__)

DEFAULT_MAX_BYTES = 10 * 1024 * 1024  # 10 MB: far above any article, low enough to fail fast
DEFAULT_MAX_DOCUMENTS = 1000  # a check compares documents about one subject; more is a corpus
DEFAULT_MAX_SECONDS_PER_DOCUMENT = 120.0  # a 1 MB article parses in well under a minute
DEFAULT_MAX_MEMORY = 2 * 1024**3  # 2 GiB per document worker: the English model and a
# 10 MB document take about 0.5 GiB; the hostile inputs that grew past 7 GB stop here
DEFAULT_MAX_HTML_DEPTH = 200  # real pages nest < 60 deep; libxml2 silently cuts at 256
MAX_LINE_CHARS = 3000  # longer paragraphs are split at sentences: bounds parser memory and
# the work between two deadline checks (spaCy refuses texts over 1,000,000 characters)
MAX_LINE_TOKENS = 500  # the same for token-dense junk ("&&&&..."): ~3,000 characters of prose

T = TypeVar("T")

_UNITS = {
    "": 1,
    "b": 1,
    "k": 1000,
    "kb": 1000,
    "m": 1000**2,
    "mb": 1000**2,
    "g": 1000**3,
    "gb": 1000**3,
    "kib": 1024,
    "mib": 1024**2,
    "gib": 1024**3,
    "tib": 1024**4,
}
_SIZE = re.compile(r"\s*([0-9]+(?:\.[0-9]*)?|\.[0-9]+)\s*([a-z]*)\s*", re.IGNORECASE)


def parse_size(text: str) -> int:
    """The number of bytes a size names: ``"1.5GiB"``, ``"800MB"``, ``"2G"``, ``"1048576"``.

    Units: B, kB/MB/GB (powers of 1000; K, M and G alone too) and KiB/MiB/GiB/TiB (powers
    of 1024), in any case.

    Raises:
        ConfigError: not a size, or a size of zero bytes.
    """
    match = _SIZE.fullmatch(text)
    unit = match.group(2).lower() if match else ""
    if match is None or unit not in _UNITS:
        raise ConfigError(
            f"{text!r} is not a size; give a number with a unit, e.g. 1.5GiB or 800MB "
            f"(units: B, kB, MB, GB, KiB, MiB, GiB, TiB)"
        )
    size = math.floor(float(match.group(1)) * _UNITS[unit])
    if size < 1:
        raise ConfigError(f"{text!r} is no memory at all; give a size such as 2GiB")
    return size


def format_size(size: int) -> str:
    """A size in bytes the way people read it, in the unit that names it exactly where one
    does: ``"1.5 GiB"``, ``"800 MB"``, ``"512 B"``; else the binary unit, to 3 digits."""
    units = (
        *(("TiB", 1024**4), ("GiB", 1024**3), ("MiB", 1024**2), ("KiB", 1024)),
        *(("GB", 1000**3), ("MB", 1000**2), ("kB", 1000)),
    )
    fitting = [(unit, size / factor) for unit, factor in units if size >= factor]
    for unit, value in fitting:
        if float(f"{value:.3g}") == value:
            return f"{value:g} {unit}"
    if fitting:
        unit, value = fitting[0]
        return f"{value:.3g} {unit}"
    return f"{size} B"


def timeout_error(what: str, seconds: float) -> DocumentTimeoutError:
    """The error of a document whose ingest and claims took longer than ``seconds``."""
    return DocumentTimeoutError(
        f"{what} took longer than the limit of {seconds:g} s per document (ingest and "
        "claims); raise it with --max-seconds"
    )


def memory_error(what: str, size: int) -> DocumentMemoryError:
    """The error of a document whose ingest and claims needed more than ``size`` bytes."""
    return DocumentMemoryError(
        f"{what} needed more than the limit of {format_size(size)} of memory per document "
        "(ingest and claims); raise it with --max-memory"
    )


@dataclass(frozen=True, slots=True)
class _Deadline:
    ends_at: float
    seconds: float
    what: str


_DEADLINE: ContextVar[_Deadline | None] = ContextVar("accord_deadline", default=None)


@contextmanager
def time_limit(seconds: float | None, what: str, *, spent_s: float = 0.0) -> Iterator[None]:
    """Set a deadline ``seconds - spent_s`` from now for the work inside the block.

    Args:
        seconds: the limit; ``None`` or a value <= 0 means no limit.
        what: the name of the document worked on, for the error message.
        spent_s: seconds of the limit already used by earlier work on the same document.

    Raises:
        DocumentTimeoutError: from ``check_deadline`` inside the block, once past the limit.
    """
    if seconds is None or seconds <= 0:
        token = _DEADLINE.set(None)
    else:
        token = _DEADLINE.set(_Deadline(time.monotonic() + seconds - spent_s, seconds, what))
    try:
        yield
    finally:
        _DEADLINE.reset(token)


def check_deadline() -> None:
    """Raise ``DocumentTimeoutError`` when the current deadline has passed; else do nothing.

    Raises:
        DocumentTimeoutError: the work on the current document took longer than its limit.
    """
    deadline = _DEADLINE.get()
    if deadline is not None and time.monotonic() > deadline.ends_at:
        raise timeout_error(deadline.what, deadline.seconds)


def checked(items: Iterable[T]) -> Iterator[T]:
    """Yield ``items``, checking the current deadline before each one.

    Raises:
        DocumentTimeoutError: the deadline passed while the items were consumed.
    """
    for item in items:
        check_deadline()
        yield item
