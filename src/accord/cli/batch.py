"""``accord batch``: a whole corpus, subject by subject, on this machine or on Ray."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import click

from accord.cli.base import (
    CONTROL,
    EXIT_CONTRADICTIONS,
    EXIT_INTERRUPTED,
    EXIT_TERMINATED,
    fail,
    is_quiet,
    show_traceback,
    verbosity_options,
)
from accord.cli.interrupt import Terminated
from accord.cli.options import (
    align_options,
    extractor_option,
    input_options,
    memory_option,
    min_confidence_option,
    parse_kinds,
    settings_file_options,
    verify_options,
)


@click.command()
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
    help="Ray cluster address (with --engine ray): HOST:6379 (the head's GCS, when this "
    "machine is a node of the cluster), ray://HOST:10001 (Ray Client) or auto "
    "[default: start a local Ray]; see docs/batch.md.",
)
@click.option("--subject", metavar="NAME", help="File every document under this subject.")
@click.option(
    "--kind",
    "kinds",
    multiple=True,
    metavar="INPUT=KIND",
    help="Declare the kind of source (encyclopedia, wiki, news, unknown) of every document "
    "read from INPUT (one of the inputs: a file, a directory, a JSONL file or a dump) that "
    "declares none itself (in a FILE.meta.json sidecar or a JSONL line's kind); it sets the "
    "reliability prior. Repeatable. A kind is never taken from a file name.",
)
@click.option(
    "--batch-size",
    type=click.IntRange(min=1),
    help="Documents per task sent to a worker [default: 8].",
)
@extractor_option
@click.option(
    "--prior",
    "priors",
    multiple=True,
    metavar="KIND=VALUE",
    help="Reliability prior for a source kind (encyclopedia, news, wiki, unknown); repeatable.",
)
@click.option(
    "--all-verdicts",
    is_flag=True,
    help="Give NOT_MENTIONED verdicts rows in the verdicts table too (by default only "
    "counted, in subjects.not_mentioned).",
)
@click.option(
    "--fail-on-contradiction",
    is_flag=True,
    help="Exit with status 1 when any contradiction is found (for CI); possible conflicts "
    "do not count.",
)
@input_options(
    bytes_help="Largest document (a file, a JSONL line, a dump page); a larger one fails.",
    documents_help="Most documents one subject may hold; a larger subject fails, the rest go on.",
)
@memory_option
@align_options
@verify_options
@min_confidence_option
@settings_file_options
@verbosity_options
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
    kinds: tuple[str, ...],
    batch_size: int | None,
    extractor: str,
    aligner: str | None,
    top_k: int | None,
    encoding: str | None,
    entity_files: tuple[Path, ...],
    priors: tuple[str, ...],
    all_verdicts: bool,
    fail_on_contradiction: bool,
    max_bytes: int,
    max_seconds: float,
    max_documents: int,
    max_html_depth: int,
    max_memory: int,
    verifier: str | None,
    nli_model: Path | None,
    llm_url: str | None,
    llm_model: str | None,
    llm_timeout: float,
    llm_cache_dir: Path | None,
    skip_unreachable_judge: bool,
    minilm: bool,
    min_confidence: float | None,
    config: Path | None,
    component_options: tuple[str, ...],
) -> None:
    """Check a whole corpus, subject by subject, on this machine or on Ray.

    INPUT are directories, JSONL passage files (one {"text": ...} object per line),
    MediaWiki XML dumps (.xml, .xml.bz2, .xml.gz; read as a stream) or document files.
    Documents are grouped by subject; each subject's documents are checked against each
    other. Give --store DB, --output DIR, or both. --config FILE takes the settings of a
    settings file or a JSON report. See docs/batch.md.
    """
    from accord.batch import BatchOptions, run_batch
    from accord.batch.display import batch_progress
    from accord.cli.settings_flags import settings_from_flags
    from accord.console import make_stderr_console

    if store is None and output is None:
        raise click.UsageError("give --store DB, --output DIR, or both")
    if address and engine != "ray":
        raise click.UsageError("--address needs --engine ray")
    # the engine's --workers share out the documents: each task reads its own in one process,
    # whatever a settings file says of a check's extraction workers
    settings = replace(settings_from_flags(ctx), workers=1)
    batch_options = BatchOptions(
        engine=engine,
        workers=workers,
        address=address,
        store=store,
        output=output,
        format=fmt,
        subject=subject,
        kinds=tuple(parse_kinds(kinds, "INPUT")),
        all_verdicts=all_verdicts,
        **({"batch_size": batch_size} if batch_size else {}),
    )
    try:
        with batch_progress(make_stderr_console(), quiet=is_quiet(ctx)) as on_progress:
            result = run_batch(list(inputs), settings, batch_options, on_progress=on_progress)
    except (KeyboardInterrupt, Terminated) as exc:
        show_traceback(ctx, exc)
        how = "interrupted (Ctrl-C)" if isinstance(exc, KeyboardInterrupt) else "terminated"
        if store is not None:
            from accord.store.postgres import redact_url

            kept = (
                f"{redact_url(store)} keeps every document and subject finished; run the same "
                "command again to resume"
            )
        else:
            kept = "nothing was kept (give --store DB to resume a stopped batch)"
        code = EXIT_INTERRUPTED if isinstance(exc, KeyboardInterrupt) else EXIT_TERMINATED
        line = f"error: {how}; stopped cleanly, no partial output was written; {kept}"
        raise fail(line, code) from exc
    for failure in result.failures:
        click.echo(CONTROL.sub(" ", f"failed: {failure.source}: {failure.message}"), err=True)
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
        click.echo(CONTROL.sub(" ", line))
    if fail_on_contradiction and result.contradictions:
        ctx.exit(EXIT_CONTRADICTIONS)
