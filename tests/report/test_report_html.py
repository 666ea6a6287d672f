"""Tests for the self-contained HTML report: highlighting, escaping, no external resources."""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import html as html_lib
import re
import subprocess
import sys
from pathlib import Path

import pytest

from accord.model import Claim, Failure, Label, Pair, Report, Span, Verdict
from accord.report import reporters, to_html
from accord.report.html import (
    AGREES,
    CONTRADICTS,
    POSSIBLE,
    SINGLE,
    Segment,
    asset_hashes,
    claim_categories,
    segment_text,
)

_TEXT = "Alpha beta gamma delta epsilon."


def _claim(claim_id: str, start: int, end: int) -> Claim:
    return Claim(
        id=claim_id,
        doc_id="d",
        span=Span(doc_id="d", start=start, end=end),
        text=_TEXT[start:end],
        subject=None,
        predicate="be",
    )


@pytest.mark.parametrize(
    ("spans", "categories", "expected"),
    [
        (
            [("a", 0, 10)],
            {"a": SINGLE},
            [("Alpha beta", "a", SINGLE), (" gamma delta epsilon.", None, None)],
        ),
        (  # nested: the inner, stronger claim wins inside, the outer claim shows around it
            [("outer", 0, 16), ("inner", 6, 10)],
            {"outer": SINGLE, "inner": CONTRADICTS},
            [
                ("Alpha ", "outer", SINGLE),
                ("beta", "inner", CONTRADICTS),
                (" gamma", "outer", SINGLE),
                (" delta epsilon.", None, None),
            ],
        ),
        (  # crossing spans are cut where they meet
            [("x", 0, 10), ("y", 6, 16)],
            {"x": AGREES, "y": AGREES},
            [
                ("Alpha ", "x", AGREES),
                ("beta", "x", AGREES),
                (" gamma", "y", AGREES),
                (" delta epsilon.", None, None),
            ],
        ),
        (  # out of range, empty and uncategorised claims are left out
            [("bad", 20, 99), ("empty", 3, 3), ("none", 0, 5)],
            {"bad": SINGLE, "empty": SINGLE},
            [(_TEXT, None, None)],
        ),
    ],
    ids=["single", "nested", "crossing", "invalid"],
)
def test_segment_text_cuts_at_claim_boundaries(
    spans: list[tuple[str, int, int]],
    categories: dict[str, str],
    expected: list[tuple[str, str | None, str | None]],
) -> None:
    segments = segment_text(_TEXT, [_claim(*span) for span in spans], categories)
    assert "".join(segment.text for segment in segments) == _TEXT
    assert [(s.text, s.primary, s.category) for s in segments] == expected


@pytest.mark.parametrize("case", ["nested"])
def test_segment_text_lists_every_covering_claim_innermost_first(case: str) -> None:
    claims = [_claim("outer", 0, 16), _claim("inner", 6, 10)]
    segments = segment_text(_TEXT, claims, {"outer": SINGLE, "inner": AGREES})
    assert segments[1] == Segment(
        text="beta", claims=("inner", "outer"), category=AGREES, primary="inner"
    )


@pytest.mark.parametrize(
    ("claim_id", "category"),
    [
        ("c-w-date", CONTRADICTS),
        ("c-f-date", CONTRADICTS),
        ("c-w-parties", AGREES),
        ("c-w-invasion", SINGLE),
        ("c-f-readers", SINGLE),
        ("c-w-heading", None),
    ],
)
def test_claim_categories_follow_verdicts(
    sample_report: Report, claim_id: str, category: str | None
) -> None:
    assert claim_categories(sample_report).get(claim_id) == category


@pytest.mark.parametrize(
    ("claim_id", "category"),
    [
        ("c-w-date", CONTRADICTS),  # also in a possible conflict: the contradiction wins
        ("c-w-articles", POSSIBLE),  # only in one source, yet a candidate to check
        ("c-f-readers", POSSIBLE),
        ("c-w-invasion", POSSIBLE),  # within one document
        ("c-w-parties", AGREES),
    ],
)
def test_claim_categories_mark_possible_conflicts(
    possible_report: Report, claim_id: str, category: str
) -> None:
    assert claim_categories(possible_report)[claim_id] == category


@pytest.mark.parametrize("case", ["possible"])
def test_html_shows_possible_conflicts_apart_after_contradictions(
    possible_report: Report, case: str
) -> None:
    html = to_html(possible_report)
    text = " ".join(html_lib.unescape(re.sub(r"<[^>]*>", " ", html)).split())
    headings = re.findall(r'<h2 id="([a-z-]+)"', html)
    assert headings[:6] == [
        "summary-h",
        "possible-h",
        "matrix-h",
        "agreements-h",
        "only-h",
        "record-h",
    ]
    assert "Possible conflicts (2)" in text
    assert (
        "Confidence under the threshold 0.7: these look like conflicts but are not counted as "
        "contradictions; check these." in text
    )
    assert "2 possible conflicts" in text  # the counts at the top
    assert 'class="findings findings-possible"' in html
    part = html[html.index('id="possible-h"') : html.index('id="matrix-h"')]
    for expected in (
        "two articles vs about 3 million readers (confidence 0.55, under the contradiction "
        "threshold 0.7: a possible conflict)",
        "confidence 0.55 · slots:theme",
        "The treaty was popular with about 3 million readers.",
        "[1] Wikipedia: Anglo-Soviet Agreement against itself:",
        "Germany invaded the Soviet Union on 22 June 1941.",
    ):
        assert expected in html_lib.unescape(part), expected
    assert "date_signed" not in part
    # Highlighted apart from contradictions in the documents, and in the legend.
    assert 'class="claim c-possible"' in html
    assert 'class="swatch c-possible"' in html
    assert "2 possibly conflicting" in text


