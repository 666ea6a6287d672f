"""The language each document reads as, and a warning for one accord does not read (English).

Plain English is told by its commonest words; any other text goes to lingua (the ``lang``
extra), and without lingua its language is left unknown and the run says the check was skipped.
"""

from __future__ import annotations

import dataclasses
import functools
import logging
import re
from collections.abc import Sequence
from typing import Any

from accord.model import Document

logger = logging.getLogger(__name__)

__all__ = [
    "READ_LANGUAGES",
    "SKIPPED",
    "detect_language",
    "is_language_check_available",
    "language_warning",
    "with_languages",
]

READ_LANGUAGES = frozenset({"en"})
"""ISO 639-1 codes of the languages accord's claim extraction reads."""

SAMPLE_CHARS = 1_500  # a document's opening tells its language; bounds the time per document
MIN_LETTERS = 40  # under this many letters a text tells no language reliably: left undetected
MIN_CONFIDENCE = 0.5  # lingua's confidence (0-1) in the language it names; under it: unknown

# Words far commoner in English than in any other language lingua knows: they make 10 % to
# 40 % of the words of English prose (every example and test document: at least 12 %), and
# none of a German, French or Spanish paragraph. A text with this share is English without
# loading a model (lingua's take about 60 MB and a second to load).
ENGLISH_WORDS = frozenset(
    "the and of to that with for which were are from this have has had his their they been "
    "would its by is".split()
)
ENGLISH_SHARE = 0.08
_WORD = re.compile(r"[^\W\d_]+")

SKIPPED = (
    "language: not checked for documents that do not read as plain English (they may be in "
    'another language); install lingua for it: pip install "accord[lang]"'
)


@functools.cache
def _detector() -> Any | None:
    """lingua's detector over every language it knows, built once; ``None`` without lingua.

    Low accuracy mode reads trigrams only: documents are long enough for it, and it loads
    a tenth of the models (high accuracy mode takes seconds and hundreds of MB).
    """
    try:
        from lingua import LanguageDetectorBuilder
    except ImportError:
        return None
    return LanguageDetectorBuilder.from_all_languages().with_low_accuracy_mode().build()


def is_language_check_available() -> bool:
    """Whether documents' languages can be detected (lingua is installed)."""
    return _detector() is not None


def detect_language(text: str) -> str | None:
    """Return the ISO 639-1 code of the language ``text`` reads as.

    Args:
        text: the text; only its first ``SAMPLE_CHARS`` characters are read.

    Returns:
        A code such as ``en`` or ``de``; ``None`` when the text has fewer than
        ``MIN_LETTERS`` letters, no language is likely enough, or it is not plain English
        and lingua is not installed.
    """
    sample = text[:SAMPLE_CHARS]
    if sum(ch.isalpha() for ch in sample) < MIN_LETTERS:
        return None
    words = _WORD.findall(sample.lower())
    if sum(word in ENGLISH_WORDS for word in words) >= ENGLISH_SHARE * len(words):
        return "en"
    detector = _detector()
    if detector is None:
        return None
    values = detector.compute_language_confidence_values(sample)
    if not values or values[0].value < MIN_CONFIDENCE:
        return None
    return str(values[0].language.iso_code_639_1.name.lower())


def language_warning(document: Document) -> str | None:
    """The one-line warning for a document in a language accord does not read, else ``None``."""
    if document.language is None or document.language in READ_LANGUAGES:
        return None
    name = _language_name(document.language)
    return f"{document.source}: in {name} ({document.language}); accord reads English only"


def with_languages(
    documents: Sequence[Document],
) -> tuple[list[Document], tuple[str, ...], tuple[str, ...]]:
    """Detect the language of each document that has none yet, and warn about the others.

    Args:
        documents: the documents of a run.

    Returns:
        The documents with ``language`` set where it could be detected, the warnings (one
        line per document not in English, also logged) and what was skipped (``SKIPPED``
        when a document is not plain English and lingua is not installed).
    """
    result = [
        doc
        if doc.language is not None
        else dataclasses.replace(doc, language=detect_language(doc.text))
        for doc in documents
    ]
    warnings = tuple(w for w in map(language_warning, result) if w is not None)
    for warning in warnings:
        logger.warning("%s", warning)
    unknown = any(doc.language is None for doc in result)
    skipped = (SKIPPED,) if unknown and not is_language_check_available() else ()
    return result, warnings, skipped


def _language_name(code: str) -> str:
    """The English name of a language code (``de`` -> German), or the code itself."""
    try:
        from lingua import IsoCode639_1, Language

        return str(Language.from_iso_code_639_1(IsoCode639_1.from_str(code)).name.title())
    except (ImportError, ValueError):
        return code
