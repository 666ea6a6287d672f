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
from rich.text import Text

if TYPE_CHECKING:
    from accord.pipeline import ProgressCallback

__all__ = ["make_stderr_console", "make_stdout_console", "progress_reporter", "setup_logging"]

_HANDLER_MARK = "_accord_cli_handler"

_NEXT_STEP = {
    "ingest": "extracting claims",
    "claims": "aligning claims across documents",
    "align": "verifying claim pairs",
    "verify": "reconciling the record",
}
"""What runs after each stage reports that it is done; ``pipeline.run`` reports on completion."""


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


def setup_logging(*, verbose: bool) -> None:
    """Send ``accord`` log records to stderr through rich; INFO and up with ``verbose``.

    Safe to call repeatedly (tests run the CLI many times): it replaces its own handler.

    Args:
        verbose: show INFO records and rich tracebacks; otherwise only WARNING and up.
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
    logger.setLevel(logging.INFO if verbose else logging.WARNING)
    logger.propagate = False


@contextmanager
def progress_reporter(console: Console) -> Iterator[ProgressCallback | None]:
    """Yield an ``on_progress`` callback that shows a status line, or ``None`` off a terminal.

    Args:
        console: the stderr console; nothing is shown unless it is a terminal.
    """
    if not console.is_terminal:
        yield None
        return
    with console.status(Text("reading documents"), spinner="dots") as status:

        def on_progress(stage: str, done: int, total: int) -> None:
            step = _NEXT_STEP.get(stage, "finishing")
            status.update(Text(f"{stage}: {done}/{total} done; {step}"))

        yield on_progress
