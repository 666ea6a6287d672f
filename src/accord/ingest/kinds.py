"""Read a document's kind (encyclopedia, wiki, news) from what the page says of itself: its
site name, generator or canonical URL in its metadata, or telling text such as "From
Wikipedia, the free encyclopedia". Never from a file name or path.

Patterns live in ``accord/data/source_kinds.json``. The page's metadata is tried first, in
the order given, then its text; the first rule that matches wins, and the kind comes with
its origin (``page: og:site_name 'Britannica'``) so reports can say where it came from.
"""

from __future__ import annotations

import functools
import json
import logging
import re
from collections.abc import Sequence
from importlib import resources

from accord.model import KIND_DEFAULT, KIND_FROM_PAGE, DocKind

logger = logging.getLogger(__name__)

__all__ = ["page_kind"]

DATA_FILE = "source_kinds.json"
MAX_ORIGIN_CHARS = 80  # what a report quotes of the metadata or text that named the kind
_NON_ALNUM = re.compile(r"[^0-9a-z]+")

_Rule = tuple[DocKind, tuple[re.Pattern[str], ...], tuple[re.Pattern[str], ...]]


@functools.cache
def _rules() -> tuple[_Rule, ...]:
    raw = json.loads(resources.files("accord").joinpath("data", DATA_FILE).read_text("utf-8"))
    return tuple(
        (
            DocKind.from_str(rule["kind"]),
            tuple(re.compile(p) for p in rule.get("site", ())),
            tuple(re.compile(p, re.MULTILINE) for p in rule.get("text", ())),
        )
        for rule in raw["rules"]
    )


def page_kind(metadata: Sequence[tuple[str, str]], text: str) -> tuple[DocKind, str]:
    """The kind a page gives itself, and where it said so.

    Args:
        metadata: what the page says of its site, as (where, value) pairs in the order to
            try them: ``("og:site_name", "Britannica")``, ``("generator", "MediaWiki 1.41")``,
            ``("dump siteinfo", "Wikipedia")``. Never a file name.
        text: page text to look for telling boilerplate in (kept and removed text together).

    Returns:
        The kind and its origin (``page: <where> '<value>'``), or ``DocKind.UNKNOWN`` and
        ``"default"`` when the page says nothing telling.
    """
    rules = _rules()
    for where, value in metadata:
        name = _NON_ALNUM.sub(" ", value.lower()).strip()
        if not name:
            continue
        for kind, site_patterns, _ in rules:
            if any(p.search(name) for p in site_patterns):
                return kind, f"{KIND_FROM_PAGE}{where} {_quoted(value)}"
    lowered = text.lower()
    for kind, _, text_patterns in rules:
        for pattern in text_patterns:
            match = pattern.search(lowered)
            if match is not None:
                return kind, f"{KIND_FROM_PAGE}text {_quoted(match.group(0))}"
    return DocKind.UNKNOWN, KIND_DEFAULT


def _quoted(value: str) -> str:
    value = " ".join(value.split())
    if len(value) > MAX_ORIGIN_CHARS:
        value = value[: MAX_ORIGIN_CHARS - 1] + "…"
    return "'" + value.replace("'", "’") + "'"
