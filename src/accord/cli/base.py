"""What every command shares: exit statuses, one-line failures, -v/-q, output writing."""

from __future__ import annotations

import io
import os
import re
import sys
import tempfile
import traceback
from collections.abc import Callable
from contextlib import suppress
from pathlib import Path
from typing import Any, TextIO, TypeVar

import click

from accord.errors import AccordError, ConfigError

EXIT_OK = 0
EXIT_CONTRADICTIONS = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 3
EXIT_INTERRUPTED = 130  # the shell's convention for SIGINT
EXIT_TERMINATED = 143  # the shell's convention for SIGTERM (128 + 15)

VERBOSE_KEY = "accord.verbose"
QUIET_KEY = "accord.quiet"
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]+")

F = TypeVar("F", bound=Callable[..., Any])


def fail(line: str, exit_code: int) -> click.exceptions.Exit:
    """Show ``line`` as the one stderr line of a failure; return the exit to raise."""
    click.echo(CONTROL.sub(" ", line).strip(), err=True)
    return click.exceptions.Exit(exit_code)


def show_traceback(ctx: click.Context, exc: BaseException) -> None:
    if is_verbose(ctx):
        click.echo("".join(traceback.format_exception(exc)).rstrip(), err=True)


def is_verbose(ctx: click.Context) -> bool:
    """Whether ``-v/--verbose`` was given, to the group or to the command."""
    return bool(ctx.meta.get(VERBOSE_KEY, False))


def is_quiet(ctx: click.Context | None = None) -> bool:
    """Whether ``-q/--quiet`` was given: no progress, no warnings, only errors on stderr."""
    ctx = ctx or click.get_current_context(silent=True)
    return ctx is not None and bool(ctx.meta.get(QUIET_KEY, False))


def _set_level(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    if not value:
        return
    # ``ctx.meta`` is shared by the group and its command: ``accord -q check`` is quiet too
    ctx.meta[VERBOSE_KEY if param.name == "verbose" else QUIET_KEY] = True
    if is_verbose(ctx) and is_quiet(ctx):
        raise click.UsageError("give -v/--verbose or -q/--quiet, not both", ctx=ctx)
    from accord.console import setup_logging

    setup_logging(verbose=is_verbose(ctx), quiet=is_quiet(ctx))


def verbosity_options(func: F) -> F:
    """``-v/--verbose`` and ``-q/--quiet``, the one definition every command uses."""
    func = click.option(
        "-q",
        "--quiet",
        is_flag=True,
        expose_value=False,
        callback=_set_level,
        help="Show only errors on stderr (no progress, no warnings); results still go to stdout.",
    )(func)
    return click.option(
        "-v",
        "--verbose",
        is_flag=True,
        expose_value=False,
        callback=_set_level,
        help="Show INFO logs, and full tracebacks on errors.",
    )(func)


verbose_option = verbosity_options
"""The name commands used before ``-q`` joined ``-v``; the same two options."""


def check_codec(encoding: str | None) -> None:
    if encoding is None:
        return
    import codecs

    try:
        codecs.lookup(encoding)
    except LookupError:
        raise ConfigError(
            f"unknown encoding {encoding!r} for --encoding; try utf-8, cp1252 or latin-1"
        ) from None


def check_entity_files(paths: tuple[Path, ...]) -> None:
    """Refuse an entity file that is missing, or is a pipe, socket or device (never opened:
    opening a named pipe blocks until something writes to it)."""
    from accord.ingest.files import special_kind

    for path in paths:
        try:
            kind = special_kind(path.stat().st_mode)
        except (OSError, ValueError):
            kind = None
        if kind is not None:
            raise ConfigError(
                f"entity file {path} (given with --entities) is {kind}, not a regular file; "
                "give a JSON file"
            )
        if not path.is_file():
            raise ConfigError(f"entity file not found: {path} (given with --entities)")


Content = str | Callable[[TextIO], None]
"""Text, or a function that writes it to a stream (a report too large to hold as one string)."""


def _put(content: Content, handle: TextIO) -> None:
    if isinstance(content, str):
        handle.write(content)
    else:
        content(handle)


def write_atomic(path: Path, text: Content) -> None:
    """Write ``text`` to ``path`` through a temporary file in the same directory and a rename."""
    directory = path.parent
    try:
        fd, temp_name = tempfile.mkstemp(dir=directory, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise AccordError(f"cannot write {path}: {exc.strerror or exc}") from exc
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            _put(text, handle)
            handle.flush()
            os.fsync(handle.fileno())
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temp_name, 0o666 & ~umask)  # mkstemp makes 0600; a report is an ordinary file
        os.replace(temp_name, path)
    except OSError as exc:
        with suppress(OSError):
            os.unlink(temp_name)
        raise AccordError(f"cannot write {path}: {exc.strerror or exc}") from exc
    except BaseException:
        with suppress(OSError):
            os.unlink(temp_name)
        raise


def write_stdout(text: Content) -> None:
    """Write ``text`` to stdout as UTF-8 whatever the locale says (JSON must be UTF-8)."""
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:  # a text-only stream someone swapped in
        _put(text, sys.stdout)
        sys.stdout.flush()
        return
    sys.stdout.flush()
    stream = io.TextIOWrapper(buffer, encoding="utf-8", newline="")
    try:
        _put(text, stream)
        stream.flush()
    finally:
        stream.detach()  # stdout's own buffer stays open
