"""Tests for the derived views: grouping, deduplication and single-source claims."""

from __future__ import annotations

import dataclasses

import pytest

from accord.model import Label, Pair, Report, Verdict
from accord.report.views import (
    agreements,
    contradiction_values,
    contradictions,
    counts,
    documents_by_id,
    evidence_quotes,
    internal_contradictions,
    no_contradiction_note,
    possible_conflict_note,
    possible_conflicts,
    single_source,
    threshold_text,
    truncate,
    verdict_id,
)


def _verdict(report: Report, label: Label) -> Verdict:
    return next(v for v in report.verdicts if v.label is label)


def _reversed(verdict: Verdict, confidence: float) -> Verdict:
    pair = Pair(
        left=verdict.pair.right,
        right=verdict.pair.left,
        score=1.0,
        retriever=verdict.pair.retriever,
    )
    return dataclasses.replace(
        verdict, pair=pair, confidence=confidence, evidence=verdict.evidence[::-1]
    )


@pytest.mark.parametrize("extra_confidence", [0.5, 0.99])
def test_contradictions_group_by_field_keeps_best(
    sample_report: Report, extra_confidence: float
) -> None:
    original = _verdict(sample_report, Label.CONTRADICTS)
    extra = _reversed(original, extra_confidence)
    report = dataclasses.replace(sample_report, verdicts=(*sample_report.verdicts, extra))
    groups = contradictions(report)
    assert len(groups) == 1
    assert groups[0].count == 2
    assert groups[0].topic == "date_signed"
    assert groups[0].best.confidence == max(0.95, extra_confidence)


@pytest.mark.parametrize("same_texts", [True, False])
def test_contradictions_without_field_group_by_method_and_texts(
    sample_report: Report, same_texts: bool
) -> None:
    original = dataclasses.replace(_verdict(sample_report, Label.CONTRADICTS), field=None)
    other = _reversed(original, 0.6)
    if not same_texts:
        other_left = dataclasses.replace(other.pair.left, text="Something else entirely.")
        other = dataclasses.replace(other, pair=dataclasses.replace(other.pair, left=other_left))
    report = dataclasses.replace(sample_report, verdicts=(original, other))
    groups = contradictions(report)
    assert len(groups) == (1 if same_texts else 2)
    assert groups[0].best is original
    assert groups[0].topic == "slots:date"


@pytest.mark.parametrize("duplicates", [1, 3])
def test_agreements_dedup_unordered_pairs(sample_report: Report, duplicates: int) -> None:
    original = _verdict(sample_report, Label.SUPPORTS)
    extras = tuple(_reversed(original, 0.1 * (i + 1)) for i in range(duplicates))
    report = dataclasses.replace(sample_report, verdicts=(*extras, *sample_report.verdicts))
    agreed = agreements(report)
    assert agreed == [original]


@pytest.mark.parametrize("case", ["sample"])
def test_agreements_sorted_by_confidence(sample_report: Report, case: str) -> None:
    original = _verdict(sample_report, Label.SUPPORTS)
    weaker = Verdict(
        pair=Pair(
            left=sample_report.claims[2], right=sample_report.claims[7], score=1.0, retriever="x"
        ),
        label=Label.SUPPORTS,
        confidence=0.3,
        method="slots",
        reason="weak",
    )
    report = dataclasses.replace(sample_report, verdicts=(weaker, original))
    assert agreements(report) == [original, weaker]


@pytest.mark.parametrize("case", ["sample"])
def test_single_source_excludes_claims_in_verdicts_and_headings(
    sample_report: Report, case: str
) -> None:
    only = {item.document.id: [c.id for c in item.claims] for item in single_source(sample_report)}
    # NOT_MENTIONED does not link claims; headings never count.
    assert only == {"doc-wiki": ["c-w-articles", "c-w-invasion"], "doc-fan": ["c-f-readers"]}
    assert [item.document.id for item in single_source(sample_report)] == ["doc-wiki", "doc-fan"]


@pytest.mark.parametrize("case", ["sample"])
def test_counts_cover_labels_and_views(sample_report: Report, case: str) -> None:
    assert counts(sample_report) == {
        "documents": 2,
        "claims": 8,
        "verdicts": 3,
        "supports": 1,
        "contradicts": 1,
        "not_mentioned": 1,
        "contradictions": 1,
        "internal_contradictions": 0,
        "agreements": 1,
        "single_source_claims": 3,
        "possible_conflicts": 0,
    }


