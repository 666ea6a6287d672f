"""The align stage's interface: claims of all documents in, candidate pairs out."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar, Protocol

from accord.model import Claim, Pair
from accord.registry import Registry


class Aligner(Protocol):
    """Finds, for each claim, the few claims of other documents that talk about the same thing.

    Implementations never compare all pairs: they retrieve candidates.
    """

    name: ClassVar[str]

    def align(self, claims: Sequence[Claim]) -> list[Pair]:
        """Return candidate pairs; each unordered pair at most once, left from the earlier
        document."""
        ...

    def describe(self) -> str:
        """Say in a few words how candidates are found."""
        ...


aligners: Registry[Aligner] = Registry("aligners")
