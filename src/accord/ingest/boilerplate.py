"""Site boilerplate removal shared by every format, driven by ``accord/data/boilerplate.json``.

Drops ad-blocker, cookie and subscribe notices, cuts image captions, edit links and citation
markers out of lines, and drops reference-list sections (See also, Notes, References...).
"""

from __future__ import annotations

import functools
import json
import logging
import re
from dataclasses import dataclass
from importlib import resources

from accord.ingest.blocks import Block, Drop, Item, cut_spans

logger = logging.getLogger(__name__)

DATA_FILE = "boilerplate.json"
CAPTION_NAME_MAX_CHARS = 60  # a flag/arms caption names one country or body, never a sentence
LONE_CAPTION_MAX_WORDS = 8  # "Flag of the Soviet Union (1923-1955)" alone on a line


@dataclass(frozen=True, slots=True, kw_only=True)
class Rules:
    """The compiled contents of the boilerplate data file."""

    version: int
    max_paragraph_chars: int
    paragraph: tuple[tuple[re.Pattern[str], str], ...]
    line: tuple[tuple[re.Pattern[str], str], ...]
    inline: tuple[tuple[re.Pattern[str], str], ...]
    captions: tuple[tuple[re.Pattern[str], str], ...]
    lone_captions: tuple[tuple[re.Pattern[str], str], ...]
    reference_sections: frozenset[str]


@functools.cache
def load_rules() -> Rules:
    """Load and compile the boilerplate data file (once per process)."""
    raw = json.loads(resources.files("accord").joinpath("data", DATA_FILE).read_text("utf-8"))
    flags = re.IGNORECASE

    def compiled(key: str, template: str = "{}") -> tuple[tuple[re.Pattern[str], str], ...]:
        return tuple(
            (re.compile(template.format(entry["pattern"]), flags), entry["reason"])
            for entry in raw[key]
        )

    captions = []
    lone = []
    for entry in raw["caption_prefixes"]:
        prefix = r"\s+".join(re.escape(word) for word in entry["prefix"].split())
        name = rf"(?P<name>[^()\n]{{1,{CAPTION_NAME_MAX_CHARS}}}?)"
        years = r"(?:\s*\([^()\n]{0,40}\))?"
        captions.append(
            (
                re.compile(
                    rf"\b{prefix}\s+(?:the\s+)?{name}{years}\s+(?=(?:the\s+)?(?P=name)\b)", flags
                ),
                entry["reason"],
            )
        )
        lone.append(
            (
                re.compile(rf"^{prefix}\s+(?:\S+\s*){{1,{LONE_CAPTION_MAX_WORDS}}}$", flags),
                entry["reason"],
            )
        )
    return Rules(
        version=int(raw["version"]),
        max_paragraph_chars=int(raw["max_paragraph_chars"]),
        paragraph=compiled("paragraph"),
        line=compiled("line", r"^\s*(?:{})\s*[.!:]?\s*$"),
        inline=compiled("inline"),
        captions=tuple(captions),
        lone_captions=tuple(lone),
        reference_sections=frozenset(name.casefold() for name in raw["reference_sections"]),
    )


def junk_reason(text: str) -> str | None:
    """Return why a paragraph is boilerplate, or ``None`` when it is content.

    Only paragraphs up to the data file's ``max_paragraph_chars`` are judged, so an article
    that discusses advertising or cookies at length keeps its text.
    """
    rules = load_rules()
    for pattern, reason in rules.line:
        if pattern.match(text):
            return reason
    if len(text) > rules.max_paragraph_chars:
        return None
    for pattern, reason in rules.paragraph:
        if pattern.search(text):
            return reason
    return None


def is_reference_heading(title: str) -> bool:
    """Whether a heading opens a reference-list section (See also, Notes, References...)."""
    return title.strip(" :").casefold() in load_rules().reference_sections


def drop_junk(items: list[Item]) -> list[Item]:
    """Replace every block that is boilerplate (or a lone image caption) with a ``Drop``."""
    rules = load_rules()
    out: list[Item] = []
    for item in items:
        if isinstance(item, Block) and item.kind != "title":
            reason = junk_reason(item.text)
            if reason is None and item.kind != "heading":
                reason = next((r for p, r in rules.lone_captions if p.match(item.text)), None)
            if reason is not None:
                logger.debug("dropped %s: %.60s", reason, item.text)
                out.append(Drop(text=item.text, reason=reason))
                continue
        out.append(item)
    return out


def cut_inline(items: list[Item]) -> list[Item]:
    """Cut image captions ("Flag of X X" -> "X"), edit links and citation markers from lines."""
    rules = load_rules()
    out: list[Item] = []
    for item in items:
        if isinstance(item, Block):
            spans: list[tuple[int, int, str]] = []
            for pattern, reason in (*rules.captions, *rules.inline):
                spans.extend((m.start(), m.end(), reason) for m in pattern.finditer(item.text))
            item = cut_spans(item, spans)
            if not item.text and item.cuts:
                out.extend(Drop(text=c.text, reason=c.reason) for c in item.cuts)
                continue
        out.append(item)
    return out


def drop_reference_sections(items: list[Item]) -> list[Item]:
    """Drop each reference-list section, heading and body, as one ``Drop``.

    Drops already inside such a section (a page footer, say) are kept as their own entries.
    """
    out: list[Item] = []
    dropping: tuple[int, str, list[str]] | None = None  # (level, title, lines so far)
    passed: list[Item] = []  # drops met inside the section, emitted after it
    for item in items:
        is_heading = isinstance(item, Block) and item.kind == "heading"
        if dropping is not None:
            if isinstance(item, Drop):
                passed.append(item)
                continue
            if is_heading and item.level <= dropping[0]:
                out.append(_section_drop(dropping))
                out.extend(passed)
                dropping, passed = None, []
            else:
                dropping[2].append(item.text)
                continue
        if isinstance(item, Block) and is_heading and is_reference_heading(item.text):
            dropping = (item.level, item.text, [item.text])
            continue
        out.append(item)
    if dropping is not None:
        out.append(_section_drop(dropping))
        out.extend(passed)
    return out


def _section_drop(dropping: tuple[int, str, list[str]]) -> Drop:
    _, title, lines = dropping
    return Drop(text="\n".join(lines), reason=f"reference section: {title}")
