"""The ingest stage's interface: bytes of one source in, one cleaned ``Document`` out."""

from __future__ import annotations

from typing import ClassVar, Protocol

from accord.model import Document
from accord.registry import Registry


class Ingester(Protocol):
    """Turns the decoded text of one source in one format into a ``Document``."""

    name: ClassVar[str]
    format: ClassVar[str]

    def ingest(self, text: str, *, source: str, encoding: str) -> Document:
        """Clean ``text`` and return the document."""
        ...


ingesters: Registry[Ingester] = Registry("ingesters")
"""Ingesters by name (``accord.text.v1``, ``accord.html.v1``...); plugins add entry points."""
