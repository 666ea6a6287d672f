"""The progress bars ``accord batch`` shows on stderr (CLI only, like ``accord.console``)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from rich.console import Console
from rich.progress import Progress, ProgressColumn, Task, TaskID
from rich.text import Text

from accord.console import progress_columns, shows_progress

if TYPE_CHECKING:
    from accord.batch.runner import BatchProgress

__all__ = ["batch_progress"]


class _RateColumn(ProgressColumn):
    """Items per second, once rich has measured it."""

    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text(f"{speed:,.1f}/s" if speed else "")


@contextmanager
def batch_progress(console: Console, *, quiet: bool = False) -> Iterator[BatchProgress | None]:
    """Yield an ``on_progress`` callback drawing a bar per pass, or ``None`` off a terminal
    or with ``quiet``.

    A pass whose total is known (files and plain JSONL lines are counted first) shows its
    time left; a streamed one (a compressed file, a dump) shows its rate only.

    Args:
        console: the stderr console; nothing is shown unless it is a terminal.
        quiet: show nothing (``--quiet``).
    """
    if not shows_progress(console, quiet=quiet):
        yield None
        return
    with Progress(*progress_columns(), _RateColumn(), console=console) as progress:
        tasks: dict[str, TaskID] = {}

        def on_progress(stage: str, done: int, total: int) -> None:
            task = tasks.get(stage)
            if task is None:
                task = tasks[stage] = progress.add_task(stage, total=total or None)
            progress.update(task, completed=done, total=total or None)

        yield on_progress
