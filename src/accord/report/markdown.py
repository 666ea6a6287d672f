"""The report as Markdown, with the terminal report's sections; every user string is escaped.

Escaping covers Markdown punctuation and HTML (``<``, ``>``, ``&``), so text renders literally.
"""

from __future__ import annotations

import re
from typing import ClassVar

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

__all__ = ["MarkdownReporter", "md_escape", "to_markdown"]

MAX_AGREEMENTS = 10  # Markdown is read at leisure; show more than the terminal does
MAX_ONLY_IN = 20
MAX_REMOVED = 10
MAX_QUOTE_CHARS = 600
MAX_REMOVED_CHARS = 80

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]#!|~$])")
# Line-start constructs (lists, headings, setext rules) need their first character escaped.
_MD_LIST_START = re.compile(r"^([-+=])")
_MD_NUMBER_START = re.compile(r"^(\d+)([.)])")


def md_escape(text: str) -> str:
    """Escape ``text`` for Markdown: one line, punctuation backslashed, HTML as entities."""
    text = clean(text)
    text = _MD_SPECIAL.sub(r"\\\1", text)
    text = _MD_LIST_START.sub(r"\\\1", text)
    text = _MD_NUMBER_START.sub(r"\1\\\2", text)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def _label(report: Report, doc_id: str) -> str:
    return md_escape(truncate(doc_label(report, doc_id), 80))


def _quote(report: Report, doc_id: str, text: str) -> str:
    return f"> **{_label(report, doc_id)}**: “{md_escape(truncate(clean(text), MAX_QUOTE_CHARS))}”"


def _meta(verdict: Verdict) -> str:
    method = clean(verdict.method).replace("`", "'")
    return f"confidence {verdict.confidence:.2f} · `{method}`"


def _header(report: Report) -> list[str]:
    subject = md_escape(report.record.subject) or "(no subject)"
    lines = [f"# accord: {subject}", ""]
    question = asked(report)
    if question:
        lines += [f"**Question:** {md_escape(question)}", ""]
    lines += ["## Documents", ""]
    claims_per_doc: dict[str, int] = {}
    for claim in report.claims:
        claims_per_doc[claim.doc_id] = claims_per_doc.get(claim.doc_id, 0) + 1
    for doc in report.documents:
        lines.append(
            f"- **{_label(report, doc.id)}** — {md_escape(kind_text(doc))}, "
            f"{claims_per_doc.get(doc.id, 0)} claims — {md_escape(doc.source)}"
        )
        lines.extend(f"  - {label}: {md_escape(text)}" for label, text in source_facts(doc))
    alone = sum(len(only.claims) for only in single_source(report))
    groups, agreed = len(contradictions(report)), len(agreements(report))
    possible = len(possible_conflicts(report))
    also = f" · {_plural(possible, 'possible conflict')}" if possible else ""
    lines += [
        "",
        f"**{_plural(groups, 'contradiction')} · {_plural(agreed, 'agreement')}"
        f" · {_plural(alone, 'claim')} only in one source{also}**",
    ]
    return lines


def _finding(
    report: Report, number: int, group: Contradiction, documents: dict[str, Document]
) -> list[str]:
    """One disagreement: its topic and values, reason, confidence, method, both quotes."""
    best = group.best
    title = f"### {number}. "
    if group.internal:  # only possible conflicts list these here
        title += f"{_label(report, best.pair.left.doc_id)} against itself: "
    title += md_escape(group.topic)
    values = contradiction_values(report, best)
    if values is not None:
        title += f": {md_escape(values[0])} vs {md_escape(values[1])}"
    pairs = f" · {group.count} evidence pairs" if group.count > 1 else ""
    if group.on_question:
        pairs += f" · {ON_QUESTION}"
    left, right = evidence_quotes(best, documents)
    return [
        title,
        "",
        md_escape(best.reason),
        "",
        _meta(best) + pairs,
        "",
        _quote(report, left.doc_id, left.text),
        ">",
        _quote(report, right.doc_id, right.text),
        "",
    ]


def _contradictions(report: Report) -> list[str]:
    groups = contradictions(report)
    lines = [f"## Contradictions ({len(groups)})", ""]
    if not groups:
        possible = len(possible_conflicts(report))
        if possible:
            lines += [md_escape(no_contradiction_note(report, possible)), ""]
        else:
            lines.append("No contradictions found.")
    documents = documents_by_id(report)
    for number, group in enumerate(groups, start=1):
        lines += _finding(report, number, group, documents)
    return lines


def _possible(report: Report) -> list[str]:
    """Clashes under the contradiction threshold, apart; no section when there are none."""
    groups = possible_conflicts(report)
    if not groups:
        return []
    lines = [
        f"## Possible conflicts ({len(groups)})",
        "",
        f"*{md_escape(possible_conflict_note(report))}*",
        "",
    ]
    documents = documents_by_id(report)
    for number, group in enumerate(groups, start=1):
        lines += _finding(report, number, group, documents)
    return lines


def _internal(report: Report) -> list[str]:
    """Documents that contradict themselves; no section at all when none does."""
    groups = internal_contradictions(report)
    if not groups:
        return []
    lines = [f"## Internal contradictions ({len(groups)})", ""]
    documents = documents_by_id(report)
    for number, group in enumerate(groups, start=1):
        best = group.best
        left, right = evidence_quotes(best, documents)
        label = _label(report, best.pair.left.doc_id)
        lines += [
            f"### {number}. {label} contradicts itself",
            "",
            md_escape(best.reason),
            "",
            _meta(best),
            "",
            _quote(report, left.doc_id, left.text),
            ">",
            _quote(report, right.doc_id, right.text),
            "",
        ]
    return lines


