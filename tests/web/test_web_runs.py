"""The web app's run table: bounded, refuses work when too much waits, reports failures."""

from __future__ import annotations

import threading

import pytest

from accord.errors import EmptyDocumentError
from accord.model import Report
from accord.web import runs as runs_module
from accord.web.runs import RunBusyError, Runs
from accord.web.uploads import Upload

UPLOAD = Upload(name="a.txt", content_type="text/plain", data=b"It opened in 1932.")


@pytest.mark.parametrize("max_runs", [2])
def test_runs_keep_at_most_max_runs(
    monkeypatch: pytest.MonkeyPatch, sample_report: Report, max_runs: int
) -> None:
    monkeypatch.setattr(
        runs_module, "check_uploads_now", lambda uploads, progress, subject=None: sample_report
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


@pytest.mark.parametrize("max_queued", [1])
def test_runs_refuse_when_too_many_wait(
    monkeypatch: pytest.MonkeyPatch, sample_report: Report, max_queued: int
) -> None:
    release = threading.Event()

    def slow(uploads: object, progress: object, subject: object = None) -> Report:
        release.wait(10)
        return sample_report

    monkeypatch.setattr(runs_module, "check_uploads_now", slow)
    table = Runs(max_queued=max_queued)
    try:
        first = table.submit([UPLOAD])
        with pytest.raises(RunBusyError, match="already waiting"):
            table.submit([UPLOAD])
        release.set()
    finally:
        table.close()
    assert first.status == "done"


@pytest.mark.parametrize(
    ("error", "expected"),
    [(EmptyDocumentError("a.txt is empty"), "a.txt is empty"), (KeyError("x"), "internal error")],
)
def test_runs_record_a_failed_check(
    monkeypatch: pytest.MonkeyPatch, error: Exception, expected: str
) -> None:
    def fail(uploads: object, progress: object, subject: object = None) -> Report:
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
