"""Engines that run stages over batches of work: a local process pool, or Ray Data.

``make_executor("local" | "ray", ...)`` builds one; both take the same picklable stages (see
``accord.scale.base``), so a batch gives the same results on either.
"""

from __future__ import annotations

from accord.errors import ConfigError
from accord.scale.base import Executor, Stage, batched

__all__ = ["ENGINES", "Executor", "Stage", "batched", "make_executor"]

ENGINES = ("local", "ray")


def make_executor(engine: str, workers: int | None = None, address: str | None = None) -> Executor:
    """Build the executor ``engine`` names (not yet started: enter it as a context manager).

    Args:
        engine: ``local`` (a process pool) or ``ray`` (Ray Data; the ``ray`` extra).
        workers: worker processes or CPUs (default: this machine's CPU count).
        address: a Ray cluster address (``ray`` only); default: start a local Ray.

    Raises:
        ConfigError: an unknown engine, or an address given to the local engine.
    """
    if engine == "local":
        if address:
            raise ConfigError("--address needs --engine ray (the local engine uses this machine)")
        from accord.scale.local import LocalExecutor

        return LocalExecutor(workers)
    if engine == "ray":
        from accord.scale.ray import RayExecutor

        return RayExecutor(workers, address=address)
    raise ConfigError(f"unknown engine {engine!r}; valid: {', '.join(ENGINES)}")
