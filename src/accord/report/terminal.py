"""The report for a terminal, with rich: contradictions first, then possible conflicts,
agreements and the rest.

Document text is hostile: it reaches rich only as ``Text``, which is never parsed as markup
(stronger than ``rich.markup.escape``), with control characters stripped first.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import ClassVar

from rich import box
from rich.console import Console, Group, RenderableType
from rich.padding import Padding
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from accord.model import Document, Report, Verdict
from accord.report.base import reporters
from accord.report.views import (
    ON_QUESTION,
    Contradiction,
    agreements,
    asked,
    clean,
    contradiction_values,
    contradictions,
    doc_label,
    documents_by_id,
    evidence_quotes,
    internal_contradictions,
    kind_text,
    no_contradiction_note,
    possible_conflict_note,
    possible_conflicts,
    single_source,
    source_facts,
    truncate,
)

__all__ = ["TerminalReporter", "render_terminal"]

MAX_AGREEMENTS = 5  # the strongest few make the point; the JSON lists all
MAX_ONLY_IN = 8  # per document; enough to see what a source adds
MAX_REMOVED = 6  # per document
MAX_QUOTE_CHARS = 400  # an evidence sentence, rarely longer
MAX_CLAIM_CHARS = 160
MAX_REMOVED_CHARS = 80
MAX_TITLE_CHARS = 60
NARROW_WIDTH = 70  # below this the record table becomes a list

_STATUS_STYLE = {
    "agreed": "green",
    "contradicted": "bold red",
    "split": "yellow",
    "single_source": "dim",
}


MAX_CELL_CHARS = 60  # longer record values (lists of terms) are summarised in the table


def _t(text: str, style: str = "") -> Text:
    """User text as a rich ``Text``: one line, no controls, never parsed as markup."""
    return Text(clean(text), style=style)


def _label(report: Report, doc_id: str) -> str:
    return truncate(doc_label(report, doc_id), MAX_TITLE_CHARS)


def _heading(title: str, count: int | None, width: int) -> RenderableType:
    text = Text(title + (f" ({count})" if count is not None else ""), style="bold")
    if width < NARROW_WIDTH:  # a rule would cut a long title short
        return text
    return Rule(text, align="left", style="dim")


def _indent(renderable: RenderableType, left: int = 2) -> Padding:
    return Padding(renderable, (0, 0, 0, left), expand=False)


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def _quote(report: Report, doc_id: str, text: str) -> Text:
    line = Text.assemble((_label(report, doc_id), "cyan"), ": ")
    line.append(Text("“" + truncate(clean(text), MAX_QUOTE_CHARS) + "”", style="italic"))
    return line


def _meta(verdict: Verdict, extra: str = "") -> Text:
    parts = [f"confidence {verdict.confidence:.2f}", clean(verdict.method)]
    if extra:
        parts.append(extra)
    return Text(" · ".join(parts), style="dim")


_SHORT_FACTS = ("id", "source id", "published")  # on one line; a URL or metadata on its own


def _header(report: Report) -> Iterable[RenderableType]:
    subject = clean(report.record.subject) or "(no subject)"
    yield Rule(Text.assemble(("accord: ", "bold"), (subject, "bold magenta")), style="magenta")
    question = asked(report)
    if question:
        yield Text.assemble(("Question: ", "bold"), _t(question))
    claims_per_doc: dict[str, int] = {}
    for claim in report.claims:
        claims_per_doc[claim.doc_id] = claims_per_doc.get(claim.doc_id, 0) + 1
    for doc in report.documents:
        line = Text.assemble((_label(report, doc.id), "cyan"))
        line.append(f"  {kind_text(doc)} · {claims_per_doc.get(doc.id, 0)} claims · ", "dim")
        line.append(_t(truncate(doc.source, 80), "dim"))
        yield line
        facts = source_facts(doc)
        short = " · ".join(f"{label} {text}" for label, text in facts if label in _SHORT_FACTS)
        yield _indent(_t(short, "dim"))
        for label, text in facts:
            if label not in _SHORT_FACTS:
                yield _indent(Text.assemble((f"{label}: ", "dim"), _t(text, "dim")))
    groups = contradictions(report)
    agreed = agreements(report)
    alone = sum(len(only.claims) for only in single_source(report))
    summary = (
        f"{_plural(len(groups), 'contradiction')} · {_plural(len(agreed), 'agreement')} · "
        f"{_plural(alone, 'claim')} only in one source"
    )
    possible = len(possible_conflicts(report))
    if possible:
        summary += f" · {_plural(possible, 'possible conflict')}"
    yield Text(summary, style="bold")


def _finding(
    report: Report,
    number: int,
    group: Contradiction,
    documents: dict[str, Document],
    style: str,
) -> Iterable[RenderableType]:
    """One disagreement: its topic and values, reason, confidence, method, both quotes."""
    best = group.best
    title = Text(f"{number}. ", style="bold")
    if group.internal:  # only possible conflicts list these here
        title.append(_t(_label(report, best.pair.left.doc_id), "cyan"))
        title.append(" against itself: ")
    headline = _t(group.topic, style)
    values = contradiction_values(report, best)
    if values is not None:
        headline.append(": ")
        headline.append(_t(values[0], "bold"))
        headline.append(" vs ")
        headline.append(_t(values[1], "bold"))
    yield title.append(headline)
    extra = [f"{group.count} evidence pairs"] if group.count > 1 else []
    if group.on_question:
        extra.append(ON_QUESTION)
    body: list[RenderableType] = [_meta(best, " · ".join(extra))]
    if best.reason != headline.plain:
        body.insert(0, _t(best.reason))
    left, right = evidence_quotes(best, documents)
    body += [_quote(report, left.doc_id, left.text), _quote(report, right.doc_id, right.text)]
    yield _indent(Group(*body), 3)


def _contradictions(report: Report, width: int) -> Iterable[RenderableType]:
    groups = contradictions(report)
    yield _heading("Contradictions", len(groups), width)
    if not groups:
        possible = len(possible_conflicts(report))
        if possible:
            yield _indent(Text(no_contradiction_note(report, possible), style="yellow"))
        else:
            yield _indent(Text("No contradictions found.", style="green"))
    documents = documents_by_id(report)
    for number, group in enumerate(groups, start=1):
        yield from _finding(report, number, group, documents, "bold red")


def _possible(report: Report, width: int) -> Iterable[RenderableType]:
    """Clashes under the contradiction threshold, apart; nothing at all when there are none."""
    groups = possible_conflicts(report)
    if not groups:
        return
    yield _heading("Possible conflicts", len(groups), width)
    yield _indent(Text(possible_conflict_note(report), style="yellow"))
    documents = documents_by_id(report)
    for number, group in enumerate(groups, start=1):
        yield from _finding(report, number, group, documents, "bold yellow")


def _internal(report: Report, width: int) -> Iterable[RenderableType]:
    """Documents that contradict themselves; nothing at all when none does."""
    groups = internal_contradictions(report)
    if not groups:
        return
    yield _heading("Internal contradictions", len(groups), width)
    documents = documents_by_id(report)
    for number, group in enumerate(groups, start=1):
        best = group.best
        title = Text(f"{number}. ", style="bold")
        title.append(_t(_label(report, best.pair.left.doc_id), "cyan"))
        title.append(" contradicts itself: ")
        title.append(_t(best.reason, "bold red"))
        yield title
        left, right = evidence_quotes(best, documents)
        quotes = [_quote(report, left.doc_id, left.text), _quote(report, right.doc_id, right.text)]
        yield _indent(Group(_meta(best, ""), *quotes), 3)


def _agreements(report: Report, width: int) -> Iterable[RenderableType]:
    agreed = agreements(report)
    yield _heading("Agreements", len(agreed), width)
    if not agreed:
        yield _indent(Text("No agreements found.", style="dim"))
    documents = documents_by_id(report)
    for number, verdict in enumerate(agreed[:MAX_AGREEMENTS], start=1):
        line = Text(f"{number}. ", style="bold")
        line.append(_t(verdict.reason, "green"))
        yield line
        left, right = evidence_quotes(verdict, documents)
        yield _indent(
            Group(
                _meta(verdict, clean(verdict.field or "")),
                _quote(report, left.doc_id, left.text),
                _quote(report, right.doc_id, right.text),
            ),
            3,
        )
    if len(agreed) > MAX_AGREEMENTS:
        more = len(agreed) - MAX_AGREEMENTS
        yield _indent(Text(f"… and {more} more (see --format json)", style="dim"))


def _only_in(report: Report, width: int) -> Iterable[RenderableType]:
    for number, only in enumerate(single_source(report)):
        if number:
            yield Text()
        yield _heading(f"Only in {_label(report, only.document.id)}", len(only.claims), width)
        if not only.claims:
            yield _indent(Text("Nothing: every claim is matched in another source.", style="dim"))
        for claim in only.claims[:MAX_ONLY_IN]:
            yield _indent(Text("• ").append(_t(truncate(clean(claim.text), MAX_CLAIM_CHARS))))
        if len(only.claims) > MAX_ONLY_IN:
            more = len(only.claims) - MAX_ONLY_IN
            yield _indent(Text(f"… and {more} more", style="dim"))


def _record(report: Report, width: int) -> Iterable[RenderableType]:
    fields = report.record.fields
    yield _heading("Record", len(fields), width)
    if not fields:
        yield _indent(Text("No fields.", style="dim"))
        return
    docs = report.documents
    if width < NARROW_WIDTH or len(docs) > 4:
        for item in fields:
            line = Text.assemble(_t(item.name, "bold"), " ")
            line.append(_t(item.status, _STATUS_STYLE.get(item.status, "")))
            if item.consensus:
                line.append(" → ")
                line.append(_t(item.consensus))
            yield _indent(line)
            for value in item.values:
                row = Text.assemble((_label(report, value.doc_id), "cyan"), ": ")
                yield _indent(row.append(_t(value.value)), 4)
        return
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, expand=False)
    table.add_column("field", style="bold")
    for index, _doc in enumerate(docs, start=1):
        table.add_column(f"[{index}]", overflow="fold")
    table.add_column("consensus", overflow="fold")
    table.add_column("status")
    for item in fields:
        cells: list[RenderableType] = [_t(item.name)]
        for doc in docs:
            values = [value.value for value in item.values if value.doc_id == doc.id]
            cells.append(_cell(values) if values else Text("—", style="dim"))
        cells.append(_t(item.consensus or "—"))
        cells.append(_t(item.status, _STATUS_STYLE.get(item.status, "")))
        table.add_row(*cells)
    yield _indent(table)


def _cell(values: list[str]) -> Text:
    """A table cell: the values, or their count when they are too long to show."""
    joined = "; ".join(values)
    if len(joined) <= MAX_CELL_CHARS:
        return _t(joined)
    if len(values) > 1:
        return Text(f"{len(values)} items (see --format json)", style="dim")
    return _t(truncate(joined, MAX_CELL_CHARS))


def _reliability(report: Report, width: int) -> Iterable[RenderableType]:
    rows = report.record.reliability
    yield _heading("Reliability", len(rows), width)
    for rel in rows:
        line = Text.assemble((_label(report, rel.doc_id), "cyan"), f"  {rel.score:.2f}")
        yield _indent(line)
        for reason in rel.reasons:
            yield _indent(Text("- ").append(_t(reason)), 4)


def _removed(report: Report, width: int) -> Iterable[RenderableType]:
    total = sum(len(doc.removed) for doc in report.documents)
    yield _heading("Removed as boilerplate", total, width)
    for doc in report.documents:
        if not doc.removed:
            continue
        yield _indent(Text(_label(report, doc.id), style="cyan"))
        for removed in doc.removed[:MAX_REMOVED]:
            line = Text.assemble(_t(removed.reason, "yellow"), ": ")
            line.append(_t(truncate(clean(removed.text), MAX_REMOVED_CHARS), "dim"))
            yield _indent(line, 4)
        if len(doc.removed) > MAX_REMOVED:
            yield _indent(Text(f"… and {len(doc.removed) - MAX_REMOVED} more", style="dim"), 4)


def _run(report: Report, width: int) -> Iterable[RenderableType]:
    run = report.run
    yield _heading("Run", None, width)
    yield _indent(Text(f"accord {clean(run.version)}", style="dim"))
    for stage, backend in run.backends.items():
        yield _indent(Text.assemble((f"{clean(stage)}: ", "bold"), _t(backend)))
    for skipped in run.skipped:
        yield _indent(Text.assemble(("skipped ", "yellow"), _t(skipped)))
    for warning in run.warnings:
        yield _indent(Text.assemble(("warning ", "yellow"), _t(warning)))
    if run.timings_s:
        timings = " · ".join(f"{clean(k)} {v:.2f}s" for k, v in run.timings_s.items())
        yield _indent(Text(f"timings: {timings}", style="dim"))


def _failures(report: Report, width: int) -> Iterable[RenderableType]:
    failures = report.run.failures
    if not failures:
        return
    yield _heading(f"Could not check ({len(failures)})", None, width)
    for failure in failures:
        line = Text.assemble(_t(failure.source, "red"), ": ")
        line.append(_t(truncate(clean(failure.message), MAX_QUOTE_CHARS)))
        yield _indent(line)


def render_terminal(report: Report, console: Console) -> None:
    """Print the report on ``console``.

    Sections: header, Contradictions, Possible conflicts (if any), Internal contradictions
    (if any), Agreements, Only in <document>, Record, Reliability, Removed as boilerplate,
    Run, and last the sources that could not be checked (if any).
    Colour follows the console (none when not a terminal).

    Args:
        report: the report.
        console: where to print; its width decides the layout of the record.
    """
    width = console.width
    sections: list[Iterable[RenderableType]] = [
        _header(report),
        _contradictions(report, width),
        _possible(report, width),
        _internal(report, width),
        _agreements(report, width),
        _only_in(report, width),
        _record(report, width),
        _reliability(report, width),
        _removed(report, width),
        _run(report, width),
        _failures(report, width),
    ]
    for number, section in enumerate(sections):
        renderables = list(section)
        if not renderables:
            continue
        if number:
            console.print()
        for renderable in renderables:
            console.print(renderable, highlight=False, markup=False, emoji=False)


@reporters.register("accord.terminal.v1")
class TerminalReporter:
    """Renders the terminal report as plain text (registered as ``accord.terminal.v1``).

    Args:
        width: columns to lay out for.
        color: keep ANSI colour codes in the text.
    """

    name: ClassVar[str] = "accord.terminal.v1"
    media_type: ClassVar[str] = "text/plain"

    def __init__(self, *, width: int = 100, color: bool = False) -> None:
        self.width = width
        self.color = color

    def render(self, report: Report) -> str:
        """Return the terminal report as text."""
        buffer = io.StringIO()
        console = Console(
            file=buffer,
            width=self.width,
            force_terminal=self.color,
            no_color=not self.color,
            color_system="standard" if self.color else None,
            highlight=False,
            emoji=False,
            markup=False,
        )
        render_terminal(report, console)
        return buffer.getvalue()
