"""``accord add``, ``accord show`` and ``accord serve``: the stored corpus and the web app."""

from __future__ import annotations

import sys
from contextlib import closing
from pathlib import Path

import click

from accord.cli.base import CONTROL, check_codec, check_entity_files, verbose_option
from accord.cli.options import declared_sources, entities_option, extractor_option, kind_option


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
@verbose_option
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
    from accord import pipeline
    from accord.console import make_stderr_console, progress_reporter
    from accord.corpus import add_sources
    from accord.store import open_store

    check_codec(encoding)
    check_entity_files(entity_files)
    settings = pipeline.Settings(extractor=extractor, encoding=encoding, entity_files=entity_files)
    sources = declared_sources(paths, kinds)
    if "-" in paths:  # standard input
        from accord.sources import stdin_sources

        sources = stdin_sources(
            sources, sys.stdin.buffer, encoding=encoding, max_bytes=settings.max_bytes
        )
    with closing(open_store(store)) as db, progress_reporter(make_stderr_console()) as progress:
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
@verbose_option
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


@click.command()
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
