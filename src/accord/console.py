"""Console, logging and progress for the CLI only: results on stdout, everything else on stderr.

Library code never imports this module; it logs through ``logging`` and reports progress events.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from rich.console import Console
from rich.logging import RichHandler
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    SpinnerColumn,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

if TYPE_CHECKING:
    from accord.pipeline import ProgressCallback

__all__ = [
    "make_stderr_console",
    "make_stdout_console",
    "progress_columns",
    "progress_reporter",
    "setup_logging",
    "shows_progress",
]

_HANDLER_MARK = "_accord_cli_handler"

_LABELS = {
    "ingest": "reading documents",
    "claims": "extracting claims",
    "align": "aligning claims",
    "verify": "verifying pairs",
    "add": "adding documents",
}
"""What each stage's bar says; ``pipeline.run`` reports each document (pair) as it is done."""


def make_stdout_console() -> Console:
    """Return the console for results: stdout, colour only when it is a terminal."""
    return Console(highlight=False, emoji=False, markup=False)


@functools.lru_cache(maxsize=1)
def make_stderr_console() -> Console:
    """Return the console for logs and progress: stderr.

    One shared instance, so that log lines and the progress status do not garble each other.
    It looks ``sys.stderr`` up on every write, so a swapped stream (tests) is still honoured.
    """
    return Console(stderr=True, highlight=False, emoji=False, markup=False)


def setup_logging(*, verbose: bool, quiet: bool = False) -> None:
    """Send ``accord`` log records to stderr through rich; INFO and up with ``verbose``.

    Safe to call repeatedly (tests run the CLI many times): it replaces its own handler.

    Args:
        verbose: show INFO records and rich tracebacks; otherwise only WARNING and up.
        quiet: show only ERROR records (``--quiet``).
    """
    logger = logging.getLogger("accord")
    for handler in list(logger.handlers):
        if getattr(handler, _HANDLER_MARK, False):
            logger.removeHandler(handler)
    handler = RichHandler(
        console=make_stderr_console(),
        markup=False,  # log messages carry document text
        rich_tracebacks=verbose,
        show_path=verbose,
        show_time=verbose,
    )
    setattr(handler, _HANDLER_MARK, True)
    logger.addHandler(handler)
    level = logging.ERROR if quiet else logging.INFO if verbose else logging.WARNING
    logger.setLevel(level)
    logger.propagate = False


def progress_columns() -> tuple[ProgressColumn, ...]:
    """The columns of every progress bar: a spinner, what runs, the bar, done/total, the
    elapsed time and, once rich has measured the rate, the time left."""
    return (
        SpinnerColumn(),
        TextColumn("{task.description:<18}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("eta"),
        TimeRemainingColumn(),
    )


def shows_progress(console: Console, *, quiet: bool = False) -> bool:
    """Whether to draw progress: only on a terminal, and never with ``--quiet``."""
    return console.is_terminal and not quiet


@contextmanager
def progress_reporter(
    console: Console, *, quiet: bool = False
) -> Iterator[ProgressCallback | None]:
    """Yield an ``on_progress`` callback that draws a bar per stage with its ETA, or ``None``
    off a terminal or with ``quiet``.

    Args:
        console: the stderr console; nothing is shown unless it is a terminal.
        quiet: show nothing (``--quiet``).
    """
    if not shows_progress(console, quiet=quiet):
        yield None
        return
    # transient: the bars make way for the report that follows on the same terminal
    with Progress(*progress_columns(), console=console, transient=True) as progress:
        tasks: dict[str, TaskID] = {}

        def on_progress(stage: str, done: int, total: int) -> None:
            task = tasks.get(stage)
            if task is None:
                label = _LABELS.get(stage, stage)
                task = tasks[stage] = progress.add_task(escape(label), total=total or None)
            progress.update(task, completed=done, total=total or None)

        yield on_progress
