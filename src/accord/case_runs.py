"""The development cases run through checks (``accord eval CASES_DIR``): every case's
report scored with ``accord.cases``, and the precision and recall a range of contradiction
thresholds would give (``--curve``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from accord.cases import clash_hits, find_cases, fmt, load_case, run_cases, summarize
from accord.errors import ConfigError
from accord.model import Report

if TYPE_CHECKING:
    from accord.settings import Settings

__all__ = [
    "CURVE_THRESHOLDS",
    "case_folders",
    "render_curve",
    "run",
    "run_curve",
    "threshold_curve",
]


CURVE_THRESHOLDS = tuple(round(0.5 + 0.05 * step, 2) for step in range(10))
"""The thresholds ``threshold_curve`` scores: 0.5, 0.55, … 0.95."""


def case_folders(roots: Sequence[Path], *, limit: int | None = None) -> list[Path]:
    """The case folders under each of ``roots`` (``find_cases``), each once.

    Args:
        roots: Folders of case folders, or case folders.
        limit: Take only the first ``limit`` case folders of each root.

    Raises:
        ConfigError: A root holds no case folder.
    """
    folders: dict[Path, Path] = {}
    for root in roots:
        found = find_cases(root)
        if not found:
            raise ConfigError(f"{root}: no case folders in it (a folder with a gold.json)")
        for folder in found[:limit]:
            folders.setdefault(folder.resolve(), folder)
    return list(folders.values())


def _note_backends(backends: dict[str, str], report: Report) -> None:
    """Add one report's backends; the readers differ from case to case, so they add up."""
    for stage, name in report.run.backends.items():
        if stage == "ingest" and backends.get(stage):
            names = {*backends[stage].split(", "), *name.split(", ")}
            backends[stage] = ", ".join(sorted(names))
        else:
            backends[stage] = name


def run(
    roots: Sequence[Path], settings: Settings | None = None, *, limit: int | None = None
) -> dict[str, Any]:
    """Check every case under ``roots`` with ``settings`` and score the reports.

    Args:
        roots: Folders of case folders, or case folders (``case_folders``).
        settings: What each check uses; defaults to ``Settings()``.
        limit: Score only the first ``limit`` cases of each root.

    Returns:
        ``summarize``'s figures, after ``backends``: what the checks used, by stage.

    Raises:
        ConfigError: A root holds no case, or a case's gold file is unreadable.
    """
    from accord import pipeline

    chosen = settings or pipeline.Settings()
    backends: dict[str, str] = {}

    def check(paths: list[Path]) -> Report:
        report = pipeline.run(paths, chosen)
        _note_backends(backends, report)
        return report

    scores = run_cases(case_folders(roots, limit=limit), check)
    return {"backends": backends, **summarize(scores)}


def threshold_curve(
    folders: Sequence[Path],
    check: Callable[[list[Path]], Report],
    thresholds: Sequence[float] = CURVE_THRESHOLDS,
) -> dict[str, Any]:
    """Contradiction precision and recall at each threshold, from one check of each case.

    ``check`` should keep every clash (``min_confidence=0``), so that each threshold only
    re-reads the confidences. At threshold t a clash (a CONTRADICTS verdict or a possible
    conflict) counts as a contradiction when its confidence is t or more; it is correct when
    it joins the evidence of a gold contradiction as ``score_case`` matches it, and a gold
    contradiction is found at t when a clash counted at t joins it.

    Returns:
        ``cases``, ``errors`` (cases whose check failed; their gold contradictions still
        count, as not found) and ``curve``: per threshold ``threshold``, ``given``,
        ``correct``, ``precision``, ``found``, ``gold`` and ``recall``.
    """
    from accord.errors import AccordError

    clashes: list[tuple[float, frozenset[tuple[int, int]]]] = []
    errors: list[str] = []
    gold = 0
    for number, folder in enumerate(folders):
        case = load_case(folder)
        contradictions = [c for c in case.gold.get("contradictions", []) if isinstance(c, dict)]
        gold += len(contradictions)
        try:
            report = check([case.folder / name for name in case.documents])
        except AccordError as exc:
            errors.append(f"{case.name}: {exc}")
            continue
        for verdict, hits in clash_hits(case, report):
            clashes.append((verdict.confidence, frozenset((number, i) for i in hits)))
    curve = []
    for threshold in thresholds:
        counted = [hits for confidence, hits in clashes if confidence >= threshold]
        correct = sum(1 for hits in counted if hits)
        found = len(frozenset().union(*counted))
        curve.append(
            {
                "threshold": threshold,
                "given": len(counted),
                "correct": correct,
                "precision": round(correct / len(counted), 3) if counted else None,
                "found": found,
                "gold": gold,
                "recall": round(found / gold, 3) if gold else None,
            }
        )
    return {"cases": len(folders), "errors": errors, "curve": curve}


def run_curve(
    roots: Sequence[Path], settings: Settings | None = None, *, limit: int | None = None
) -> dict[str, Any]:
    """``threshold_curve`` over every case under ``roots``, each checked once with
    ``settings`` at ``min_confidence=0``.

    Returns:
        ``backends`` (as ``run`` gives them), ``min_confidence`` (0.0) and
        ``threshold_curve``'s figures.

    Raises:
        ConfigError: A root holds no case, or a case's gold file is unreadable.
    """
    from dataclasses import replace

    from accord import pipeline

    chosen = replace(settings or pipeline.Settings(), min_confidence=0.0)
    backends: dict[str, str] = {}

    def check(paths: list[Path]) -> Report:
        report = pipeline.run(paths, chosen)
        _note_backends(backends, report)
        return report

    figures = threshold_curve(case_folders(roots, limit=limit), check)
    return {"backends": backends, "min_confidence": 0.0, **figures}


def render_curve(figures: Mapping[str, Any]) -> str:
    """``threshold_curve``'s figures as a table, one threshold a line."""
    lines = [
        f"{figures['cases']} cases, every clash kept (min confidence 0); a clash counts as a "
        "contradiction from its confidence up",
        f"{'threshold':>9}  {'precision':>9}  {'recall':>6}  {'correct/given':>13}  found/gold",
    ]
    for point in figures["curve"]:
        lines.append(
            f"{point['threshold']:>9.2f}  {fmt(point['precision']):>9}  "
            f"{fmt(point['recall']):>6}  {point['correct']:>6}/{point['given']:<6}  "
            f"{point['found']}/{point['gold']}"
        )
    lines.extend(f"error: {error}" for error in figures["errors"])
    return "\n".join(lines)
