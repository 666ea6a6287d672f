"""Worker processes that run one document's work at a time and can be stopped from outside.

A worker past its call's deadline is killed; one that runs out of its address space (a
memory limit set in the worker) fails its call; either is replaced by a fresh worker.
"""

from __future__ import annotations

import logging
import os
import pickle
import signal
import subprocess
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from multiprocessing import connection
from multiprocessing.connection import Connection
from typing import Any

from accord.errors import AccordError, ConfigError
from accord.limits import format_size, memory_error, timeout_error
from accord.scale.local import WorkerLostError

logger = logging.getLogger(__name__)

__all__ = ["BoundedPool", "Call", "Outcome", "is_supported", "serve"]

KILL_GRACE_S = 1.0  # past a deadline the worker's own check (``limits.check_deadline``)
# gets this long to fail the document cleanly, keeping the worker and its loaded model
STOP_GRACE_S = 2.0  # how long a worker told to stop gets to exit before it is killed
_PARENT_CHECK_S = 1.0
_SERVE = "from accord.scale.bounded import serve; serve"  # a worker's program, run with -c
_BLAS_THREAD_VARIABLES = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")
# a C parser that finds no memory may crash instead of raising MemoryError
_MEMORY_SIGNALS = {signal.SIGSEGV, signal.SIGABRT, signal.SIGBUS, signal.SIGKILL}


def is_supported() -> bool:
    """Whether worker processes can be started here (POSIX: pipes passed to a child)."""
    return os.name == "posix"


@dataclass(frozen=True, slots=True)
class Call:
    """One document's work for a worker.

    Attributes:
        function: a module-level function (it travels by name), called with ``args``.
        args: picklable arguments.
        what: the document's name, for the errors.
        seconds_left: the deadline, from when the worker starts the call (``None``: none).
        limit_s: the whole per-document limit, for the error message.
    """

    function: Callable[..., Any]
    args: tuple[Any, ...]
    what: str
    seconds_left: float | None = None
    limit_s: float | None = None


@dataclass(frozen=True, slots=True)
class Outcome:
    """What a call returned, or the error it failed with (``value`` is then ``None``)."""

    value: Any = None
    error: Exception | None = None


class _Worker:
    """One worker process, and the pipes to and from it."""

    def __init__(self, max_memory: int | None) -> None:
        child_in, to_child = os.pipe()
        from_child, child_out = os.pipe()
        level = logging.getLogger("accord").getEffectiveLevel()
        code = f"{_SERVE}({child_in}, {child_out}, {max_memory!r}, {level})"
        try:
            self.process = subprocess.Popen(
                [sys.executable, "-c", code],
                pass_fds=(child_in, child_out),
                stdin=subprocess.DEVNULL,
                env=_worker_environment(),
            )
        except BaseException:
            for fd in (to_child, from_child):
                os.close(fd)
            raise
        finally:
            os.close(child_in)
            os.close(child_out)
        self.inbox = Connection(to_child, readable=False)
        self.outbox = Connection(from_child, writable=False)
        self.ready = False
        self.limited = False
        self.warmed: set[bytes] = set()
        self.warming = False
        self.index: int | None = None  # the call this worker holds
        self.deadline: float | None = None

    def send(self, call: Call) -> None:
        self.inbox.send((call.function, call.args))

    def stop(self, *, kill: bool = False) -> None:
        """Stop the process: on a closed inbox it exits by itself; else, or late, kill it."""
        for end in (self.inbox, self.outbox):
            end.close()
        if not kill:
            try:
                self.process.wait(STOP_GRACE_S)
            except subprocess.TimeoutExpired:
                kill = True
        if kill and self.process.poll() is None:
            self.process.kill()
        self.process.wait()

    def exit_status(self) -> str:
        code = self.process.wait()
        if code < 0:
            try:
                return f"killed by {signal.Signals(-code).name}"
            except ValueError:
                return f"killed by signal {-code}"
        return f"exit status {code}"


