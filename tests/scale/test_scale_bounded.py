"""The bounded worker pool: calls that never return are killed at their deadline, calls that
need too much memory fail, and the worker is replaced for the next call."""

from __future__ import annotations

import os
import signal
import time

import pytest

from accord.errors import (
    ConfigError,
    DocumentMemoryError,
    DocumentTimeoutError,
    EmptyDocumentError,
)
from accord.scale.bounded import BoundedPool, Call
from accord.scale.local import WorkerLostError

MEMORY_LIMIT = 512 * 1024**2  # far above an idle worker (about 60 MB), far below a hog


def _pid() -> int:
    return os.getpid()


def _stall(seconds: float) -> int:
    time.sleep(seconds)  # blocks without ever reaching a deadline check, like a C parser
    return os.getpid()


def _hog(size: int) -> int:
    held = []
    while True:  # grows by 16 MiB at a time until the address-space limit stops it
        held.append(bytearray(16 * 1024**2))
        if len(held) * 16 * 1024**2 > size:
            return len(held)


def _refuse(name: str) -> None:
    raise EmptyDocumentError(f"{name} has no text")


def _call(function: object, *args: object, what: str = "doc", limit: float | None = None) -> Call:
    return Call(function, args, what, seconds_left=limit, limit_s=limit)  # type: ignore[arg-type]


@pytest.mark.parametrize("limit_s", [1.0])
def test_bounded_pool_kills_a_stalled_call_and_goes_on(limit_s: float) -> None:
    calls = [
        _call(_pid, what="first", limit=limit_s),
        _call(_stall, 600.0, what="stalled.html", limit=limit_s),
        _call(_pid, what="after", limit=limit_s),
    ]
    started = time.monotonic()
    with BoundedPool(MEMORY_LIMIT) as pool:
        first, stalled, after = pool.run(calls)
    assert time.monotonic() - started < 60  # a generous bound: the stalled call sleeps 600 s
    assert isinstance(stalled.error, DocumentTimeoutError)
    assert "stalled.html took longer than the limit of 1 s" in str(stalled.error)
    assert first.error is None and after.error is None
    assert first.value != after.value  # the killed worker was replaced


@pytest.mark.parametrize("size", [4 * 1024**3])
def test_bounded_pool_stops_a_call_over_the_memory_limit(size: int) -> None:
    with BoundedPool(MEMORY_LIMIT) as pool:
        hog, after = pool.run([_call(_hog, size, what="hog.md"), _call(_pid, what="after")])
    assert isinstance(hog.error, DocumentMemoryError)
    assert "hog.md needed more than the limit of 512 MiB" in str(hog.error)
    assert after.error is None and isinstance(after.value, int)


@pytest.mark.parametrize("calls", [4])
def test_bounded_pool_reuses_its_worker(calls: int) -> None:
    with BoundedPool(MEMORY_LIMIT) as pool:
        first = pool.run([_call(_pid) for _ in range(calls)])
        second = pool.run([_call(_pid)])
    assert len({outcome.value for outcome in first + second}) == 1
    assert first[0].value != os.getpid()


@pytest.mark.parametrize("workers", [2])
def test_bounded_pool_keeps_order_and_errors_over_workers(workers: int) -> None:
    calls = [_call(_refuse, "a.txt"), _call(_pid), _call(_refuse, "b.txt"), _call(_pid)]
    with BoundedPool(MEMORY_LIMIT) as pool:
        outcomes = pool.run(calls, workers=workers)
    assert [type(o.error) for o in outcomes] == [EmptyDocumentError, type(None)] * 2
    assert "b.txt has no text" in str(outcomes[2].error)


@pytest.mark.parametrize("limit_s", [0.5])
def test_bounded_pool_warm_up_is_not_charged_to_a_call(limit_s: float) -> None:
    warm_up = _call(_stall, 2 * limit_s)
    with BoundedPool(MEMORY_LIMIT) as pool:
        (outcome,) = pool.run([_call(_pid, limit=limit_s)], warm_up=warm_up)
    assert outcome.error is None


@pytest.mark.parametrize("size", [4 * 1024**3])
def test_bounded_pool_warm_up_over_the_memory_limit_is_a_config_error(size: int) -> None:
    with BoundedPool(MEMORY_LIMIT) as pool, pytest.raises(ConfigError, match="--max-memory"):
        pool.run([_call(_pid)], warm_up=_call(_hog, size))


def _crash(signum: int) -> None:
    os.kill(os.getpid(), signum)  # as C code that finds no memory may end


@pytest.mark.parametrize(
    ("max_memory", "error", "message"),
    [
        (MEMORY_LIMIT, DocumentMemoryError, "crash.html needed more than the limit"),
        (None, WorkerLostError, "the process working on crash.html stopped (killed by SIGSEGV)"),
    ],
)
def test_bounded_pool_worker_crash_fails_its_call_only(
    max_memory: int | None, error: type[Exception], message: str
) -> None:
    with BoundedPool(max_memory) as pool:
        crashed, after = pool.run(
            [_call(_crash, signal.SIGSEGV, what="crash.html"), _call(_pid, what="after")]
        )
    assert type(crashed.error) is error
    assert message in str(crashed.error)
    assert after.error is None


@pytest.mark.parametrize("signum", [signal.SIGKILL])
def test_bounded_pool_replaces_a_worker_killed_while_idle(signum: int) -> None:
    with BoundedPool(MEMORY_LIMIT) as pool:
        (first,) = pool.run([_call(_pid)])
        os.kill(first.value, signum)
        time.sleep(0.5)  # let it die before the next call is sent
        (second,) = pool.run([_call(_pid)])
    assert second.error is None
    assert second.value != first.value
