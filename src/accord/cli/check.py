"""``accord check``: documents, or a stored corpus, checked against each other."""

from __future__ import annotations

import functools
import sys
from contextlib import closing
from pathlib import Path
from typing import Any

import click

from accord.cli.base import (
    EXIT_CONTRADICTIONS,
    is_quiet,
    verbosity_options,
    write_atomic,
    write_stdout,
)
from accord.cli.options import (
    align_options,
    declared_sources,
    input_options,
    kind_option,
    memory_option,
    min_confidence_option,
    settings_file_options,
    store_options,
    verify_options,
)
from accord.errors import ConfigError

FORMATS = {
    "text": "accord.terminal.v1",
    "json": "accord.json.v1",
    "md": "accord.markdown.v1",
    "html": "accord.html.v1",
}


@click.command()
@click.argument("paths", nargs=-1, required=False, metavar="FILE_OR_DIR...")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(sorted(FORMATS)),
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
    "--all-verdicts",
    is_flag=True,
    help="With --format json, list every verdict, not_mentioned ones too (by default they "
    "are only counted, under summary.left_out: nine in ten, and most of the report's size).",
)
@click.option(
    "--fail-on-contradiction",
    is_flag=True,
    help="Exit with status 1 when any contradiction is found (for CI); possible conflicts "
    "do not count.",
)
@input_options(
    bytes_help="Largest input file; a larger one fails (it is not cut) and the rest are checked.",
    documents_help="Most documents one run reads; more is refused before any is read.",
)
@memory_option
@kind_option
@align_options
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=None,
    help="Processes extracting claims [default: one per CPU from 32 documents up, else 1].",
)
@store_options
@verify_options
@min_confidence_option
@click.option(
    "--question",
    default=None,
    metavar="TEXT",
    help="The question the documents were gathered for: each source's trust is weighed "
    "toward the claims that bear on it, and the contradictions on it come first, marked "
    "'on the question'.",
)
@settings_file_options
@verbosity_options
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
    kinds: tuple[str, ...],
    all_verdicts: bool,
    fail_on_contradiction: bool,
    max_bytes: int,
    max_seconds: float,
    max_documents: int,
    max_html_depth: int,
    max_memory: int,
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
    skip_unreachable_judge: bool,
    minilm: bool,
    min_confidence: float | None,
    question: str | None,
    config: Path | None,
    component_options: tuple[str, ...],
) -> None:
    """Check documents against each other, claim by claim.

    FILE_OR_DIR are text, Markdown, HTML or MediaWiki files, or directories of them; - reads
    one document from standard input (named <stdin> in reports). A
    file's sidecar FILE.meta.json (kind, title, url, published, metadata) is read with it.
    The files are about one subject: --subject NAME names it, else the name they share does.
    With --store DB (and no files), check the stored corpus: only document pairs not
    verified before are aligned and verified; the report covers the whole subject.
    --config FILE reruns the settings of a settings file or a JSON report.
    """
    from accord import pipeline
    from accord.cli.settings_flags import settings_from_flags
    from accord.console import make_stderr_console, make_stdout_console, progress_reporter
    from accord.report import render_terminal, reporters
    from accord.report.views import contradictions

    if question is not None and question.strip() and store is not None:
        raise click.UsageError("--question weighs a check of files; give FILE_OR_DIR...")
    # with --store, --subject picks the stored subject to check; it names no document
    own = {"workers": "workers", **({"subject": "subject"} if store is None else {})}
    settings = settings_from_flags(ctx, **own)

    if all_verdicts and fmt != "json":
        raise click.UsageError(
            "--all-verdicts lists verdicts in the JSON report: add --format json"
        )
    if store is None and not paths:
        raise click.UsageError("Missing argument 'FILE_OR_DIR...' (or give --store DB).")
    if store is not None and paths:
        raise click.UsageError("give FILE_OR_DIR... or --store, not both (accord add stores).")
    if store is not None and kinds:
        raise click.UsageError(
            "--kind declares the kind of a file given; with --store, use accord add"
        )
    sources = declared_sources(paths, kinds)
    if "-" in paths:  # standard input
        from accord.sources import stdin_sources

        sources = stdin_sources(
            sources, sys.stdin.buffer, encoding=settings.encoding, max_bytes=settings.max_bytes
        )
    with progress_reporter(make_stderr_console(), quiet=is_quiet(ctx)) as on_progress:
        if store is None:
            reports = [pipeline.run(sources, settings, on_progress=on_progress)]
        else:
            single = fmt != "text" or output is not None
            reports = _check_store(store, subject, settings, on_progress, single=single)

    for report in reports:
        if fmt == "text" and output is None:
            render_terminal(report, make_stdout_console())
        else:
            reporter = reporters.get(FORMATS[fmt])(
                **({"all_verdicts": True} if all_verdicts else {})
            )
            write = getattr(reporter, "write", None)  # streams a report too large for a string
            text = functools.partial(write, report) if write else reporter.render(report)
            if output is None:
                write_stdout(text)
            else:
                write_atomic(output, text)

    # Possible conflicts are not contradictions: they never fail a run.
    if fail_on_contradiction and any(contradictions(report) for report in reports):
        ctx.exit(EXIT_CONTRADICTIONS)


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
