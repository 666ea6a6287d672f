"""The verify stage's interface: candidate pairs in, one explained verdict per pair out."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import ClassVar, Protocol

from accord.model import Label, Pair, Verdict
from accord.registry import Registry

# Confidence in [0, 1] from which a clash is reported as a contradiction; below it, as a
# possible conflict. Chosen on the development cases for a contradiction precision of at
# least 0.9 (docs/evaluation.md shows the precision/recall each threshold gives).
MIN_CONFIDENCE = 0.7


class Verifier(Protocol):
    """Decides SUPPORTS / CONTRADICTS / NOT_MENTIONED for each pair, with evidence.

    A verifier that cannot decide returns NOT_MENTIONED with a reason saying why.
    """

    name: ClassVar[str]

    def verify(self, pairs: Sequence[Pair]) -> list[Verdict]:
        """Return one verdict per pair, in order."""
        ...


verifiers: Registry[Verifier] = Registry("verifiers")


def mark_possible(verdicts: Sequence[Verdict], min_confidence: float) -> list[Verdict]:
    """The verdicts, with every CONTRADICTS under ``min_confidence`` made a possible
    conflict: label NOT_MENTIONED (no contradiction is claimed), ``possible_conflict`` set,
    the clash's confidence and reason kept."""
    out = []
    for verdict in verdicts:
        if verdict.label is Label.CONTRADICTS and verdict.confidence < min_confidence:
            verdict = replace(
                verdict,
                label=Label.NOT_MENTIONED,
                possible_conflict=True,
                reason=(
                    f"{verdict.reason} (confidence {verdict.confidence:.2f}, under the "
                    f"contradiction threshold {min_confidence:g}: a possible conflict)"
                ),
            )
        out.append(verdict)
    return out


__all__ = ["MIN_CONFIDENCE", "Verifier", "mark_possible", "verifiers"]
