"""Progress, ``-v`` and ``-q`` on the command line: bars with an ETA on a terminal only."""

from __future__ import annotations

import io
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from rich.console import Console

from accord import pipeline
from accord.cli import cli

ACCORD = [sys.executable, "-m", "accord"]


def _env() -> dict[str, str]:
    import os

    env = dict(os.environ)
    src = str(Path(__file__).resolve().parents[1] / "src")
    env["PYTHONPATH"] = os.pathsep.join([src, *filter(None, [env.get("PYTHONPATH")])])
    return env


@pytest.mark.parametrize("tty", [True, False])
def test_check_progress_only_on_a_terminal(run_with_tty: Any, seeds_dir: Path, tty: bool) -> None:
    status, out, err = run_with_tty([*ACCORD, "check", str(seeds_dir)], tty=tty, env=_env())
    assert status == 0, err
    assert "Subject:" in out or "contradict" in out.lower()
    if tty:
        for label in ("reading documents", "extracting claims", "verifying pairs"):
            assert label in err
        assert "2/2" in err and "eta" in err
    else:
        assert err == ""


@pytest.mark.parametrize("flag", ["--quiet", "-q"])
def test_check_quiet_on_a_terminal_shows_nothing(
    run_with_tty: Any, seeds_dir: Path, flag: str
) -> None:
    status, out, err = run_with_tty([*ACCORD, "check", str(seeds_dir), flag], tty=True, env=_env())
    assert status == 0
    assert out.strip()
    assert err == ""


@pytest.mark.parametrize("tty", [True])
def test_batch_progress_counts_the_documents_first(
    run_with_tty: Any,
    batch_argv: list[str],
    batch_env: dict[str, str],
    batch_jsonl: Path,
    tty: bool,
) -> None:
    lines = [line for line in batch_jsonl.read_text("utf-8").splitlines() if line.strip()]
    argv = [*batch_argv, "batch", str(batch_jsonl), "--extractor", "accord.fake.v1"]
    store = batch_jsonl.parent / "corpus.db"
    status, out, err = run_with_tty([*argv, "--store", str(store)], tty=tty, env=batch_env)
    assert status == 0, err
    assert f"{len(lines)}/{len(lines)}" in err  # a known total, not "n/?"
    assert "eta" in err
    status, out, err = run_with_tty([*argv, "--store", str(store), "-q"], tty=tty, env=batch_env)
    assert status == 0
    assert "documents:" in out  # the result still goes to stdout
    assert "eta" not in err


@pytest.mark.parametrize("inputs", [("plain",), ("compressed",)])
def test_count_inputs_counts_only_what_is_cheap(tmp_path: Path, inputs: tuple[str]) -> None:
    import gzip

    from accord.batch.inputs import count_inputs

    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "a.txt").write_text("Treaty of Valdoria. It was signed in 1852.\n")
    (tmp_path / "docs" / "b.md").write_text("# Treaty\n\nSigned in 1852.\n")
    body = '{"text": "one"}\n\n{"text": "two"}\n'
    if inputs == ("plain",):
        (tmp_path / "p.jsonl").write_text(body)
        assert count_inputs([tmp_path / "docs", tmp_path / "p.jsonl"]) == 4
    else:
        (tmp_path / "p.jsonl.gz").write_bytes(gzip.compress(body.encode()))
        assert count_inputs([tmp_path / "docs", tmp_path / "p.jsonl.gz"]) is None


@pytest.mark.parametrize("n", [3])
def test_pipeline_reports_each_document_and_pair(n: int) -> None:
    events: list[tuple[str, int, int]] = []
    texts = [f"Treaty of Valdoria\n\nThe treaty was signed in {1850 + i}." for i in range(n)]
    settings = pipeline.Settings(sources_are_text=True)
    pipeline.run(texts, settings, on_progress=lambda *e: events.append(e))
    ingest = [e for e in events if e[0] == "ingest"]
    claims = [e for e in events if e[0] == "claims"]
    verify = [e for e in events if e[0] == "verify"]
    assert ingest == [("ingest", i, n) for i in range(n + 1)]
    assert claims[0] == ("claims", 0, n) and claims[-1] == ("claims", n, n)
    assert len(claims) >= n + 1
    assert verify[0][1] == 0 and verify[-1][1] == verify[-1][2]


@pytest.mark.parametrize("terminal", [True])
def test_progress_reporter_draws_a_bar_per_stage_with_eta(terminal: bool) -> None:
    from accord.console import progress_reporter

    out = io.StringIO()
    console = Console(file=out, force_terminal=terminal, width=120)
    with progress_reporter(console) as on_progress:
        assert on_progress is not None
        on_progress("claims", 3, 40)
        on_progress("[bold]odd[/]", 1, 2)  # a stage name is text, not markup
    text = out.getvalue()
    assert "extracting claims" in text and "3/40" in text and "eta" in text
    assert "[bold]odd[/]" in text


@pytest.mark.parametrize("quiet", [True])
def test_progress_reporter_quiet_on_a_terminal(quiet: bool) -> None:
    from accord.console import progress_reporter

    out = io.StringIO()
    with progress_reporter(Console(file=out, force_terminal=True), quiet=quiet) as on_progress:
        assert on_progress is None
    assert out.getvalue() == ""


COMMANDS = ["check", "add", "show", "serve", "batch", "eval", "schema", "stages", "info"]


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_takes_verbose_and_quiet(command: str) -> None:
    result = CliRunner().invoke(cli, [command, "--help"])
    assert result.exit_code == 0
    assert "-v, --verbose" in result.output
    assert "-q, --quiet" in result.output


@pytest.mark.parametrize("args", [["-q", "-v", "stages"], ["stages", "-v", "-q"]])
def test_verbose_and_quiet_together_is_a_usage_error(args: list[str]) -> None:
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2
    assert "not both" in result.stderr


@pytest.mark.parametrize("where", ["group", "command"])
def test_quiet_leaves_only_errors_on_stderr(
    where: str, seeds_dir: Path, closed_port_url: str, restore_accord_logger: Any
) -> None:
    args = [
        "check",
        str(seeds_dir),
        "--llm-url",
        closed_port_url,
        "--llm-model",
        "m",
        "--skip-unreachable-judge",
        "--format",
        "json",
    ]
    args = ["-q", *args] if where == "group" else [*args, "-q"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""  # the warning that the judge was skipped is not shown
    assert "LLM judge skipped" in result.stdout  # the report still says so
