"""The default engine: a pool of worker processes on this machine.

Workers are started fresh (``spawn``), so they share no state with the parent but the stage
shipped to them; each warms the stage up once, on its first batch. Ctrl-C is left to the
parent, which stops the pool; a worker whose parent dies exits by itself, so none is left
behind. With one worker the stage runs in this process.
"""

from __future__ import annotations

import logging
import os
import pickle
import signal
import threading
import time
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from multiprocessing import connection, get_context
from multiprocessing.process import BaseProcess
from typing import Any, ClassVar

from accord.errors import AccordError
from accord.scale.base import Stage

logger = logging.getLogger(__name__)

__all__ = ["LocalExecutor", "WorkerLostError"]

IN_FLIGHT_PER_WORKER = 2  # batches queued per worker: keeps workers busy, memory bounded
STOP_GRACE_S = 5.0  # how long stopped workers get to exit before they are killed
_PARENT_CHECK_S = 1.0
_RESULT_CHECK_S = 0.5  # how often a wait for a batch checks that the pool still runs
_EXIT_STATUS_WAIT_S = 0.5
_BLAS_THREAD_VARIABLES = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")

_stage: Stage[Any, Any] | None = None
_stage_payload: bytes | None = None


class WorkerLostError(AccordError):
    """A worker process stopped in the middle of its work (killed, or out of memory)."""


def _watch_parent(parent: int) -> None:
    while True:
        time.sleep(_PARENT_CHECK_S)
        if os.getppid() != parent:  # the parent died and this process was adopted
            os._exit(1)


def _limit_blas_threads(threads: int) -> None:
    """Let this process's BLAS use ``threads`` threads, unless the user chose a number.

    A BLAS starts one thread per CPU in every process, so workers that each multiply
    matrices (the English model does) would fight over the cores: on 2 cores, 2 workers ran
    25 % slower than with one thread each. The variables cover a BLAS loaded later;
    threadpoolctl one loaded already.
    """
    if any(os.environ.get(name) for name in _BLAS_THREAD_VARIABLES):
        return
    for name in _BLAS_THREAD_VARIABLES:
        os.environ[name] = str(threads)
    from threadpoolctl import threadpool_limits

    threadpool_limits(threads, user_api="blas")


def _init_worker(payload: bytes, log_level: int, blas_threads: int) -> None:
    """Set a worker up: remember the stage, leave Ctrl-C to the parent, follow its death,
    share the cores with the other workers."""
    global _stage_payload
    _limit_blas_threads(blas_threads)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    logging.getLogger("accord").setLevel(log_level)
    _stage_payload = payload
    threading.Thread(target=_watch_parent, args=(os.getppid(),), daemon=True).start()


def _run_batch(batch: Sequence[Any]) -> list[Any]:
    """Run the worker's stage on one batch, warming it up on the first."""
    global _stage
    if _stage is None:
        if _stage_payload is None:
            raise RuntimeError("worker was not initialised with a stage")
        stage: Stage[Any, Any] = pickle.loads(_stage_payload)
        stage.warm_up()
        _stage = stage
    return _stage.run(batch)


