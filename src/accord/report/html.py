"""The report as one self-contained HTML file: the documents side by side with claims lit up.

Everything a document says is escaped (Jinja2 autoescaping); the page loads nothing from
outside and its own Content-Security-Policy allows only its inline style and script.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from itertools import pairwise
from typing import TYPE_CHECKING, Any, ClassVar

from markupsafe import Markup

from accord.model import Claim, Label, Report, Verdict
from accord.report.base import reporters
from accord.report.json import to_dict
from accord.report.svg import (
    MATRIX_KEYS,
    TIMELINE_KEYS,
    agreement_matrix,
    date_timeline,
    relation_text,
    swatch,
)
from accord.report.views import (
    agreements,
    asked,
    clean,
    date_fields,
    doc_label,
    documents_by_id,
    evidence_quotes,
    is_possible_conflict,
    kind_text,
    no_contradiction_note,
    possible_conflict_note,
    single_source,
    source_facts,
    source_relations,
    truncate,
)

if TYPE_CHECKING:
    import jinja2

__all__ = [
    "AGREES",
    "CONTRADICTS",
    "POSSIBLE",
    "SINGLE",
    "HTMLReporter",
    "Segment",
    "asset_hashes",
    "claim_categories",
    "csp_hash",
    "page_keys",
    "segment_text",
    "to_html",
]

CONTRADICTS = "contradicts"
POSSIBLE = "possible"
AGREES = "agrees"
SINGLE = "single"
_RANK = {CONTRADICTS: 4, POSSIBLE: 3, AGREES: 2, SINGLE: 1}
"""When highlighted claims overlap, the strongest finding decides a piece of text's style. A
possible conflict outranks an agreement: it is the candidate a reader came to check."""

MAX_REMOVED_CHARS = 600  # a removed block is shown to judge it, not to be read whole
MAX_TITLE_CHARS = 120
MAX_PANEL_CHARS = 400  # a claim is a sentence or a clause; longer ones are cut in the panel
MAX_AGREEMENTS = 50  # the page lists this many agreements; the JSON report lists them all
MAX_ONLY_IN = 30  # claims listed per source under "Only in"
OPEN_SOURCES_MAX = 6  # up to this many sources, each document and "Only in" list starts open
_TEMPLATES = "templates"
_JSON_ESCAPES = {
    ord("<"): "\\u003c",
    ord(">"): "\\u003e",
    ord("&"): "\\u0026",
    0x2028: "\\u2028",
    0x2029: "\\u2029",
}
"""What must not appear raw inside ``<script type="application/json">``: a document's
``</script>`` would otherwise end the element."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Segment:
    """A run of a document's text covered by the same set of claims.

    Attributes:
        text: the text of the run.
        claims: ids of every claim covering the run, innermost first.
        category: ``contradicts``, ``possible``, ``agrees``, ``single`` or ``None`` (plain
            text).
        primary: the claim a click on the run selects: the innermost of the top category.
    """

    text: str
    claims: tuple[str, ...] = ()
    category: str | None = None
    primary: str | None = None


def claim_categories(report: Report) -> dict[str, str]:
    """Map each shown claim's id to its category.

    A claim in a CONTRADICTS verdict is ``contradicts``; else one in a possible conflict is
    ``possible``; else one in a SUPPORTS verdict is ``agrees``; the claims
    ``views.single_source`` lists are ``single``. Headings are not shown.
    """
    categories: dict[str, str] = {}
    for verdict in report.verdicts:
        if verdict.label is Label.CONTRADICTS:
            found = CONTRADICTS
        elif is_possible_conflict(verdict):
            found = POSSIBLE
        elif verdict.label is Label.SUPPORTS:
            found = AGREES
        else:
            continue
        for claim in (verdict.pair.left, verdict.pair.right):
            if _RANK[found] > _RANK.get(categories.get(claim.id, ""), 0):
                categories[claim.id] = found
    for only in single_source(report):
        for claim in only.claims:
            categories.setdefault(claim.id, SINGLE)
    return categories


def _linked(verdict: Verdict) -> bool:
    """Whether the page links the verdict's two claims: decided, or a possible conflict."""
    return verdict.label in (Label.SUPPORTS, Label.CONTRADICTS) or is_possible_conflict(verdict)


def segment_text(
    text: str, claims: Iterable[Claim], categories: Mapping[str, str]
) -> list[Segment]:
    """Cut ``text`` at every claim boundary so overlapping and nested spans can be shown.

    Args:
        text: the document's text.
        claims: claims of that document; those without a category or with offsets outside
            the text are left out.
        categories: claim id to category, as ``claim_categories`` gives.

    Returns:
        Segments that together spell ``text`` exactly, in order.
    """
    spans: dict[str, tuple[int, int]] = {}
    for claim in claims:
        start, end = claim.span.start, claim.span.end
        if claim.id in categories and 0 <= start < end <= len(text):
            spans[claim.id] = (start, end)
    starts: dict[int, list[str]] = {}
    ends: dict[int, list[str]] = {}
    for claim_id, (start, end) in spans.items():
        starts.setdefault(start, []).append(claim_id)
        ends.setdefault(end, []).append(claim_id)
    cuts = sorted({0, len(text), *starts, *ends})
    active: set[str] = set()
    segments: list[Segment] = []
    for left, right in pairwise(cuts):
        active.difference_update(ends.get(left, ()))
        active.update(starts.get(left, ()))
        segments.append(_segment(text[left:right], active, spans, categories))
    return segments


