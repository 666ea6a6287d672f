"""Tests for the ``accord`` command line: help, schema, stages, check, errors, exit codes."""

from __future__ import annotations

import dataclasses
import json
import logging
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from jsonschema import Draft202012Validator

from accord import __version__, pipeline
from accord.cli import cli
from accord.errors import DecodeError
from accord.model import Label, Report
from accord.report import load_schema

PNG_BYTES = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"


@pytest.fixture(autouse=True)
def _restore_accord_logger() -> Iterator[None]:
    """The CLI configures the ``accord`` logger; give other tests theirs back."""
    logger = logging.getLogger("accord")
    saved = (logger.level, list(logger.handlers), logger.propagate)
    yield
    logger.setLevel(saved[0])
    logger.handlers[:] = saved[1]
    logger.propagate = saved[2]


def _invoke(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def _fake_run(report: Report, calls: list[dict[str, Any]]) -> Any:
    def run(sources: Any, settings: Any = None, on_progress: Any = None) -> Report:
        calls.append({"sources": list(sources), "settings": settings, "on_progress": on_progress})
        return report

    return run


def _one_error_line(result: Result) -> str:
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


@pytest.mark.parametrize("args", [["--help"], ["check", "--help"]])
def test_cli_help_does_not_import_heavy_modules(args: list[str]) -> None:
    code = (
        "import sys\n"
        "from accord.cli import cli\n"
        f"cli({args!r}, standalone_mode=False)\n"
        "heavy = [m for m in ('spacy', 'trafilatura', 'torch', 'scipy', 'onnxruntime',"
        " 'ray', 'accord.pipeline') if m in sys.modules]\n"
        "print('HEAVY', heavy)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    ).stdout
    assert "Usage:" in out
    assert "HEAVY []" in out


@pytest.mark.parametrize("module", [["-m", "accord", "--version"]])
def test_cli_runs_as_module(module: list[str]) -> None:
    out = subprocess.run(
        [sys.executable, *module], capture_output=True, text=True, check=True, timeout=60
    )
    assert out.stdout.strip() == f"accord {__version__}"


@pytest.mark.parametrize("case", ["schema"])
def test_cli_schema_prints_valid_json(case: str) -> None:
    result = _invoke("schema")
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    Draft202012Validator.check_schema(schema)
    assert schema == load_schema()


@pytest.mark.parametrize("case", ["stages"])
def test_cli_stages_lists_reporters(case: str) -> None:
    result = _invoke("stages")
    assert result.exit_code == 0
    for name in ("accord.terminal.v1", "accord.json.v1", "accord.markdown.v1"):
        assert f"  {name}" in result.stdout
    for kind in ("ingest", "claims", "align", "verify", "report"):
        assert f"{kind} (accord." in result.stdout


@pytest.mark.parametrize(
    ("fmt", "expected"),
    [
        ("text", "Contradictions (1)"),
        ("md", "## Contradictions (1)"),
        ("json", '"schema_version": "3.1"'),
    ],
)
def test_cli_check_renders_report(
    monkeypatch: pytest.MonkeyPatch, sample_report: Report, fmt: str, expected: str
) -> None:
    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(pipeline, "run", _fake_run(sample_report, calls))
    result = _invoke("check", "a.txt", "b.txt", "--format", fmt)
    assert result.exit_code == 0, result.stderr
    assert expected in result.stdout
    assert result.stderr == ""
    assert calls[0]["sources"] == ["a.txt", "b.txt"]
    assert calls[0]["on_progress"] is None  # stderr is not a terminal
    if fmt == "text":
        assert "12 July 1941 in Moscow." in result.stdout
        assert "July 25, 1939." in result.stdout
        assert "\x1b[" not in result.stdout
    if fmt == "json":
        data = json.loads(result.stdout)
        assert not list(Draft202012Validator(load_schema()).iter_errors(data))


@pytest.mark.parametrize("case", ["options"])
def test_cli_check_passes_settings(
    monkeypatch: pytest.MonkeyPatch, sample_report: Report, tmp_path: Path, case: str
) -> None:
    entities = tmp_path / "entities.json"
    entities.write_text("{}", encoding="utf-8")
    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(pipeline, "run", _fake_run(sample_report, calls))
    result = _invoke(
        "check", "x", "--top-k", "3", "--encoding", "latin-1", "--entities", str(entities)
    )
    assert result.exit_code == 0, result.stderr
    settings = calls[0]["settings"]
    assert (settings.top_k, settings.encoding, settings.entity_files) == (3, "latin-1", (entities,))


@pytest.mark.parametrize("subject", ["Ellery House"])
def test_cli_check_subject_without_store(
    monkeypatch: pytest.MonkeyPatch, sample_report: Report, subject: str
) -> None:
    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(pipeline, "run", _fake_run(sample_report, calls))
    result = _invoke("check", "x", "--subject", subject)
    assert result.exit_code == 0, result.stderr
    assert calls[0]["settings"].subject == subject


@pytest.mark.parametrize("question", ["When was the agreement signed?"])
def test_cli_check_question_reaches_the_run(
    monkeypatch: pytest.MonkeyPatch, sample_report: Report, question: str
) -> None:
    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(pipeline, "run", _fake_run(sample_report, calls))
    result = _invoke("check", "x", "--question", f"  {question} ")
    assert result.exit_code == 0, result.stderr
    assert calls[0]["settings"].question == question
    refused = _invoke("check", "--store", "s.db", "--question", question)
    assert refused.exit_code == 2 and "--question" in refused.stderr


@pytest.mark.parametrize("subject", ["Soviet-British agreement of 1941"])
def test_cli_check_subject_names_the_report(tmp_path: Path, subject: str) -> None:
    root = Path(__file__).resolve().parents[1] / "examples"
    paths = [str(p) for p in sorted(root.glob("*.txt"))]
    result = _invoke("check", *paths, "--subject", subject, "--format", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["subject"] == data["record"]["subject"] == subject
    assert [c["reason"] for c in data["summary"]["contradictions"]] == [
        "signed on: 1939-07-25 vs 1941-07-12"
    ]


@pytest.mark.parametrize("all_verdicts", [False, True])
def test_cli_check_all_verdicts_lists_not_mentioned(
    monkeypatch: pytest.MonkeyPatch, sample_report: Report, all_verdicts: bool
) -> None:
    monkeypatch.setattr(pipeline, "run", _fake_run(sample_report, []))
    args = ["check", "x", "--format", "json"] + (["--all-verdicts"] if all_verdicts else [])
    result = _invoke(*args)
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    labels = [v["label"] for v in data["verdicts"]]
    assert ("not_mentioned" in labels) is all_verdicts
    assert data["summary"]["left_out"]["not_mentioned"] == (0 if all_verdicts else 1)


@pytest.mark.parametrize("fmt", ["text", "md", "html"])
def test_cli_check_all_verdicts_needs_json(fmt: str) -> None:
    result = _invoke("check", "x", "--format", fmt, "--all-verdicts")
    assert result.exit_code == 2
    assert "--all-verdicts" in result.stderr and "--format json" in result.stderr


@pytest.mark.parametrize(
    ("flag", "contradicts", "expected"),
    [(True, True, 1), (True, False, 0), (False, True, 0)],
)
def test_cli_check_exit_status_for_contradictions(
    monkeypatch: pytest.MonkeyPatch,
    sample_report: Report,
    flag: bool,
    contradicts: bool,
    expected: int,
) -> None:
    report = sample_report
    if not contradicts:
        verdicts = tuple(v for v in report.verdicts if v.label is not Label.CONTRADICTS)
        report = dataclasses.replace(report, verdicts=verdicts)
    monkeypatch.setattr(pipeline, "run", _fake_run(report, []))
    args = ["check", "x", "--format", "json"] + (["--fail-on-contradiction"] if flag else [])
    result = _invoke(*args)
    assert result.exit_code == expected
    assert json.loads(result.stdout)["summary"]["counts"]["contradictions"] == int(contradicts)


@pytest.mark.parametrize(
    ("flag", "contradicts", "expected"),
    [(True, True, 1), (True, False, 0), (False, False, 0)],
)
def test_cli_check_fail_on_contradiction_ignores_possible_conflicts(
    monkeypatch: pytest.MonkeyPatch,
    possible_report: Report,
    flag: bool,
    contradicts: bool,
    expected: int,
) -> None:
    report = possible_report
    if not contradicts:  # possible conflicts only
        verdicts = tuple(v for v in report.verdicts if v.label is not Label.CONTRADICTS)
        report = dataclasses.replace(report, verdicts=verdicts)
    monkeypatch.setattr(pipeline, "run", _fake_run(report, []))
    args = ["check", "x", "--format", "json"] + (["--fail-on-contradiction"] if flag else [])
    result = _invoke(*args)
    assert result.exit_code == expected
    counts = json.loads(result.stdout)["summary"]["counts"]
    assert (counts["contradictions"], counts["possible_conflicts"]) == (int(contradicts), 2)


@pytest.mark.parametrize(
    ("given", "expected"), [(None, 0.7), ("0", 0.0), ("0.85", 0.85), ("1", 1.0)]
)
def test_cli_check_min_confidence_sets_the_threshold(
    monkeypatch: pytest.MonkeyPatch, sample_report: Report, given: str | None, expected: float
) -> None:
    from accord.verify.base import MIN_CONFIDENCE

    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(pipeline, "run", _fake_run(sample_report, calls))
    result = _invoke("check", "x", *(["--min-confidence", given] if given is not None else []))
    assert result.exit_code == 0, result.stderr
    assert calls[0]["settings"].min_confidence == expected
    if given is None:  # the help's default is the verifier's
        assert expected == MIN_CONFIDENCE
        assert f"[default: {MIN_CONFIDENCE:g}]" in _invoke("check", "--help").stdout


@pytest.mark.parametrize("command", ["check", "batch", "eval"])
@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("1.5", "'1.5' is not a confidence from 0 to 1"),
        ("-0.1", "'-0.1' is not a confidence from 0 to 1"),
        ("nan", "'nan' is not a confidence from 0 to 1"),
        ("high", "'high' is not a number; give a confidence from 0 to 1"),
    ],
)
def test_cli_min_confidence_out_of_range_is_a_usage_error(
    tmp_path: Path, command: str, value: str, message: str
) -> None:
    target = tmp_path / "x.jsonl"
    target.write_text("{}\n", encoding="utf-8")
    extra = ["--store", str(tmp_path / "c.db")] if command == "batch" else []
    result = _invoke(command, str(target), *extra, "--min-confidence", value)
    assert result.exit_code == 2
    assert f"Invalid value for '--min-confidence': {message}" in result.stderr
    assert result.stdout == ""
    assert not (tmp_path / "c.db").exists()


@pytest.mark.parametrize("command", ["batch", "eval"])
def test_cli_batch_and_eval_pass_min_confidence(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, command: str
) -> None:
    import accord.batch
    import accord.evaluate
    from accord.batch.runner import BatchResult

    seen: list[Any] = []

    def fake_batch(inputs: Any, settings: Any, options: Any, **_: Any) -> BatchResult:
        seen.append(settings)
        return BatchResult(
            engine="local",
            documents_read=0,
            documents_added=0,
            documents_stored_before=0,
            subjects=0,
            subjects_verified=0,
            document_pairs_aligned=0,
            verdicts_added=0,
            contradictions=0,
        )

    def fake_eval(paths: Any, *, settings: Any, **_: Any) -> str:
        seen.append(settings)
        return "scores\n"

    monkeypatch.setattr(accord.batch, "run_batch", fake_batch)
    monkeypatch.setattr(accord.evaluate, "run_eval", fake_eval)
    target = tmp_path / "x.jsonl"
    target.write_text("{}\n", encoding="utf-8")
    extra = ["--store", str(tmp_path / "c.db")] if command == "batch" else []
    result = _invoke(command, str(target), *extra, "--min-confidence", "0.55")
    assert result.exit_code == 0, result.stderr
    assert [settings.min_confidence for settings in seen] == [0.55]


@pytest.mark.parametrize("fmt", ["json", "text", "md"])
def test_cli_check_output_written_atomically(
    monkeypatch: pytest.MonkeyPatch, sample_report: Report, tmp_path: Path, fmt: str
) -> None:
    monkeypatch.setattr(pipeline, "run", _fake_run(sample_report, []))
    target = tmp_path / "report.out"
    target.write_text("old", encoding="utf-8")
    replaced: list[tuple[str, str]] = []
    real_replace = __import__("os").replace

    def spy_replace(src: str, dst: str) -> None:
        replaced.append((str(src), str(dst)))
        real_replace(src, dst)

    monkeypatch.setattr("accord.cli.base.os.replace", spy_replace)
    result = _invoke("check", "x", "--format", fmt, "-o", str(target))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert replaced and replaced[0][1] == str(target)
    assert Path(replaced[0][0]).parent == tmp_path
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.out"]  # no temp file left
    text = target.read_text(encoding="utf-8")
    assert "Contradictions" in text or '"contradictions"' in text
    assert "\x1b[" not in text


@pytest.mark.parametrize("case", ["missing_dir"])
def test_cli_check_output_unwritable(
    monkeypatch: pytest.MonkeyPatch, sample_report: Report, tmp_path: Path, case: str
) -> None:
    monkeypatch.setattr(pipeline, "run", _fake_run(sample_report, []))
    result = _invoke("check", "x", "-o", str(tmp_path / "no" / "such" / "dir" / "r.json"))
    assert result.exit_code == 2
    assert _one_error_line(result).startswith("error: cannot write")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--encoding", "no-such-codec"], "error: unknown encoding 'no-such-codec'"),
        (["--entities", "/no/such/entities.json"], "error: entity file not found"),
    ],
)
def test_cli_check_bad_options_one_line(
    monkeypatch: pytest.MonkeyPatch, sample_report: Report, args: list[str], message: str
) -> None:
    monkeypatch.setattr(pipeline, "run", _fake_run(sample_report, []))
    result = _invoke("check", "x", *args)
    assert result.exit_code == 2
    assert _one_error_line(result).startswith(message)


