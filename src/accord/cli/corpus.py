"""``accord add``, ``accord show`` and ``accord serve``: the stored corpus and the web app."""

from __future__ import annotations

import json
import sys
from contextlib import closing
from pathlib import Path
from typing import Any

import click

from accord.cli.base import (
    CONTROL,
    is_quiet,
    is_verbose,
    verbosity_options,
    write_stdout,
)
from accord.cli.options import (
    declared_sources,
    entities_option,
    extractor_option,
    input_options,
    kind_option,
    settings_file_options,
)
from accord.web.limits import BODY_TIMEOUT_S, CHECK_TIMEOUT_S, MAX_QUEUED


@click.command()
@click.argument("paths", nargs=-1, required=True, metavar="FILE_OR_DIR...")
@click.option("--store", required=True, metavar="DB", help="The corpus file (created if missing).")
@click.option("--subject", metavar="NAME", help="File every document under this subject.")
@click.option(
    "--one-subject",
    is_flag=True,
    help="File every document under one subject, named by what they share (default: each "
    "document under the subject it names).",
)
@extractor_option
@click.option("--encoding", metavar="CODEC", help="Decode every input with CODEC (no detection).")
@entities_option
@kind_option
@verbosity_options
def add(
    paths: tuple[str, ...],
    store: str,
    subject: str | None,
    one_subject: bool,
    extractor: str,
    encoding: str | None,
    entity_files: tuple[Path, ...],
    kinds: tuple[str, ...],
) -> None:
    """Add documents to a corpus: ingest them, extract their claims, group them by subject.

    Each document goes under the subject it names (its title, else the name it repeats
    most), so a directory of many subjects is sorted by subject; --one-subject files them
    all under the name they share, --subject NAME under NAME. A document whose text is
    stored already is left as it is; - reads one document from standard input (named
    <stdin>). A file's sidecar FILE.meta.json (kind, title, url,
    published, metadata) is read with it. Check the corpus with accord check --store DB.
    """
    from accord.cli.settings_flags import settings_from_flags
    from accord.console import make_stderr_console, progress_reporter
    from accord.corpus import add_sources
    from accord.store import open_store

    settings = settings_from_flags(click.get_current_context())
    sources = declared_sources(paths, kinds)
    if "-" in paths:  # standard input
        from accord.sources import stdin_sources

        sources = stdin_sources(
            sources, sys.stdin.buffer, encoding=encoding, max_bytes=settings.max_bytes
        )
    console = make_stderr_console()
    with closing(open_store(store)) as db, progress_reporter(console, quiet=is_quiet()) as progress:
        result = add_sources(
            db, sources, settings, subject=subject, together=one_subject, on_progress=progress
        )
    for doc in result.documents:
        status = "added" if doc.new else "already stored, unchanged"
        line = f"{status}: {doc.source} -> {doc.subject!r} ({doc.claims} claims)"
        click.echo(CONTROL.sub(" ", line if doc.new else f"{status}: {doc.source}"))
    for failure in result.failures:
        click.echo(CONTROL.sub(" ", f"failed: {failure.source}: {failure.message}"), err=True)


