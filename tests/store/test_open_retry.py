"""Opening a store waits out another process's lock instead of failing at once."""

from __future__ import annotations

import sqlite3

import pytest

from accord.store.sqlite import _retry_locked


@pytest.mark.parametrize("message", ["database is locked", "database table is busy"])
def test_retry_locked_waits_out_a_lock(message: str) -> None:
    calls = []

    def step() -> str:
        calls.append(1)
        if len(calls) < 3:
            raise sqlite3.OperationalError(message)
        return "opened"

    assert _retry_locked(step) == "opened"
    assert len(calls) == 3


@pytest.mark.parametrize("message", ["no such table: documents"])
def test_retry_locked_raises_other_errors_at_once(message: str) -> None:
    calls = []

    def step() -> None:
        calls.append(1)
        raise sqlite3.OperationalError(message)

    with pytest.raises(sqlite3.OperationalError, match="no such table"):
        _retry_locked(step)
    assert len(calls) == 1
