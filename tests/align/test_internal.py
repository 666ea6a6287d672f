"""A document that contradicts itself: same-document pairs on exclusive slots, and the
report's view and sections for them."""

from __future__ import annotations

import json
from typing import Any

import pytest

from accord.align.bm25 import BM25Aligner
from accord.model import SUBJECT_KEY, Claim, DateValue, EntityKind, EntityRef, Precision, Slot, Span


def _claim(doc: str, i: int, role: str, value: Any, event: str = "sign") -> Claim:
    slot = Slot(
        role=role,
        value=value,
        event=event,
        surface="x",
        span=Span(doc_id=doc, start=i, end=i + 1),
        about=SUBJECT_KEY,
    )
    return Claim(id=f"{doc}:{i}", doc_id=doc, span=Span(doc_id=doc, start=i, end=i + 1),
                 text=f"claim {i}", subject=None, predicate=event, slots=(slot,),
                 terms=(f"t{i}",))  # fmt: skip


def _year(year: int) -> DateValue:
    return DateValue(year=year, precision=Precision.YEAR)


@pytest.mark.parametrize(
    ("first", "second", "paired"),
    [
        (("date", _year(1941), "sign"), ("date", _year(1939), "sign"), True),
        (("place", EntityRef(name="London", kind=EntityKind.PLACE), "sign"),
         ("place", EntityRef(name="Moscow", kind=EntityKind.PLACE), "sign"), True),
        (("date", _year(1941), "sign"), ("date", _year(1939), "ratify"), False),
        (("agent", EntityRef(name="France", kind=EntityKind.PLACE), "sign"),
         ("agent", EntityRef(name="Spain", kind=EntityKind.PLACE), "sign"), False),
    ],
)  # fmt: skip
def test_aligner_pairs_same_document_only_on_exclusive_slot(
    first: tuple[str, Any, str], second: tuple[str, Any, str], paired: bool
) -> None:
    claims = [_claim("a", 0, *first), _claim("a", 5, *second), _claim("b", 0, "type", "x")]
    pairs = BM25Aligner(top_k=3).align(claims)
    internal = [p for p in pairs if p.left.doc_id == p.right.doc_id]
    assert bool(internal) is paired
    assert all(
        p.retriever == "internal" and p.left.span.start < p.right.span.start for p in internal
    )


@pytest.mark.parametrize("fmt", ["views", "json", "markdown", "terminal"])
def test_report_shows_internal_contradictions_apart(internal_report: Any, fmt: str) -> None:
    from accord.report.views import contradictions, internal_contradictions

    groups = internal_contradictions(internal_report)
    assert len(groups) == 1 and "1941" in groups[0].best.reason
    assert not contradictions(internal_report)
    if fmt == "json":
        import jsonschema

        from accord.report.json import to_json
        from accord.report.schema import schema_text

        data = json.loads(to_json(internal_report))
        jsonschema.validate(data, json.loads(schema_text()))
        (entry,) = data["summary"]["internal_contradictions"]
        assert entry["doc_id"] == groups[0].best.pair.left.doc_id
        assert data["summary"]["counts"]["internal_contradictions"] == 1
    elif fmt == "markdown":
        from accord.report.markdown import to_markdown

        assert "## Internal contradictions (1)" in to_markdown(internal_report)
    elif fmt == "terminal":
        import io

        from rich.console import Console

        from accord.report.terminal import render_terminal

        out = io.StringIO()
        render_terminal(internal_report, Console(file=out, width=120, color_system=None))
        assert "Internal contradictions" in out.getvalue()


@pytest.mark.parametrize("reason", ["internal contradiction"])
def test_reliability_counts_internal_contradictions(internal_report: Any, reason: str) -> None:
    doc = next(d for d in internal_report.documents if "1939" in d.text)
    score = next(r for r in internal_report.record.reliability if r.doc_id == doc.id)
    assert any(reason in r for r in score.reasons)
