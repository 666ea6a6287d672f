"""The ``accord`` command line: thin commands over ``accord.pipeline`` and ``accord.report``.

Exit status: 0 ok; 1 contradictions found (only with ``--fail-on-contradiction``); 2 usage or
input error (one ``error: ...`` line on stderr); 3 internal error (a bug: rerun with --verbose);
130 interrupted (Ctrl-C); 143 terminated (SIGTERM). The README has the table.
"""

from __future__ import annotations

import importlib
import os
import re
import sys
import tempfile
import traceback
from collections.abc import Callable
from contextlib import closing, suppress
from pathlib import Path
from typing import Any, TypeVar

import click

from accord import __version__
from accord.errors import AccordError, ConfigError
from accord.interrupt import Terminated, sigterm_raises
from accord.limits import (
    DEFAULT_MAX_BYTES,
    DEFAULT_MAX_DOCUMENTS,
    DEFAULT_MAX_HTML_DEPTH,
    DEFAULT_MAX_SECONDS_PER_DOCUMENT,
)

__all__ = ["cli"]

EXIT_OK = 0
EXIT_CONTRADICTIONS = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 3
EXIT_INTERRUPTED = 130  # the shell's convention for SIGINT
EXIT_TERMINATED = 143  # the shell's convention for SIGTERM (128 + 15)

_VERBOSE_KEY = "accord.verbose"
_FORMATS = {
    "text": "accord.terminal.v1",
    "json": "accord.json.v1",
    "md": "accord.markdown.v1",
    "html": "accord.html.v1",
}
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
            with sigterm_raises():
                return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort, BrokenPipeError):
            raise  # click shows these itself (a closed pipe is not our error)
        except AccordError as exc:
            _show_traceback(ctx, exc)
            code = getattr(exc, "exit_code", EXIT_USAGE)
            raise _fail(f"error: {exc}", code) from exc
        except KeyboardInterrupt as exc:
            _show_traceback(ctx, exc)
            raise _fail(
                "error: interrupted (Ctrl-C); stopped cleanly, no partial output was written",
                EXIT_INTERRUPTED,
            ) from exc
        except Terminated as exc:
            _show_traceback(ctx, exc)
            raise _fail(
                "error: terminated (SIGTERM); stopped cleanly, no partial output was written",
                EXIT_TERMINATED,
            ) from exc
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


