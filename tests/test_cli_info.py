"""``accord info``, ``accord show``/``stages --format json`` and an unreachable LLM judge."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from accord.cli import cli

INFO_KEYS = {
    "accord",
    "python",
    "platform",
    "libraries",
    "extras",
    "models",
    "backends",
    "skipped",
    "settings",
}


@pytest.mark.parametrize("fmt", ["json"])
def test_info_json_has_the_expected_keys(fmt: str) -> None:
    result = CliRunner().invoke(cli, ["info", "--format", fmt])
    assert result.exit_code == 0, result.stderr
    info = json.loads(result.stdout)
    assert set(info) == INFO_KEYS
    from accord import __version__

    assert info["accord"] == __version__
    from accord.settings import Settings

    assert Settings.from_dict(info["settings"]) == Settings()  # what --config FILE reads
    assert info["libraries"]["spacy"]
    assert set(info["backends"]) == {"ingest", "claims", "align", "verify", "report", "command"}
    assert info["backends"]["verify"]["accord.slots.v1"]["usable"] is True
    verifier = next(m for m in info["models"] if m["name"].startswith("accord.minilm.v1"))
    assert verifier["found"] is True
    assert verifier["size_bytes"] > 1_000_000
    assert "CC BY-SA" in verifier["licence"]
    assert any(line.startswith("verify: LLM judge") for line in info["skipped"])


@pytest.mark.parametrize("fmt", ["text"])
def test_info_text_names_each_part(fmt: str) -> None:
    result = CliRunner().invoke(cli, ["info", "--format", fmt])
    assert result.exit_code == 0
    for heading in ("Libraries:", "Extras:", "Models:", "Backends:", "Skipped by a default check:"):
        assert heading in result.stdout


@pytest.mark.parametrize("missing", ["httpx"])
def test_info_says_why_a_backend_cannot_run(monkeypatch: pytest.MonkeyPatch, missing: str) -> None:
    from accord import environment

    real = environment._has_module
    monkeypatch.setattr(environment, "_has_module", lambda name: name != missing and real(name))
    info = environment.describe_environment()
    llm = info["backends"]["verify"]["accord.llm.v1"]
    assert llm["usable"] is False
    assert "accord[llm]" in llm["why_not"]
    assert any("accord.llm.v1" in line for line in info["skipped"])


@pytest.mark.parametrize("fmt", ["json"])
def test_stages_json_lists_each_registry(fmt: str) -> None:
    result = CliRunner().invoke(cli, ["stages", "--format", fmt])
    assert result.exit_code == 0
    stages = json.loads(result.stdout)
    assert list(stages) == ["ingest", "claims", "align", "verify", "report"]
    assert "accord.slots.v1" in stages["verify"]["names"]
    assert stages["verify"]["registry"] == "accord.verify.verifiers"


@pytest.mark.parametrize("fmt", ["json"])
def test_show_json_lists_subjects_and_gives_a_report(corpus_copy: Path, fmt: str) -> None:
    listed = CliRunner().invoke(cli, ["show", "--store", str(corpus_copy), "--format", fmt])
    assert listed.exit_code == 0, listed.stderr
    subjects = json.loads(listed.stdout)["subjects"]
    assert subjects and {"key", "name", "documents"} <= set(subjects[0])
    name = subjects[0]["name"]
    shown = CliRunner().invoke(cli, ["show", name, "--store", str(corpus_copy), "--format", fmt])
    assert shown.exit_code == 0, shown.stderr
    report = json.loads(shown.stdout)
    assert report["record"]["subject"] == name
    from jsonschema import Draft202012Validator

    from accord.report import load_schema

    Draft202012Validator(load_schema()).validate(report)


@pytest.mark.parametrize("verifier", [None, "accord.llm.v1"])
def test_check_with_an_unreachable_judge_exits_2(
    seeds_dir: Path, closed_port_url: str, verifier: str | None
) -> None:
    args = ["check", str(seeds_dir), "--llm-url", closed_port_url, "--llm-model", "m"]
    if verifier:
        args += ["--verifier", verifier]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("error: the LLM judge at ")
    assert "--skip-unreachable-judge" in lines[0]
    assert result.stdout == ""


@pytest.mark.parametrize("verifier", [None, "accord.llm.v1"])
def test_check_skip_unreachable_judge_says_so_in_the_report(
    seeds_dir: Path, closed_port_url: str, verifier: str | None, restore_accord_logger: Any
) -> None:
    args = ["check", str(seeds_dir), "--llm-url", closed_port_url, "--llm-model", "m"]
    args += ["--skip-unreachable-judge", "--format", "json"]
    if verifier:
        args += ["--verifier", verifier]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.stderr
    run = json.loads(result.stdout)["run"]
    skipped = [line for line in run["skipped"] if "LLM judge skipped" in line]
    assert len(skipped) == 1 and closed_port_url in skipped[0]
    assert "llm" not in run["backends"]["verify"]
    assert "LLM judge skipped" in result.stderr  # the warning
