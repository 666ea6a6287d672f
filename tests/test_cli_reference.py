"""docs/cli.md is what scripts/cli_reference.py writes from today's click commands, so the
command-line reference cannot drift from the commands."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import click
import pytest

from accord.cli import cli

ROOT = Path(__file__).resolve().parents[1]


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "cli_reference", ROOT / "scripts" / "cli_reference.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("reference", [ROOT / "docs" / "cli.md"])
def test_cli_reference_is_up_to_date(reference: Path) -> None:
    assert reference.read_text(encoding="utf-8") == _script().render(cli), (
        "docs/cli.md is out of date: run python scripts/cli_reference.py"
    )


@pytest.mark.parametrize("reference", [ROOT / "docs" / "cli.md"])
def test_cli_reference_has_every_command_and_option(reference: Path) -> None:
    text = reference.read_text(encoding="utf-8")
    ctx = click.Context(cli, info_name="accord")
    for name in cli.list_commands(ctx):
        command = cli.get_command(ctx, name)
        assert command is not None
        assert f"\n## accord {name}\n" in text
        section = text.split(f"\n## accord {name}\n", 1)[1].split("\n## ", 1)[0]
        for param in command.params:
            if isinstance(param, click.Option) and not param.hidden:
                assert f"`{param.opts[-1]}`" in section, (name, param.opts)


@pytest.mark.parametrize(
    ("option", "expected"),
    [
        (click.Option(["--top-k"], type=click.IntRange(min=1), default=5, help="Keep N."),
         "- `--top-k` INTEGER `x>=1` (default: `5`): Keep N."),
        (click.Option(["--fast/--slow"], default=True), "- `--fast`, `--slow` (default: `--fast`)"),
        (click.Option(["--format"], type=click.Choice(["text", "json"]), default="text"),
         "- `--format` `text|json` (default: `text`)"),
        (click.Option(["--kind"], multiple=True, help="A kind;  repeatable."),
         "- `--kind` TEXT (repeatable): A kind; repeatable."),
        (click.Option(["--quiet"], is_flag=True, help="Say less."), "- `--quiet`: Say less."),
    ],
)  # fmt: skip
def test_cli_reference_renders_an_option(option: click.Option, expected: str) -> None:
    command = click.Command("demo", params=[option], help="Do a thing.\n\nAt length.")
    text = _script().render(click.Group("accord", commands={"demo": command}))
    assert expected in text.split("\n## accord demo\n", 1)[1].splitlines()
    assert "Do a thing.\n\nAt length." in text
