"""Inline SVG pictures for the HTML report: who agrees with whom, and the dates each source gives.

Pure string building: every piece of text is cleaned and HTML-escaped here, nothing is
fetched, and colours are presentation attributes (no inline ``style``, which the CSP blocks).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html import escape

from accord.report.views import DateField, DatePoint, SourceRelation, clean, truncate

__all__ = [
    "MATRIX_KEYS",
    "SELF_FILL",
    "TIMELINE_KEYS",
    "Key",
    "agreement_matrix",
    "date_timeline",
    "matrix_cell_size",
    "relation_text",
    "swatch",
]


@dataclass(frozen=True, slots=True, kw_only=True)
class Key:
    """How one kind of cell or mark is drawn and named: colour, glyph and text colour."""

    fill: str
    glyph: str
    ink: str
    text: str


# Okabe-Ito colours, as the rest of the report; each kind also has its own glyph, so colour
# is never the only cue.
MATRIX_KEYS: dict[str, Key] = {
    "agree": Key(fill="#0072b2", glyph="=", ink="#ffffff", text="agree, no contradiction"),
    "contradict": Key(fill="#d55e00", glyph="≠", ink="#ffffff", text="contradict, no agreement"),
    "mixed": Key(
        fill="#f0e442", glyph="±", ink="#1a1a1a", text="agree on some, contradict on others"
    ),
    "possible": Key(
        fill="#cc79a7",
        glyph="?",
        ink="#1a1a1a",
        text="only possible conflicts (under the threshold)",
    ),
    "silent": Key(fill="#f2f2f2", glyph="", ink="#1a1a1a", text="nothing in common"),
}
SELF_FILL = "#ffffff"
GRID_STROKE = "#c8c8c8"
INK = "#1a1a1a"
MUTED = "#595959"

TIMELINE_KEYS: dict[str, Key] = {
    "consensus": Key(fill="#0072b2", glyph="=", ink="#ffffff", text="the record's consensus"),
    "other": Key(fill="#d55e00", glyph="≠", ink="#ffffff", text="another value, contradicted"),
    "compatible": Key(fill="#56b4e9", glyph="~", ink=INK, text="another value, not contradicted"),
    "single": Key(fill="#4d4d4d", glyph="·", ink="#ffffff", text="only one source gives it"),
}

MIN_CELL_PX = 14  # smallest cell a pointer can still hit and a glyph still fits in
MAX_CELL_PX = 36
MATRIX_TARGET_PX = 560  # the matrix aims at this width; many sources make it wider and it scrolls
MAX_ROW_LABEL_CHARS = 32  # the full label is in the row's and the column's tooltip
MAX_TOOLTIP_LABEL_CHARS = 60
CHAR_PX = 6.6  # average width of a 11px system-font character, to size the label column
LABEL_FONT_PX = 11
MAX_TOOLTIP_SOURCES = 12  # a timeline mark names at most this many sources in its tooltip


def _text(text: str) -> str:
    """Document text as SVG character data or an attribute value: cleaned and escaped."""
    return escape(clean(text), quote=True)


def _num(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def matrix_cell_size(sources: int) -> int:
    """Return the side of one matrix cell in pixels for ``sources`` sources."""
    return max(MIN_CELL_PX, min(MAX_CELL_PX, MATRIX_TARGET_PX // max(sources, 1)))


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def relation_text(relation: SourceRelation) -> str:
    """Say what a pair of sources share: ``2 agreements, 1 contradiction`` or ``nothing in
    common``."""
    parts = []
    if relation.agreements:
        parts.append(_plural(relation.agreements, "agreement"))
    if relation.contradictions:
        parts.append(_plural(relation.contradictions, "contradiction"))
    if relation.possible:
        parts.append(_plural(relation.possible, "possible conflict"))
    return ", ".join(parts) or "nothing in common"


def swatch(fill: str, glyph: str, ink: str, size: int = 16) -> str:
    """A small square in ``fill`` with ``glyph``, for a legend; hidden from screen readers
    (the legend's words say the same)."""
    return (
        f'<svg class="swatch-svg" width="{size}" height="{size}" viewBox="0 0 {size} {size}" '
        f'aria-hidden="true" focusable="false"><rect x="0.5" y="0.5" width="{size - 1}" '
        f'height="{size - 1}" fill="{escape(fill)}" stroke="{GRID_STROKE}"/>'
        f'<text x="{size / 2}" y="{size / 2}" fill="{escape(ink)}" font-size="{size * 0.7:.1f}" '
        f'text-anchor="middle" dominant-baseline="central">{escape(glyph)}</text></svg>'
    )


def agreement_matrix(
    labels: Sequence[str],
    relations: Mapping[tuple[int, int], SourceRelation],
    *,
    chart_id: str = "matrix",
) -> str:
    """Draw who agrees with whom: one row and one column per source, a cell per pair.

    Args:
        labels: each source's label (``[n] title``), in report order.
        relations: what each pair shares, keyed by 0-based positions, lower first (as
            ``views.source_relations`` gives); a pair not in it is silent.
        chart_id: the id of the ``svg`` element; its title and description ids derive from it.

    Returns:
        An ``<svg>`` element with ``len(labels) ** 2`` cells (``rect.cell``): the diagonal
        (``cell-self``) is each source against itself, every other cell is coloured by its
        pair's state (``cell-agree``, ``cell-contradict``, ``cell-mixed``, ``cell-possible``,
        ``cell-silent``) and carries a tooltip naming both sources and what they share.
    """
    count = len(labels)
    cell = matrix_cell_size(count)
    shown = [truncate(clean(label), MAX_ROW_LABEL_CHARS) for label in labels]
    left = math.ceil(max((len(label) for label in shown), default=4) * CHAR_PX) + 8
    rotate = cell < 28  # column numbers stand upright when a cell is too narrow for them
    top = (len(str(count)) + 2) * 7 + 10 if rotate else 22
    width, height = left + count * cell + 2, top + count * cell + 2
    tally = {state: 0 for state in MATRIX_KEYS}
    for first in range(count):
        for second in range(first + 1, count):
            tally[relations.get((first, second), SourceRelation()).state] += 1
    title = f"Who agrees with whom: {count} sources, {_plural(count * (count - 1) // 2, 'pair')}"
    summary = "; ".join(
        f"{_plural(tally[state], 'pair')}: {MATRIX_KEYS[state].text}"
        for state in MATRIX_KEYS
        if tally[state]
    )
    ident = escape(chart_id, quote=True)
    parts = [
        f'<svg class="chart matrix" id="{ident}" role="img" '
        f'aria-labelledby="{ident}-title {ident}-desc" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="system-ui, sans-serif" '
        f'font-size="{LABEL_FONT_PX}">',
        f'<title id="{ident}-title">{_text(title)}</title>',
        f'<desc id="{ident}-desc">{_text(summary or "no pair of sources shares a finding")}. '
        "Each row and each column is a source; a cell says what the two share.</desc>",
    ]
    for index, label in enumerate(shown):
        y = top + index * cell + cell / 2
        parts.append(
            f'<text class="row-label" x="{left - 6}" y="{_num(y)}" text-anchor="end" '
            f'dominant-baseline="central" fill="{INK}"><title>{_text(labels[index])}</title>'
            f"{_text(label)}</text>"
        )
        x = left + index * cell + cell / 2
        if rotate:
            parts.append(
                f'<text class="col-label" x="{_num(x)}" y="{top - 4}" '
                f'transform="rotate(-90 {_num(x)} {top - 4})" dominant-baseline="central" '
                f'fill="{INK}"><title>{_text(labels[index])}</title>[{index + 1}]</text>'
            )
        else:
            parts.append(
                f'<text class="col-label" x="{_num(x)}" y="{top - 6}" text-anchor="middle" '
                f'fill="{INK}"><title>{_text(labels[index])}</title>[{index + 1}]</text>'
            )
    glyph_px = _num(cell * 0.62)
    parts.append(f'<g class="cells" stroke="{GRID_STROKE}">')  # one stroke for every cell
    for row in range(count):
        for col in range(count):
            parts.append(
                _matrix_cell(labels, relations, row, col, left + col * cell, top + row * cell, cell)
            )
            state = "self" if row == col else _state(relations, row, col)
            key = MATRIX_KEYS.get(state)
            if key is not None and key.glyph:
                cx, cy = left + col * cell + cell / 2, top + row * cell + cell / 2
                parts.append(
                    f'<text x="{_num(cx)}" y="{_num(cy)}" fill="{key.ink}" stroke="none" '
                    f'font-size="{glyph_px}" text-anchor="middle" dominant-baseline="central" '
                    f'pointer-events="none" aria-hidden="true">{escape(key.glyph)}</text>'
                )
    parts.append("</g></svg>")
    return "".join(parts)


def _state(relations: Mapping[tuple[int, int], SourceRelation], row: int, col: int) -> str:
    return relations.get((min(row, col), max(row, col)), SourceRelation()).state


def _matrix_cell(
    labels: Sequence[str],
    relations: Mapping[tuple[int, int], SourceRelation],
    row: int,
    col: int,
    x: int,
    y: int,
    cell: int,
) -> str:
    if row == col:
        fill, state, tooltip = SELF_FILL, "self", f"{labels[row]} (itself)"
    else:
        relation = relations.get((min(row, col), max(row, col)), SourceRelation())
        state = relation.state
        fill = MATRIX_KEYS[state].fill
        if state == "silent":  # most cells of many sources: numbers keep the page light
            tooltip = f"[{row + 1}] and [{col + 1}]: nothing in common"
        else:
            names = (truncate(labels[index], MAX_TOOLTIP_LABEL_CHARS) for index in (row, col))
            tooltip = " and ".join(names) + f": {relation_text(relation)}"
    return (
        f'<rect class="cell cell-{state}" data-row="{row}" data-col="{col}" x="{x}" y="{y}" '
        f'width="{cell}" height="{cell}" fill="{fill}">'
        f"<title>{_text(tooltip)}</title></rect>"
    )


TIMELINE_PLOT_PX = 640
TIMELINE_LABEL_PX = 150  # the field's name, left of its axis
TIMELINE_NOTE_PX = 260  # room right of a mark for its value and sources
LANE_PX = 20
AXIS_PX = 26
FIELD_GAP_PX = 14
MAX_FIELD_CHARS = 22
MAX_LANE_SOURCES = 6  # a mark's note lists this many source numbers, then a count
MAX_TICKS = 6
_TICK_STEPS_Y = (1 / 12, 1 / 4, 1 / 2, 1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000)


def _ticks(low: float, high: float) -> list[float]:
    span = high - low
    step = next(
        (step for step in _TICK_STEPS_Y if span / step <= MAX_TICKS),
        10 ** math.ceil(math.log10(span)),
    )
    first = math.ceil(low / step - 1e-9) * step
    ticks = []
    tick = first
    while tick <= high + 1e-9:
        ticks.append(tick)
        tick = first + len(ticks) * step
    return ticks


def _tick_label(tick: float, fine: bool) -> str:
    months = round(tick * 12)
    year, month = divmod(months, 12)
    return f"{year}-{month + 1:02d}" if fine else str(year)


def _mark_kind(field: DateField, point: DatePoint) -> str:
    if field.status == "single_source":
        return "single"
    if point.consensus:
        return "consensus"
    return "other" if point.contradicted else "compatible"


def _sources_note(documents: Sequence[int]) -> str:
    numbers = " ".join(f"[{doc + 1}]" for doc in documents[:MAX_LANE_SOURCES])
    if len(documents) > MAX_LANE_SOURCES:
        numbers += f" +{len(documents) - MAX_LANE_SOURCES} more"
    return numbers


def _sources_tooltip(documents: Sequence[int], labels: Sequence[str]) -> str:
    names = [labels[doc] for doc in documents[:MAX_TOOLTIP_SOURCES] if doc < len(labels)]
    if len(documents) > MAX_TOOLTIP_SOURCES:
        names.append(f"and {len(documents) - MAX_TOOLTIP_SOURCES} more")
    return "; ".join(names)


def date_timeline(
    fields: Sequence[DateField], labels: Sequence[str], *, chart_id: str = "timeline"
) -> str:
    """Draw each date-valued record field on an axis of its own, with a mark per date.

    Args:
        fields: the fields, as ``views.date_fields`` gives them.
        labels: each source's label (``[n] title``), in report order.
        chart_id: the id of the ``svg`` element.

    Returns:
        An ``<svg>`` element with one ``g.timeline-field`` per field and one ``rect.mark`` per
        distinct date (``mark-consensus``, ``mark-other``, ``mark-compatible`` or
        ``mark-single``), each followed by its value and source numbers, its tooltip naming
        the sources; an empty string when there is no field.
    """
    if not fields:
        return ""
    plot_left = TIMELINE_LABEL_PX
    width = plot_left + TIMELINE_PLOT_PX + TIMELINE_NOTE_PX
    ident = escape(chart_id, quote=True)
    body: list[str] = []
    y = 4
    for field in fields:
        body.append(_timeline_field(field, labels, y, plot_left))
        y += LANE_PX * (len(field.points) + 1) + AXIS_PX + FIELD_GAP_PX
    height = y
    dates = sum(len(field.points) for field in fields)
    title = f"Dates by source: {_plural(len(fields), 'field')}, {_plural(dates, 'distinct date')}"
    return "".join(
        [
            f'<svg class="chart timeline" id="{ident}" role="img" '
            f'aria-labelledby="{ident}-title {ident}-desc" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}" font-family="system-ui, sans-serif" '
            f'font-size="{LABEL_FONT_PX}">',
            f'<title id="{ident}-title">{_text(title)}</title>',
            f'<desc id="{ident}-desc">Each record field that holds dates has its own axis; '
            "each date a source gives is marked on it, with the sources that give it.</desc>",
            *body,
            "</svg>",
        ]
    )


def _timeline_field(field: DateField, labels: Sequence[str], top: int, plot_left: int) -> str:
    low = min(point.start for point in field.points)
    high = max(point.end for point in field.points)
    pad = max((high - low) * 0.05, 1 / 24)
    low, high = low - pad, high + pad
    ticks = _ticks(low, high)
    fine = len(ticks) > 1 and ticks[1] - ticks[0] < 1

    def x_of(year: float) -> float:
        return plot_left + (year - low) / (high - low) * TIMELINE_PLOT_PX

    lanes = len(field.points)
    axis_y = top + LANE_PX * (lanes + 1) + 4
    name = truncate(clean(field.name), MAX_FIELD_CHARS)
    parts = [
        f'<g class="timeline-field" data-field="{_text(field.name)}">',
        f'<text x="0" y="{top + LANE_PX / 2}" dominant-baseline="central" font-weight="bold" '
        f'fill="{INK}"><title>{_text(field.name)}</title>{_text(name)}</text>',
        f'<text x="0" y="{top + LANE_PX * 1.5}" dominant-baseline="central" fill="{MUTED}">'
        f"{_text(field.status.replace('_', ' '))}</text>",
        f'<line x1="{plot_left}" y1="{axis_y}" x2="{plot_left + TIMELINE_PLOT_PX}" '
        f'y2="{axis_y}" stroke="{INK}"/>',
    ]
    for tick in ticks:
        x = _num(x_of(tick))
        parts.append(
            f'<line x1="{x}" y1="{top}" x2="{x}" y2="{axis_y + 4}" stroke="{GRID_STROKE}"/>'
            f'<text x="{x}" y="{axis_y + 15}" text-anchor="middle" fill="{MUTED}">'
            f"{_tick_label(tick, fine)}</text>"
        )
    for lane, point in enumerate(field.points):
        kind = _mark_kind(field, point)
        key = TIMELINE_KEYS[kind]
        x1, x2 = x_of(point.start), x_of(point.end)
        mark_width = max(x2 - x1, 6.0)
        lane_y = top + LANE_PX * (lane + 1) + 3
        tooltip = (
            f"{field.name} {point.value} ({key.text}): {_sources_tooltip(point.documents, labels)}"
        )
        parts.append(
            f'<rect class="mark mark-{kind}" data-sources="{len(point.documents)}" '
            f'x="{_num(x1)}" y="{lane_y}" width="{_num(mark_width)}" height="{LANE_PX - 6}" '
            f'rx="2" fill="{key.fill}" stroke="{INK}" stroke-width="0.5">'
            f"<title>{_text(tooltip)}</title></rect>"
        )
        note = f"{key.glyph} {point.value} · {_sources_note(point.documents)}"
        parts.append(
            f'<text x="{_num(x1 + mark_width + 4)}" y="{lane_y + (LANE_PX - 6) / 2}" '
            f'dominant-baseline="central" fill="{INK}">{_text(note)}</text>'
        )
    parts.append("</g>")
    return "".join(parts)
