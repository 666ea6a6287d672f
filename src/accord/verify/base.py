"""The verify stage's interface: candidate pairs in, one explained verdict per pair out."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from typing import TYPE_CHECKING, ClassVar, Protocol

from accord.model import Document, Label, Pair, Verdict
from accord.registry import Registry

if TYPE_CHECKING:
    from accord.settings import Settings

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


def bind_documents(verifier: object, documents: Sequence[Document]) -> None:
    """Give ``verifier`` the documents' texts when it uses them (quote checks, context)."""
    bind = getattr(verifier, "bind_documents", None)
    if callable(bind):
        bind(documents)


@contextmanager
def bound_progress(verifier: object, advance: Callable[[int, int], None]) -> Iterator[None]:
    """Let ``verifier`` report ``advance(done, total)`` as it decides pairs, when it can
    (``bind_progress``), for the length of the block; it is unbound after, so the verifier
    stays picklable."""
    bind = getattr(verifier, "bind_progress", None)
    if not callable(bind):
        yield
        return
    bind(advance)
    try:
        yield
    finally:
        bind(None)


def describe_verifier(settings: Settings, verifier: object) -> str:
    """The verifier's registry name and, when it says, what it uses (model, endpoint)."""
    describe = getattr(verifier, "describe", None)
    detail = describe() if callable(describe) else ""
    return f"{settings.verifier} ({detail})" if detail else settings.verifier
