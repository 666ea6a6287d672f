"""The per-document worker pool: accord's own (``accord.scale.bounded.BoundedPool``, which
``accord.per_document`` runs every document in) against ``loky`` and ``joblib``.

Three questions, each asked of every pool with the same standard-library tasks (so that no
pool needs this script importable): can it stop one stuck task at its deadline and go on
with the rest (a ``time.sleep(30)`` beside three quick tasks, 1 s deadline); can it limit
each worker's address space (``RLIMIT_AS``, 1 GiB) so that a task asking for 3 GiB fails
alone and the worker or its replacement goes on; and how fast does it run a small job
(``--tasks`` sums of ``range(50_000)`` on 2 workers, start-up included, median of
``--repeat``).

Needs ``pip install loky`` (joblib carries its own copy of loky); a missing one is skipped.

    python benchmarks/worker_pools.py [--tasks 400] [--repeat 3]
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from collections.abc import Callable
from concurrent.futures import TimeoutError as FutureTimeout
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from measure import line, timed

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

DEADLINE_S = 1.0
STUCK_S = 30
LIMIT = 1 << 30  # each worker's address space
ASK = 3 << 30  # what the greedy task allocates
QUICK = range(50_000)


def deadline_bounded() -> str:
    from accord.scale.bounded import BoundedPool, Call

    calls = [Call(function=time.sleep, args=(STUCK_S,), what="stuck", seconds_left=DEADLINE_S)]
    calls += [Call(function=sum, args=(QUICK,), what=f"quick {i}") for i in range(3)]
    start = time.perf_counter()
    with BoundedPool() as pool:
        outcomes = pool.run(calls, workers=2)
    seconds = time.perf_counter() - start
    stuck = type(outcomes[0].error).__name__ if outcomes[0].error else "no error"
    done = sum(o.error is None for o in outcomes[1:])
    return f"stuck task: {stuck} after {seconds:.1f} s; {done}/3 quick tasks done"


def deadline_loky() -> str:
    import loky

    executor = loky.get_reusable_executor(max_workers=2, reuse=False)
    start = time.perf_counter()
    stuck = executor.submit(time.sleep, STUCK_S)
    quick = [executor.submit(sum, QUICK) for _ in range(3)]
    try:
        stuck.result(timeout=DEADLINE_S)
        outcome = "finished"
    except FutureTimeout:
        outcome = "TimeoutError to the caller"
    done = sum(f.result() == sum(QUICK) for f in quick)
    cancelled = stuck.cancel()
    running = stuck.running()
    seconds = time.perf_counter() - start
    executor.shutdown(wait=True, kill_workers=True)  # the only way to stop it: every worker
    return (
        f"stuck task: {outcome} after {seconds:.1f} s, cancel() {cancelled}, still running "
        f"{running} (only shutdown(kill_workers=True) stops it, with every worker); "
        f"{done}/3 quick tasks done"
    )


def deadline_joblib() -> str:
    import joblib

    jobs = [joblib.delayed(time.sleep)(STUCK_S)] + [joblib.delayed(sum)(QUICK)] * 3
    start = time.perf_counter()
    try:
        results: Any = joblib.Parallel(n_jobs=2, timeout=DEADLINE_S)(jobs)
        outcome = f"finished, {len(results)} results"
    except Exception as exc:  # joblib's TimeoutError
        outcome = f"{type(exc).__name__}: the whole call failed, no result kept"
    return f"{outcome}, after {time.perf_counter() - start:.1f} s"


def memory_bounded() -> str:
    from accord.scale.bounded import BoundedPool, Call

    calls = [Call(function=bytearray, args=(ASK,), what="greedy")]
    calls += [Call(function=sum, args=(QUICK,), what="quick")]
    with BoundedPool(max_memory=LIMIT) as pool:
        outcomes = pool.run(calls, workers=1)
    greedy = type(outcomes[0].error).__name__ if outcomes[0].error else "no error"
    return f"greedy task: {greedy}; next task on the same pool: " + (
        "done" if outcomes[1].error is None else type(outcomes[1].error).__name__
    )


def memory_loky() -> str:
    import loky

    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    executor = loky.get_reusable_executor(
        max_workers=1,
        reuse=False,
        initializer=resource.setrlimit,
        initargs=(resource.RLIMIT_AS, (LIMIT, hard)),
    )
    try:
        executor.submit(bytearray, ASK).result()
        greedy = "no error"
    except Exception as exc:
        greedy = type(exc).__name__
    try:
        after = "done" if executor.submit(sum, QUICK).result() == sum(QUICK) else "wrong"
    except Exception as exc:
        after = type(exc).__name__
    executor.shutdown(wait=True, kill_workers=True)
    return f"greedy task (RLIMIT_AS set by initializer=): {greedy}; next task: {after}"


def memory_joblib() -> str:
    import joblib

    # n_jobs=2: with one job joblib runs the tasks in this process and ignores initializer=
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    try:
        joblib.Parallel(
            n_jobs=2,
            backend="loky",
            initializer=resource.setrlimit,
            initargs=(resource.RLIMIT_AS, (LIMIT, hard)),
        )([joblib.delayed(bytearray)(ASK), joblib.delayed(sum)(QUICK)])
        return "greedy task: no error"
    except Exception as exc:
        return f"greedy task: {type(exc).__name__}, raised by the whole call (no result kept)"


def throughput(tasks: int, repeat: int) -> dict[str, Callable[[], Any]]:
    def bounded() -> Any:
        from accord.scale.bounded import BoundedPool, Call

        with BoundedPool() as pool:
            return pool.run([Call(function=sum, args=(QUICK,), what="t")] * tasks, workers=2)

    def loky_map() -> Any:
        import loky

        executor = loky.get_reusable_executor(max_workers=2, reuse=False)
        result = list(executor.map(sum, [QUICK] * tasks))
        executor.shutdown(wait=True)
        return result

    def joblib_map() -> Any:
        import joblib

        return joblib.Parallel(n_jobs=2)([joblib.delayed(sum)(QUICK)] * tasks)

    return {"BoundedPool": bounded, "loky": loky_map, "joblib": joblib_map}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=400, help="tasks in the throughput job")
    parser.add_argument("--repeat", type=int, default=3, help="runs of the throughput job")
    args = parser.parse_args()
    checks: list[tuple[str, Callable[[], str]]] = [
        ("deadline BoundedPool", deadline_bounded),
        ("deadline loky", deadline_loky),
        ("deadline joblib", deadline_joblib),
        ("memory BoundedPool", memory_bounded),
        ("memory loky", memory_loky),
        ("memory joblib", memory_joblib),
    ]
    for label, check in checks:
        try:
            print(line(label, check()), flush=True)
        except ImportError as exc:
            print(line(label, f"skipped ({exc})"))
    for name, job in throughput(args.tasks, args.repeat).items():
        try:
            seconds, _ = timed(job, args.repeat)
        except ImportError as exc:
            print(line(f"throughput {name}", f"skipped ({exc})"))
            continue
        rate = args.tasks / seconds.median
        print(line(f"throughput {name}", f"{rate:.0f} tasks/s ({seconds.show(2, 's')})"))


if __name__ == "__main__":
    main()
