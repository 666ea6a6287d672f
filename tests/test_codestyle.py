"""The code style checks run as tests, so the README's one test command covers them."""

from __future__ import annotations

import shlex
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


@pytest.mark.parametrize(
    "command",
    [
        ["ruff", "format", "--check", "src", "tests", "benchmarks"],
        ["ruff", "check", "src", "tests", "benchmarks"],
        ["mypy"],
    ],
    ids=["ruff-format", "ruff-check", "mypy"],
)
def test_codestyle_tool_passes(command: list[str]) -> None:
    result = subprocess.run(
        [str(BIN / command[0]), *command[1:]], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("heading", ["Install the development tools and run the tests"])
def test_readme_test_command_is_what_ci_runs(heading: str) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    after = readme[readme.index(heading) :]
    command = after.split("```bash\n", 1)[1].split("\n```", 1)[0].strip()
    ci_lines = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert command in ci_lines


@pytest.mark.parametrize("heading", ["Install the development tools and run the tests"])
def test_readme_test_command_runs_in_a_fresh_clone_in_ci(heading: str) -> None:
    """CI runs the command in a clone made in a new temporary directory, so nothing beside
    the checkout (and nothing uncommitted or ignored in it) can make the tests pass."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    command = readme[readme.index(heading) :].split("```bash\n", 1)[1].split("\n```", 1)[0]
    lines = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    steps = [line.strip() for line in lines if line.strip() and not line.startswith("#")]
    assert "set -euo pipefail" in steps[: steps.index(command.strip())]
    assert 'repo="$(cd "$(dirname "$0")/.." && pwd)"' in steps  # the checkout .ci/ is in
    temp = [i for i, step in enumerate(steps) if '="$(mktemp -d)"' in step]
    clone = [i for i, step in enumerate(steps) if step.startswith("git clone ")]
    assert len(temp) == len(clone) == 1, "one new temporary directory, one clone"
    (temp,), (clone,) = temp, clone
    variable = steps[temp].split("=", 1)[0]
    *_, source, target = shlex.split(steps[clone])
    enter = steps.index(f'cd "{target}"')
    assert source == "$repo" and target.startswith(f"${variable}/")
    assert steps[temp + 1] == f"trap 'rm -rf \"${variable}\"' EXIT"  # the clone goes on exit
    assert temp < clone < enter < steps.index(command.strip()) == len(steps) - 1
    assert not any(step.startswith("cd ") for step in steps[enter + 1 : -1])
