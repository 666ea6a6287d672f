"""The align stage: candidate pairs of claims across documents, never all pairs."""

from __future__ import annotations

from accord.align import bm25 as _bm25  # noqa: F401  (registers)
from accord.align import hybrid as _hybrid  # noqa: F401  (registers)
from accord.align.base import Aligner, aligners

__all__ = ["Aligner", "aligners"]