class BoundedPool:
    """Worker processes, started when first needed and reused call after call.

    Each call runs in one worker under its own deadline; the worker is killed
    ``KILL_GRACE_S`` after it and the call fails with ``DocumentTimeoutError``. With
    ``max_memory``, each worker's address space is limited to it (``RLIMIT_AS``); a call
    that needs more fails with ``DocumentMemoryError``. Either way the worker is replaced.
    Where the system has no address-space limit, calls are bounded in time only (a warning
    says so once).

    Args:
        max_memory: the address-space limit of each worker, in bytes (``None``: none).
    """

    def __init__(self, max_memory: int | None = None) -> None:
        self.max_memory = max_memory
        self._workers: list[_Worker] = []
        self._queue: deque[int] = deque()  # the calls of the current ``run`` not yet sent
        self._warned = False

    def __enter__(self) -> BoundedPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close(kill=any(e is not None for e in exc))

    def close(self, *, kill: bool = False) -> None:
        """Stop every worker (killed at once with ``kill``, as when a run is interrupted)."""
        workers, self._workers = self._workers, []
        for worker in workers:
            worker.stop(kill=kill or worker.index is not None)

    def run(
        self,
        calls: Sequence[Call],
        *,
        workers: int = 1,
        warm_up: Call | None = None,
        advance: Callable[[int, int], None] | None = None,
    ) -> list[Outcome]:
        """Run ``calls`` in up to ``workers`` processes; return their outcomes in order.

        Args:
            calls: the work, one call per document.
            workers: the most processes to use at once.
            warm_up: a call each worker makes once before its first call here (loading a
                model), without a deadline, so that no document is charged for it.
            advance: called as ``advance(done, total)`` when calls finish.

        Raises:
            ConfigError: the warm-up needed more memory than ``max_memory``.
            AccordError: a worker could not be started, or the warm-up failed.
        """
        key = pickle.dumps((warm_up.function, warm_up.args)) if warm_up else b""
        outcomes: list[Outcome | None] = [None] * len(calls)
        self._queue = queue = deque(range(len(calls)))
        try:
            while queue or any(w.index is not None for w in self._workers):
                self._assign(calls, queue, workers, warm_up, key)
                self._wait(calls, outcomes, warm_up, key)
                if advance is not None:
                    advance(sum(o is not None for o in outcomes), len(calls))
        except BaseException:
            self.close(kill=True)
            raise
        return [outcome or Outcome(error=AccordError("no outcome")) for outcome in outcomes]

    def _assign(
        self,
        calls: Sequence[Call],
        queue: deque[int],
        workers: int,
        warm_up: Call | None,
        key: bytes,
    ) -> None:
        for worker in self._workers:
            if queue and worker.index is None:
                worker.index = queue.popleft()
                self._advance(worker, calls, warm_up, key)
        while queue and len(self._workers) < max(1, workers):
            worker = _Worker(self.max_memory)
            self._workers.append(worker)
            worker.index = queue.popleft()

    def _advance(
        self, worker: _Worker, calls: Sequence[Call], warm_up: Call | None, key: bytes
    ) -> None:
        """Send a ready worker the next message its call needs: the warm-up, or the call."""
        if not worker.ready or worker.index is None or worker.warming:
            return
        call = calls[worker.index]
        warming = warm_up is not None and key not in worker.warmed
        try:
            worker.send(warm_up if warm_up is not None and warming else call)
        except OSError:  # it died while idle (killed from outside): the call goes to another
            logger.debug("worker process %d stopped while idle", worker.process.pid)
            self._queue.appendleft(worker.index)
            worker.index = None
            self._drop(worker, kill=True)
            return
        if warming:
            worker.warming = True
            return
        if call.seconds_left is not None:
            worker.deadline = time.monotonic() + call.seconds_left + KILL_GRACE_S

    def _wait(
        self,
        calls: Sequence[Call],
        outcomes: list[Outcome | None],
        warm_up: Call | None,
        key: bytes,
    ) -> None:
        """Wait for a reply or a deadline, and act on it."""
        deadlines = [w.deadline for w in self._workers if w.deadline is not None]
        timeout = max(0.0, min(deadlines) - time.monotonic()) if deadlines else None
        busy = {w.outbox: w for w in self._workers if w.index is not None}
        for ready in connection.wait(list(busy), timeout):
            worker = busy[ready]  # type: ignore[index]
            try:
                kind, value, records = worker.outbox.recv()
            except (EOFError, OSError):
                self._lost(worker, calls, outcomes, warm_up is not None and worker.warming)
                continue
            for record in records:  # what the worker logged, as if logged here
                logging.getLogger(record.name).handle(record)
            self._reply(worker, kind, value, calls, outcomes, warm_up, key)
        now = time.monotonic()
        for worker in list(self._workers):
            if worker.deadline is not None and worker.index is not None and now >= worker.deadline:
                call = calls[worker.index]
                logger.debug("killing the worker of %s: past its deadline", call.what)
                outcomes[worker.index] = Outcome(error=timeout_error(call.what, call.limit_s or 0))
                self._drop(worker, kill=True)

    def _reply(
        self,
        worker: _Worker,
        kind: str,
        value: Any,
        calls: Sequence[Call],
        outcomes: list[Outcome | None],
        warm_up: Call | None,
        key: bytes,
    ) -> None:
        if kind == "ready":
            worker.ready, worker.limited = True, bool(value)
            self._warn_unlimited(worker)
        elif worker.warming:
            worker.warming = False
            if kind != "ok":
                self._drop(worker, kill=True)
                raise self._warm_up_error(kind, value)
            worker.warmed.add(key)
        elif worker.index is not None:
            call = calls[worker.index]
            outcomes[worker.index] = _outcome(kind, value, call, self.max_memory)
            worker.index, worker.deadline = None, None
            if kind == "memory":  # it exits: its heap may be left fragmented
                self._drop(worker)
            return
        self._advance(worker, calls, warm_up, key)

    def _lost(
        self, worker: _Worker, calls: Sequence[Call], outcomes: list[Outcome | None], warming: bool
    ) -> None:
        """A worker stopped by itself: its call fails (a crash under a memory limit is taken
        for running out of memory: C code may crash where Python raises MemoryError)."""
        self._drop(worker)
        status = worker.exit_status()
        code = worker.process.returncode
        crashed = bool(self.max_memory and worker.limited and code < 0 and -code in _MEMORY_SIGNALS)
        if not worker.ready or warming:
            if crashed:
                raise self._warm_up_error("memory", None)
            raise AccordError(f"a worker process stopped while starting ({status})")
        if worker.index is None:
            return
        call = calls[worker.index]
        if crashed and self.max_memory:
            error: Exception = memory_error(call.what, self.max_memory)
        else:
            error = WorkerLostError(f"the process working on {call.what} stopped ({status})")
        outcomes[worker.index] = Outcome(error=error)

    def _drop(self, worker: _Worker, *, kill: bool = False) -> None:
        if worker in self._workers:
            self._workers.remove(worker)
        worker.stop(kill=kill)

    def _warm_up_error(self, kind: str, value: Any) -> Exception:
        if kind == "memory" and self.max_memory:
            return ConfigError(
                f"loading the models needs more than the memory limit of "
                f"{format_size(self.max_memory)} per document; raise it with --max-memory"
            )
        return value if isinstance(value, Exception) else AccordError(str(value))

    def _warn_unlimited(self, worker: _Worker) -> None:
        if self.max_memory and not worker.limited and not self._warned:
            self._warned = True
            logger.warning(
                "this system does not limit a process's memory (RLIMIT_AS): documents are "
                "bounded in time only, not to %s",
                format_size(self.max_memory),
            )


