"""The local engine: ordered results, bounded reading ahead, warm-up once, clean stops."""

from __future__ import annotations

import os
import random
import signal
import sys
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from multiprocessing import get_context

import pytest

from accord.errors import ConfigError, MissingExtraError
from accord.scale import batched, make_executor
from accord.scale.local import LocalExecutor, WorkerLostError, _result


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


@dataclass(frozen=True)
class _DiesAt:
    """Kills its worker the way the out-of-memory killer does, ``delay_s`` into the batch
    that holds the item ``at``; every batch first works for ``work_s``."""

    at: int
    delay_s: float = 0.0
    work_s: float = 0.0

    def warm_up(self) -> None:
        return None

    def run(self, batch: Sequence[int]) -> list[tuple[int, int]]:
        time.sleep(self.work_s)
        if self.at in batch:
            time.sleep(self.delay_s)
            os.kill(os.getpid(), signal.SIGKILL)
        return [(os.getpid(), item) for item in batch]


def _slow_batches(items: int, size: int, gap_s: float) -> Iterator[list[int]]:
    """Batches read with a pause before each but the first, so that a worker can die while
    the parent is still handing out the rest."""
    for index, batch in enumerate(batched(range(items), size)):
        if index:
            time.sleep(gap_s)
        yield batch


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


@pytest.mark.skipif(sys.platform == "win32", reason="kills workers with POSIX signals")
@pytest.mark.parametrize(("seed", "rounds"), [(1941, 24)])
def test_local_executor_turns_a_worker_dying_at_any_moment_into_worker_lost_error(
    seed: int, rounds: int
) -> None:
    rng = random.Random(seed)
    for round_ in range(rounds):
        items, size = rng.randint(1, 10), rng.randint(1, 3)
        at = rng.choice([0, rng.randrange(items), items - 1])  # 0: before the rest is out
        stage = _DiesAt(
            at, rng.choice([0.0, rng.uniform(0, 0.05)]), rng.choice([0.0, rng.uniform(0, 0.02)])
        )
        gap_s = rng.choice([0.0, rng.uniform(0, 0.02), rng.uniform(0.05, 0.2)])
        case = f"seed {seed} round {round_}: {items} items by {size}, {stage}, gap {gap_s:.3f} s"
        out: list[int] = []
        try:
            with LocalExecutor(2) as executor:
                for rows in executor.map(stage, _slow_batches(items, size, gap_s)):
                    out.extend(item for _, item in rows)
        except Exception as exc:  # any other error is what this test is for
            assert isinstance(exc, WorkerLostError), f"{case}: {exc!r}"
            assert f"so batch {len(out) // size + 1} and the ones after it" in str(exc), case
            assert "rerun the same command to resume" in str(exc), case
        else:
            pytest.fail(f"{case}: ended although the batch of item {at} cannot be finished")
        assert out == list(range(len(out))) and at not in out, case


@pytest.mark.skipif(sys.platform == "win32", reason="kills workers with POSIX signals")
@pytest.mark.parametrize(("seed", "rounds"), [(1942, 12)])
def test_local_executor_turns_a_worker_killed_from_outside_into_worker_lost_error(
    seed: int, rounds: int
) -> None:
    rng = random.Random(seed)
    for round_ in range(rounds):
        items = rng.randint(1, 12)
        taken = rng.choice([1, rng.randint(1, items), items])  # items: all were delivered
        idle_s = rng.choice([0.0, 0.1])  # 0.1 s: the workers are done with their batches
        how = rng.choice([signal.SIGKILL, signal.SIGTERM])
        case = f"seed {seed} round {round_}: {items} items, {how.name} after {taken} results"
        out: list[int] = []
        try:
            with LocalExecutor(2) as executor:
                results = executor.map(_Echo(), batched(range(items), 1))
                pids = []
                for _ in range(taken):
                    rows = next(results)
                    pids.extend(pid for pid, _, _ in rows)
                    out.extend(item for _, _, item in rows)
                time.sleep(idle_s)
                os.kill(rng.choice(pids), how)
                for rows in results:
                    out.extend(item for _, _, item in rows)
        except Exception as exc:  # any other error is what this test is for
            assert isinstance(exc, WorkerLostError), f"{case}: {exc!r}"
            assert f"so batch {len(out) + 1} and the ones after it" in str(exc), case
            assert "rerun the same command to resume" in str(exc), case
        else:  # the pool had what was left done before it saw the death: nothing was lost
            assert out == list(range(items)), case
        assert out == list(range(len(out))), case


@pytest.mark.skipif(sys.platform == "win32", reason="kills workers with POSIX signals")
@pytest.mark.parametrize("index", [3])
def test_result_of_a_batch_the_dead_pool_never_failed_is_worker_lost_error(index: int) -> None:
    # A batch submitted the moment a worker dies can miss the pool's failing of the batches
    # in flight; a future nothing completes stands for it.
    pool = ProcessPoolExecutor(1, mp_context=get_context("spawn"))
    try:
        assert pool.submit(os.getpid).result() != os.getpid()
        os.kill(next(iter(pool._processes or {})), signal.SIGKILL)
        started = time.monotonic()
        with pytest.raises(WorkerLostError, match=rf"so batch {index + 1} and the ones after"):
            _result(pool, index, Future())
        assert time.monotonic() - started < 10
    finally:
        pool.shutdown(wait=True)


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
