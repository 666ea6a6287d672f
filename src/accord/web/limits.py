"""How much ``accord serve`` takes on at once and how long it waits: the defaults and
``ServeLimits``, importable without the web extra (the command line reads them).
"""

from __future__ import annotations

import os
from dataclasses import dataclass

__all__ = [
    "ADMIT_WAIT_S",
    "BODY_TIMEOUT_S",
    "CHECK_TIMEOUT_S",
    "MAX_DEFAULT_CHECKS",
    "MAX_QUEUED",
    "RETRY_AFTER_S",
    "ServeLimits",
    "default_checks",
]

MAX_QUEUED = 8  # background runs waiting for a free check; more is refused (the server is busy)
MAX_DEFAULT_CHECKS = 4  # each check holds its documents, claims and pairs in memory at once
ADMIT_WAIT_S = 2.0  # a request waits this long for room before it is refused
CHECK_TIMEOUT_S = 60.0  # POST /check answers within this; a longer check goes on in the background
BODY_TIMEOUT_S = 10.0  # a request's whole body must arrive within this of its head
RETRY_AFTER_S = 5  # what a refusal tells the client to wait: about one short check


def default_checks() -> int:
    """Checks run at once by default: one per CPU this process may use, at most
    ``MAX_DEFAULT_CHECKS`` (memory, not CPU, is what more checks at once run out of)."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cpus = os.cpu_count() or 1
    return max(1, min(cpus, MAX_DEFAULT_CHECKS))


@dataclass(frozen=True, slots=True, kw_only=True)
class ServeLimits:
    """How much the app takes on at once, and how long it waits (``accord serve`` options).

    Attributes:
        checks: checks run at once (``None``: ``default_checks()``, one per CPU, at most
            4; with a store, 1); a ``POST /check`` needs one of them free.
        max_queued: background runs (``POST /runs``, the upload page) that may wait for a
            free check; past them a run is refused.
        admit_wait_s: how long a request waits for room before it is refused with 503.
        check_timeout_s: the longest ``POST /check`` holds its connection; a check still
            running then goes on as a background run and the request answers 503.
        body_timeout_s: the whole request body must arrive within this many seconds of the
            request's head; a body shorter than its ``Content-Length`` is answered 408.
        retry_after_s: the ``Retry-After`` every 503 carries, in seconds.
    """

    checks: int | None = None
    max_queued: int = MAX_QUEUED
    admit_wait_s: float = ADMIT_WAIT_S
    check_timeout_s: float = CHECK_TIMEOUT_S
    body_timeout_s: float = BODY_TIMEOUT_S
    retry_after_s: int = RETRY_AFTER_S
