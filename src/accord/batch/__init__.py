"""Checking a whole corpus: ``accord batch`` (see ``accord.batch.runner`` and docs/batch.md)."""

from __future__ import annotations

from accord.batch.runner import DEFAULT_BATCH_SIZE, BatchOptions, BatchResult, run_batch

__all__ = ["DEFAULT_BATCH_SIZE", "BatchOptions", "BatchResult", "run_batch"]