@pytest.mark.parametrize("case", ["possible"])
def test_possible_conflicts_group_apart_most_confident_first(
    possible_report: Report, case: str
) -> None:
    groups = possible_conflicts(possible_report)
    assert [(g.topic, g.best.confidence, g.internal) for g in groups] == [
        ("slots:theme", 0.55, False),
        ("slots:date", 0.4, True),  # within one document: listed too
    ]
    assert all(
        v.possible_conflict and v.label is Label.NOT_MENTIONED for g in groups for v in g.verdicts
    )
    # They are never contradictions, between documents or within one.
    assert [g.topic for g in contradictions(possible_report)] == ["date_signed"]
    assert internal_contradictions(possible_report) == []


@pytest.mark.parametrize("extra_confidence", [0.3, 0.65])
def test_possible_conflicts_group_like_contradictions(
    possible_report: Report, extra_confidence: float
) -> None:
    (between,) = [
        v for v in possible_report.verdicts if v.possible_conflict and v.method == "slots:theme"
    ]
    extra = _reversed(between, extra_confidence)
    report = dataclasses.replace(possible_report, verdicts=(*possible_report.verdicts, extra))
    groups = possible_conflicts(report)
    assert [g.count for g in groups] == [2, 1]
    assert groups[0].best.confidence == max(0.55, extra_confidence)


@pytest.mark.parametrize("case", ["possible"])
def test_counts_count_possible_conflicts_apart(possible_report: Report, case: str) -> None:
    found = counts(possible_report)
    assert found["possible_conflicts"] == 2
    assert (found["contradicts"], found["contradictions"]) == (1, 1)
    assert found["not_mentioned"] == 2  # their verdicts' label
    assert found["internal_contradictions"] == 0


@pytest.mark.parametrize("case", ["possible"])
def test_single_source_keeps_claims_of_possible_conflicts(
    possible_report: Report, case: str
) -> None:
    # A possible conflict is a candidate, not a finding: its claims are still only in one
    # source (SUPPORTS and CONTRADICTS link claims; nothing else does).
    only = {
        item.document.id: [c.id for c in item.claims] for item in single_source(possible_report)
    }
    assert only == {"doc-wiki": ["c-w-articles", "c-w-invasion"], "doc-fan": ["c-f-readers"]}


@pytest.mark.parametrize(
    ("threshold", "expected"),
    [(0.7, "threshold 0.7"), (0.85, "threshold 0.85"), (None, "threshold")],
)
def test_threshold_text_names_the_runs_threshold(
    possible_report: Report, threshold: float | None, expected: str
) -> None:
    report = dataclasses.replace(
        possible_report, run=dataclasses.replace(possible_report.run, min_confidence=threshold)
    )
    assert threshold_text(report) == expected
    assert f"under the {expected}:" in possible_conflict_note(report)
    assert no_contradiction_note(report, 1).endswith("; 1 possible conflict is listed below.")
    assert "; 3 possible conflicts are listed below." in no_contradiction_note(report, 3)


@pytest.mark.parametrize("evidence", ["given", "missing", "out_of_range"])
def test_evidence_quotes_fall_back_to_claims(sample_report: Report, evidence: str) -> None:
    verdict = _verdict(sample_report, Label.CONTRADICTS)
    if evidence == "missing":
        verdict = dataclasses.replace(verdict, evidence=())
    elif evidence == "out_of_range":
        bad = dataclasses.replace(verdict.evidence[0], start=10_000, end=10_010)
        verdict = dataclasses.replace(verdict, evidence=(bad, verdict.evidence[1]))
    left, right = evidence_quotes(verdict, documents_by_id(sample_report))
    assert left.text == verdict.pair.left.text
    assert right.text == verdict.pair.right.text


@pytest.mark.parametrize("with_field", [True, False])
def test_contradiction_values_from_record_or_slots(sample_report: Report, with_field: bool) -> None:
    verdict = _verdict(sample_report, Label.CONTRADICTS)
    if not with_field:
        verdict = dataclasses.replace(verdict, field=None)
    assert contradiction_values(sample_report, verdict) == ("1941-07-12", "1939-07-25")


@pytest.mark.parametrize("case", ["sample"])
def test_verdict_id_is_stable_and_distinct(sample_report: Report, case: str) -> None:
    ids = [verdict_id(v) for v in sample_report.verdicts]
    assert len(set(ids)) == len(ids)
    assert ids == [verdict_id(v) for v in sample_report.verdicts]
    assert all(len(i) == 16 for i in ids)


@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [("short", 10, "short"), ("one two three four five", 12, "one two…")],
)
def test_truncate_cuts_at_words(text: str, limit: int, expected: str) -> None:
    assert truncate(text, limit) == expected
    assert len(truncate(text, limit)) <= limit
