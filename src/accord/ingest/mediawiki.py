"""MediaWiki markup ingest with mwparserfromhell: headings, lists, links, templates, refs.

Date templates ({{start date|1941|7|12}}) are rendered ("12 July 1941"), infobox templates
become infobox lines, and refs, files, categories and other templates go to ``removed``.
"""

from __future__ import annotations

import calendar
import logging
import re
from typing import ClassVar

import mwparserfromhell
from mwparserfromhell.nodes import (
    Comment,
    ExternalLink,
    Heading,
    HTMLEntity,
    Node,
    Tag,
    Template,
    Text,
    Wikilink,
)
from mwparserfromhell.wikicode import Wikicode

from accord.ingest import layout, text
from accord.ingest.base import ingesters
from accord.ingest.blocks import Block, Drop, Item, cut_spans, squash
from accord.model import Document

logger = logging.getLogger(__name__)

MAX_BOLD_ALIASES = 5  # the lead's bold names; more means bold is used for emphasis

_OPEN, _CLOSE, _INFOBOX = "\ue000", "\ue001", "\ue002"  # private-use placeholders
_PLACEHOLDER = re.compile(f"{_OPEN}(\\d+){_CLOSE}")
_MAGIC_WORD = re.compile(r"__[A-Z]{3,}__")

DATE_TEMPLATES = frozenset(
    [
        "date",
        "start date",
        "end date",
        "birth date",
        "death date",
        "start date and age",
        "end date and age",
        "birth date and age",
        "death date and age",
        "dts",
        "film date",
        "release date",
        "start-date",
        "end-date",
        "start and end dates",
        "birth-date",
        "death-date",
    ]
)
FIRST_ARG_TEMPLATES = frozenset(
    [
        "nowrap",
        "nobr",
        "small",
        "smaller",
        "big",
        "sic",
        "abbr",
        "visible anchor",
        "ill",
        "interlanguage link",
        "flag",
        "flagcountry",
        "flagu",
        "flag country",
        "country",
        "lang-en",
        "transl",
        "noitalic",
        "nowiki",
        "keep together",
        "avoid wrap",
        "mvar",
        "math",
        "text",
        "tooltip",
        "ship",
    ]
)
LIST_TEMPLATES = frozenset(
    ["plainlist", "plain list", "unbulleted list", "ubl", "flatlist", "hlist", "bulleted list"]
)
REFERENCE_TEMPLATES = frozenset(
    ["citation", "sfn", "sfnp", "efn", "r", "refn", "harvnb", "harvtxt", "rp", "ref label"]
)
REFERENCE_LIST_TEMPLATES = frozenset(["reflist", "notelist", "refbegin", "refend", "references"])
CAPTION_TEMPLATES = frozenset(["flagicon", "flagdeco", "flag icon", "flagicon image"])
DROPPED_TAGS = {
    "ref": "reference",
    "references": "reference list",
    "gallery": "image gallery",
    "table": "table",
    "timeline": "timeline",
    "graph": "graph",
    "syntaxhighlight": "code block",
    "source": "code block",
    "pre": "code block",
    "math": "formula",
    "score": "musical score",
    "imagemap": "image map",
}
_SKIPPED_INFOBOX_FIELDS = re.compile(
    r"^(?:name|image|caption|alt|map|logo|signature|seal|flag|embed|module|width|size|"
    r"footnotes|coordinates|coords|image_\w+|\w+_image|\w+_caption|map_\w+|\w+_size|\w+_width)$"
)


class _Renderer:
    """Renders wikicode to text, leaving a placeholder where markup was dropped."""

    def __init__(self) -> None:
        self.drops: list[tuple[str, str]] = []

    def drop(self, dropped: str, reason: str) -> str:
        self.drops.append((squash(_PLACEHOLDER.sub("", dropped).replace(_INFOBOX, "")), reason))
        return f"{_OPEN}{len(self.drops) - 1}{_CLOSE}"

    def plain(self, code: Wikicode | None) -> str:
        """Render without keeping placeholders (for values and dropped text)."""
        if code is None:
            return ""
        return squash(_PLACEHOLDER.sub("", self.render(code)).replace(_INFOBOX, ""))

    def render(self, code: Wikicode) -> str:
        return "".join(self.node(n) for n in code.nodes)

    def node(self, node: Node) -> str:
        if isinstance(node, Text):
            return _MAGIC_WORD.sub("", node.value)
        if isinstance(node, Comment):
            return ""
        if isinstance(node, HTMLEntity):
            return str(node.normalize())
        if isinstance(node, Heading):
            marks = "=" * node.level
            return f"\n{marks} {self.plain(node.title)} {marks}\n"
        if isinstance(node, Wikilink):
            return self.wikilink(node)
        if isinstance(node, ExternalLink):
            return self.plain(node.title) if node.title else ""
        if isinstance(node, Template):
            return self.template(node)
        if isinstance(node, Tag):
            return self.tag(node)
        return ""

    def wikilink(self, node: Wikilink) -> str:
        target = str(node.title).strip()
        namespace = target.split(":", 1)[0].strip().lower() if ":" in target else ""
        if namespace in ("file", "image", "media"):
            caption = str(node.text).split("|")[-1] if node.text else target
            return self.drop(self.plain(mwparserfromhell.parse(caption)), "image caption")
        if namespace == "category":
            return self.drop(target, "category")
        if re.fullmatch(r"[a-z]{2,3}(?:-[a-z]+)?", namespace):
            return self.drop(target, "language link")
        if node.text:
            return self.plain(node.text)
        return target.split("#", 1)[0].lstrip(":")

    def template(self, node: Template) -> str:
        name = squash(str(node.name).replace("_", " ")).lower()
        positional = [self.plain(p.value) for p in node.params if not p.showkey]
        if name in DATE_TEMPLATES:
            return _render_date(positional) or self.drop(str(node), "template")
        if name.startswith("infobox"):
            return self.infobox(node)
        if name in FIRST_ARG_TEMPLATES or name.startswith("lang-"):
            return positional[0] if positional else ""
        if name == "lang":
            return positional[1] if len(positional) > 1 else ""
        if name == "convert" and len(positional) >= 2:
            return f"{positional[0]} {positional[1]}"
        if name in ("circa", "c."):
            return f"c. {positional[0]}" if positional else "c."
        if name in LIST_TEMPLATES:
            return ", ".join(_list_values(" \n".join(self.render(p.value) for p in node.params)))
        if name.startswith("cite") or name in REFERENCE_TEMPLATES:
            return self.drop(str(node), "reference")
        if name in REFERENCE_LIST_TEMPLATES:
            return self.drop(str(node), "reference list")
        if name in CAPTION_TEMPLATES:
            return self.drop(str(node), "image caption")
        return self.drop(str(node), "template")

    def infobox(self, node: Template) -> str:
        lines = []
        for param in node.params:
            field = squash(str(param.name)).lower()
            if not param.showkey or _SKIPPED_INFOBOX_FIELDS.match(field):
                continue
            value = ", ".join(_list_values(self.render(param.value)))
            if value:
                label = field.replace("_", " ").strip()
                lines.append(f"{_INFOBOX}{label[:1].upper()}{label[1:]} {value}")
        return "\n" + "\n".join(lines) + "\n"

    def tag(self, node: Tag) -> str:
        name = str(node.tag).strip().lower()
        if name in DROPPED_TAGS:
            return self.drop(self.plain(node.contents) or str(node), DROPPED_TAGS[name])
        if name == "li":
            return "* "
        if name in ("dt", "dd", "hr"):
            return "" if name != "hr" else "\n"
        if name == "br":
            return " "
        if name == "nowiki":
            return str(node.contents or "")
        return self.render(node.contents) if node.contents is not None else ""


