"""Fast stand-ins for the heavy stages, for tests that exercise the plumbing around them.

Importing this module registers ``FakeClaimExtractor`` as ``accord.fake.v1``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import ClassVar

from accord.claims.base import extractors
from accord.model import SUBJECT_KEY, Claim, DateValue, Document, Precision, Slot, Span, content_id

__all__ = ["FakeClaimExtractor", "text_claim"]

_SENTENCE = re.compile(r"[^.\n]+[.\n]?")
_ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_WORD = re.compile(r"[a-z0-9]+")


@extractors.register("accord.fake.v1")
class FakeClaimExtractor:
    """One claim per sentence; ISO dates (``1852-05-03``) become ``sign``/``date`` slots about
    the document's subject. No model, so it is instant.

    Args:
        entity_files: accepted for the registry's calling convention; unused.
    """

    name: ClassVar[str] = "accord.fake.v1"

    def __init__(self, entity_files: Sequence[Path] = ()) -> None:
        self.entity_files = tuple(entity_files)

    def describe(self) -> str:
        """Say what this is."""
        return "fake sentence splitter"

    def extract(self, documents: Sequence[Document]) -> list[Claim]:
        """One claim per non-empty sentence of each document, in order."""
        claims = []
        for document in documents:
            for match in _SENTENCE.finditer(document.text):
                text = match.group(0).strip()
                if not text:
                    continue
                start = match.start() + match.group(0).index(text)
                span = Span(doc_id=document.id, start=start, end=start + len(text))
                claims.append(
                    Claim(
                        id=content_id(document.id, span.start, span.end, text),
                        doc_id=document.id,
                        span=span,
                        text=text,
                        subject=document.title,
                        predicate="sign" if _ISO_DATE.search(text) else "state",
                        slots=tuple(_dates(document.id, text, start)),
                        terms=tuple(_WORD.findall(text.lower())),
                        extractor=self.name,
                    )
                )
        return claims


def _dates(doc_id: str, text: str, offset: int) -> list[Slot]:
    slots = []
    for match in _ISO_DATE.finditer(text):
        year, month, day = (int(g) for g in match.groups())
        span = Span(doc_id=doc_id, start=offset + match.start(), end=offset + match.end())
        value = DateValue(year=year, month=month, day=day, precision=Precision.DAY)
        slots.append(
            Slot(
                role="date",
                value=value,
                event="sign",
                surface=match.group(0),
                span=span,
                about=SUBJECT_KEY,
            )
        )
    return slots


def text_claim(text: str, doc_id: str = "a", *, predicate: str = "be", claim_id: str = "") -> Claim:
    """A claim that is one whole text of ``doc_id``, with no slots: for tests of what compares
    claims by their words (edited copies, near-copy backers). Its id is ``claim_id``, or the
    document and the text's first 20 characters."""
    return Claim(
        id=claim_id or f"{doc_id}:{text[:20]}",
        doc_id=doc_id,
        span=Span(doc_id=doc_id, start=0, end=len(text)),
        text=text,
        subject=None,
        predicate=predicate,
    )
