"""What every command shares: exit statuses, one-line failures, --verbose, output writing."""

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
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]+")

F = TypeVar("F", bound=Callable[..., Any])


def fail(line: str, exit_code: int) -> click.exceptions.Exit:
    """Show ``line`` as the one stderr line of a failure; return the exit to raise."""
    click.echo(CONTROL.sub(" ", line).strip(), err=True)
    return click.exceptions.Exit(exit_code)


def show_traceback(ctx: click.Context, exc: BaseException) -> None:
    if ctx.meta.get(VERBOSE_KEY, False):
        click.echo("".join(traceback.format_exception(exc)).rstrip(), err=True)


def _set_verbose(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if value:
        ctx.meta[VERBOSE_KEY] = True
        from accord.console import setup_logging

        setup_logging(verbose=True)


def verbose_option(func: F) -> F:
    return click.option(
        "-v",
        "--verbose",
        is_flag=True,
        expose_value=False,
        callback=_set_verbose,
        help="Show INFO logs, and full tracebacks on errors.",
    )(func)


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
    for path in paths:
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