class LocalExecutor:
    """Maps stages over batches with a process pool on this machine.

    Args:
        workers: worker processes (default: the CPU count); 1 runs in this process.
    """

    name: ClassVar[str] = "local"

    def __init__(self, workers: int | None = None) -> None:
        self.workers = max(1, workers or os.cpu_count() or 1)
        self._pools: list[ProcessPoolExecutor] = []

    def __enter__(self) -> LocalExecutor:
        return self

    def __exit__(self, *exc: object) -> None:
        for pool in self._pools:
            _stop(pool)
        self._pools.clear()

    def describe(self) -> str:
        """Say where the work runs."""
        if self.workers == 1:
            return "local, in this process"
        return f"local, {self.workers} worker processes"

    def map(self, stage: Stage[Any, Any], batches: Iterable[Sequence[Any]]) -> Iterator[list[Any]]:
        """Run ``stage.run`` on each batch in the pool; yield outputs in batch order.

        Raises:
            WorkerLostError: a worker process died while working.
        """
        if self.workers == 1:
            stage.warm_up()
            for batch in batches:
                yield stage.run(batch)
            return
        pool = ProcessPoolExecutor(
            max_workers=self.workers,
            mp_context=get_context("spawn"),
            initializer=_init_worker,
            initargs=(
                pickle.dumps(stage),
                logging.getLogger("accord").getEffectiveLevel(),
                max(1, (os.cpu_count() or 1) // self.workers),
            ),
        )
        self._pools.append(pool)
        pending: deque[tuple[int, Future[list[Any]]]] = deque()
        window = self.workers * IN_FLIGHT_PER_WORKER
        try:
            source = enumerate(batches)
            exhausted = False
            while True:
                while not exhausted and len(pending) < window:
                    try:
                        index, batch = next(source)
                    except StopIteration:
                        exhausted = True
                    else:
                        # The batches in flight are lost too if this one cannot go out.
                        first = pending[0][0] if pending else index
                        pending.append((index, _submit(pool, batch, first)))
                if not pending:
                    break
                yield _result(pool, *pending.popleft())
        finally:
            for _, future in pending:
                future.cancel()
        _stop(pool, graceful=True)
        self._pools.remove(pool)


def _submit(pool: ProcessPoolExecutor, batch: Sequence[Any], first: int) -> Future[list[Any]]:
    """Hand ``batch`` to the pool, which a worker's death may have closed already.

    Args:
        pool: the pool.
        batch: the batch.
        first: the index of the first batch whose outputs were not yielded yet.
    """
    try:
        return pool.submit(_run_batch, batch)
    except (BrokenProcessPool, ConnectionError, EOFError) as exc:
        # A pipe error: a worker being started died before it had read its instructions.
        raise _lost(pool, first) from exc
    except RuntimeError as exc:  # "cannot schedule new futures after shutdown"
        if not getattr(pool, "_broken", False):  # shut down on purpose, not by a death
            raise
        raise _lost(pool, first) from exc


def _result(pool: ProcessPoolExecutor, index: int, future: Future[list[Any]]) -> list[Any]:
    """The outputs of batch ``index``, or ``WorkerLostError`` if a worker died first.

    The pool fails the batches in flight when a worker dies, except one submitted at the
    very moment it does so: that batch would be waited for forever. Its manager thread has
    ended by then, though, and nothing else completes a batch.
    """
    manager = getattr(pool, "_executor_manager_thread", None)  # no public accessor
    while not future.done():
        wait([future], timeout=_RESULT_CHECK_S)
        if manager is not None and not manager.is_alive() and not future.done():
            raise _lost(pool, index)
    try:
        return future.result()
    except BrokenProcessPool as exc:
        raise _lost(pool, index) from exc


def _lost(pool: ProcessPoolExecutor, index: int) -> WorkerLostError:
    """The error for a worker's death that left batch ``index`` and the later ones undone."""
    return WorkerLostError(
        f"{_dead_worker(pool)} stopped in the middle of its work, so batch {index + 1} and the "
        "ones after it were not done; it was killed, maybe by the system for lack of memory: "
        "try fewer --workers or a smaller --batch-size; what was finished is kept, rerun the "
        "same command to resume"
    )


def _dead_worker(pool: ProcessPoolExecutor) -> str:
    """Name the worker that died and how, as far as the exit statuses tell."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    # A closed sentinel can come a moment before the exit status: give those a moment.
    deadline = time.monotonic() + _EXIT_STATUS_WAIT_S
    for process in processes:
        if connection.wait([process.sentinel], timeout=0):
            process.join(max(0.0, deadline - time.monotonic()))
    dead = [process for process in processes if process.exitcode not in (None, 0)]
    # The pool sends SIGTERM to the other workers once one died: prefer any other status.
    dead.sort(key=lambda process: process.exitcode == -signal.SIGTERM)
    if not dead:
        return "a worker process"
    return f"worker process {dead[0].pid} ({_exit_status(dead[0].exitcode)})"


def _exit_status(code: int | None) -> str:
    """Say how a process ended, from its exit code (minus the signal that ended it)."""
    if code is None or code >= 0:
        return f"exit status {code}"
    try:
        return f"killed by {signal.Signals(-code).name}"
    except ValueError:
        return f"killed by signal {-code}"


def _stop(pool: ProcessPoolExecutor, *, graceful: bool = False) -> None:
    """Stop ``pool`` and end its worker processes.

    Args:
        pool: the pool.
        graceful: every batch is done: let the workers exit by themselves first, for up to
            ``STOP_GRACE_S``. Otherwise what is queued is cancelled and the workers are
            ended now.
    """
    handles = dict(getattr(pool, "_processes", None) or {})  # no public accessor before 3.14
    manager = getattr(pool, "_executor_manager_thread", None)  # shutdown() forgets it
    results = getattr(pool, "_result_queue", None)  # and this, without closing it
    pool.shutdown(wait=False, cancel_futures=not graceful)
    try:
        if graceful:
            _let_exit(list(handles.values()))
    finally:
        for process in handles.values():
            if process.is_alive():
                process.terminate()
        deadline = time.monotonic() + STOP_GRACE_S
        for process in handles.values():
            process.join(max(0.0, deadline - time.monotonic()))
            if process.is_alive():
                process.kill()
                process.join()
        # Let the pool's manager thread finish closing its wake-up pipe now: at interpreter
        # exit the executor module writes to that pipe, and if the thread is closing it at
        # that moment the write fails with "Bad file descriptor" and a traceback on stderr.
        if manager is not None:
            manager.join(STOP_GRACE_S)
        if results is not None and (manager is None or not manager.is_alive()):
            results.close()
    logger.debug("stopped %d worker processes", len(handles))


def _let_exit(processes: list[BaseProcess]) -> None:
    """Wait up to ``STOP_GRACE_S`` for ``processes`` to exit on the pool's order to.

    Not past a worker's death: an idle worker waits for its next order holding the lock on
    the pool's order queue, so one killed while idle leaves the others unable to read the
    order to exit, and the pool, which no longer watches its workers once stopping, waits
    for them forever.
    """
    deadline = time.monotonic() + STOP_GRACE_S
    while (left := deadline - time.monotonic()) > 0:
        running = [process for process in processes if process.exitcode is None]
        died = [process for process in processes if process.exitcode not in (None, 0)]
        if died:
            # Every batch was done: the death lost nothing, but says memory may be short.
            logger.warning(
                "worker process %d (%s) stopped after the work was done",
                died[0].pid,
                _exit_status(died[0].exitcode),
            )
            return
        if not running:
            return
        connection.wait([process.sentinel for process in running], timeout=left)
