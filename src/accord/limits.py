"""Limits on hostile input: their defaults and a cooperative per-document deadline.

A deadline is set around the work on one document (``time_limit``) and checked by the stages
between small units of work (``check_deadline``, ``checked``): between ingest steps and
between the lines the claim extractor parses. Nothing is killed from outside, so no thread
or interpreter state is left half-changed; the cost is that one unit of work (one batch of
lines, one parser call on a size-limited input) can run past the limit before it is seen.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TypeVar

from accord.errors import DocumentTimeoutError

logger = logging.getLogger(__name__)

DEFAULT_MAX_BYTES = 10 * 1024 * 1024  # 10 MB: far above any article, low enough to fail fast
DEFAULT_MAX_DOCUMENTS = 1000  # a check compares documents about one subject; more is a corpus
DEFAULT_MAX_SECONDS_PER_DOCUMENT = 120.0  # a 1 MB article parses in well under a minute
DEFAULT_MAX_HTML_DEPTH = 200  # real pages nest < 60 deep; libxml2 silently cuts at 256
MAX_LINE_CHARS = 3000  # longer paragraphs are split at sentences: bounds parser memory and
# the work between two deadline checks (spaCy refuses texts over 1,000,000 characters)
MAX_LINE_TOKENS = 500  # the same for token-dense junk ("&&&&..."): ~3,000 characters of prose

T = TypeVar("T")


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
        raise DocumentTimeoutError(
            f"{deadline.what} took longer than the limit of {deadline.seconds:g} s per "
            "document (ingest and claims); raise it with --max-seconds"
        )


def checked(items: Iterable[T]) -> Iterator[T]:
    """Yield ``items``, checking the current deadline before each one.

    Raises:
        DocumentTimeoutError: the deadline passed while the items were consumed.
    """
    for item in items:
        check_deadline()
        yield item
