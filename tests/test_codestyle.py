"""The code style checks run as tests, so the README's one test command covers them."""

from __future__ import annotations

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
