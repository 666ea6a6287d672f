"""The Ray engine: the same stages, run as Ray Data map tasks (``accord batch --engine ray``).

Without an address a local Ray is started with ``num_cpus`` workers and no dashboard, and
stopped at the end; with ``--address`` the work goes to that cluster. Usage statistics are
off (``RAY_USAGE_STATS_ENABLED=0``). The stage is put in the object store once per map and
warmed up once per Ray worker process (workers are reused across tasks). Batches go out in
windows of a few per CPU, so the input is read lazily and memory stays bounded; outputs come
back in batch order. Ray is the optional extra ``ray``, imported only here.
"""

from __future__ import annotations

import logging
import os
import pickle
import signal
import socket
import threading
import uuid
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, ClassVar

from accord.errors import AccordError, MissingExtraError
from accord.scale.base import Stage, batched

logger = logging.getLogger(__name__)

__all__ = ["RayExecutor"]

BATCHES_PER_CPU = 4  # batches per Ray Data execution, per CPU: amortises its ~0.3 s start
GCS_CONNECT_TIMEOUT_S = 10.0  # a live GCS accepts a TCP connection at once, even when loaded
_QUIET_LOGGERS = ("ray", "ray.data", "ray.data._internal.progress")
_warm: dict[str, Stage[Any, Any]] = {}  # in each Ray worker: stages warmed up, by map key


def _run_rows(batch: dict[str, Any], stage_ref: Any, key: str) -> dict[str, Any]:
    """Ray Data map function: run the stage on each row's pickled batch (in a Ray worker)."""
    import numpy as np
    import ray

    stage = _warm.get(key)
    if stage is None:
        stage = pickle.loads(ray.get(stage_ref))
        stage.warm_up()
        _warm.clear()  # a worker keeps one stage: the previous map's is done
        _warm[key] = stage
    results = [pickle.dumps(stage.run(pickle.loads(payload))) for payload in batch["payload"]]
    out = np.empty(len(results), dtype=object)
    out[:] = results
    return {"i": batch["i"], "result": out}


class RayExecutor:
    """Maps stages over batches with Ray Data, on a local Ray or a cluster.

    Args:
        workers: CPUs for a local Ray (default: this machine's count); with ``address``,
            the cluster's CPUs are used and this only sizes the windows.
        address: a Ray cluster address (``host:6379``, ``ray://host:10001``, ``auto``);
            ``None`` starts a local Ray for the run.
    """

    name: ClassVar[str] = "ray"

    def __init__(self, workers: int | None = None, *, address: str | None = None) -> None:
        self.workers = max(1, workers or os.cpu_count() or 1)
        self.address = address
        self._started = False
        self._ray: Any = None

    def __enter__(self) -> RayExecutor:
        os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
        try:
            import ray
            import ray.data
        except ImportError as exc:
            raise MissingExtraError(
                f'--engine ray needs the ray extra: pip install "accord[ray]" ({exc})'
            ) from exc
        for name in _QUIET_LOGGERS:  # Ray's INFO lines and progress logs would flood stderr
            logging.getLogger(name).setLevel(logging.ERROR)
        self._ray = ray
        if not ray.is_initialized():
            options: dict[str, Any] = {
                "include_dashboard": False,
                "logging_level": logging.ERROR,
                "log_to_driver": False,
            }
            if self.address:
                _check_reachable(self.address)
                options["address"] = self.address
            else:
                options["num_cpus"] = self.workers
            # ray.init makes SIGTERM call sys.exit; keep the caller's handler (accord's CLI
            # turns SIGTERM into a clean stop that says how to resume)
            main = threading.current_thread() is threading.main_thread()
            previous = signal.getsignal(signal.SIGTERM) if main else None
            try:
                ray.init(**options)
            except Exception as exc:
                where = f"the Ray cluster at {self.address}" if self.address else "a local Ray"
                raise AccordError(
                    f"cannot start {where}: {type(exc).__name__}: {_first_line(exc)}; "
                    "check --address, or run without --engine ray"
                ) from exc
            finally:
                if previous is not None:
                    signal.signal(signal.SIGTERM, previous)
            self._started = True
        if self.address:
            resources = self._ray.cluster_resources()  # the cluster may be bigger than this machine
            self.workers = max(1, int(resources.get("CPU", self.workers)))
        context = ray.data.DataContext.get_current()
        context.enable_progress_bars = False
        context.execution_options.preserve_order = True
        return self

    def __exit__(self, *exc: object) -> None:
        if self._started and self._ray is not None:
            self._ray.shutdown()  # stops the local Ray's processes it started
            self._started = False

    def describe(self) -> str:
        """Say where the work runs."""
        if self.address:
            return f"ray at {self.address}, {self.workers} CPUs"
        return f"ray (local), {self.workers} CPUs"

    def map(self, stage: Stage[Any, Any], batches: Iterable[Sequence[Any]]) -> Iterator[list[Any]]:
        """Run ``stage.run`` on each batch as Ray Data tasks; yield outputs in batch order.

        Raises:
            AccordError: the stage failed in a worker (its own error when it is one of
                accord's), or Ray could not run it.
        """
        ray = self._ray
        if ray is None:
            raise RuntimeError("use RayExecutor as a context manager")
        stage_ref = ray.put(pickle.dumps(stage))
        key = uuid.uuid4().hex
        for window in batched(batches, self.workers * BATCHES_PER_CPU):
            rows = [{"i": i, "payload": pickle.dumps(batch)} for i, batch in enumerate(window)]
            dataset = ray.data.from_items(rows, override_num_blocks=len(rows)).map_batches(
                _run_rows,
                fn_kwargs={"stage_ref": stage_ref, "key": key},
                batch_size=1,
                batch_format="numpy",
                num_cpus=1,
            )
            try:
                done = sorted(dataset.iter_rows(), key=lambda row: int(row["i"]))
            except Exception as exc:
                raise _unwrap(exc) from exc
            for row in done:
                yield pickle.loads(row["result"])


def _check_reachable(address: str) -> None:
    """Fail at once when nothing listens at a ``host:port`` (GCS) address.

    Ray itself retries such an address for minutes, printing its own warnings. ``ray://``
    (Ray Client) and ``auto`` are left to Ray, which fails on them quickly.

    Raises:
        AccordError: the address has a port and nothing accepts a connection there.
    """
    host, _, port = address.rpartition(":")
    if "://" in address or not host or not port.isdigit():
        return
    try:
        with socket.create_connection((host.strip("[]"), int(port)), GCS_CONNECT_TIMEOUT_S):
            pass
    except OSError as exc:
        raise AccordError(
            f"cannot reach the Ray cluster at {address}: {exc.strerror or exc}; give the head "
            "node's GCS address (host:6379) or a Ray Client address (ray://host:10001) in "
            "--address, or run without --engine ray"
        ) from exc


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _unwrap(exc: BaseException) -> AccordError:
    """The accord error inside a Ray task error, or one line saying what failed."""
    seen: BaseException | None = exc
    while seen is not None:
        cause = getattr(seen, "cause", None)
        if isinstance(seen, AccordError):
            return seen
        if isinstance(cause, AccordError):
            return cause
        seen = seen.__cause__ or (cause if isinstance(cause, BaseException) else None)
    return AccordError(
        f"a Ray worker failed: {type(exc).__name__}: {_first_line(exc)}; what was finished "
        "is kept, rerun the same command to resume"
    )
