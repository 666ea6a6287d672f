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
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from multiprocessing import get_context
from typing import Any, ClassVar

from accord.errors import AccordError
from accord.scale.base import Stage

logger = logging.getLogger(__name__)

__all__ = ["LocalExecutor", "WorkerLostError"]

IN_FLIGHT_PER_WORKER = 2  # batches queued per worker: keeps workers busy, memory bounded
STOP_GRACE_S = 5.0  # how long stopped workers get to exit before they are killed
_PARENT_CHECK_S = 1.0
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
        pending: deque[Future[list[Any]]] = deque()
        window = self.workers * IN_FLIGHT_PER_WORKER
        try:
            source = iter(batches)
            exhausted = False
            while True:
                while not exhausted and len(pending) < window:
                    try:
                        batch = next(source)
                    except StopIteration:
                        exhausted = True
                    else:
                        pending.append(pool.submit(_run_batch, batch))
                if not pending:
                    break
                yield _result(pending.popleft())
        finally:
            for future in pending:
                future.cancel()
        pool.shutdown(wait=True)
        self._pools.remove(pool)


def _result(future: Future[list[Any]]) -> list[Any]:
    try:
        return future.result()
    except BrokenProcessPool as exc:
        raise WorkerLostError(
            "a worker process stopped in the middle of its work (killed, or out of memory); "
            "try fewer --workers or a smaller --batch-size; what was finished is kept, "
            "rerun the same command to resume"
        ) from exc


def _stop(pool: ProcessPoolExecutor) -> None:
    """Stop ``pool`` now: cancel what is queued and end its worker processes."""
    handles = dict(getattr(pool, "_processes", None) or {})  # no public accessor before 3.14
    manager = getattr(pool, "_executor_manager_thread", None)  # shutdown() forgets it
    pool.shutdown(wait=False, cancel_futures=True)
    for process in handles.values():
        if process.is_alive():
            process.terminate()
    deadline = time.monotonic() + STOP_GRACE_S
    for process in handles.values():
        process.join(max(0.0, deadline - time.monotonic()))
        if process.is_alive():
            process.kill()
            process.join()
    # Let the pool's manager thread finish closing its wake-up pipe now: at interpreter exit
    # the executor module writes to that pipe, and if the thread is closing it at that moment
    # the write fails with "Bad file descriptor" and a traceback on stderr.
    if manager is not None:
        manager.join(STOP_GRACE_S)
    logger.debug("stopped %d worker processes", len(handles))
