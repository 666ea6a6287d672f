"""Components built from a run's settings by their registry (``Registry.build``): arguments
named as settings fields, those declared at registration, and entry-point plugins."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any, ClassVar

import pytest

from accord.errors import ConfigError, UnknownStageError
from accord.pipeline import make_stages
from accord.registry import Registry
from accord.settings import Settings


class _Judge:
    def __init__(
        self,
        entity_files: Sequence[Path] = (),
        *,
        url: str | None = None,
        question: str | None = None,
        batch: int = 8,
        **extra: Any,
    ) -> None:
        self.entity_files = tuple(entity_files)
        self.url, self.question, self.batch, self.extra = url, question, batch, extra


class _Plugin:
    settings_fields: ClassVar[dict[str, str]] = {"depth": "top_k"}

    def __init__(self, depth: int = 1, subject: str | None = None) -> None:
        self.depth, self.subject = depth, subject


@pytest.mark.parametrize("url", ["http://127.0.0.1:9/v1"])
def test_build_takes_named_fields_and_declared_ones_only(url: str) -> None:
    registry: Registry[Any] = Registry("judges")
    registry.register("test.judge.v1", settings={"url": "llm_url"})(_Judge)
    settings = Settings(llm_url=url, question="When?", entity_files=(Path("x.tsv"),))
    judge = registry.build("test.judge.v1", settings)
    assert (judge.url, judge.question, judge.entity_files) == (url, "When?", (Path("x.tsv"),))
    assert (judge.batch, judge.extra) == (8, {})  # no field of that name: its own default
    assert registry.options("test.judge.v1", settings) == {
        "entity_files": (Path("x.tsv"),),
        "url": url,
        "question": "When?",
    }


def test_a_declared_field_that_does_not_exist_is_a_config_error() -> None:
    registry: Registry[Any] = Registry("judges")
    registry.register("test.judge.v1", settings={"url": "no_such_field"})(_Judge)
    with pytest.raises(ConfigError, match="'no_such_field', which is no field"):
        registry.build("test.judge.v1", Settings())
    with pytest.raises(UnknownStageError, match=r"no judges 'test\.other\.v1'"):
        registry.build("test.other.v1", Settings())


def test_an_entry_point_plugin_is_built_from_the_settings(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    class _EntryPoint:
        name = "test.plugin.v1"

        def load(self) -> type:
            return _Plugin

    def entry_points(group: str) -> list[Any]:
        return [_EntryPoint()] if group == "accord.plugins" else []

    monkeypatch.setattr("accord.registry.entry_points", entry_points)
    registry: Registry[Any] = Registry("plugins")
    plugin = registry.build("test.plugin.v1", Settings(top_k=7, subject="Vell"))
    assert (plugin.depth, plugin.subject) == (7, "Vell")


@pytest.mark.parametrize(
    ("verifier", "expected"),
    [
        ("accord.slots.v1", {"entity_files": ()}),
        (
            "accord.llm.v1",
            {
                "entity_files": (),
                "url": "http://127.0.0.1:9/v1",
                "model": "m",
                "timeout_s": 3.0,
                "cache_dir": None,
            },
        ),
        ("accord.nli.v1", {"entity_files": (), "model_dir": None}),
    ],
)
def test_the_bundled_verifiers_take_their_settings(verifier: str, expected: dict[str, Any]) -> None:
    from accord.verify import verifiers

    settings = Settings(
        verifier=verifier, llm_url="http://127.0.0.1:9/v1", llm_model="m", llm_timeout_s=3.0
    )
    assert verifiers.options(verifier, settings) == expected


def test_make_stages_builds_every_stage_from_the_settings() -> None:
    settings = Settings(
        verifier="accord.ensemble.v1", top_k=3, neural_threshold=0.9, minilm_judge=False
    )
    extractor, aligner, verifier = make_stages(settings)
    assert aligner.top_k == 3  # type: ignore[attr-defined]
    assert verifier.threshold == 0.9  # type: ignore[attr-defined]
    assert type(extractor).__name__ == "SpacyClaimExtractor"


@pytest.mark.parametrize("batch", [32])
def test_own_options_reach_the_component_over_its_settings(batch: int) -> None:
    registry: Registry[Any] = Registry("judges")
    registry.register("test.judge.v1", settings={"url": "llm_url"})(_Judge)
    own = {"test.judge.v1": {"batch": batch, "url": "http://own/v1"}}
    judge = registry.build("test.judge.v1", Settings(llm_url="http://x/v1", components=own))
    assert (judge.batch, judge.url) == (batch, "http://own/v1")
    plugin = registry.register("test.plugin.v1")(_Plugin)
    assert plugin is _Plugin
    with pytest.raises(ConfigError) as caught:
        registry.build("test.plugin.v1", Settings(components={"test.plugin.v1": {"deep": 2}}))
    assert str(caught.value) == (
        "judges 'test.plugin.v1' takes no option 'deep'; it takes: depth, subject"
    )