@pytest.mark.parametrize("verbose", [False, True])
def test_cli_accord_error_is_one_line(monkeypatch: pytest.MonkeyPatch, verbose: bool) -> None:
    def failing_run(*_args: Any, **_kwargs: Any) -> Report:
        raise DecodeError("cannot decode x.txt as utf-8\n[bold]try --encoding cp1252[/]")

    monkeypatch.setattr(pipeline, "run", failing_run)
    result = _invoke(*(["-v"] if verbose else []), "check", "x.txt")
    assert result.exit_code == 2
    last = result.stderr.strip().splitlines()[-1]
    assert last == "error: cannot decode x.txt as utf-8 [bold]try --encoding cp1252[/]"
    if verbose:
        assert "Traceback" in result.stderr
    else:
        assert _one_error_line(result) == last


@pytest.mark.parametrize("verbose_after_command", [False, True])
def test_cli_internal_error_exit_3(
    monkeypatch: pytest.MonkeyPatch, verbose_after_command: bool
) -> None:
    def broken_run(*_args: Any, **_kwargs: Any) -> Report:
        raise RuntimeError("boom")

    monkeypatch.setattr(pipeline, "run", broken_run)
    args = ["check", "x", "--verbose"] if verbose_after_command else ["check", "x"]
    result = _invoke(*args)
    assert result.exit_code == 3
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("internal error: RuntimeError: boom")
    assert ("Traceback" in result.stderr) is verbose_after_command


