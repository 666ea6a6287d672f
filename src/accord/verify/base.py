"""The verify stage's interface: candidate pairs in, one explained verdict per pair out."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar, Protocol

from accord.model import Pair, Verdict
from accord.registry import Registry


class Verifier(Protocol):
    """Decides SUPPORTS / CONTRADICTS / NOT_MENTIONED for each pair, with evidence.

    A verifier that cannot decide returns NOT_MENTIONED with a reason saying why.
    """

    name: ClassVar[str]

    def verify(self, pairs: Sequence[Pair]) -> list[Verdict]:
        """Return one verdict per pair, in order."""
        ...


verifiers: Registry[Verifier] = Registry("verifiers")
