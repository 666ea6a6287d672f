"""``accord eval``, ``accord schema`` and ``accord stages``: scores and what is installed."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

import click

from accord.cli.base import CONTROL, check_entity_files, verbose_option, write_stdout
from accord.cli.options import (
    entities_option,
    min_confidence_option,
    threshold_settings,
    verify_options,
)

_STAGE_REGISTRIES = (
    ("ingest", "accord.ingest", "ingesters"),
    ("claims", "accord.claims", "extractors"),
    ("align", "accord.align", "aligners"),
    ("verify", "accord.verify", "verifiers"),
    ("report", "accord.report", "reporters"),
)


@click.command("eval")
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
    "--no-reliability",
    "no_reliability",
    is_flag=True,
    help="On RAMDocs files, skip scoring the reliability score (one pipeline run per question).",
)
@entities_option
@verify_options
@min_confidence_option
@verbose_option
def eval_command(
    paths: tuple[Path, ...],
    fmt: str,
    limit: int | None,
    aligner: str | None,
    no_reliability: bool,
    entity_files: tuple[Path, ...],
    verifier: str | None,
    nli_model: Path | None,
    llm_url: str | None,
    llm_model: str | None,
    llm_timeout: float,
    llm_cache_dir: Path | None,
    minilm: bool,
    min_confidence: float | None,
) -> None:
    """Score a backend combination on labelled claim/evidence files (FM2, FEVER-Symmetric,
    VitaminC, RAMDocs, or claim/evidence/label JSON lines): per label precision, recall, F1
    and coverage, a confusion matrix and pairs/s; on RAMDocs also how often the least
    reliable document is misinformation (docs/evaluation.md)."""
    from accord import pipeline
    from accord.evaluate import run_eval
    from accord.verify.setup import verifier_options

    check_entity_files(entity_files)
    options: dict[str, Any] = {"entity_files": entity_files}
    if aligner is not None:
        options["aligner"] = aligner
    options.update(
        verifier_options(
            verifier, nli_model, llm_url, llm_model, llm_timeout, llm_cache_dir, minilm
        )
    )
    options.update(threshold_settings(min_confidence))
    settings = pipeline.Settings(**options)
    text = run_eval(
        paths,
        as_json=fmt == "json",
        limit=limit,
        settings=settings,
        aligned=aligner is not None,
        reliability=not no_reliability,
    )
    write_stdout(text)


@click.command()
def schema() -> None:
    """Print the JSON Schema of the --format json report."""
    from accord.report.schema import schema_text

    write_stdout(schema_text())


@click.command()
def stages() -> None:
    """List the registered implementations of each stage."""
    for kind, module_name, attribute in _STAGE_REGISTRIES:
        click.echo(f"{kind} ({module_name}.{attribute})")
        try:
            registry = getattr(importlib.import_module(module_name), attribute)
            names: list[str] = registry.names()
        except (ImportError, AttributeError) as exc:
            click.echo(f"  (unavailable: {CONTROL.sub(' ', str(exc))})")
            continue
        for name in names:
            click.echo(f"  {name}")
        if not names:
            click.echo("  (none registered)")
