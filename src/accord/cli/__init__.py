"""The ``accord`` command line: thin commands over ``accord.pipeline`` and ``accord.report``.

Exit status: 0 ok; 1 contradictions found (only with ``--fail-on-contradiction``); 2 usage or
input error (one ``error: ...`` line on stderr); 3 internal error (a bug: rerun with --verbose);
130 interrupted (Ctrl-C); 143 terminated (SIGTERM). The README has the table.

One module per command family (``check``, ``batch``, ``corpus``, ``info``); ``base`` and
``options`` hold what they share, ``settings_flags`` the one builder of a run's settings.
Commands import their stages inside the function, so that ``accord --help`` loads none of them.
"""

from __future__ import annotations

from typing import Any

import click

from accord import __version__
from accord.cli.base import (
    EXIT_CONTRADICTIONS,
    EXIT_INTERNAL,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_TERMINATED,
    EXIT_USAGE,
    fail,
    is_quiet,
    is_verbose,
    show_traceback,
    verbosity_options,
)
from accord.cli.batch import batch
from accord.cli.check import check
from accord.cli.corpus import add, serve, show
from accord.cli.info import eval_command, info, schema, stages
from accord.cli.interrupt import Terminated, sigterm_raises
from accord.errors import AccordError

__all__ = [
    "EXIT_CONTRADICTIONS",
    "EXIT_INTERNAL",
    "EXIT_INTERRUPTED",
    "EXIT_OK",
    "EXIT_TERMINATED",
    "EXIT_USAGE",
    "cli",
]


class _AccordGroup(click.Group):
    """A group that turns every exception into one stderr line and an exit status, here only."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            with sigterm_raises():
                return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort, BrokenPipeError):
            raise  # click shows these itself (a closed pipe is not our error)
        except AccordError as exc:
            show_traceback(ctx, exc)
            code = getattr(exc, "exit_code", EXIT_USAGE)
            raise fail(f"error: {exc}", code) from exc
        except KeyboardInterrupt as exc:
            show_traceback(ctx, exc)
            raise fail(
                "error: interrupted (Ctrl-C); stopped cleanly, no partial output was written",
                EXIT_INTERRUPTED,
            ) from exc
        except Terminated as exc:
            show_traceback(ctx, exc)
            raise fail(
                "error: terminated (SIGTERM); stopped cleanly, no partial output was written",
                EXIT_TERMINATED,
            ) from exc
        except Exception as exc:
            show_traceback(ctx, exc)
            line = (
                f"internal error: {type(exc).__name__}: {exc}"
                " (run with --verbose for the traceback)"
            )
            raise fail(line, EXIT_INTERNAL) from exc


@click.group(cls=_AccordGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="accord", message="%(prog)s %(version)s")
@verbosity_options
@click.pass_context
def cli(ctx: click.Context) -> None:
    """Find where documents about one subject agree, contradict each other, or say something
    alone, with the evidence.

    Exit status: 0 ok, 1 contradictions found (with --fail-on-contradiction),
    2 usage or input error, 3 internal error.
    """
    from accord.console import setup_logging

    setup_logging(verbose=is_verbose(ctx), quiet=is_quiet(ctx))


for _command in (check, eval_command, add, show, serve, schema, stages, info, batch):
    cli.add_command(_command)