@pytest.mark.parametrize("possible", [True, False])
def test_html_without_contradictions_points_at_possible_conflicts(
    possible_report: Report, sample_report: Report, possible: bool
) -> None:
    report = possible_report if possible else sample_report
    verdicts = tuple(v for v in report.verdicts if v.label is not Label.CONTRADICTS)
    html = to_html(dataclasses.replace(report, verdicts=verdicts))
    assert ("No contradictions found between the documents." in html) is not possible
    assert ("2 possible conflicts are listed below." in html) is possible
    assert ('id="possible-h"' in html) is possible
    assert ('class="claim c-possible"' in html) is possible


@pytest.mark.parametrize("name", ["accord.html.v1"])
def test_html_reporter_registered(sample_report: Report, name: str) -> None:
    reporter = reporters.get(name)()
    assert reporter.media_type == "text/html"
    assert reporter.render(sample_report).startswith("<!doctype html>")


@pytest.mark.parametrize(
    "expected",
    [
        "signed on 1941-07-12 vs 1939-07-25",
        "contradicts the consensus on date_signed",
        "Removed as boilerplate (2)",
        "navigation",
        "neural NLI not configured",
        "accord.slots.v1",
        'class="claim c-contradicts" data-claim="c0"',
        'class="claim c-agrees" data-claim="c1"',
        'class="claim c-single" data-claim="c2"',
        'class="value" data-select="c5"',
    ],
)
def test_html_shows_summary_record_and_documents(sample_report: Report, expected: str) -> None:
    assert expected in to_html(sample_report)


@pytest.mark.parametrize(
    "failure",
    [Failure(source="broken.bin", error="BinaryInputError", message="broken.bin is binary")],
)
def test_html_lists_sources_that_could_not_be_checked(
    sample_report: Report, failure: Failure
) -> None:
    run = dataclasses.replace(sample_report.run, failures=(failure,))
    html = to_html(dataclasses.replace(sample_report, run=run))
    assert "Could not check (1)" in html
    assert "broken.bin is binary" in html


@pytest.mark.parametrize("label", [Label.CONTRADICTS])
def test_html_shows_contradictions_within_one_document(sample_report: Report, label: Label) -> None:
    claims = {claim.id: claim for claim in sample_report.claims}
    verdict = Verdict(
        pair=Pair(left=claims["c-w-date"], right=claims["c-w-invasion"], score=1.0, retriever="t"),
        label=label,
        confidence=0.8,
        method="slots:date",
        reason="1941-07-12 vs 1941-06-22 within one page",
    )
    report = dataclasses.replace(sample_report, verdicts=(*sample_report.verdicts, verdict))
    html = to_html(report)
    assert "Contradictions within one document (1)" in html
    assert "1941-07-12 vs 1941-06-22 within one page" in html


_EXTERNAL = re.compile(r"""(?:\b(?:src|href|action|srcset|poster)\s*=|url\(|@import|https?:)""")


@pytest.mark.parametrize("fixture", ["sample_report", "hostile_report"])
def test_html_loads_nothing_from_outside(fixture: str, request: pytest.FixtureRequest) -> None:
    html = to_html(request.getfixturevalue(fixture))
    assert not _EXTERNAL.findall(html)


@pytest.mark.parametrize("fixture", ["hostile_report"])
def test_html_escapes_document_text(fixture: str, request: pytest.FixtureRequest) -> None:
    html = to_html(request.getfixturevalue(fixture))
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    # only the page's own two script elements
    assert html.count("<script") == 2


def _sha(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


@pytest.mark.parametrize("tag", ["style", "script"])
def test_html_csp_allows_exactly_its_inline_assets(sample_report: Report, tag: str) -> None:
    html = to_html(sample_report)
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', html)
    assert csp is not None
    policy = html_lib.unescape(csp.group(1))
    assert "default-src 'none'" in policy
    body = re.search(rf"<{tag}>(.*?)</{tag}>", html, re.S)
    assert body is not None
    assert _sha(body.group(1)) == asset_hashes()[tag]
    assert asset_hashes()[tag] in policy


@pytest.mark.integration
@pytest.mark.parametrize("fmt", ["html"])
def test_cli_check_writes_html_report(seeds_dir: Path, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / "report.html"
    # a subprocess: the CLI configures logging, which must not leak into other tests
    result = subprocess.run(
        [sys.executable, "-m", "accord", "check", str(seeds_dir), "--format", fmt, "-o", str(out)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    html = out.read_text(encoding="utf-8")
    assert html.startswith("<!doctype html>")
    assert "c-contradicts" in html
