"""Tests for the LLM judge against a local fake chat-completions endpoint."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from accord.errors import ConfigError
from accord.model import Label, Pair, Report
from accord.testing.chat import ChatReply, user_prompt
from accord.verify.context import find_quote, sentence_around
from accord.verify.llm import LLMVerifier, chat_url, parse_judgement

MODEL = "judge-1"


def _answer(label: str, confidence: float, quotes: list[str], reason: str = "dates differ") -> str:
    return json.dumps(
        {"label": label, "confidence": confidence, "reason": reason, "evidence": quotes}
    )


def _judge(url: str, report: Report, **kw: Any) -> LLMVerifier:
    verifier = LLMVerifier(url=url, model=MODEL, backoff_s=0.01, **kw)
    verifier.bind_documents(report.documents)
    return verifier


def _date_pair(report: Report) -> Pair:
    return report.verdicts[0].pair  # 12 July 1941 (wiki) vs July 25, 1939 (fan)


CONTRADICTION = _answer("contradicts", 0.93, ["12 July 1941", "July 25, 1939"])


@pytest.mark.parametrize(
    "quotes", [["12 July 1941", "July 25, 1939"], ["12  JULY 1941", "july 25, 1939"]]
)
def test_llm_verifier_accepts_valid_answer(
    chat_server: Any, sample_report: Report, quotes: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ACCORD_LLM_API_KEY", "secret-key")
    server = chat_server(lambda body: ChatReply(_answer("contradicts", 0.93, quotes)))
    pair = _date_pair(sample_report)
    (verdict,) = _judge(server.url, sample_report).verify([pair])
    assert verdict.label is Label.CONTRADICTS
    assert verdict.confidence == 0.93
    assert verdict.method == f"llm:{MODEL}"
    wiki, fan = sample_report.documents
    left, right = verdict.evidence
    assert wiki.text[left.start : left.end] == "12 July 1941"
    assert fan.text[right.start : right.end] == "July 25, 1939"
    assert server.requests[0]["model"] == MODEL
    assert server.headers[0]["Authorization"] == "Bearer secret-key"
    prompt = user_prompt(server.requests[0])
    assert pair.left.text in prompt and pair.right.text in prompt


@pytest.mark.parametrize(
    ("reply", "expected"),
    [
        (ChatReply("the dates differ, so: contradicts"), "could not be parsed"),
        (ChatReply('{"label": "maybe", "confidence": 0.9}'), "unknown Label 'maybe'"),
        (ChatReply('{"label": "supports", "confidence": 1.5}'), "outside [0, 1]"),
        (ChatReply('["contradicts"]'), "not an object"),
        (ChatReply('{"unexpected": true}', raw=True), "no choices[0].message.content"),
        (ChatReply(_answer("supports", 0.9, [])), "quoted no evidence"),
    ],
)
def test_llm_verifier_leaves_malformed_answer_undecided(
    chat_server: Any, sample_report: Report, reply: ChatReply, expected: str
) -> None:
    server = chat_server(lambda body: reply)
    (verdict,) = _judge(server.url, sample_report).verify([_date_pair(sample_report)])
    assert verdict.label is Label.NOT_MENTIONED
    assert expected in verdict.reason
    assert verdict.method == f"llm:{MODEL}"


@pytest.mark.parametrize(
    ("quotes", "side"),
    [
        (["12 July 1941", "signed on 3 March 1918"], "B"),
        (["signed in Paris", "July 25, 1939"], "A"),
    ],
)
def test_llm_verifier_rejects_fabricated_quote(
    chat_server: Any, sample_report: Report, quotes: list[str], side: str
) -> None:
    server = chat_server(lambda body: ChatReply(_answer("contradicts", 0.99, quotes)))
    (verdict,) = _judge(server.url, sample_report).verify([_date_pair(sample_report)])
    assert verdict.label is Label.NOT_MENTIONED
    assert f"quote from {side} was not found" in verdict.reason


@pytest.mark.parametrize("status", [500, 503, 429])
def test_llm_verifier_retries_after_server_error(
    chat_server: Any, sample_report: Report, status: int
) -> None:
    replies = iter([ChatReply("overloaded", status=status, raw=True), ChatReply(CONTRADICTION)])
    server = chat_server(lambda body: next(replies))
    (verdict,) = _judge(server.url, sample_report).verify([_date_pair(sample_report)])
    assert verdict.label is Label.CONTRADICTS
    assert len(server.requests) == 2


@pytest.mark.parametrize(
    ("retry_after", "waits"),
    [("1", [1.0]), ("0", [0.01]), ("soon", [0.01])],
    ids=["seconds", "zero", "unreadable"],
)
def test_llm_verifier_waits_out_retry_after(
    chat_server: Any,
    sample_report: Report,
    monkeypatch: pytest.MonkeyPatch,
    retry_after: str,
    waits: list[float],
) -> None:
    slept: list[float] = []
    monkeypatch.setattr("accord.verify.llm.time.sleep", slept.append)
    limited = ChatReply("slow down", status=429, raw=True, headers=(("Retry-After", retry_after),))
    replies = iter([limited, ChatReply(CONTRADICTION)])
    server = chat_server(lambda body: next(replies))
    (verdict,) = _judge(server.url, sample_report).verify([_date_pair(sample_report)])
    assert verdict.label is Label.CONTRADICTS
    # the server's wait when it is longer than the back-off (0.01 s); the fake server's own
    # sleep(0.0) before each answer is left out
    assert [s for s in slept if s] == waits


@pytest.mark.parametrize("retry_after", ["3600"])
def test_llm_verifier_gives_up_on_a_long_retry_after(
    chat_server: Any, sample_report: Report, retry_after: str
) -> None:
    limited = ChatReply("slow down", status=429, raw=True, headers=(("Retry-After", retry_after),))
    server = chat_server(lambda body: limited)
    (verdict,) = _judge(server.url, sample_report).verify([_date_pair(sample_report)])
    assert verdict.label is Label.NOT_MENTIONED
    assert f"HTTP 429, Retry-After {retry_after} s" in verdict.reason
    assert len(server.requests) == 1


@pytest.mark.parametrize(
    ("value", "low", "high"),
    [("2", 2.0, 2.0), ("Wed, 21 Oct 2015 07:28:00 GMT", 0.0, 0.0), (None, None, None)],
)
def test_retry_after_s_reads_seconds_and_dates(
    value: str | None, low: float | None, high: float | None
) -> None:
    import email.utils
    import time

    from accord.verify.llm import retry_after_s

    assert retry_after_s(value) == low == high
    later = email.utils.formatdate(time.time() + 30, usegmt=True)
    assert 25.0 < (retry_after_s(later) or 0.0) <= 30.0


@pytest.mark.parametrize("status", [400, 401])
def test_llm_verifier_does_not_retry_client_error(
    chat_server: Any, sample_report: Report, status: int
) -> None:
    server = chat_server(lambda body: ChatReply("no", status=status, raw=True))
    (verdict,) = _judge(server.url, sample_report).verify([_date_pair(sample_report)])
    assert verdict.label is Label.NOT_MENTIONED
    assert f"HTTP {status}" in verdict.reason
    assert len(server.requests) == 1


@pytest.mark.parametrize("attempts", [2])
def test_llm_verifier_times_out_slow_answer(
    chat_server: Any, sample_report: Report, attempts: int
) -> None:
    server = chat_server(lambda body: ChatReply(CONTRADICTION, delay_s=1.0))
    judge = _judge(server.url, sample_report, timeout_s=0.2, max_attempts=attempts)
    (verdict,) = judge.verify([_date_pair(sample_report)])
    assert verdict.label is Label.NOT_MENTIONED
    assert "timed out after 0.2 s" in verdict.reason
    assert judge.requests_made == attempts


@pytest.mark.parametrize("pairs", [5])
def test_llm_verifier_stops_calling_a_dead_endpoint(
    chat_server: Any, sample_report: Report, pairs: int
) -> None:
    server = chat_server(lambda body: ChatReply("down", status=503, raw=True))
    judge = _judge(server.url, sample_report, max_attempts=1)
    verdicts = judge.verify([_date_pair(sample_report)] * pairs)
    assert [v.label for v in verdicts] == [Label.NOT_MENTIONED] * pairs
    assert len(server.requests) == 3
    assert "unavailable" in verdicts[-1].reason


@pytest.mark.parametrize("on_disk", [False, True])
def test_llm_verifier_caches_by_prompt(
    chat_server: Any, sample_report: Report, tmp_path: Path, on_disk: bool
) -> None:
    server = chat_server(lambda body: ChatReply(CONTRADICTION))
    cache_dir = tmp_path / "cache" if on_disk else None
    judge = _judge(server.url, sample_report, cache_dir=cache_dir)
    first = judge.verify([_date_pair(sample_report)])
    second = judge.verify([_date_pair(sample_report)])
    assert first == second
    assert len(server.requests) == 1
    if on_disk:
        again = _judge(server.url, sample_report, cache_dir=cache_dir).verify(
            [_date_pair(sample_report)]
        )
        assert again == first
        assert len(server.requests) == 1
        assert len(list(cache_dir.glob("*.json"))) == 1  # type: ignore[union-attr]


@pytest.mark.parametrize(("url", "model"), [(None, MODEL), ("http://127.0.0.1:9/v1", None)])
def test_llm_verifier_needs_url_and_model(url: str | None, model: str | None) -> None:
    with pytest.raises(ConfigError, match="--llm-url URL and --llm-model NAME"):
        LLMVerifier(url=url, model=model).warm_up()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('```json\n{"label": "supports", "confidence": 1, "evidence": []}\n```', Label.SUPPORTS),
        ('{"label": "NOT_MENTIONED", "confidence": 0}', Label.NOT_MENTIONED),
    ],
)
def test_parse_judgement_reads_label(text: str, expected: Label) -> None:
    assert parse_judgement(text).label is expected


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://h:1/v1", "http://h:1/v1/chat/completions"),
        ("http://h:1/v1/chat/completions/", "http://h:1/v1/chat/completions"),
    ],
)
def test_chat_url_appends_path_once(url: str, expected: str) -> None:
    assert chat_url(url) == expected


@pytest.mark.parametrize(
    ("text", "quote", "found"),
    [
        ("It was signed on 12\n July 1941 in Moscow.", "12 July 1941", "12\n July 1941"),
        ("The Soviet Union’s delegation", "Soviet Union's delegation", "Soviet Union’s delegation"),
        ("signed in Moscow", "signed in Paris", None),
        ("signed in Moscow", "   ", None),
    ],
)
def test_find_quote_folds_case_space_and_quotes(text: str, quote: str, found: str | None) -> None:
    span = find_quote(text, quote, "d")
    assert (text[span.start : span.end] if span else None) == found


@pytest.mark.parametrize("needle", ["signed on 12 July 1941"])
def test_sentence_around_returns_whole_sentence(sample_report: Report, needle: str) -> None:
    wiki = sample_report.documents[0]
    start = wiki.text.index(needle)
    span = type(sample_report.claims[0].span)(doc_id=wiki.id, start=start, end=start + 5)
    assert (
        sentence_around(wiki.text, span)
        == "The Anglo-Soviet Agreement was signed on 12 July 1941 in Moscow."
    )
