"""The claims stage: documents in, atomic claims with typed, normalised slots out."""

from __future__ import annotations

from accord.claims import spacy_extractor as _spacy_extractor  # noqa: F401  (registers)
from accord.claims.base import SUBJECT_KEY, ClaimExtractor, extractors

__all__ = ["SUBJECT_KEY", "ClaimExtractor", "extractors"]