@click.command()
@click.argument("subject", required=False)
@click.option("--store", required=True, metavar="DB", help="The corpus file.")
@click.option(
    "--prior",
    "priors",
    multiple=True,
    metavar="KIND=VALUE",
    help="Reliability prior for a source kind (encyclopedia, news, wiki, unknown); repeatable.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="json: the subjects as a list, or SUBJECT's report as accord check --format json "
    "writes it (the schema accord schema prints).",
)
@verbosity_options
def show(subject: str | None, store: str, priors: tuple[str, ...], fmt: str) -> None:
    """Print the reconciled record of SUBJECT from the corpus, or list its subjects.

    Shows what the last accord check --store verified; it verifies nothing new.
    """
    from accord.cli.corpus_text import format_record, format_subjects
    from accord.cli.settings_flags import settings_from_flags
    from accord.corpus import resolve_subject, stored_report
    from accord.store import open_store

    settings = settings_from_flags(click.get_current_context())
    with closing(open_store(store, create=False)) as db:
        if subject is None:
            rows = db.subjects()
            if fmt == "json":
                listed = [{"key": r.key, "name": r.name, "documents": r.documents} for r in rows]
                write_stdout(json.dumps({"subjects": listed}, indent=2, ensure_ascii=False) + "\n")
                return
            click.echo(format_subjects(rows) or "(the store is empty)")
            return
        (row,) = resolve_subject(db, subject)
        report = stored_report(db, settings, row)
    if fmt == "json":
        from accord.report import reporters

        write_stdout(reporters.get("accord.json.v1")().render(report))
        return
    click.echo(format_record(report.record, report.documents))


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True)
@click.option(
    "--store",
    metavar="DB",
    help="Add uploads to the corpus in DB (created if missing), check them there, and "
    "browse its subjects and runs.",
)
@click.option(
    "--checks",
    type=click.IntRange(min=1),
    default=None,
    help="Checks run at once, in each server process (--workers); a POST /check that finds "
    "none free answers 503 with Retry-After [default: one per CPU, at most 4; 1 with --store].",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Server processes, each with its own --checks and --max-queued. More than 1 needs "
    "--store, through which they share their runs: a postgresql:// URL, or a SQLite file "
    "(its writers take turns).",
)
@click.option(
    "--max-queued",
    type=click.IntRange(min=0),
    default=MAX_QUEUED,
    show_default=True,
    help="Background runs (POST /runs, the upload page) that may wait for a free check; "
    "more answer 503 with Retry-After.",
)
@click.option(
    "--check-timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=CHECK_TIMEOUT_S,
    show_default=True,
    help="Seconds a POST /check waits for its report; a longer check goes on as a "
    "background run and the request answers 503 with Retry-After.",
)
@click.option(
    "--body-timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=BODY_TIMEOUT_S,
    show_default=True,
    help="Seconds a request body may take to arrive; a slower one is answered 408 and its "
    "connection closed.",
)
@input_options(
    bytes_help="Largest document a run reads (uploads are also held to 1 MB each).",
    documents_help="Most documents one run reads (uploads are also held to 10 per check).",
)
@settings_file_options
@verbosity_options
def serve(
    host: str,
    port: int,
    store: str | None,
    checks: int | None,
    workers: int,
    max_queued: int,
    check_timeout: float,
    body_timeout: float,
    **inputs: Any,
) -> None:
    """Serve the web app: upload documents, watch the check, read the report; a JSON API.

    Every check uses the settings these options give (over --config FILE), as accord check
    builds them.
    """
    # ``inputs``: the flags of ``input_options`` and ``--config``/``--set``, which
    # ``settings_from_flags`` reads as accord check's, so that a limit added there reaches the
    # web app's runs as it reaches accord check's.
    from accord.cli.settings_flags import settings_from_flags
    from accord.errors import MissingExtraError
    from accord.web.limits import ServeLimits

    try:
        import uvicorn

        from accord.web import create_app
    except ImportError as exc:
        raise MissingExtraError(
            f'accord serve needs the web extra: pip install "accord[web]" ({exc})'
        ) from exc
    settings = settings_from_flags(click.get_current_context())
    limits = ServeLimits(
        checks=checks,
        max_queued=max_queued,
        check_timeout_s=check_timeout,
        body_timeout_s=body_timeout,
    )
    ctx = click.get_current_context()
    level = "error" if is_quiet(ctx) else "debug" if is_verbose(ctx) else "info"
    if workers > 1:
        from accord.store import open_store
        from accord.web.workers import FACTORY, AppSpec, check_workers, shared_app

        check_workers(workers, store)
        if store is not None:
            open_store(store).close()  # a bad store: one line here, not one per process
        spec = AppSpec(store=store, settings=settings, limits=limits)
        with shared_app(spec):
            uvicorn.run(
                FACTORY, factory=True, workers=workers, host=host, port=port, log_level=level
            )
        return
    app = create_app(store=store, settings=settings, limits=limits)
    uvicorn.run(app, host=host, port=port, log_level=level)