def _outcome(kind: str, value: Any, call: Call, max_memory: int | None) -> Outcome:
    if kind == "ok":
        return Outcome(value=value)
    if kind == "memory":
        return Outcome(error=memory_error(call.what, max_memory or 0))
    return Outcome(error=value if isinstance(value, Exception) else AccordError(str(value)))


def _worker_environment() -> dict[str, str]:
    """The worker's environment: this process's import path (the worker imports accord and
    the calls' functions from it), and one BLAS thread unless the user chose a number."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(path for path in sys.path if path)
    if not any(env.get(name) for name in _BLAS_THREAD_VARIABLES):
        env.update(dict.fromkeys(_BLAS_THREAD_VARIABLES, "1"))
    return env


def _limit_memory(max_memory: int | None) -> bool:
    """Limit this process's address space to ``max_memory`` bytes; whether it was."""
    if not max_memory:
        return False
    try:
        import resource
    except ImportError:  # pragma: no cover - not POSIX
        return False
    limit = getattr(resource, "RLIMIT_AS", None)
    if limit is None:  # pragma: no cover - no such limit here
        return False
    _, hard = resource.getrlimit(limit)
    soft = max_memory if hard == resource.RLIM_INFINITY else min(max_memory, hard)
    try:
        resource.setrlimit(limit, (soft, hard))
    except (ValueError, OSError):  # pragma: no cover - refused by the system
        return False
    return True


