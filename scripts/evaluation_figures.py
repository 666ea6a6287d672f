"""The published evaluation figures: ``run`` scores the documented backend combinations on the
test splits into docs/figures/evaluation.json; ``render`` rewrites the marked tables of
docs/evaluation.md, docs/verifiers.md and the verifier's model card from it.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import re
import shlex
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "docs" / "figures" / "evaluation.json"
DEFAULT_DATA = Path("../shared/data")  # relative to the repository root, as the docs write it
SCRIPT = "python scripts/evaluation_figures.py"


@dataclass(frozen=True, slots=True)
class EvalSet:
    """One test split: its key (the marker's name), title, file and the lines used."""

    key: str
    title: str
    path: str
    lines: tuple[int, int] | None = None  # first and last line kept (1-based), or all
    unit: str = "items"  # what one item of the set is, for the tables


@dataclass(frozen=True, slots=True)
class Backend:
    """One documented backend combination, as ``accord eval`` flags."""

    key: str
    label: str
    short: str
    aligner: str | None = None
    verifier: str | None = None
    minilm: bool = False
    sets: tuple[str, ...] = ()

    def flags(self) -> list[str]:
        """The ``accord eval`` flags that select this combination."""
        out = ["--verifier", self.verifier] if self.verifier else []
        out += ["--minilm"] if self.minilm else []
        return out + (["--aligner", self.aligner] if self.aligner else [])


SETS = (
    EvalSet("fm2-test", "FM2 test", "fm2/test.jsonl"),
    EvalSet(
        "fever-symmetric-test",
        "FEVER-Symmetric test",
        "fever_symmetric/fever_symmetric_test.jsonl",
    ),
    EvalSet("vitaminc-test", "VitaminC sample test", "vitaminc_sample/test.jsonl"),
    EvalSet(
        "ramdocs-heldout",
        "RAMDocs, held-out half",
        "ramdocs/RAMDocs_test.jsonl",
        (251, 500),
        "document pairs",
    ),
)
SENTENCE_SETS = ("fm2-test", "fever-symmetric-test", "vitaminc-test")
ALL_SETS = (*SENTENCE_SETS, "ramdocs-heldout")
HYBRID = "accord.hybrid.v1"
# The model rows leave RAMDocs out: its claim pairs take about ten minutes through the model.
BACKENDS = (
    Backend(
        "slots",
        "slot comparison (`accord.slots.v1`, every claim pair)",
        "slots",
        sets=ALL_SETS,
    ),
    Backend(
        "slots-hybrid",
        "slots + embeddings alignment (`--aligner accord.hybrid.v1`)",
        "slots + embeddings alignment",
        aligner=HYBRID,
        sets=ALL_SETS,
    ),
    Backend(
        "minilm",
        "accord's model alone (`--verifier accord.minilm.v1`)",
        "model alone",
        verifier="accord.minilm.v1",
        sets=SENTENCE_SETS,
    ),
    Backend(
        "ensemble",
        "ensemble: slots, then the model (`--minilm`)",
        "ensemble",
        minilm=True,
        sets=SENTENCE_SETS,
    ),
    Backend(
        "ensemble-hybrid",
        "ensemble with embeddings alignment (`--minilm --aligner accord.hybrid.v1`)",
        "ensemble + embeddings alignment",
        aligner=HYBRID,
        minilm=True,
        sets=SENTENCE_SETS,
    ),
)
BACKEND_KEYS = tuple(b.key for b in BACKENDS)
SET_KEYS = tuple(s.key for s in SETS)
MARKER = re.compile(r"<!-- figures:(?P<key>[a-z0-9-]+) -->\n(?P<body>.*?)<!-- /figures -->", re.S)


# ---------------------------------------------------------------- run


def settings_for(backend: Backend) -> Any:
    """The ``Settings`` ``accord eval`` builds from the backend's flags."""
    from accord.pipeline import Settings
    from accord.verify.judges import verifier_options

    options: dict[str, Any] = {}
    if backend.aligner:
        options["aligner"] = backend.aligner
    options.update(verifier_options(backend.verifier, None, None, None, 30.0, None, backend.minilm))
    return Settings(**options)


def set_file(eval_set: EvalSet, data: Path, scratch: Path) -> Path:
    """The set's file; a line range is written to ``scratch`` first (``ramdocs/heldout``)."""
    source = data / eval_set.path
    if eval_set.lines is None:
        return source
    first, last = eval_set.lines
    lines = source.read_text(encoding="utf-8").splitlines(keepends=True)[first - 1 : last]
    target = scratch / source.parent.name / "heldout.jsonl"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text("".join(lines), encoding="utf-8")
    return target


def git_state() -> tuple[str, bool]:
    """The commit checked out and whether tracked files differ from it."""
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()
        status = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return "unknown", False
    return commit, bool(status.strip())


def run_figures(
    data: Path,
    backends: Sequence[Backend],
    sets: Sequence[EvalSet],
    limit: int | None,
    command: str,
    results_path: Path = RESULTS,
    echo: Callable[[str], None] = print,
) -> dict[str, Any]:
    """Score each backend on each of its sets and merge the results into ``results_path``.

    Returns:
        The merged results, as written.
    """
    import accord
    from accord.evaluate import score_sets

    started = time.perf_counter()
    now = datetime.now(UTC).replace(microsecond=0)
    commit, dirty = git_state()
    run_id = now.isoformat().replace("+00:00", "Z")
    results = load_results(results_path)
    entries: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory() as scratch:
        files = {s.key: set_file(s, data, Path(scratch)) for s in sets}
        for backend in backends:
            settings = settings_for(backend)
            for eval_set in sets:
                if eval_set.key not in backend.sets:
                    continue
                began = time.perf_counter()
                scores = score_sets(
                    [files[eval_set.key]],
                    settings,
                    aligned=backend.aligner is not None,
                    limit=limit,
                )
                seconds = time.perf_counter() - began
                (row,) = scores["sets"]
                entries.setdefault(backend.key, {})[eval_set.key] = {
                    "run": run_id,
                    "backends": scores["backends"],
                    "seconds": round(seconds, 1),
                    "score": row,
                }
                echo(_progress_line(backend, eval_set, row, seconds))
    elapsed = time.perf_counter() - started
    results["runs"][run_id] = {
        "date": run_id,
        "accord_version": accord.__version__,
        "commit": commit,
        "uncommitted_changes": dirty,
        "command": command,
        "limit": limit,
        "elapsed_s": round(elapsed, 1),
    }
    for backend_key, by_set in entries.items():
        results["results"].setdefault(backend_key, {}).update(by_set)
    results = _ordered(results)
    write_results(results, results_path)
    echo(f"elapsed: {elapsed:.1f} s; results in {_shown(results_path)}")
    return results


def _progress_line(backend: Backend, eval_set: EvalSet, row: dict[str, Any], seconds: float) -> str:
    con = row["contradicts"]
    line = (
        f"{backend.key:16} {eval_set.key:21} {row['items']:>6} items {seconds:>7.1f} s  "
        f"CONTRADICTS P/R {_num(con['precision'])}/{_num(con['recall'])}"
    )
    anywhere = row.get("contradicts_any_conflict")
    if anywhere:
        line += f"  (any conflict: P/R {_num(anywhere['precision'])}/{_num(anywhere['recall'])})"
    figures = row.get("reliability")
    if figures:
        line += (
            f"  reliability ({figures['items']} questions, {figures['skipped']} skipped, "
            f"{figures['seconds']:.1f} s): least reliable is misinfo "
            f"{_num(figures['least_reliable_is_misinfo'])} "
            f"({figures['least_reliable_is_misinfo_items']}/{figures['items']}), counting ties "
            f"{_num(figures['counting_ties'])}, random {_num(figures['random_ranking'])}"
        )
        ceiling = figures.get("agreement_ceiling")
        if ceiling:
            line += f", gold answers' agreement {_num(ceiling['noise_set_aside'])}"
    return line


def load_results(path: Path = RESULTS) -> dict[str, Any]:
    """The results file, or an empty one."""
    if not path.exists():
        return {"runs": {}, "results": {}}
    loaded: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    loaded.setdefault("runs", {})
    loaded.setdefault("results", {})
    return loaded


def _ordered(results: dict[str, Any]) -> dict[str, Any]:
    """Backends and sets in the documented order; runs no entry refers to are dropped."""
    by_backend = results["results"]
    ordered = {
        b: {s: by_backend[b][s] for s in SET_KEYS if s in by_backend[b]}
        for b in BACKEND_KEYS
        if b in by_backend
    }
    used = {entry["run"] for by_set in ordered.values() for entry in by_set.values()}
    runs = {k: v for k, v in sorted(results["runs"].items()) if k in used}
    return {
        "about": "Written by scripts/evaluation_figures.py run; rendered into the documents by "
        "its render mode. Do not edit by hand.",
        "runs": runs,
        "results": ordered,
    }


def write_results(results: Mapping[str, Any], path: Path = RESULTS) -> None:
    """Write ``results`` as indented JSON, atomically."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(dir=path.parent, prefix=".evaluation-", suffix=".json")
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        out.write(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    os.replace(name, path)


# ---------------------------------------------------------------- render


def _num(value: object, digits: int = 3) -> str:
    return f"{value:.{digits}f}" if isinstance(value, int | float) else "-"


def _prf(metrics: Mapping[str, Any]) -> str:
    return " / ".join(_num(metrics[k]) for k in ("precision", "recall", "f1"))


def _rate(value: object) -> str:
    return f"{value:,.0f}" if isinstance(value, int | float) else "-"


def _provenance(
    rows: Iterable[tuple[str, Mapping[str, Any]]], runs: Mapping[str, Any], unit: str = "items"
) -> str:
    """Which run made which rows: date, version, commit, command and item counts."""
    groups: dict[str, list[tuple[str, Mapping[str, Any]]]] = {}
    for name, entry in rows:
        groups.setdefault(entry["run"], []).append((name, entry))
    if not groups:
        return f"No figures yet: run `{SCRIPT} run`."
    parts = []
    for run_id, members in groups.items():
        run = runs[run_id]
        date = run["date"].replace("T", " ").replace("Z", " UTC")
        changes = ", with uncommitted changes" if run.get("uncommitted_changes") else ""
        counts = " / ".join(f"{n:,}" for n in sorted({e["score"]["items"] for _, e in members}))
        if run["limit"]:
            counts = f"the first {counts} {unit} only (a partial run)"
        else:
            counts = f"{counts} {unit}"
        names = ", ".join(dict.fromkeys(name for name, _ in members))
        who = f"{names[:1].upper()}{names[1:]}: run" if len(groups) > 1 else "Run"
        parts.append(
            f"{who} {date} (accord {run['accord_version']}, commit `{str(run['commit'])[:10]}`"
            f"{changes}) by `{run['command']}`; {counts}."
        )
    return "\n".join(parts)


def _entry(results: Mapping[str, Any], backend: str, set_key: str) -> Mapping[str, Any] | None:
    found: Mapping[str, Any] | None = results["results"].get(backend, {}).get(set_key)
    return found


def render_set_table(results: Mapping[str, Any], set_key: str) -> str:
    """One set's table: a row per backend (and the reliability figures, on RAMDocs)."""
    unit = next(s.unit for s in SETS if s.key == set_key)
    rows = [(b, entry) for b in BACKENDS if (entry := _entry(results, b.key, set_key)) is not None]
    lines = [
        _provenance(((b.short, e) for b, e in rows), results["runs"], unit),
        "",
        "| backends | CONTRADICTS P / R / F1 (correct/given) | SUPPORTS P / R / F1 "
        "(correct/given) | NOT_MENTIONED P / R / F1 | pairs/s |",
        "|---|---|---|---|---|",
    ]
    for backend, entry in rows:
        score = entry["score"]
        con, sup = score["contradicts"], score["supports"]
        lines.append(
            f"| {backend.label} | {_prf(con)} ({con['correct']}/{con['given']}) | "
            f"{_prf(sup)} ({sup['correct']}/{sup['given']}) | {_prf(score['not_mentioned'])} | "
            f"{_rate(score['pairs_per_s'])} |"
        )
    anywhere = [
        (b, e["score"]["contradicts_any_conflict"])
        for b, e in rows
        if e["score"].get("contradicts_any_conflict")
    ]
    if anywhere:
        lines += [
            "",
            "A pair's label answers its question, so CONTRADICTS above counts a contradiction "
            "whose values are of the kind the question asks for (`bears_on`). Counting any "
            "contradiction between the two documents instead:",
            "",
            "| backends | CONTRADICTS P / R (correct/given), any conflict |",
            "|---|---|",
        ]
        for backend, con in anywhere:
            lines.append(
                f"| {backend.label} | {_num(con['precision'])} / {_num(con['recall'])} "
                f"({con['correct']}/{con['given']}) |"
            )
    reliable = [(b, e["score"]["reliability"]) for b, e in rows if e["score"].get("reliability")]
    if reliable:
        lines += [
            "",
            "Reliability score, over the questions with misinformation and at least two documents:",
            "",
            "| backends | questions (skipped) | least reliable is misinfo | … counting ties "
            "| random ranking | gold answers' agreement (noise set aside / unsupported) |",
            "|---|---|---|---|---|---|",
        ]
        for backend, figures in reliable:
            ceiling = figures.get("agreement_ceiling") or {}
            lines.append(
                f"| {backend.label} | {figures['items']} ({figures['skipped']}) | "
                f"{_num(figures['least_reliable_is_misinfo'])} "
                f"({figures['least_reliable_is_misinfo_items']}/{figures['items']}) | "
                f"{_num(figures['counting_ties'])} | {_num(figures['random_ranking'])} | "
                f"{_num(ceiling.get('noise_set_aside'))} / "
                f"{_num(ceiling.get('noise_unsupported'))} |"
            )
    return "\n".join(lines)


_MODEL_BACKENDS = (
    ("slots", "slots only"),
    ("ensemble", "ensemble + model"),
    ("minilm", "model alone"),
)


def render_verifiers_table(results: Mapping[str, Any]) -> str:
    """CONTRADICTS precision / recall per sentence set: slots, the ensemble, the model."""
    used: list[tuple[str, Mapping[str, Any]]] = []
    lines = [
        "| set | slots only | ensemble with the model | model alone |",
        "| --- | --- | --- | --- |",
    ]
    for eval_set in SETS:
        if eval_set.key not in SENTENCE_SETS:
            continue
        cells = []
        for backend, name in _MODEL_BACKENDS:
            entry = _entry(results, backend, eval_set.key)
            if entry is None:
                cells.append("-")
                continue
            used.append((name, entry))
            con = entry["score"]["contradicts"]
            cells.append(f"{_num(con['precision'])} / {_num(con['recall'])}")
        lines.append(f"| {eval_set.title} | " + " | ".join(cells) + " |")
    return _provenance(used, results["runs"]) + "\n\n" + "\n".join(lines)


def render_model_card_table(results: Mapping[str, Any]) -> str:
    """Per sentence set: slots only, the ensemble and the model alone, both labels."""
    used: list[tuple[str, Mapping[str, Any]]] = []
    lines = [
        "| set | verifier | CONTRADICTS P / R / F1 | SUPPORTS P / R / F1 | decided | pairs/s |",
        "|---|---|---|---|---:|---:|",
    ]
    for eval_set in SETS:
        if eval_set.key not in SENTENCE_SETS:
            continue
        first = True
        for backend, name in _MODEL_BACKENDS:
            entry = _entry(results, backend, eval_set.key)
            if entry is None:
                continue
            used.append((name, entry))
            score = entry["score"]
            lines.append(
                f"| {eval_set.title if first else ''} | {name} | {_prf(score['contradicts'])} | "
                f"{_prf(score['supports'])} | {_num(score['decided'])} | "
                f"{_rate(score['pairs_per_s'])} |"
            )
            first = False
    return _provenance(used, results["runs"]) + "\n\n" + "\n".join(lines)


def rendered_sections(results: Mapping[str, Any]) -> dict[str, str]:
    """Every marked section's content, by marker key."""
    sections = {s.key: render_set_table(results, s.key) for s in SETS}
    sections["verifiers-contradicts"] = render_verifiers_table(results)
    sections["model-card-pipeline"] = render_model_card_table(results)
    return sections


DOCUMENTS = {
    "docs/evaluation.md": tuple(s.key for s in SETS),
    "docs/verifiers.md": ("verifiers-contradicts",),
    "src/accord/models/verifier/MODEL_CARD.md": ("model-card-pipeline",),
}


def marked_sections(text: str) -> dict[str, str]:
    """The content between each ``<!-- figures:KEY -->`` and ``<!-- /figures -->``."""
    return {m["key"]: m["body"] for m in MARKER.finditer(text)}


def section_body(content: str) -> str:
    """How rendered content sits between its markers (blank lines keep the table apart)."""
    return f"\n{content}\n\n"


def replace_sections(text: str, sections: Mapping[str, str]) -> str:
    """``text`` with each marked section's content replaced; nothing else changes.

    Raises:
        KeyError: a marker names a section there is no rendering for.
    """

    def put(match: re.Match[str]) -> str:
        key = match["key"]
        return f"<!-- figures:{key} -->\n{section_body(sections[key])}<!-- /figures -->"

    return MARKER.sub(put, text)


def render_documents(results: Mapping[str, Any], root: Path = ROOT) -> list[str]:
    """Rewrite the marked sections of the documents; returns those that changed.

    Raises:
        SystemExit: a document lacks one of its markers.
    """
    sections = rendered_sections(results)
    changed = []
    for name, keys in DOCUMENTS.items():
        path = root / name
        text = path.read_text(encoding="utf-8")
        missing = [k for k in keys if k not in marked_sections(text)]
        if missing:
            raise SystemExit(f"{name}: no marker for {', '.join(missing)}")
        new = replace_sections(text, sections)
        if new != text:
            path.write_text(new, encoding="utf-8")
            changed.append(name)
    return changed


# ---------------------------------------------------------------- command line


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


def _command(args: argparse.Namespace) -> str:
    """The ``run`` command as it would be typed from the repository root."""
    words = [*SCRIPT.split(), "run"]
    if args.data != DEFAULT_DATA:
        words += ["--data", str(args.data)]
    for key in args.backend or ():
        words += ["--backend", key]
    for key in args.set or ():
        words += ["--set", key]
    if args.limit:
        words += ["--limit", str(args.limit)]
    return shlex.join(words)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = argparse.ArgumentParser(description=__doc__)
    modes = parser.add_subparsers(dest="mode", required=True)
    run = modes.add_parser("run", help="score the backends and write the results JSON")
    run.add_argument(
        "--data",
        type=Path,
        default=DEFAULT_DATA,
        help="the data folder, relative to the repository root [default: ../shared/data]",
    )
    run.add_argument("--backend", action="append", choices=BACKEND_KEYS, help="repeatable")
    run.add_argument("--set", action="append", choices=SET_KEYS, help="repeatable")
    run.add_argument("--limit", type=int, help="score only the first N items of each set")
    run.add_argument("--no-render", action="store_true", help="leave the documents as they are")
    modes.add_parser("render", help="rewrite the documents' tables from the results JSON")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(message)s")
    if args.mode == "run":
        data = args.data if args.data.is_absolute() else ROOT / args.data
        backends = [b for b in BACKENDS if not args.backend or b.key in args.backend]
        sets = [s for s in SETS if not args.set or s.key in args.set]
        results = run_figures(data, backends, sets, args.limit, _command(args))
        if args.no_render:
            return 0
    else:
        results = load_results()
    changed = render_documents(results)
    print("rewrote: " + (", ".join(changed) if changed else "nothing (already up to date)"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
