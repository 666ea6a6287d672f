"""The progress bars ``accord batch`` shows on stderr (CLI only, like ``accord.console``)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.text import Text

if TYPE_CHECKING:
    from accord.batch.runner import BatchProgress

__all__ = ["batch_progress"]


class _RateColumn(ProgressColumn):
    """Items per second, once rich has measured it."""

    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text(f"{speed:,.1f}/s" if speed else "")


@contextmanager
def batch_progress(console: Console) -> Iterator[BatchProgress | None]:
    """Yield an ``on_progress`` callback drawing a bar per pass, or ``None`` off a terminal.

    Args:
        console: the stderr console; nothing is shown unless it is a terminal.
    """
    if not console.is_terminal:
        yield None
        return
    columns = (
        TextColumn("{task.description:<9}"),
        BarColumn(),
        MofNCompleteColumn(),
        _RateColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=console) as progress:
        tasks: dict[str, TaskID] = {}

        def on_progress(stage: str, done: int, total: int) -> None:
            task = tasks.get(stage)
            if task is None:
                task = tasks[stage] = progress.add_task(stage, total=total or None)
            progress.update(task, completed=done, total=total or None)

        yield on_progress