def _store_options(func: F) -> F:
    """``--store``, ``--subject`` and ``--prior`` for commands over a corpus."""
    func = click.option(
        "--prior",
        "priors",
        multiple=True,
        metavar="KIND=VALUE",
        help="Reliability prior for a source kind (encyclopedia, news, wiki, unknown), "
        "in [0, 1]; repeatable.",
    )(func)
    func = click.option("--subject", metavar="NAME", help="With --store: check only this subject.")(
        func
    )
    return click.option(
        "--store", metavar="DB", help="Check the corpus in DB (see accord add) instead of files."
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


def _input_options(*, bytes_help: str, documents_help: str) -> Callable[[F], F]:
    """``--encoding``, ``--entities`` and the limits on hostile input, for the commands that
    read documents (``check``, ``batch``); the help of two limits says what they bound."""

    def decorate(func: F) -> F:
        options = [
            click.option(
                "--encoding", metavar="CODEC", help="Decode every input with CODEC (no detection)."
            ),
            click.option(
                "--entities",
                "entity_files",
                multiple=True,
                type=click.Path(path_type=Path),
                metavar="FILE",
                help="Extra entity-alias file extending the bundled one; repeatable.",
            ),
            click.option(
                "--max-bytes",
                type=click.IntRange(min=1),
                default=DEFAULT_MAX_BYTES,
                show_default=True,
                help=bytes_help,
            ),
            click.option(
                "--max-seconds",
                type=click.FloatRange(min=0),
                default=DEFAULT_MAX_SECONDS_PER_DOCUMENT,
                show_default=True,
                help="Time limit per document for reading and claim extraction (0: none); "
                "a document over it fails and the rest are checked.",
            ),
            click.option(
                "--max-documents",
                type=click.IntRange(min=1),
                default=DEFAULT_MAX_DOCUMENTS,
                show_default=True,
                help=documents_help,
            ),
            click.option(
                "--max-html-depth",
                type=click.IntRange(min=1),
                default=DEFAULT_MAX_HTML_DEPTH,
                show_default=True,
                help="Deepest HTML element nesting kept; deeper tags are flattened, their "
                "text kept.",
            ),
        ]
        for option in reversed(options):
            func = option(func)
        return func

    return decorate


def _align_options(func: F) -> F:
    """``--aligner`` and ``--top-k``."""
    func = click.option(
        "--top-k",
        type=click.IntRange(min=1),
        default=None,
        help="Candidate claims the aligner keeps per claim from each other document [default: 5].",
    )(func)
    return click.option(
        "--aligner",
        metavar="NAME",
        help="Registered aligner (see accord stages): accord.hybrid.v1 adds sentence "
        'embeddings to BM25 (pip install "accord[embed]") [default: accord.bm25.v1].',
    )(func)


def _input_settings(
    *,
    encoding: str | None,
    entity_files: tuple[Path, ...],
    max_bytes: int,
    max_seconds: float,
    max_documents: int,
    max_html_depth: int,
    aligner: str | None,
    top_k: int | None,
    priors: tuple[str, ...],
) -> dict[str, Any]:
    """``Settings`` fields from the flags of ``_input_options``, ``_align_options`` and
    ``--prior``, checked (a bad codec or a missing entity file is a ``ConfigError``)."""
    _check_codec(encoding)
    _check_entity_files(entity_files)
    options: dict[str, Any] = {
        "encoding": encoding,
        "entity_files": entity_files,
        "max_bytes": max_bytes,
        "max_seconds_per_document": max_seconds or None,
        "max_documents": max_documents,
        "max_html_depth": max_html_depth,
    }
    if aligner is not None:
        options["aligner"] = aligner
    if top_k is not None:
        options["top_k"] = top_k
    if priors:
        from accord.corpus_text import parse_priors

        options["priors"] = parse_priors(priors)
    return options


def _verify_options(func: F) -> F:
    """``--verifier`` and the NLI/LLM judge flags (the LLM key comes from the environment)."""
    func = click.option(
        "--llm-cache-dir",
        type=click.Path(file_okay=False, path_type=Path),
        help="Keep LLM answers in this directory (JSON files by prompt hash) across runs.",
    )(func)
    func = click.option(
        "--llm-timeout",
        type=click.FloatRange(min=0, min_open=True),
        default=30.0,
        show_default=True,
        help="Seconds one LLM request may take.",
    )(func)
    func = click.option("--llm-model", metavar="NAME", help="Model name the LLM endpoint serves.")(
        func
    )
    func = click.option(
        "--llm-url",
        metavar="URL",
        help="OpenAI-compatible endpoint (http://host:port/v1) of an LLM judge; the key is "
        "read from ACCORD_LLM_API_KEY.",
    )(func)
    func = click.option(
        "--minilm",
        is_flag=True,
        help="Let accord's own verifier model (accord.minilm.v1; needs pip install "
        '"accord[neural]") judge what slot comparison leaves open; off by default, as its '
        "contradictions are less precise (docs/evaluation.md).",
    )(func)
    func = click.option(
        "--nli-model",
        type=click.Path(path_type=Path),
        metavar="DIR",
        help="Local NLI checkpoint directory (Hugging Face, with an entailment/contradiction "
        'label map); needs pip install "accord[nli]".',
    )(func)
    return click.option(
        "--verifier",
        metavar="NAME",
        help="Registered verifier (see accord stages) [default: accord.ensemble.v1 with "
        "--llm-url or --nli-model, else accord.slots.v1].",
    )(func)


@cli.command()
@click.argument("paths", nargs=-1, required=False, metavar="FILE_OR_DIR...")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(sorted(_FORMATS)),
    default="text",
    show_default=True,
    help=(
        "text: a terminal report; json: the versioned JSON document; md: Markdown; "
        "html: one self-contained page with the documents side by side."
    ),
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the report to this file (atomically) instead of stdout.",
)
@click.option(
    "--fail-on-contradiction",
    is_flag=True,
    help="Exit with status 1 when any contradiction is found (for CI).",
)
@_input_options(
    bytes_help="Largest input file; a larger one fails (it is not cut) and the rest are checked.",
    documents_help="Most documents one run reads; more is refused before any is read.",
)
@_align_options
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=None,
    help="Processes extracting claims [default: one per CPU from 16 documents up, else 1].",
)
@_store_options
@_verify_options
@_verbose_option
@click.pass_context
def check(
    ctx: click.Context,
    paths: tuple[str, ...],
    fmt: str,
    output: Path | None,
    top_k: int | None,
    aligner: str | None,
    encoding: str | None,
    entity_files: tuple[Path, ...],
    fail_on_contradiction: bool,
    max_bytes: int,
    max_seconds: float,
    max_documents: int,
    max_html_depth: int,
    workers: int | None,
    store: str | None,
    subject: str | None,
    priors: tuple[str, ...],
    verifier: str | None,
    nli_model: Path | None,
    llm_url: str | None,
    llm_model: str | None,
    llm_timeout: float,
    llm_cache_dir: Path | None,
    minilm: bool,
) -> None:
    """Check documents against each other, claim by claim.

    FILE_OR_DIR are text, Markdown, HTML or MediaWiki files, or directories of them.
    With --store DB (and no files), check the stored corpus: only document pairs not
    verified before are aligned and verified; the report covers the whole subject.
    """
    from accord import pipeline
    from accord.console import make_stderr_console, make_stdout_console, progress_reporter
    from accord.report import render_terminal, reporters
    from accord.report.views import contradictions

    options = _input_settings(
        encoding=encoding,
        entity_files=entity_files,
        max_bytes=max_bytes,
        max_seconds=max_seconds,
        max_documents=max_documents,
        max_html_depth=max_html_depth,
        aligner=aligner,
        top_k=top_k,
        priors=priors,
    )
    options["workers"] = workers
    from accord.verify.setup import verifier_options

    options.update(
        verifier_options(
            verifier, nli_model, llm_url, llm_model, llm_timeout, llm_cache_dir, minilm
        )
    )
    settings = pipeline.Settings(**options)

    if store is None and not paths:
        raise click.UsageError("Missing argument 'FILE_OR_DIR...' (or give --store DB).")
    if store is not None and paths:
        raise click.UsageError("give FILE_OR_DIR... or --store, not both (accord add stores).")
    if store is None and subject is not None:
        raise click.UsageError("--subject needs --store")
    with progress_reporter(make_stderr_console()) as on_progress:
        if store is None:
            reports = [pipeline.run(list(paths), settings, on_progress=on_progress)]
        else:
            single = fmt != "text" or output is not None
            reports = _check_store(store, subject, settings, on_progress, single=single)

    for report in reports:
        if fmt == "text" and output is None:
            render_terminal(report, make_stdout_console())
        else:
            text = reporters.get(_FORMATS[fmt])().render(report)
            if output is None:
                _write_stdout(text)
            else:
                _write_atomic(output, text)

    if fail_on_contradiction and any(contradictions(report) for report in reports):
        ctx.exit(EXIT_CONTRADICTIONS)


