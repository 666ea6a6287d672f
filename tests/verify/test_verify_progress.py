"""Verifiers report their pairs as they decide them (``bind_progress``), for progress bars."""

from __future__ import annotations

import json
from typing import Any

import pytest

from accord.model import Report
from accord.testing.chat import ChatReply
from accord.verify.base import bound_progress
from accord.verify.ensemble import EnsembleVerifier
from accord.verify.slots import PROGRESS_EVERY, SlotVerifier


@pytest.mark.parametrize("copies", [PROGRESS_EVERY * 2 + 3])
def test_slot_comparison_reports_every_few_pairs(sample_report: Report, copies: int) -> None:
    pairs = [v.pair for v in sample_report.verdicts] * copies
    events: list[tuple[int, int]] = []
    verifier = SlotVerifier()
    with bound_progress(verifier, lambda done, total: events.append((done, total))):
        verifier.verify(pairs)
    assert events
    assert all(total == len(pairs) for _, total in events)
    assert [done for done, _ in events] == sorted({done for done, _ in events})
    assert events[0][0] == PROGRESS_EVERY
    verifier.verify(pairs)  # unbound after the block: nothing more is reported
    assert len(events) == len(pairs) // PROGRESS_EVERY


@pytest.mark.parametrize("answer", [{"label": "not_mentioned", "confidence": 0.5}])
def test_ensemble_reports_slots_then_the_judges_pairs(
    chat_server: Any, sample_report: Report, answer: dict[str, Any]
) -> None:
    server = chat_server(lambda body: ChatReply(json.dumps({**answer, "reason": "r"})))
    pairs = [v.pair for v in sample_report.verdicts]
    ensemble = EnsembleVerifier(llm_url=server.url, llm_model="m")
    ensemble.bind_documents(sample_report.documents)
    events: list[tuple[int, int]] = []
    with bound_progress(ensemble, lambda done, total: events.append((done, total))):
        ensemble.verify(pairs)
    judged = len(server.requests)
    assert judged > 0
    # the judge's pairs come after all of slot comparison's, and the total grows by them
    assert (len(pairs), len(pairs) + judged) in events
    assert all(done <= total for done, total in events)
    dones = [done for done, _ in events]
    assert dones == sorted(dones)
