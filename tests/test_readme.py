"""The README as a user reads it: its output excerpts are today's output, and every
``accord`` command and Python example it gives runs as written (exit status 0)."""

from __future__ import annotations

import importlib.util
import re
import shlex
import shutil
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
PREFIX = ".venv/bin/"  # the README writes every command for the Quickstart's virtualenv
_BLOCK = re.compile(r"```(?P<lang>\w*)\n(?P<body>.*?)```", re.DOTALL)


def _readme_blocks(lang: str) -> list[str]:
    text = README.read_text(encoding="utf-8")
    return [m.group("body") for m in _BLOCK.finditer(text) if m.group("lang") == lang]


def _commands() -> list[str]:
    """Each ``.venv/bin/accord ...`` the README's shell blocks give, in order."""
    found = []
    for block in _readme_blocks("bash"):
        for line in block.splitlines():
            for part in line.split("&&"):
                part = part.strip()
                if part.startswith(f"{PREFIX}accord"):
                    found.append(part)
    return found


def _excerpts_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "readme_excerpts", ROOT / "scripts" / "readme_excerpts.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("readme", [README])
def test_readme_excerpts_are_todays_output(readme: Path) -> None:
    text = readme.read_text(encoding="utf-8")
    assert text.count("<!-- excerpt: ") >= 2
    regenerated = _excerpts_script().rewrite(text)
    assert regenerated == text, "README.md is out of date: run python scripts/readme_excerpts.py"


@pytest.mark.parametrize("prefix", [PREFIX])
def test_readme_commands_exit_0(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, restore_accord_logger: Any, prefix: str
) -> None:
    from click.testing import CliRunner

    from accord.cli import cli

    commands = _commands()
    assert any(c.startswith(f"{prefix}accord check examples/") for c in commands)
    assert any(c.startswith(f"{prefix}accord info") for c in commands)
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    monkeypatch.chdir(tmp_path)  # the commands name examples/ and write beside it
    for command in commands:
        argv = shlex.split(command.removeprefix(prefix))
        assert argv[0] == "accord"
        result = CliRunner().invoke(cli, argv[1:])
        assert result.exit_code == 0, (command, result.stderr, result.exception)


@pytest.mark.parametrize("lang", ["python"])
def test_readme_python_examples_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], lang: str
) -> None:
    blocks = _readme_blocks(lang)
    assert blocks
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    monkeypatch.chdir(tmp_path)
    for block in blocks:
        exec(compile("import accord\n" + block, "README.md", "exec"), {})
    assert "signed on" in capsys.readouterr().out  # the first example prints the contradiction
