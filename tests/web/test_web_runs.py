"""The web app's run table: bounded, a fixed number of checks at once, refuses work when too
much waits, reports failures."""

from __future__ import annotations

import threading
import time

import pytest

from accord.errors import EmptyDocumentError
from accord.model import Report
from accord.pipeline import Settings
from accord.web import runs as runs_module
from accord.web.runs import Run, RunBusyError, Runs
from accord.web.uploads import Upload

UPLOAD = Upload(name="a.txt", content_type="text/plain", data=b"It opened in 1932.")


@pytest.mark.parametrize("max_runs", [2])
def test_runs_keep_at_most_max_runs(
    monkeypatch: pytest.MonkeyPatch, sample_report: Report, max_runs: int
) -> None:
    monkeypatch.setattr(
        runs_module, "check_uploads_now", lambda uploads, progress, settings=None: sample_report
    )
    table = Runs(max_runs=max_runs)
    try:
        done = [table.check([UPLOAD]) for _ in range(max_runs + 2)]
        kept = table.recent()
        assert [run.id for run in kept] == [run.id for run in reversed(done)][:max_runs]
        assert all(run.status == "done" and run.report is sample_report for run in kept)
        assert table.get(done[0].id) is None
    finally:
        table.close()


def _blocked(monkeypatch: pytest.MonkeyPatch, report: Report) -> threading.Event:
    """Make every check wait for the returned event, then answer ``report``."""
    release = threading.Event()

    def slow(uploads: object, progress: object, settings: object = None) -> Report:
        release.wait(10)
        return report

    monkeypatch.setattr(runs_module, "check_uploads_now", slow)
    return release


def _finished(run: Run) -> str:
    """The status of ``run`` once it is no longer queued or running (at most 10 s)."""
    for _ in range(1000):
        if run.status in ("done", "failed"):
            break
        time.sleep(0.01)
    return run.status


@pytest.mark.parametrize(("checks", "max_queued"), [(1, 1), (2, 0)])
def test_runs_refuse_when_queue_is_full(
    monkeypatch: pytest.MonkeyPatch, sample_report: Report, checks: int, max_queued: int
) -> None:
    release = _blocked(monkeypatch, sample_report)
    table = Runs(checks=checks, max_queued=max_queued)
    try:
        taken = [table.submit([UPLOAD]) for _ in range(checks + max_queued)]
        assert table.load() == (checks, max_queued)
        assert not table.has_room()
        with pytest.raises(RunBusyError, match="the most this server takes"):
            table.submit([UPLOAD])
        release.set()
        assert [_finished(run) for run in taken] == ["done"] * len(taken)
    finally:
        table.close()


@pytest.mark.parametrize("checks", [1])
def test_runs_slot_is_held_until_used_or_released(
    monkeypatch: pytest.MonkeyPatch, sample_report: Report, checks: int
) -> None:
    release = _blocked(monkeypatch, sample_report)
    table = Runs(checks=checks)
    try:
        slot = table.reserve()
        assert slot is not None
        assert table.reserve() is None
        queued = table.submit([UPLOAD])  # waits: the slot is held for a check
        assert queued.status == "queued"
        with pytest.raises(RunBusyError, match="checks are taken"):
            table.check([UPLOAD])
        slot.release()
        slot.release()  # a second release gives nothing back twice
        release.set()
        assert _finished(queued) == "done"
        assert table.load() == (0, 0)
    finally:
        table.close()


@pytest.mark.parametrize("timeout_s", [0.05])
def test_runs_check_past_its_timeout_goes_on_in_background(
    monkeypatch: pytest.MonkeyPatch, sample_report: Report, timeout_s: float
) -> None:
    release = _blocked(monkeypatch, sample_report)
    table = Runs(checks=1)
    try:
        run = table.check([UPLOAD], timeout_s=timeout_s)
        assert run.status == "running" and run.report is None
        assert table.get(run.id) is run
        release.set()
    finally:
        table.close()
    assert run.status == "done" and run.report is sample_report


def _settings_seen(monkeypatch: pytest.MonkeyPatch, report: Report) -> list[Settings]:
    """Make every check answer ``report`` at once; the list fills with the settings each
    check ran with."""
    seen: list[Settings] = []

    def record(uploads: object, progress: object, settings: Settings | None = None) -> Report:
        assert settings is not None
        seen.append(settings)
        return report

    monkeypatch.setattr(runs_module, "check_uploads_now", record)
    return seen


@pytest.mark.parametrize("question", ["When was the Pact of Vell signed?", None])
def test_runs_carry_the_request_question_into_the_settings(
    monkeypatch: pytest.MonkeyPatch, sample_report: Report, question: str | None
) -> None:
    seen = _settings_seen(monkeypatch, sample_report)
    table = Runs()
    try:
        table.check([UPLOAD], question=question)
        run = table.submit([UPLOAD], question=question)
        deadline = time.monotonic() + 10
        while run.status != "done" and time.monotonic() < deadline:
            time.sleep(0.01)
    finally:
        table.close()
    assert [s.question for s in seen] == [question, question]


@pytest.mark.parametrize(("limit_s", "subject"), [(7.0, "Pact of Vell")])
def test_runs_use_the_app_settings_with_the_request_subject(
    monkeypatch: pytest.MonkeyPatch, sample_report: Report, limit_s: float, subject: str
) -> None:
    seen = _settings_seen(monkeypatch, sample_report)
    table = Runs(settings=Settings(max_seconds_per_document=limit_s))
    try:
        table.check([UPLOAD], subject=subject)
    finally:
        table.close()
    assert [(s.max_seconds_per_document, s.subject) for s in seen] == [(limit_s, subject)]


@pytest.mark.parametrize(
    ("error", "expected"),
    [(EmptyDocumentError("a.txt is empty"), "a.txt is empty"), (KeyError("x"), "internal error")],
)
def test_runs_record_a_failed_check(
    monkeypatch: pytest.MonkeyPatch, error: Exception, expected: str
) -> None:
    def fail(uploads: object, progress: object, settings: object = None) -> Report:
        raise error

    monkeypatch.setattr(runs_module, "check_uploads_now", fail)
    table = Runs()
    try:
        run = table.check([UPLOAD])
    finally:
        table.close()
    assert run.status == "failed"
    assert run.error is not None and expected in run.error
    assert run.report is None


@pytest.mark.parametrize(
    ("seconds", "expected"),
    [
        (0.0, "1970-01-01T00:00:00.000Z"),
        (1_764_930_243.5, "2025-12-05T10:24:03.500Z"),
        (None, None),
    ],
)
def test_iso_utc_writes_iso_8601_in_utc(seconds: float | None, expected: str | None) -> None:
    from accord.web.runs import iso_utc

    assert iso_utc(seconds) == expected
