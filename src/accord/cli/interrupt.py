"""Turn SIGTERM into an exception, so a terminated run unwinds like Ctrl-C does.

Unwinding runs every ``finally`` and ``except BaseException`` on the way out: the temporary
file of an output being written is removed, and no partial output is left behind.
"""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

logger = logging.getLogger(__name__)

__all__ = ["Terminated", "sigterm_raises"]


class Terminated(BaseException):  # named like KeyboardInterrupt: not an error
    """Raised in the main thread when the process receives SIGTERM.

    A ``BaseException``, like ``KeyboardInterrupt``, so that ``except Exception`` around
    the work on one document does not swallow it.
    """


def _raise_terminated(signum: int, _frame: FrameType | None) -> None:
    raise Terminated(signal.Signals(signum).name)


@contextmanager
def sigterm_raises() -> Iterator[None]:
    """Within the block, SIGTERM raises ``Terminated`` in the main thread.

    Outside the main thread (where handlers cannot be set) this does nothing.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, _raise_terminated)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
