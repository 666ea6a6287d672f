"""Guess a document's kind (encyclopedia, wiki, news) from its source name and page text.

Patterns live in ``accord/data/source_kinds.json``; the first matching rule wins.
"""

from __future__ import annotations

import functools
import json
import logging
import re
from importlib import resources
from pathlib import PurePath

from accord.model import DocKind

logger = logging.getLogger(__name__)

DATA_FILE = "source_kinds.json"
_NON_ALNUM = re.compile(r"[^0-9a-z]+")

_Rule = tuple[DocKind, tuple[re.Pattern[str], ...], tuple[re.Pattern[str], ...]]


@functools.cache
def _rules() -> tuple[_Rule, ...]:
    raw = json.loads(resources.files("accord").joinpath("data", DATA_FILE).read_text("utf-8"))
    return tuple(
        (
            DocKind.from_str(rule["kind"]),
            tuple(re.compile(p) for p in rule.get("source", ())),
            tuple(re.compile(p, re.MULTILINE) for p in rule.get("text", ())),
        )
        for rule in raw["rules"]
    )


def guess_kind(source: str, text: str) -> DocKind:
    """Guess what kind of source a document is.

    Args:
        source: the path, URL or name the document came from.
        text: page text to look for telling boilerplate in (kept and removed text together).

    Returns:
        The first kind whose source or text patterns match, else ``DocKind.UNKNOWN``.
    """
    if "://" not in source:  # a local file's extension (.wiki, .md) says nothing of its site
        source = str(PurePath(source).with_suffix("")) if PurePath(source).suffix else source
    name = _NON_ALNUM.sub(" ", source.lower()).strip()
    lowered = text.lower()
    for kind, source_patterns, text_patterns in _rules():
        if any(p.search(name) for p in source_patterns) or any(
            p.search(lowered) for p in text_patterns
        ):
            logger.debug("%s: kind %s", source, kind.value)
            return kind
    return DocKind.UNKNOWN
