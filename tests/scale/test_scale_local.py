"""The local engine: ordered results, bounded reading ahead, warm-up once, clean stops."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import pytest

from accord.errors import ConfigError, MissingExtraError
from accord.scale import batched, make_executor
from accord.scale.local import LocalExecutor, WorkerLostError


@dataclass(frozen=True)
class _Echo:
    """Returns (pid, warm-ups so far in this process, item); later items finish first."""

    delay_s: float = 0.0

    def warm_up(self) -> None:
        _WARM_UPS[os.getpid()] = _WARM_UPS.get(os.getpid(), 0) + 1

    def run(self, batch: Sequence[int]) -> list[tuple[int, int, int]]:
        time.sleep(self.delay_s / (1 + batch[0]))  # early batches are the slowest
        return [(os.getpid(), _WARM_UPS.get(os.getpid(), 0), item) for item in batch]


@dataclass(frozen=True)
class _Dies:
    """Kills its worker process on the item 3."""

    def warm_up(self) -> None:
        return None

    def run(self, batch: Sequence[int]) -> list[int]:
        if 3 in batch:
            os._exit(9)
        return list(batch)


_WARM_UPS: dict[int, int] = {}


@pytest.mark.parametrize(("items", "size"), [(10, 3), (0, 4), (4, 4)])
def test_batched_splits_lazily(items: int, size: int) -> None:
    chunks = list(batched(range(items), size))
    assert [x for chunk in chunks for x in chunk] == list(range(items))
    assert all(len(chunk) == size for chunk in chunks[:-1])


@pytest.mark.parametrize("workers", [2])
def test_local_executor_keeps_batch_order_and_warms_up_once_per_worker(workers: int) -> None:
    with LocalExecutor(workers) as executor:
        out = [row for rows in executor.map(_Echo(0.2), batched(range(12), 2)) for row in rows]
    assert [item for _, _, item in out] == list(range(12))
    pids = {pid for pid, _, _ in out}
    assert os.getpid() not in pids and 1 <= len(pids) <= workers
    assert {warm for _, warm, _ in out} == {1}


@pytest.mark.parametrize("workers", [1])
def test_local_executor_with_one_worker_runs_in_process(workers: int) -> None:
    executor = LocalExecutor(workers)
    with executor:
        out = [row for rows in executor.map(_Echo(), batched(range(3), 1)) for row in rows]
    assert {pid for pid, _, _ in out} == {os.getpid()}
    assert executor.describe() == "local, in this process"


@pytest.mark.parametrize("workers", [2])
def test_local_executor_reads_input_lazily(workers: int) -> None:
    pulled: list[int] = []

    def source() -> Iterator[list[int]]:
        for i in range(1000):
            pulled.append(i)
            yield [i]

    with LocalExecutor(workers) as executor:
        results = executor.map(_Echo(), source())
        first = next(results)
        assert first[0][2] == 0
        # only a window of batches is read ahead, never the whole input
        assert len(pulled) <= workers * 2 + 1
        results.close()


@pytest.mark.parametrize("workers", [2])
def test_local_executor_lost_worker_is_a_clear_error(workers: int) -> None:
    with (
        LocalExecutor(workers) as executor,
        pytest.raises(WorkerLostError, match="rerun the same command to resume"),
    ):
        list(executor.map(_Dies(), batched(range(8), 1)))


def _children(pid: int) -> set[int]:
    found: set[int] = set()
    for task in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{task}/children") as handle:
                found.update(int(child) for child in handle.read().split())
        except FileNotFoundError:  # the thread ended since the listing: it has no children
            continue
    return found


def _is_worker(pid: int) -> bool:
    """Not multiprocessing's resource tracker, which lives as long as the test process."""
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as handle:
            return b"resource_tracker" not in handle.read()
    except FileNotFoundError:
        return True


def _running(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as handle:
            return handle.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@pytest.mark.parametrize("workers", [2])
def test_local_executor_stops_its_workers_when_left_early(workers: int) -> None:
    before = _children(os.getpid())
    with LocalExecutor(workers) as executor:
        results = executor.map(_Echo(1.5), batched(range(50), 1))
        next(results)
        started = {pid for pid in _children(os.getpid()) - before if _is_worker(pid)}
        assert started
    deadline = time.monotonic() + 10
    while any(_running(pid) for pid in started) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(_running(pid) for pid in started)


@pytest.mark.parametrize(
    ("engine", "address", "message"),
    [
        ("dask", None, "unknown engine 'dask'; valid: local, ray"),
        ("local", "ray://head:10001", "--address needs --engine ray"),
    ],
)
def test_make_executor_refuses_bad_choices(engine: str, address: str | None, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        make_executor(engine, 2, address)


@pytest.mark.parametrize("workers", [2])
def test_ray_executor_without_ray_names_the_extra(
    workers: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "ray", None)  # import ray now fails
    with pytest.raises(MissingExtraError, match=r'pip install "accord\[ray\]"'):
        make_executor("ray", workers).__enter__()


@dataclass(frozen=True)
class _BlasThreads:
    """Returns the BLAS thread counts of numpy's BLAS in the worker."""

    def warm_up(self) -> None:
        import numpy  # noqa: F401 - loads the BLAS

    def run(self, batch: Sequence[int]) -> list[int]:
        from threadpoolctl import threadpool_info

        return [info["num_threads"] for info in threadpool_info() if info["user_api"] == "blas"]


def test_workers_share_the_cores_among_their_blas_threads(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        monkeypatch.delenv(name, raising=False)
    with LocalExecutor(2) as executor:
        counts = [n for rows in executor.map(_BlasThreads(), batched(range(4), 1)) for n in rows]
    assert counts  # numpy's BLAS was found in every worker
    assert set(counts) == {max(1, (os.cpu_count() or 1) // 2)}


def test_workers_keep_a_blas_thread_count_the_user_chose(monkeypatch: pytest.MonkeyPatch) -> None:
    cpus = os.cpu_count() or 1
    if cpus < 2:
        pytest.skip("one CPU: the user's choice and the default are the same")
    monkeypatch.setenv("OPENBLAS_NUM_THREADS", str(cpus))  # every core, in every worker
    with LocalExecutor(2) as executor:
        counts = [n for rows in executor.map(_BlasThreads(), batched(range(2), 1)) for n in rows]
    assert set(counts) == {cpus}
