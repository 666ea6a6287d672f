"""A run's settings from one place: ``--config FILE`` (a settings file or a JSON report) under
the flags given, ``--set NAME.OPTION=VALUE`` for a component's own options, and a report's
``run.settings`` rerunning the same configuration."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner, Result

from accord import pipeline
from accord.cli import cli
from accord.cli.settings_flags import parse_component_options
from accord.errors import ConfigError
from accord.model import Report
from accord.settings import Settings, read_settings

TREATY = (
    "The Treaty of Vell was signed in Lisbon on 4 May 1820 by the two kingdoms.",
    "The Treaty of Vell was signed in Porto on 4 May 1821 by the two kingdoms.",
)


@contextmanager
def _accord_logger_kept() -> Iterator[None]:
    """The CLI configures the ``accord`` logger; other tests get theirs back."""
    logger = logging.getLogger("accord")
    saved = (logger.level, list(logger.handlers), logger.propagate)
    try:
        yield
    finally:
        logger.setLevel(saved[0])
        logger.handlers[:] = saved[1]
        logger.propagate = saved[2]


def _invoke(*args: str) -> Result:
    with _accord_logger_kept():
        return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def _settings_of(monkeypatch: pytest.MonkeyPatch, report: Report, *args: str) -> Settings:
    """The settings ``accord check`` runs with, given ``args``."""
    calls: list[Settings] = []

    def run(sources: Any, settings: Any = None, on_progress: Any = None) -> Report:
        calls.append(settings)
        return report

    monkeypatch.setattr(pipeline, "run", run)
    result = _invoke("check", "x", *args)
    assert result.exit_code == 0, result.stderr
    return calls[0]


@pytest.mark.parametrize(
    "settings",
    [Settings(top_k=3, entity_files=(Path("a.tsv"),), components={"x.v1": {"threshold": 0.3}})],
)
def test_settings_to_dict_round_trips_as_json(settings: Settings) -> None:
    data = json.loads(json.dumps(settings.to_dict()))
    assert data["entity_files"] == ["a.tsv"]
    assert "sources_are_text" not in data and "judge_skipped" not in data
    assert Settings.from_dict(data) == settings


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"top_kk": 3}, r"unknown setting 'top_kk'; the settings are: extractor"),
        ({"top_k": "3"}, r"setting 'top_k' takes an integer, not \"3\""),
        ({"priors": {"news": "high"}}, r"setting 'priors' takes an object"),
        ({"max_seconds_per_document": True}, r"takes a number or null, not true"),
    ],
)
def test_settings_from_dict_refuses_bad_data_in_one_line(
    data: dict[str, Any], message: str
) -> None:
    with pytest.raises(ConfigError, match=message) as caught:
        Settings.from_dict(data, origin="run.json")
    assert str(caught.value).startswith("run.json: ") and "\n" not in str(caught.value)


@pytest.mark.parametrize(
    ("items", "expected"),
    [
        (
            ["x.judge.v1.threshold=0.3", "x.judge.v1.mode=strict", "accord.bm25.v1.top_k=2"],
            {"x.judge.v1": {"threshold": 0.3, "mode": "strict"}, "accord.bm25.v1": {"top_k": 2}},
        ),
        (['x.v1.labels=["a", "b"]', "x.v1.on=true"], {"x.v1": {"labels": ["a", "b"], "on": True}}),
    ],
)
def test_set_items_become_component_options(
    items: list[str], expected: dict[str, dict[str, Any]]
) -> None:
    assert parse_component_options(items) == expected


@pytest.mark.parametrize("item", ["threshold=0.3", "x.v1.threshold", "x.v1.=3", ".threshold=1"])
def test_set_item_without_name_option_and_value_is_a_usage_error(item: str) -> None:
    with pytest.raises(click.BadParameter, match=r"give NAME\.OPTION=VALUE"):
        parse_component_options([item])


@pytest.mark.parametrize("case", ["precedence"])
def test_check_config_sets_what_the_file_holds_and_flags_given_override_it(
    monkeypatch: pytest.MonkeyPatch, sample_report: Report, tmp_path: Path, case: str
) -> None:
    config = tmp_path / "settings.json"
    held = Settings(top_k=2, min_confidence=0.6, max_bytes=5000, components={"x.v1": {"a": 1}})
    config.write_text(json.dumps(held.to_dict()), encoding="utf-8")
    settings = _settings_of(monkeypatch, sample_report, "--config", str(config))
    assert (settings.top_k, settings.min_confidence, settings.max_bytes) == (2, 0.6, 5000)
    assert settings.components == {"x.v1": {"a": 1}}
    settings = _settings_of(
        monkeypatch,
        sample_report,
        "--config",
        str(config),
        "--top-k",
        "4",
        "--set",
        "x.v1.a=2",
        "--set",
        "x.v1.b=text",
    )
    assert (settings.top_k, settings.min_confidence, settings.max_bytes) == (4, 0.6, 5000)
    assert settings.components == {"x.v1": {"a": 2, "b": "text"}}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"top_k": 3, "colour": "red"}', "unknown setting 'colour'"),
        ("not json", "is not a JSON settings file or report"),
        ('{"schema_version": "2.0", "run": {"version": "1"}}', "run holds no settings"),
    ],
)
def test_check_config_with_bad_content_is_one_error_line(
    tmp_path: Path, content: str, message: str
) -> None:
    config = tmp_path / "run.json"
    config.write_text(content, encoding="utf-8")
    result = _invoke("check", "x", "--config", str(config))
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], result.stderr


@pytest.mark.parametrize("option", ["accord.bm25.v1.depth=3"])
def test_check_set_an_option_the_component_does_not_take_names_it(
    tmp_path: Path, option: str
) -> None:
    paths = []
    for index, text in enumerate(TREATY):
        path = tmp_path / f"{index}.txt"
        path.write_text(text, encoding="utf-8")
        paths.append(str(path))
    result = _invoke("check", *paths, "--set", option)
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "error: aligners 'accord.bm25.v1' takes no option 'depth'; it takes: top_k"
    )


@pytest.mark.parametrize("case", ["non-default settings"])
def test_check_config_report_reruns_the_same_configuration(tmp_path: Path, case: str) -> None:
    paths = []
    for index, text in enumerate(TREATY):
        path = tmp_path / f"{index}.txt"
        path.write_text(text, encoding="utf-8")
        paths.append(str(path))
    first, second = tmp_path / "first.json", tmp_path / "second.json"
    args = ["--format", "json", "--min-confidence", "0.6", "--subject", "Treaty of Vell"]
    args += ["--top-k", "3", "--set", "accord.bm25.v1.top_k=1", "--max-html-depth", "50"]
    result = _invoke("check", *paths, *args, "-o", str(first))
    assert result.exit_code == 0, result.stderr
    result = _invoke("check", *paths, "--format", "json", "--config", str(first), "-o", str(second))
    assert result.exit_code == 0, result.stderr
    before, after = (json.loads(p.read_text(encoding="utf-8")) for p in (first, second))
    align = before["run"]["backends"]["align"]
    assert align["name"] == "accord.bm25.v1" and align["options"] == {"top_k": 1}
    assert before["run"]["settings"]["min_confidence"] == 0.6
    assert before["run"]["settings"]["max_html_depth"] == 50
    assert after["run"]["backends"] == before["run"]["backends"]
    assert after["run"]["settings"] == before["run"]["settings"]
    assert before["verdicts"], "nothing to compare"
    assert after["verdicts"] == before["verdicts"] and after["findings"] == before["findings"]
    assert after["subject"] == "Treaty of Vell"
    assert Settings.from_dict(read_settings(first)).components == {"accord.bm25.v1": {"top_k": 1}}


@pytest.mark.parametrize("top_k", [4])
def test_check_config_reads_the_settings_accord_info_writes(
    monkeypatch: pytest.MonkeyPatch, sample_report: Report, tmp_path: Path, top_k: int
) -> None:
    result = _invoke("info", "--format", "json")
    assert result.exit_code == 0, result.stderr
    info = json.loads(result.stdout)
    info["settings"]["top_k"] = top_k
    config = tmp_path / "info.json"
    config.write_text(json.dumps(info), encoding="utf-8")
    assert _settings_of(monkeypatch, sample_report, "--config", str(config)).top_k == top_k


@pytest.mark.parametrize(
    ("flags", "verifier"),
    [
        ((), "accord.ensemble.v1"),
        (("--verifier", "accord.slots.v1"), "accord.slots.v1"),
    ],
)
def test_check_config_of_slot_comparison_takes_a_judge_given_beside_it(
    monkeypatch: pytest.MonkeyPatch,
    sample_report: Report,
    tmp_path: Path,
    flags: tuple[str, ...],
    verifier: str,
) -> None:
    config = tmp_path / "settings.json"
    config.write_text(json.dumps(Settings().to_dict()), encoding="utf-8")
    judge = ("--llm-url", "http://127.0.0.1:9/v1", "--llm-model", "m")
    settings = _settings_of(monkeypatch, sample_report, "--config", str(config), *judge, *flags)
    assert (settings.verifier, settings.llm_url) == (verifier, "http://127.0.0.1:9/v1")