def _list_values(rendered: str) -> list[str]:
    values = []
    for line in _PLACEHOLDER.sub("", rendered).replace(_INFOBOX, "").split("\n"):
        _, value = text.split_marker(line)
        value = squash(value)
        if value:
            values.append(value)
    return values


def _is_number(text: str) -> bool:
    """ASCII digits only: ``str.isdigit`` also accepts "³", which ``int`` refuses."""
    return text.isascii() and text.isdigit()


def _render_date(args: list[str]) -> str | None:
    """Render {{start date|1941|7|12}} as "12 July 1941" and {{date|12 July 1941}} as is."""
    args = [a for a in args if a and "=" not in a]
    if not args:
        return None
    if not _is_number(args[0]):
        return args[0]
    year, parts = args[0], args[1:3]
    if not parts or not _is_number(parts[0]) or not 1 <= int(parts[0]) <= 12:
        return year
    month = calendar.month_name[int(parts[0])]
    if len(parts) > 1 and _is_number(parts[1]):
        return f"{int(parts[1])} {month} {year}"
    return f"{month} {year}"


def bold_names(code: Wikicode) -> list[str]:
    """The '''bold''' names of the lead's first paragraph: the subject's names."""
    names: list[str] = []
    started = False
    for node in code.nodes:
        if isinstance(node, Heading):
            break
        if isinstance(node, Tag) and node.wiki_markup == "'''" and node.contents is not None:
            name = squash(node.contents.strip_code())
            if name and len(names) < MAX_BOLD_ALIASES:
                names.append(name)
            started = True
        elif started and isinstance(node, Text) and "\n\n" in node.value:
            break
    return names


def _placeholders_to_cuts(items: list[Item], drops: list[tuple[str, str]]) -> list[Item]:
    out: list[Item] = []
    for item in items:
        if not isinstance(item, Block):
            out.append(item)
            continue
        if item.text.startswith(_INFOBOX):
            item = Block(kind="infobox", text=item.text.replace(_INFOBOX, "").strip())
        matches = list(_PLACEHOLDER.finditer(item.text))
        spans = [(m.start(), m.end(), drops[int(m.group(1))][1]) for m in matches]
        recorded = {m.start(): drops[int(m.group(1))][0] for m in matches}
        item = cut_spans(item, spans, recorded)
        if item.text.strip(" ,;:"):
            out.append(item)
        else:
            out.extend(Drop(text=c.text, reason=c.reason) for c in item.cuts)
    return out


@ingesters.register("accord.mediawiki.v1")
class MediaWikiIngester:
    """Reads MediaWiki markup: sections from ``== X ==``, link text, rendered dates."""

    name: ClassVar[str] = "accord.mediawiki.v1"
    format: ClassVar[str] = "mediawiki"

    def ingest(self, text: str, *, source: str, encoding: str) -> Document:
        """Clean MediaWiki ``text`` and return the document."""
        markup = re.sub(f"[{_OPEN}{_CLOSE}{_INFOBOX}]", "", text)
        code = mwparserfromhell.parse(markup)
        renderer = _Renderer()
        rendered = renderer.render(code)
        items = _placeholders_to_cuts(_text_items(rendered), renderer.drops)
        return layout.assemble(
            items,
            source=source,
            fmt=self.format,
            encoding=encoding,
            aliases=bold_names(code),
            analyse_head=True,
        )


def _text_items(rendered: str) -> list[Item]:
    # Infobox lines must not be joined with neighbours: put each in its own block.
    spaced = re.sub(f"\n?({_INFOBOX}[^\n]*)\n?", r"\n\n\1\n\n", rendered)
    return text.lines_to_items(spaced)
