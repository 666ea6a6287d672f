"""Which subject a document is about, so a corpus groups documents by subject.

The rule, in order (the first that gives a name wins):

1. the subject the user names (``accord add --subject S``);
2. the document's own title — a title line, a markup title, or the subject of its lead
   sentence (ingest finds these, see ``accord.ingest.layout``);
3. when the title only came from the file name, the document's dominant entity: the
   capitalised name it repeats most, the earliest on a tie.

Documents share a subject when their subject keys are equal. The key is the name
case-folded, without a leading article, with dashes and spaces normalised — and with its
qualifiers kept: "Treaty of Paris (1763)" and "Treaty of Paris (1783)" are two subjects,
and so are "Treaty of Paris 1763" and "Treaty of Paris 1783".
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from accord.model import Document

__all__ = ["SubjectName", "dominant_entity", "subject_for", "subject_key"]

_DASHES = re.compile(r"[\u2010-\u2015\u2212]")
_SPACES = re.compile(r"\s+")
_ARTICLE = re.compile(r"^(the|a|an)\s+", re.I)
# A run of capitalised words, with the lower-case joiners names carry ("Treaty of Paris").
_NAME = re.compile(r"\b[A-Z][\w'’-]*(?:\s+(?:of|the|de|du|von|van|and|for|on)?\s*[A-Z][\w'’-]*)*")
# Capitalised words that start sentences or stand alone without naming anything.
_NOT_NAMES = frozenset(
    {"the", "a", "an", "it", "he", "she", "they", "we", "i", "in", "on", "at", "this", "that"}
)
# A name must be this many times in the text to stand for the whole document.
MIN_DOMINANT_MENTIONS = 2


@dataclass(frozen=True, slots=True)
class SubjectName:
    """A subject: the ``key`` documents are grouped by, and the ``name`` shown to users."""

    key: str
    name: str


def subject_key(name: str) -> str:
    """Return the grouping key of a subject name (qualifiers such as years kept).

    >>> subject_key("The Treaty of Paris (1783)")
    'treaty of paris (1783)'
    """
    text = _DASHES.sub("-", name).strip().casefold()
    text = _ARTICLE.sub("", text)
    return _SPACES.sub(" ", text).strip(" .,;:")


def dominant_entity(text: str) -> str | None:
    """The capitalised name ``text`` repeats most (earliest first on a tie), or ``None``."""
    counts: Counter[str] = Counter()
    first: dict[str, int] = {}
    for match in _NAME.finditer(text):
        words = match.group(0).split()
        while words and words[0].casefold() in _NOT_NAMES:
            words = words[1:]
        if not words:
            continue
        name = " ".join(words)
        counts[name] += 1
        first.setdefault(name, match.start())
    ranked = sorted(counts, key=lambda n: (-counts[n], first[n]))
    if not ranked or counts[ranked[0]] < MIN_DOMINANT_MENTIONS:
        return None
    return ranked[0]


def subject_for(document: Document, override: str | None = None) -> SubjectName:
    """Return the subject ``document`` belongs to, following the module's rule.

    Args:
        document: an ingested document.
        override: a subject the user named; wins when given.
    """
    from accord.ingest.layout import humanise_stem

    if override and override.strip():
        name = override.strip()
    elif document.title and document.title != humanise_stem(document.source):
        name = document.title
    else:
        name = dominant_entity(document.text) or document.title or "(untitled)"
    return SubjectName(key=subject_key(name), name=name)
