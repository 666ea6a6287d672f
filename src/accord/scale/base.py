"""The executor interface: run a stage over batches of work in worker processes.

A ``Stage`` is a picklable object whose ``warm_up`` loads what it needs (models) once per
worker process and whose ``run`` maps one batch of inputs to one batch of outputs. An
``Executor`` ships a stage to its workers and maps it over batches, yielding the outputs in
the order of the batches, with only a bounded number of batches in flight: inputs are read
lazily, so a stream of any length is worked through in bounded memory.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from itertools import islice
from typing import Any, ClassVar, Protocol, TypeVar

__all__ = ["Executor", "Stage", "batched"]

In = TypeVar("In", contravariant=True)
Out = TypeVar("Out")
T = TypeVar("T")


class Stage(Protocol[In, Out]):
    """A unit of work executors run in their workers; picklable, cheap to construct."""

    def warm_up(self) -> None:
        """Load models and indexes; called once per worker process before ``run``."""
        ...

    def run(self, batch: Sequence[In]) -> list[Out]:
        """Work through one batch; one output per input, in order. Never raises for one
        input's failure: outputs carry failures."""
        ...


class Executor(Protocol):
    """Maps a stage over batches in workers. Use as a context manager: leaving it stops
    every worker it started, also on Ctrl-C or SIGTERM."""

    name: ClassVar[str]
    workers: int

    def map(self, stage: Stage[Any, Any], batches: Iterable[Sequence[Any]]) -> Iterator[list[Any]]:
        """Run ``stage.run`` on each batch; yield the outputs in batch order, reading
        ``batches`` lazily with a bounded number in flight."""
        ...

    def describe(self) -> str:
        """Say in a few words where the work runs (engine, workers, cluster)."""
        ...

    def __enter__(self) -> Executor: ...

    def __exit__(self, *exc: object) -> None: ...


def batched(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """Split ``items`` into lists of ``size`` (the last one shorter), lazily."""
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk
