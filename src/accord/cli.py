"""The ``accord`` command line: thin commands over ``accord.pipeline`` and ``accord.report``.

Exit status: 0 ok; 1 contradictions found (only with ``--fail-on-contradiction``); 2 usage or
input error (one ``error: ...`` line on stderr); 3 internal error (a bug: rerun with --verbose).
"""

from __future__ import annotations

import importlib
import os
import re
import sys
import tempfile
import traceback
from collections.abc import Callable
from contextlib import suppress
from pathlib import Path
from typing import Any, TypeVar

import click

from accord import __version__
from accord.errors import AccordError, ConfigError

__all__ = ["cli"]

EXIT_OK = 0
EXIT_CONTRADICTIONS = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 3
EXIT_INTERRUPTED = 130  # the shell's convention for SIGINT

_VERBOSE_KEY = "accord.verbose"
_FORMATS = {"text": "accord.terminal.v1", "json": "accord.json.v1", "md": "accord.markdown.v1"}
_STAGE_REGISTRIES = (
    ("ingest", "accord.ingest", "ingesters"),
    ("claims", "accord.claims", "extractors"),
    ("align", "accord.align", "aligners"),
    ("verify", "accord.verify", "verifiers"),
    ("report", "accord.report", "reporters"),
)
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]+")

F = TypeVar("F", bound=Callable[..., Any])


def _fail(line: str, exit_code: int) -> click.exceptions.Exit:
    """Show ``line`` as the one stderr line of a failure; return the exit to raise."""
    click.echo(_CONTROL.sub(" ", line).strip(), err=True)
    return click.exceptions.Exit(exit_code)


class _AccordGroup(click.Group):
    """A group that turns every exception into one stderr line and an exit status, here only."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort, BrokenPipeError):
            raise  # click shows these itself (a closed pipe is not our error)
        except AccordError as exc:
            _show_traceback(ctx, exc)
            code = getattr(exc, "exit_code", EXIT_USAGE)
            raise _fail(f"error: {exc}", code) from exc
        except KeyboardInterrupt as exc:
            raise _fail("error: interrupted", EXIT_INTERRUPTED) from exc
        except Exception as exc:
            _show_traceback(ctx, exc)
            line = (
                f"internal error: {type(exc).__name__}: {exc}"
                " (run with --verbose for the traceback)"
            )
            raise _fail(line, EXIT_INTERNAL) from exc


def _show_traceback(ctx: click.Context, exc: BaseException) -> None:
    if ctx.meta.get(_VERBOSE_KEY, False):
        click.echo("".join(traceback.format_exception(exc)).rstrip(), err=True)


def _set_verbose(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if value:
        ctx.meta[_VERBOSE_KEY] = True
        from accord.console import setup_logging

        setup_logging(verbose=True)


def _verbose_option(func: F) -> F:
    return click.option(
        "-v",
        "--verbose",
        is_flag=True,
        expose_value=False,
        callback=_set_verbose,
        help="Show INFO logs, and full tracebacks on errors.",
    )(func)


@click.group(cls=_AccordGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="accord", message="%(prog)s %(version)s")
@_verbose_option
@click.pass_context
def cli(ctx: click.Context) -> None:
    """Find where documents about one subject agree, contradict each other, or say something
    alone, with the evidence.

    Exit status: 0 ok, 1 contradictions found (with --fail-on-contradiction),
    2 usage or input error, 3 internal error.
    """
    from accord.console import setup_logging

    setup_logging(verbose=bool(ctx.meta.get(_VERBOSE_KEY, False)))


def _check_codec(encoding: str | None) -> None:
    if encoding is None:
        return
    import codecs

    try:
        codecs.lookup(encoding)
    except LookupError:
        raise ConfigError(
            f"unknown encoding {encoding!r} for --encoding; try utf-8, cp1252 or latin-1"
        ) from None


def _check_entity_files(paths: tuple[Path, ...]) -> None:
    for path in paths:
        if not path.is_file():
            raise ConfigError(f"entity file not found: {path} (given with --entities)")


def _write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file in the same directory and a rename."""
    directory = path.parent
    try:
        fd, temp_name = tempfile.mkstemp(dir=directory, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise AccordError(f"cannot write {path}: {exc.strerror or exc}") from exc
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
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


def _write_stdout(text: str) -> None:
    """Write ``text`` to stdout as UTF-8 whatever the locale says (JSON must be UTF-8)."""
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:  # a text-only stream someone swapped in
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    sys.stdout.flush()
    buffer.write(text.encode("utf-8"))
    buffer.flush()


@cli.command()
@click.argument("paths", nargs=-1, required=True, metavar="FILE_OR_DIR...")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(sorted(_FORMATS)),
    default="text",
    show_default=True,
    help="text: a terminal report; json: the versioned JSON document; md: Markdown.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the report to this file (atomically) instead of stdout.",
)
@click.option(
    "--top-k",
    type=click.IntRange(min=1),
    default=None,
    help="Candidate claims the aligner keeps per claim from each other document [default: 5].",
)
@click.option("--encoding", metavar="CODEC", help="Decode every input with CODEC (no detection).")
@click.option(
    "--entities",
    "entity_files",
    multiple=True,
    type=click.Path(path_type=Path),
    metavar="FILE",
    help="Extra entity-alias file extending the bundled one; repeatable.",
)
@click.option(
    "--fail-on-contradiction",
    is_flag=True,
    help="Exit with status 1 when any contradiction is found (for CI).",
)
@_verbose_option
@click.pass_context
def check(
    ctx: click.Context,
    paths: tuple[str, ...],
    fmt: str,
    output: Path | None,
    top_k: int | None,
    encoding: str | None,
    entity_files: tuple[Path, ...],
    fail_on_contradiction: bool,
) -> None:
    """Check documents against each other, claim by claim.

    FILE_OR_DIR are text, Markdown, HTML or MediaWiki files, or directories of them.
    """
    from accord import pipeline
    from accord.console import make_stderr_console, make_stdout_console, progress_reporter
    from accord.report import render_terminal, reporters
    from accord.report.views import contradictions

    _check_codec(encoding)
    _check_entity_files(entity_files)
    options: dict[str, Any] = {"encoding": encoding, "entity_files": entity_files}
    if top_k is not None:
        options["top_k"] = top_k
    settings = pipeline.Settings(**options)

    with progress_reporter(make_stderr_console()) as on_progress:
        report = pipeline.run(list(paths), settings, on_progress=on_progress)

    if fmt == "text" and output is None:
        render_terminal(report, make_stdout_console())
    else:
        text = reporters.get(_FORMATS[fmt])().render(report)
        if output is None:
            _write_stdout(text)
        else:
            _write_atomic(output, text)

    if fail_on_contradiction and contradictions(report):
        ctx.exit(EXIT_CONTRADICTIONS)


@cli.command()
def schema() -> None:
    """Print the JSON Schema of the --format json report."""
    from accord.report.schema import schema_text

    _write_stdout(schema_text())


@cli.command()
def stages() -> None:
    """List the registered implementations of each stage."""
    for kind, module_name, attribute in _STAGE_REGISTRIES:
        click.echo(f"{kind} ({module_name}.{attribute})")
        try:
            registry = getattr(importlib.import_module(module_name), attribute)
            names: list[str] = registry.names()
        except (ImportError, AttributeError) as exc:
            click.echo(f"  (unavailable: {_CONTROL.sub(' ', str(exc))})")
            continue
        for name in names:
            click.echo(f"  {name}")
        if not names:
            click.echo("  (none registered)")
