"""The claims stage's interface: documents in, atomic claims with typed slots out."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar, Protocol

from accord.model import SUBJECT_KEY, Claim, Document
from accord.registry import Registry


class ClaimExtractor(Protocol):
    """Splits documents into claims and fills their slots."""

    name: ClassVar[str]

    def extract(self, documents: Sequence[Document]) -> list[Claim]:
        """Return the claims of every document, in document then text order."""
        ...

    def describe(self) -> str:
        """Say in a few words what this extractor uses (model name and version)."""
        ...


extractors: Registry[ClaimExtractor] = Registry("extractors")

__all__ = ["SUBJECT_KEY", "ClaimExtractor", "extractors"]