def _agreements(report: Report) -> list[str]:
    agreed = agreements(report)
    lines = [f"## Agreements ({len(agreed)})", ""]
    if not agreed:
        lines.append("No agreements found.")
    documents = documents_by_id(report)
    for number, verdict in enumerate(agreed[:MAX_AGREEMENTS], start=1):
        left, right = evidence_quotes(verdict, documents)
        lines += [
            f"{number}. {md_escape(verdict.reason)} ({_meta(verdict)})",
            "",
            "   " + _quote(report, left.doc_id, left.text),
            "   >",
            "   " + _quote(report, right.doc_id, right.text),
            "",
        ]
    if len(agreed) > MAX_AGREEMENTS:
        lines += [f"… and {len(agreed) - MAX_AGREEMENTS} more (see the JSON report)", ""]
    return lines


def _only_in(report: Report) -> list[str]:
    lines: list[str] = []
    for only in single_source(report):
        lines += [f"## Only in {_label(report, only.document.id)} ({len(only.claims)})", ""]
        if not only.claims:
            lines.append("Nothing: every claim is matched in another source.")
        lines += [f"- {md_escape(claim.text)}" for claim in only.claims[:MAX_ONLY_IN]]
        if len(only.claims) > MAX_ONLY_IN:
            lines.append(f"- … and {len(only.claims) - MAX_ONLY_IN} more")
        lines.append("")
    return lines


def _record(report: Report) -> list[str]:
    fields = report.record.fields
    lines = [f"## Record ({len(fields)})", ""]
    if not fields:
        return [*lines, "No fields.", ""]
    docs = report.documents
    names = [f"\\[{index}\\]" for index in range(1, len(docs) + 1)]
    lines.append("| field | " + " | ".join(names) + " | consensus | status |")
    lines.append("|" + " --- |" * (len(docs) + 3))
    for item in fields:
        cells = [md_escape(item.name)]
        for doc in docs:
            values = [value.value for value in item.values if value.doc_id == doc.id]
            cells.append(md_escape("; ".join(values)) if values else "—")
        cells += [md_escape(item.consensus or "—"), md_escape(item.status)]
        lines.append("| " + " | ".join(cells) + " |")
    return [*lines, ""]


def _reliability(report: Report) -> list[str]:
    lines = ["## Reliability", ""]
    for rel in report.record.reliability:
        lines.append(f"- **{_label(report, rel.doc_id)}**: {rel.score:.2f}")
        lines += [f"  - {md_escape(reason)}" for reason in rel.reasons]
    return [*lines, ""]


def _removed(report: Report) -> list[str]:
    lines = ["## Removed as boilerplate", ""]
    for doc in report.documents:
        if not doc.removed:
            continue
        lines.append(f"- **{_label(report, doc.id)}**")
        for removed in doc.removed[:MAX_REMOVED]:
            text = truncate(clean(removed.text), MAX_REMOVED_CHARS)
            lines.append(f"  - {md_escape(removed.reason)}: {md_escape(text)}")
        if len(doc.removed) > MAX_REMOVED:
            lines.append(f"  - … and {len(doc.removed) - MAX_REMOVED} more")
    return [*lines, ""]


def _run(report: Report) -> list[str]:
    run = report.run
    lines = ["## Run", "", f"- accord {md_escape(run.version)}"]
    lines += [f"- {md_escape(stage)}: {md_escape(name)}" for stage, name in run.backends.items()]
    lines += [f"- skipped: {md_escape(item)}" for item in run.skipped]
    lines += [f"- warning: {md_escape(item)}" for item in run.warnings]
    if run.timings_s:
        timings = " · ".join(f"{md_escape(k)} {v:.2f}s" for k, v in run.timings_s.items())
        lines.append(f"- timings: {timings}")
    return [*lines, ""]


def _failures(report: Report) -> list[str]:
    failures = report.run.failures
    if not failures:
        return []
    lines = [f"## Could not check ({len(failures)})", ""]
    lines += [f"- {md_escape(f.source)}: {md_escape(f.message)}" for f in failures]
    return [*lines, ""]


def to_markdown(report: Report) -> str:
    """Render the report as Markdown (sections as in the terminal report).

    Args:
        report: the report.

    Returns:
        Markdown text ending in a newline; all document text is escaped.
    """
    lines = [
        *_header(report),
        "",
        *_contradictions(report),
        *_possible(report),
        *_internal(report),
        *_agreements(report),
        *_only_in(report),
        *_record(report),
        *_reliability(report),
        *_removed(report),
        *_run(report),
        *_failures(report),
    ]
    return "\n".join(lines).rstrip("\n") + "\n"


@reporters.register("accord.markdown.v1")
class MarkdownReporter:
    """Renders a report as Markdown (registered as ``accord.markdown.v1``)."""

    name: ClassVar[str] = "accord.markdown.v1"
    media_type: ClassVar[str] = "text/markdown"

    def render(self, report: Report) -> str:
        """Return the report as Markdown."""
        return to_markdown(report)
