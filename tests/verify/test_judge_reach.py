"""``accord.verify.judges.reach_judge``: an LLM endpoint that cannot be reached fails the run
before any document is read, unless the run is asked to go on without it."""

from __future__ import annotations

from typing import Any

import pytest

from accord import pipeline
from accord.errors import JudgeUnreachableError
from accord.verify.judges import reach_judge, skipped_judges


@pytest.mark.parametrize("verifier", ["accord.ensemble.v1", "accord.llm.v1"])
def test_reach_judge_raises_for_a_closed_port(closed_port_url: str, verifier: str) -> None:
    settings = pipeline.Settings(verifier=verifier, llm_url=closed_port_url, llm_model="m")
    with pytest.raises(JudgeUnreachableError, match="--skip-unreachable-judge"):
        reach_judge(settings)


@pytest.mark.parametrize(
    ("verifier", "after"),
    [("accord.ensemble.v1", "accord.ensemble.v1"), ("accord.llm.v1", "accord.slots.v1")],
)
def test_reach_judge_skips_when_asked(closed_port_url: str, verifier: str, after: str) -> None:
    settings = pipeline.Settings(
        verifier=verifier, llm_url=closed_port_url, llm_model="m", skip_unreachable_judge=True
    )
    reached = reach_judge(settings)
    assert reached.verifier == after
    assert reached.llm_url is None
    assert reached.judge_skipped is not None and closed_port_url in reached.judge_skipped
    lines = [line for line in skipped_judges(reached) if "LLM" in line]
    assert lines == [f"verify: LLM judge skipped: {reached.judge_skipped}"]


@pytest.mark.parametrize("reply", ['{"label": "not_mentioned", "confidence": 0.5}'])
def test_reach_judge_keeps_a_judge_that_answers(chat_server: Any, reply: str) -> None:
    server = chat_server(reply)
    settings = pipeline.Settings(verifier="accord.llm.v1", llm_url=server.url, llm_model="m")
    assert reach_judge(settings) is settings


@pytest.mark.parametrize("verifier", ["accord.slots.v1"])
def test_reach_judge_leaves_runs_without_a_judge_alone(verifier: str) -> None:
    settings = pipeline.Settings(verifier=verifier, llm_url="http://127.0.0.1:1/v1")
    assert reach_judge(settings) is settings


@pytest.mark.parametrize("texts", [("The treaty was signed in 1852.", "It was signed in 1853.")])
def test_check_api_fails_before_reading(closed_port_url: str, texts: tuple[str, str]) -> None:
    import accord

    with pytest.raises(JudgeUnreachableError):
        accord.check(
            list(texts),
            sources_are_text=True,
            verifier="accord.ensemble.v1",
            llm_url=closed_port_url,
            llm_model="m",
        )