def _segment(
    text: str, active: set[str], spans: Mapping[str, tuple[int, int]], categories: Mapping[str, str]
) -> Segment:
    if not active:
        return Segment(text=text)

    def width(claim_id: str) -> tuple[int, str]:
        start, end = spans[claim_id]
        return (end - start, claim_id)

    covering = tuple(sorted(active, key=width))
    category = max((categories[c] for c in covering), key=_RANK.__getitem__)
    primary = next(c for c in covering if categories[c] == category)
    return Segment(text=text, claims=covering, category=category, primary=primary)


def _script_json(data: Any) -> Markup:
    """JSON for an inline ``application/json`` script: no ``<``, ``>`` or ``&`` left raw."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return Markup(text.translate(_JSON_ESCAPES))  # escaped just above


@cache
def _environment() -> jinja2.Environment:
    import jinja2  # only when a page is rendered: the terminal report does not need it

    loader = jinja2.PackageLoader("accord.report", _TEMPLATES)
    env = jinja2.Environment(loader=loader, autoescape=True, undefined=jinja2.StrictUndefined)
    env.filters["clean"] = clean
    env.filters["truncate_chars"] = truncate
    return env


@cache
def _asset(name: str) -> str:
    return (resources.files("accord.report") / _TEMPLATES / name).read_text(encoding="utf-8")


def csp_hash(text: str) -> str:
    """Return the CSP source expression (``'sha256-...'``) that allows an inline ``text``."""
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def asset_hashes() -> dict[str, str]:
    """Return the CSP source expressions of the report's inline ``style`` and ``script``.

    A server that shows the report sends a Content-Security-Policy allowing exactly these.
    """
    return {"style": csp_hash(_asset("report.css")), "script": csp_hash(_asset("report.js"))}


def page_keys(report: Report, shown: Mapping[str, str]) -> dict[str, str]:
    """Short page-local keys (``c0``, ``c1``...) for every claim the page shows or links.

    ``shown`` is what ``claim_categories`` gives. Claim ids never reach the page: keys are
    safe in attributes and in space-separated lists.
    """
    keys: dict[str, str] = {}
    linked = {
        claim.id
        for verdict in report.verdicts
        if _linked(verdict)
        for claim in (verdict.pair.left, verdict.pair.right)
    }
    for claim in report.claims:
        if (claim.id in shown or claim.id in linked) and claim.id not in keys:
            keys[claim.id] = f"c{len(keys)}"
    return keys


def _page_data(
    report: Report, data: Mapping[str, Any], shown: Mapping[str, str], keys: Mapping[str, str]
) -> Any:
    """What the page's script needs: linked verdicts (possible conflicts included), and the
    claims they join, by page key."""
    index = {doc.id: position for position, doc in enumerate(report.documents)}
    findings = data["findings"]
    verdicts = [
        {key: findings[verdict["finding"]][key] for key in ("method", "reason", "field")}
        | {
            "label": verdict["label"],
            "confidence": verdict["confidence"],
            "possible_conflict": verdict.get("possible_conflict", False),
            "left": keys[verdict["left"]],
            "right": keys[verdict["right"]],
        }
        for verdict in data["verdicts"]
        if verdict["label"] in (Label.SUPPORTS.value, Label.CONTRADICTS.value)
        or verdict.get("possible_conflict", False)
    ]
    claims = {
        keys[claim["id"]]: {
            "doc": index.get(claim["doc_id"], -1),
            "text": truncate(clean(claim["text"]), MAX_PANEL_CHARS),
            "category": shown.get(claim["id"], ""),
        }
        for claim in data["claims"]
        if claim["id"] in keys
    }
    labels = [doc_label(report, doc.id) for doc in report.documents]
    return {"verdicts": verdicts, "claims": claims, "documents": labels}


def _documents(report: Report, categories: Mapping[str, str]) -> list[dict[str, Any]]:
    shown_counts = {category: 0 for category in _RANK}
    result = []
    for doc in report.documents:
        claims = [claim for claim in report.claims if claim.doc_id == doc.id]
        counts = dict(shown_counts)
        for claim in claims:
            if claim.id in categories:
                counts[categories[claim.id]] += 1
        result.append(
            {
                "doc": doc,
                "label": truncate(doc_label(report, doc.id), MAX_TITLE_CHARS),
                "kind": kind_text(doc),
                "facts": source_facts(doc),
                "segments": segment_text(doc.text, claims, categories),
                "counts": counts,
                "removed": [
                    {
                        "reason": clean(removed.reason),
                        "text": truncate(clean(removed.text), MAX_REMOVED_CHARS),
                    }
                    for removed in doc.removed
                ],
            }
        )
    return result


def _record_rows(report: Report, data: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Record fields with, per document in report order, the values that document gives."""
    rows = []
    positions = {doc.id: i for i, doc in enumerate(report.documents)}
    for item in data["record"]["fields"]:
        by_doc: list[list[dict[str, Any]]] = [[] for _ in report.documents]
        for value in item["values"]:
            position = positions.get(value["doc_id"])
            if position is not None:
                by_doc[position].append(value)
        rows.append({**item, "by_doc": by_doc})
    return rows


