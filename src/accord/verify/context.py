"""Text helpers the model verifiers share: a claim's sentence, and finding a quoted span.

Quotes are matched after folding case, whitespace and typographic quotes and dashes, so a
judge that retypes a curly apostrophe still matches; nothing looser counts as found.
"""

from __future__ import annotations

import re

from accord.model import Span

# Longest sentence context given to a judge, in characters: enough for a long sentence,
# short enough that one pair's prompt stays small.
MAX_SENTENCE_CHARS = 600
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n")
_FOLD = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-"})


def sentence_around(text: str, span: Span) -> str:
    """The sentence(s) of ``text`` holding ``span``, at most ``MAX_SENTENCE_CHARS`` long."""
    start = 0
    for match in _SENTENCE_END.finditer(text, 0, span.start):
        start = match.end()
    after = _SENTENCE_END.search(text, max(span.end, start))
    end = after.start() if after else len(text)
    if end - start > MAX_SENTENCE_CHARS:
        start = max(start, span.start - (MAX_SENTENCE_CHARS - (span.end - span.start)) // 2)
        end = min(end, start + MAX_SENTENCE_CHARS)
    return " ".join(text[start:end].split())


def _folded(text: str) -> tuple[str, list[int]]:
    """``text`` folded (case, quotes, whitespace runs to one space) and, for each folded
    character, its offset in ``text``."""
    out: list[str] = []
    offsets: list[int] = []
    for i, char in enumerate(text.translate(_FOLD)):
        if char.isspace():
            if out and out[-1] == " ":
                continue
            char = " "
        out.append(char.lower())
        offsets.append(i)
    return "".join(out), offsets


def find_quote(text: str, quote: str, doc_id: str, *, near: int = 0) -> Span | None:
    """Where ``quote`` occurs in ``text`` (the occurrence nearest offset ``near``), or None.

    An empty or whitespace-only quote is never found.
    """
    needle, _ = _folded(quote.strip())
    if not needle.strip():
        return None
    haystack, offsets = _folded(text)
    best: int | None = None
    at = haystack.find(needle)
    while at != -1:
        if best is None or abs(offsets[at] - near) < abs(offsets[best] - near):
            best = at
        at = haystack.find(needle, at + 1)
    if best is None:
        return None
    start = offsets[best]
    end = offsets[best + len(needle) - 1] + 1
    return Span(doc_id=doc_id, start=start, end=end)
