"""The progress bars of ``accord batch``: one per pass on a terminal, nothing elsewhere."""

from __future__ import annotations

import io

import pytest
from rich.console import Console

from accord.batch.display import batch_progress


@pytest.mark.parametrize("terminal", [True])
def test_batch_progress_draws_a_bar_per_pass(terminal: bool) -> None:
    out = io.StringIO()
    console = Console(file=out, force_terminal=terminal, width=100)
    with batch_progress(console) as on_progress:
        assert on_progress is not None
        on_progress("documents", 16, 0)  # streamed input: the total is unknown
        on_progress("subjects", 3, 4)
    text = out.getvalue()
    assert "documents" in text and "16" in text
    assert "subjects" in text and "3/4" in text


@pytest.mark.parametrize("terminal", [False])
def test_batch_progress_is_silent_off_a_terminal(terminal: bool) -> None:
    out = io.StringIO()
    with batch_progress(Console(file=out, force_terminal=terminal)) as on_progress:
        assert on_progress is None
    assert out.getvalue() == ""