def _pictures(report: Report) -> dict[str, Any]:
    """The inline SVG pictures, their legends and the matrix's text alternative."""
    labels = [doc_label(report, doc.id) for doc in report.documents]
    relations = source_relations(report)
    pairs = [
        {
            "left": labels[first],
            "right": labels[second],
            "state": relation.state,
            "text": relation_text(relation),
        }
        for (first, second), relation in relations.items()
    ]
    # Built, cleaned and escaped by accord.report.svg.
    matrix = agreement_matrix(labels, relations) if len(labels) > 1 else ""
    return {
        "matrix": Markup(matrix),
        "timeline": Markup(date_timeline(date_fields(report), labels)),
        "pairs": pairs,
        "pair_count": len(labels) * (len(labels) - 1) // 2,
        "matrix_keys": [
            {
                "state": state,
                "swatch": Markup(swatch(key.fill, key.glyph, key.ink)),
                "text": key.text,
            }
            for state, key in MATRIX_KEYS.items()
        ],
        "timeline_keys": [
            {"swatch": Markup(swatch(key.fill, key.glyph, key.ink)), "text": key.text}
            for key in TIMELINE_KEYS.values()
        ],
    }


def _agreement_items(report: Report, limit: int) -> list[dict[str, Any]]:
    """The first ``limit`` agreements as the page lists them: the finding and both quotes."""
    documents = documents_by_id(report)
    items = []
    for verdict in agreements(report)[:limit]:
        claims = (verdict.pair.left, verdict.pair.right)
        quotes = evidence_quotes(verdict, documents)
        items.append(
            {
                "confidence": verdict.confidence,
                "method": verdict.method,
                "reason": verdict.reason,
                "field": verdict.field,
            }
            | {
                side: {"claim_id": claim.id, "doc_id": claim.doc_id, "quote": quote.text}
                for side, claim, quote in zip(("left", "right"), claims, quotes, strict=True)
            }
        )
    return items


def to_html(report: Report) -> str:
    """Render ``report`` as one self-contained HTML page.

    Returns:
        The page: inline CSS and JavaScript, no external resource of any kind.
    """
    # The page links agreements, contradictions and possible conflicts, nothing else: the
    # verdicts the JSON report lists by default.
    data = to_dict(report)
    categories = claim_categories(report)
    documents = _documents(report, categories)
    keys = page_keys(report, categories)
    labels = {doc.id: doc_label(report, doc.id) for doc in report.documents}
    template = _environment().get_template("report.html.j2")
    hashes = asset_hashes()
    csp = (
        "default-src 'none'; "
        f"style-src {hashes['style']}; script-src {hashes['script']}; "
        "img-src data:; base-uri 'none'; form-action 'none'"
    )
    return template.render(
        data=data,
        labels=labels,
        documents=documents,
        doc_count=len(documents),
        record_rows=_record_rows(report, data),
        open_sources=len(documents) <= OPEN_SOURCES_MAX,
        max_agreements=MAX_AGREEMENTS,
        agreement_count=len(data["summary"]["agreements"]),
        agreement_items=_agreement_items(report, MAX_AGREEMENTS),
        max_only_in=MAX_ONLY_IN,
        question=asked(report),
        **_pictures(report),
        keys=keys,
        page_data=_script_json(_page_data(report, data, categories, keys)),
        possible_note=possible_conflict_note(report),
        no_contradiction_note=no_contradiction_note(
            report, len(data["summary"]["possible_conflicts"])
        ),
        css=Markup(_asset("report.css")),  # our own file
        script=Markup(_asset("report.js")),  # our own file
        csp=csp,
    )


@reporters.register("accord.html.v1")
class HTMLReporter:
    """Renders a report as one self-contained HTML page (registered as ``accord.html.v1``)."""

    name: ClassVar[str] = "accord.html.v1"
    media_type: ClassVar[str] = "text/html"

    def render(self, report: Report) -> str:
        """Return the report as an HTML page."""
        return to_html(report)