@pytest.mark.parametrize("args", [["check"], ["check", "x", "--format", "pdf"], ["nope"]])
def test_cli_usage_errors_exit_2(args: list[str]) -> None:
    result = _invoke(*args)
    assert result.exit_code == 2
    assert result.stdout == ""


# These run the real ingest stage through the pipeline (no fakes). Bytes that do not decode
# are not an error: ingest replaces them and logs a warning (accord.ingest.decode).
@pytest.mark.integration
@pytest.mark.parametrize(
    ("case", "extra_args"),
    [
        ("missing", []),
        ("empty_dir", []),
        ("empty_file", []),
        ("binary", []),
        ("unknown_codec", ["--encoding", "no-such-codec"]),
    ],
)
def test_cli_check_bad_input_one_line(tmp_path: Path, case: str, extra_args: list[str]) -> None:
    if case == "missing":
        target = tmp_path / "no-such-file.txt"
    elif case == "empty_dir":
        target = tmp_path / "empty"
        target.mkdir()
    else:
        target = tmp_path / f"{case}.txt"
        content = {
            "empty_file": b"",
            "binary": PNG_BYTES + bytes(range(256)) * 4,
            "unknown_codec": "café crème brûlée\n".encode("latin-1") * 20,
        }[case]
        target.write_bytes(content)
    result = CliRunner().invoke(cli, ["check", str(target), *extra_args])
    assert result.exit_code == 2, (result.stderr, result.exception)
    assert _one_error_line(result).startswith("error: ")
    assert result.stdout == ""


@pytest.mark.parametrize("terminal", [False, True])
def test_progress_reporter_only_on_a_terminal(terminal: bool) -> None:
    import io

    from rich.console import Console

    from accord.console import progress_reporter

    console = Console(file=io.StringIO(), force_terminal=terminal)
    with progress_reporter(console) as on_progress:
        assert (on_progress is not None) is terminal
        if on_progress is not None:
            for stage in ("ingest", "claims", "align", "verify", "[bold]odd[/]"):
                on_progress(stage, 1, 2)


def test_cli_check_examples_glob_leaves_out_the_licence_file() -> None:
    import glob
    import json

    from click.testing import CliRunner

    from accord.cli import cli

    root = Path(__file__).resolve().parents[1]
    paths = sorted(glob.glob(str(root / "examples" / "*")))
    assert any(p.endswith("LICENSE.md") for p in paths)
    result = CliRunner().invoke(cli, ["check", *paths, "--format", "json"])
    assert result.exit_code == 0, result.output
    sources = [d["source"] for d in json.loads(result.stdout)["documents"]]
    assert len(sources) == 2 and not any("LICENSE" in s for s in sources)