def _watch_parent(parent: int) -> None:
    while True:
        time.sleep(_PARENT_CHECK_S)
        if os.getppid() != parent:  # the parent died and this process was adopted
            os._exit(1)


def _picklable(error: Exception) -> Exception:
    """``error``, or an ``AccordError`` with its text when it cannot travel between processes."""
    try:
        pickle.dumps(error)
    except Exception:
        return AccordError(f"{type(error).__name__}: {error}")
    return error


class _Collected(logging.Handler):
    """Keeps a worker's log records, to be sent back with its reply and logged there."""

    def __init__(self) -> None:
        super().__init__()
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        record.msg, record.args = record.getMessage(), None  # the arguments may not pickle
        record.exc_info, record.exc_text = None, None
        self.records.append(record)

    def take(self) -> list[logging.LogRecord]:
        records, self.records = self.records, []
        return records


def serve(inbox_fd: int, outbox_fd: int, max_memory: int | None, log_level: int) -> None:
    """A worker's loop: run each call received, send back its outcome, until the inbox closes.

    Replies are ``(kind, value, log records)``: ``("ready", limited)`` once, then ``("ok",
    value)``, ``("error", exc)`` or ``("memory", None)`` per call; after ``memory`` the worker
    exits.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    collected = _Collected()
    accord_logger = logging.getLogger("accord")
    accord_logger.setLevel(log_level)
    accord_logger.addHandler(collected)
    accord_logger.propagate = False
    inbox = Connection(inbox_fd, writable=False)
    outbox = Connection(outbox_fd, readable=False)
    threading.Thread(target=_watch_parent, args=(os.getppid(),), daemon=True).start()
    outbox.send(("ready", _limit_memory(max_memory), collected.take()))
    while True:
        try:
            message = inbox.recv_bytes()
        except EOFError:
            return
        reply: tuple[str, Any]
        try:
            function, args = pickle.loads(message)
            reply = ("ok", function(*args))
        except MemoryError:
            reply = ("memory", None)
        except Exception as exc:
            reply = ("error", _picklable(exc))
        records = collected.take()
        try:
            outbox.send((*reply, records))
        except MemoryError:
            reply = ("memory", None)
            outbox.send((*reply, []))
        except Exception as exc:
            error = AccordError(f"the result could not be sent back: {exc}")
            outbox.send(("error", error, []))
        if reply[0] == "memory":
            return