@cli.command("eval")
@click.argument(
    "paths", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@click.option("--limit", type=click.IntRange(min=1), help="Score only the first N items per file.")
@click.option(
    "--aligner",
    metavar="NAME",
    help="Verify only the pairs this registered aligner proposes [default: every claim pair].",
)
@click.option(
    "--entities",
    "entity_files",
    multiple=True,
    type=click.Path(path_type=Path),
    metavar="FILE",
    help="Extra entity-alias file extending the bundled one; repeatable.",
)
@_verify_options
@_verbose_option
def eval_command(
    paths: tuple[Path, ...],
    fmt: str,
    limit: int | None,
    aligner: str | None,
    entity_files: tuple[Path, ...],
    verifier: str | None,
    nli_model: Path | None,
    llm_url: str | None,
    llm_model: str | None,
    llm_timeout: float,
    llm_cache_dir: Path | None,
    minilm: bool,
) -> None:
    """Score a backend combination on labelled claim/evidence files (FM2, FEVER-Symmetric,
    VitaminC, or claim/evidence/label JSON lines): per label precision, recall, F1 and
    coverage, a confusion matrix and pairs/s (docs/evaluation.md)."""
    from accord import pipeline
    from accord.evaluate import run_eval
    from accord.verify.setup import verifier_options

    _check_entity_files(entity_files)
    options: dict[str, Any] = {"entity_files": entity_files}
    if aligner is not None:
        options["aligner"] = aligner
    options.update(
        verifier_options(
            verifier, nli_model, llm_url, llm_model, llm_timeout, llm_cache_dir, minilm
        )
    )
    settings = pipeline.Settings(**options)
    text = run_eval(
        paths, as_json=fmt == "json", limit=limit, settings=settings, aligned=aligner is not None
    )
    _write_stdout(text)


def _check_store(
    location: str,
    subject: str | None,
    settings: Any,
    on_progress: Any,
    *,
    single: bool,
) -> list[Any]:
    """Check the stored subjects (one, or all); ``single``: the output takes one report."""
    from accord.corpus import check_store, resolve_subject
    from accord.store import open_store

    with closing(open_store(location, create=False)) as db:
        rows = resolve_subject(db, subject)
        if single and len(rows) > 1:
            names = ", ".join(repr(r.name) for r in rows)
            raise ConfigError(
                f"the store holds {len(rows)} subjects; pick one with --subject: {names}"
            )
        return [check_store(db, settings, row, on_progress=on_progress).report for row in rows]


@cli.command()
@click.argument("paths", nargs=-1, required=True, metavar="FILE_OR_DIR...")
@click.option("--store", required=True, metavar="DB", help="The corpus file (created if missing).")
@click.option("--subject", metavar="NAME", help="File every document under this subject.")
@click.option(
    "--extractor",
    default="accord.spacy.v1",
    show_default=True,
    metavar="NAME",
    help="Registered claim extractor to use (see accord stages).",
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
@_verbose_option
def add(
    paths: tuple[str, ...],
    store: str,
    subject: str | None,
    extractor: str,
    encoding: str | None,
    entity_files: tuple[Path, ...],
) -> None:
    """Add documents to a corpus: ingest them, extract their claims, group them by subject.

    A document whose text is stored already is left as it is. Check the corpus with
    accord check --store DB.
    """
    from accord import pipeline
    from accord.console import make_stderr_console, progress_reporter
    from accord.corpus import add_sources
    from accord.store import open_store

    _check_codec(encoding)
    _check_entity_files(entity_files)
    settings = pipeline.Settings(extractor=extractor, encoding=encoding, entity_files=entity_files)
    with closing(open_store(store)) as db, progress_reporter(make_stderr_console()) as progress:
        result = add_sources(db, list(paths), settings, subject=subject, on_progress=progress)
    for doc in result.documents:
        status = "added" if doc.new else "already stored, unchanged"
        line = f"{status}: {doc.source} -> {doc.subject!r} ({doc.claims} claims)"
        click.echo(_CONTROL.sub(" ", line if doc.new else f"{status}: {doc.source}"))
    for failure in result.failures:
        click.echo(_CONTROL.sub(" ", f"failed: {failure.source}: {failure.message}"), err=True)


@cli.command()
@click.argument("subject", required=False)
@click.option("--store", required=True, metavar="DB", help="The corpus file.")
@click.option(
    "--prior",
    "priors",
    multiple=True,
    metavar="KIND=VALUE",
    help="Reliability prior for a source kind (encyclopedia, news, wiki, unknown); repeatable.",
)
@_verbose_option
def show(subject: str | None, store: str, priors: tuple[str, ...]) -> None:
    """Print the reconciled record of SUBJECT from the corpus, or list its subjects.

    Shows what the last accord check --store verified; it verifies nothing new.
    """
    from accord import pipeline
    from accord.corpus import resolve_subject, stored_report
    from accord.corpus_text import format_record, format_subjects, parse_priors
    from accord.store import open_store

    settings = pipeline.Settings(priors=parse_priors(priors))
    with closing(open_store(store, create=False)) as db:
        if subject is None:
            click.echo(format_subjects(db.subjects()) or "(the store is empty)")
            return
        (row,) = resolve_subject(db, subject)
        report = stored_report(db, settings, row)
    click.echo(format_record(report.record, report.documents))


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True)
@click.option(
    "--store",
    metavar="DB",
    help="Add uploads to the corpus in DB (created if missing), check them there, and "
    "browse its subjects and runs.",
)
def serve(host: str, port: int, store: str | None) -> None:
    """Serve the web app: upload documents, watch the check, read the report; a JSON API."""
    from accord.errors import MissingExtraError

    try:
        import uvicorn

        from accord.web import create_app
    except ImportError as exc:
        raise MissingExtraError(
            f'accord serve needs the web extra: pip install "accord[web]" ({exc})'
        ) from exc
    uvicorn.run(create_app(store=store), host=host, port=port, log_level="info")


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


@cli.command()
@click.argument("inputs", nargs=-1, required=True, metavar="INPUT...")
@click.option(
    "--store",
    metavar="DB",
    help="Add the documents and verdicts to this corpus (created if missing); rerunning "
    "the same command resumes from it.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    help="Write the result tables to this directory (each file atomically).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["jsonl", "parquet"]),
    default="jsonl",
    show_default=True,
    help='Format of the --output tables; parquet needs pip install "accord[ray]".',
)
@click.option(
    "--engine",
    type=click.Choice(["local", "ray"]),
    default="local",
    show_default=True,
    help='local: a process pool on this machine; ray: Ray Data (pip install "accord[ray]").',
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    help="Worker processes, or the CPUs of a local Ray [default: the CPU count].",
)
@click.option(
    "--address",
    metavar="ADDR",
    help="Ray cluster address (with --engine ray) [default: start a local Ray].",
)
@click.option("--subject", metavar="NAME", help="File every document under this subject.")
@click.option(
    "--batch-size",
    type=click.IntRange(min=1),
    help="Documents per task sent to a worker [default: 8].",
)
@click.option(
    "--extractor",
    default="accord.spacy.v1",
    show_default=True,
    metavar="NAME",
    help="Registered claim extractor to use (see accord stages).",
)
@click.option(
    "--prior",
    "priors",
    multiple=True,
    metavar="KIND=VALUE",
    help="Reliability prior for a source kind (encyclopedia, news, wiki, unknown); repeatable.",
)
@click.option(
    "--fail-on-contradiction",
    is_flag=True,
    help="Exit with status 1 when any contradiction is found (for CI).",
)
@_input_options(
    bytes_help="Largest document (a file, a JSONL line, a dump page); a larger one fails.",
    documents_help="Most documents one subject may hold; a larger subject fails, the rest go on.",
)
@_align_options
@_verify_options
@_verbose_option
@click.pass_context
def batch(
    ctx: click.Context,
    inputs: tuple[str, ...],
    store: str | None,
    output: Path | None,
    fmt: str,
    engine: str,
    workers: int | None,
    address: str | None,
    subject: str | None,
    batch_size: int | None,
    extractor: str,
    aligner: str | None,
    top_k: int | None,
    encoding: str | None,
    entity_files: tuple[Path, ...],
    priors: tuple[str, ...],
    fail_on_contradiction: bool,
    max_bytes: int,
    max_seconds: float,
    max_documents: int,
    max_html_depth: int,
    verifier: str | None,
    nli_model: Path | None,
    llm_url: str | None,
    llm_model: str | None,
    llm_timeout: float,
    llm_cache_dir: Path | None,
    minilm: bool,
) -> None:
    """Check a whole corpus, subject by subject, on this machine or on Ray.

    INPUT are directories, JSONL passage files (one {"text": ...} object per line),
    MediaWiki XML dumps (.xml, .xml.bz2, .xml.gz; read as a stream) or document files.
    Documents are grouped by subject; each subject's documents are checked against each
    other. Give --store DB, --output DIR, or both. See docs/batch.md.
    """
    from accord import pipeline
    from accord.batch import BatchOptions, run_batch
    from accord.batch.display import batch_progress
    from accord.console import make_stderr_console
    from accord.verify.setup import verifier_options

    if store is None and output is None:
        raise click.UsageError("give --store DB, --output DIR, or both")
    if address and engine != "ray":
        raise click.UsageError("--address needs --engine ray")
    options = _input_settings(
        encoding=encoding,
        entity_files=entity_files,
        max_bytes=max_bytes,
        max_seconds=max_seconds,
        max_documents=max_documents,
        max_html_depth=max_html_depth,
        aligner=aligner,
        top_k=top_k,
        priors=priors,
    )
    options["extractor"] = extractor
    options.update(
        verifier_options(
            verifier, nli_model, llm_url, llm_model, llm_timeout, llm_cache_dir, minilm
        )
    )
    settings = pipeline.Settings(**options)
    batch_options = BatchOptions(
        engine=engine,
        workers=workers,
        address=address,
        store=store,
        output=output,
        format=fmt,
        subject=subject,
        **({"batch_size": batch_size} if batch_size else {}),
    )
    try:
        with batch_progress(make_stderr_console()) as on_progress:
            result = run_batch(list(inputs), settings, batch_options, on_progress=on_progress)
    except (KeyboardInterrupt, Terminated) as exc:
        _show_traceback(ctx, exc)
        how = "interrupted (Ctrl-C)" if isinstance(exc, KeyboardInterrupt) else "terminated"
        if store is not None:
            kept = (
                f"{store} keeps every document and subject finished; run the same command "
                "again to resume"
            )
        else:
            kept = "nothing was kept (give --store DB to resume a stopped batch)"
        code = EXIT_INTERRUPTED if isinstance(exc, KeyboardInterrupt) else EXIT_TERMINATED
        line = f"error: {how}; stopped cleanly, no partial output was written; {kept}"
        raise _fail(line, code) from exc
    for failure in result.failures:
        click.echo(_CONTROL.sub(" ", f"failed: {failure.source}: {failure.message}"), err=True)
    lines = [
        f"documents: {result.documents_read:,} read, {result.documents_added:,} added, "
        f"{result.documents_stored_before:,} stored before, {len(result.failures):,} failed",
        f"subjects: {result.subjects:,}, {result.subjects_verified:,} verified now "
        f"({result.document_pairs_aligned:,} document pairs, {result.verdicts_added:,} "
        f"new verdicts); {result.contradictions:,} contradictions in all",
        f"engine: {result.engine}; {result.seconds:.1f} s",
    ]
    if output is not None:
        lines.append(f"results: {len(result.outputs)} files in {output}")
    for line in lines:
        click.echo(_CONTROL.sub(" ", line))
    if fail_on_contradiction and result.contradictions:
        ctx.exit(EXIT_CONTRADICTIONS)
