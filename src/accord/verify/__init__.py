"""The verify stage: a verdict with confidence, method, reason and evidence for each pair."""

from __future__ import annotations

from accord.verify import ensemble as _ensemble  # noqa: F401  (registers)
from accord.verify import llm as _llm  # noqa: F401  (registers)
from accord.verify import nli as _nli  # noqa: F401  (registers)
from accord.verify import slots as _slots  # noqa: F401  (registers)
from accord.verify.base import Verifier, verifiers

__all__ = ["Verifier", "verifiers"]
