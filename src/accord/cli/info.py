"""``accord eval``, ``accord schema``, ``accord stages`` and ``accord info``: scores and what
is installed."""

from __future__ import annotations

import importlib
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from accord.cli.base import (
    CONTROL,
    is_verbose,
    verbosity_options,
    write_stdout,
)
from accord.cli.options import (
    entities_option,
    min_confidence_option,
    settings_file_options,
    verify_options,
)
from accord.environment import STAGE_REGISTRIES

if TYPE_CHECKING:
    from accord.settings import Settings


@click.command("eval")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@click.option(
    "--limit",
    type=click.IntRange(min=1),
    help="Score only the first N items per file (cases per directory).",
)
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
@click.option(
    "--curve",
    is_flag=True,
    help="For case directories, print contradiction precision and recall at confidence "
    "thresholds 0.5 to 0.95 instead of the scores (each case checked once, every clash kept).",
)
@entities_option
@verify_options
@min_confidence_option
@settings_file_options
@verbosity_options
def eval_command(
    paths: tuple[Path, ...],
    fmt: str,
    limit: int | None,
    aligner: str | None,
    no_reliability: bool,
    curve: bool,
    entity_files: tuple[Path, ...],
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
    """Score a backend combination on labelled claim/evidence files (FM2, FEVER-Symmetric,
    VitaminC, RAMDocs, or claim/evidence/label JSON lines): per label precision, recall, F1
    and coverage, a confusion matrix and pairs/s; on RAMDocs also how often the least
    reliable document is misinformation. A directory of end-to-end cases (folders of
    documents with a gold.json), or one case folder, is checked case by case and scored
    against its gold: contradiction precision and recall, per type and tag, and the other
    figures; -v adds a line per case (docs/evaluation.md)."""
    from accord.cli.settings_flags import settings_from_flags
    from accord.evaluate import run_eval

    files = [path for path in paths if not path.is_dir()]
    roots = [path for path in paths if path.is_dir()]
    if curve and not roots:
        raise click.UsageError("--curve scores case directories; none was given")
    if curve and min_confidence is not None:
        raise click.UsageError("--curve scores its own thresholds; leave out --min-confidence")
    settings = settings_from_flags(click.get_current_context())
    cases = _eval_cases(roots, settings, limit=limit, curve=curve) if roots else None
    if cases is not None and not files:
        write_stdout(json.dumps(cases, indent=2) + "\n" if fmt == "json" else _render_cases(cases))
        return
    text = run_eval(
        files,
        as_json=fmt == "json",
        limit=limit,
        settings=settings,
        aligned=aligner is not None,
        reliability=not no_reliability,
    )
    if cases is not None:
        if fmt == "json":
            text = json.dumps({**json.loads(text), "cases": cases}, indent=2) + "\n"
        else:
            text += "\n" + _render_cases(cases)
    write_stdout(text)


def _eval_cases(
    roots: list[Path], settings: Settings, *, limit: int | None, curve: bool
) -> dict[str, Any]:
    """The cases under ``roots`` scored (or their threshold curve), with the backends."""
    from accord import case_runs

    if curve:
        return case_runs.run_curve(roots, settings, limit=limit)
    return case_runs.run(roots, settings, limit=limit)


def _render_cases(figures: dict[str, Any]) -> str:
    """The backends, then the cases' scores or curve, as text."""
    from accord.case_runs import render_curve
    from accord.cases import render_cases

    lines = [f"{stage}: {name}" for stage, name in figures["backends"].items()]
    verbose = is_verbose(click.get_current_context())
    body = render_curve(figures) if "curve" in figures else render_cases(figures, verbose=verbose)
    return "\n".join([*lines, "", body]) + "\n"


@click.command()
@verbosity_options
def schema() -> None:
    """Print the JSON Schema of the --format json report."""
    from accord.report.schema import schema_text

    write_stdout(schema_text())


@click.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="json: one object, each stage kind's registered names (null where it cannot load).",
)
@verbosity_options
def stages(fmt: str) -> None:
    """List the registered implementations of each stage."""
    found: dict[str, dict[str, Any]] = {}
    for kind, module_name, attribute in STAGE_REGISTRIES:
        entry: dict[str, Any] = {"registry": f"{module_name}.{attribute}", "names": None}
        try:
            registry = getattr(importlib.import_module(module_name), attribute)
            entry["names"] = list(registry.names())
        except (ImportError, AttributeError) as exc:
            entry["error"] = CONTROL.sub(" ", str(exc))
        found[kind] = entry
    if fmt == "json":
        write_stdout(json.dumps(found, indent=2) + "\n")
        return
    for kind, entry in found.items():
        click.echo(f"{kind} ({entry['registry']})")
        if entry["names"] is None:
            click.echo(f"  (unavailable: {entry['error']})")
            continue
        for name in entry["names"]:
            click.echo(f"  {name}")
        if not entry["names"]:
            click.echo("  (none registered)")


@click.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="json: one object with the keys accord, python, platform, libraries, extras, "
    "models, backends, skipped and settings (the default settings, which a file for "
    "accord check --config may hold).",
)
@verbosity_options
def info(fmt: str) -> None:
    """Say what this installation holds and can use: versions of accord, Python and key
    libraries, the extras installed, the models found (spaCy's, accord's verifier with its
    size and licence, the embedding encoder), which backends can run here, and what a
    default check skips and why. Loads no model."""
    from accord.environment import describe_environment, render_environment

    found = describe_environment()
    if fmt == "json":
        write_stdout(json.dumps(found, indent=2) + "\n")
    else:
        write_stdout(render_environment(found))
