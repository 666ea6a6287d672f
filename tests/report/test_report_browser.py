"""The HTML report in headless Chromium: clicking a claim, phone layout, hostile documents."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest

from accord.model import Claim, Label, Pair, Report, Span, Verdict
from accord.report.html import claim_categories, page_keys, to_html
from accord.testing.browser import DESKTOP_VIEWPORT, PHONE_VIEWPORT

pytestmark = pytest.mark.integration

HOSTILE_HTML = (
    "<script>window.__pwned = 1</script> "
    '<img src=x onerror="window.__pwned = 2"> '
    '<a href="javascript:window.__pwned = 3">click me</a> '
    "</textarea><script>window.__pwned = 4</script> "
    "</script><script>window.__pwned = 5</script> "
    '<svg onload="window.__pwned = 6"></svg> '
    '"><img src=x onerror=alert(1)> '
    "'; alert(2); // "
    '<iframe src="https://example.com/"></iframe> '
    '<link rel="stylesheet" href="https://example.com/x.css"> '
    "<style>@import url(https://example.com/y.css)</style> "
    "\u2028<!-- </div></article>"
)
"""Markup that would run script, show a dialog or fetch something if it were not escaped."""


def _network_log(page: Any) -> list[str]:
    """Record every request the page makes; let none but ``file:`` ones through."""
    urls: list[str] = []

    def handle(route: Any) -> None:
        urls.append(route.request.url)
        if route.request.url.startswith("file:"):
            route.continue_()
        else:
            route.abort()

    page.route("**/*", handle)
    return urls


def _open(page: Any, path: Path) -> list[str]:
    """Open the page; fail on a script error or anything its CSP had to block."""
    urls = _network_log(page)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on(
        "console",
        lambda msg: errors.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    assert errors == []
    return urls


def _doc_of(element: Any) -> str:
    doc_id: str = element.evaluate("el => el.closest('article.doc').id")
    return doc_id


@pytest.mark.parametrize("viewport", ["desktop"])
def test_html_click_contradiction_lights_counterpart(
    page: Any,
    seed_html: Path,
    seed_report: Report,
    seed_output: dict[str, Any],
    artifacts_dir: Path,
    viewport: str,
) -> None:
    urls = _open(page, seed_html)
    by_key = {
        key: claim_id
        for claim_id, key in page_keys(seed_report, claim_categories(seed_report)).items()
    }
    claim = page.locator(".claim.c-contradicts").first
    claim_id = by_key[claim.get_attribute("data-claim") or ""]
    claim.click()
    # every counterpart of the clicked claim, and only those, is lit up
    expected = {
        (v.pair.right if v.pair.left.id == claim_id else v.pair.left).id
        for v in seed_report.verdicts
        if v.label in (Label.CONTRADICTS, Label.SUPPORTS)
        and claim_id in (v.pair.left.id, v.pair.right.id)
    }
    lit = page.locator(".claim.counterpart")
    assert lit.count() >= 1
    shown = {
        other
        for i in range(lit.count())
        for key in (lit.nth(i).get_attribute("data-claims") or "").split()
        if (other := by_key[key]) in expected
    }
    assert shown == expected
    assert page.locator(".claim.selected").count() >= 1
    # the counterpart of a cross-document contradiction sits in the other document
    assert _doc_of(lit.first) != _doc_of(claim)
    assert lit.first.is_visible()
    panel = page.locator("#panel")
    assert panel.is_visible()
    reasons = {
        v.reason
        for v in seed_report.verdicts
        if v.label is Label.CONTRADICTS and claim_id in (v.pair.left.id, v.pair.right.id)
    }
    text = panel.inner_text()
    assert any(reason in text for reason in reasons)
    assert "contradicts" in text
    assert "confidence" in text
    assert "slots:" in text
    page.screenshot(path=str(artifacts_dir / "report-desktop.png"), full_page=True)
    assert urls == [seed_html.as_uri()]


@pytest.mark.parametrize("key", ["Enter"])
def test_html_keyboard_focus_selects_claim(page: Any, seed_html: Path, key: str) -> None:
    _open(page, seed_html)
    claim = page.locator(".claim.c-agrees").first
    claim.focus()
    page.keyboard.press(key)
    assert page.locator("#panel").is_visible()
    assert "supports" in page.locator("#panel").inner_text()
    assert page.locator(".claim.counterpart").count() >= 1
    page.keyboard.press("Escape")
    assert not page.locator("#panel").is_visible()
    assert page.locator(".claim.counterpart").count() == 0


@pytest.mark.parametrize(
    ("viewport", "stacked"), [(PHONE_VIEWPORT, True), (DESKTOP_VIEWPORT, False)]
)
def test_html_documents_stack_on_phone_width(
    browser: Any,
    seed_html: Path,
    artifacts_dir: Path,
    viewport: dict[str, int],
    stacked: bool,
) -> None:
    context = browser.new_context(viewport=viewport)
    try:
        page = context.new_page()
        page.goto(seed_html.as_uri())
        first = page.locator("#doc-0").bounding_box()
        second = page.locator("#doc-1").bounding_box()
        assert first is not None and second is not None
        assert (second["y"] >= first["y"] + first["height"]) is stacked
        assert (second["x"] >= first["x"] + first["width"]) is not stacked
        # nothing wider than the screen: no sideways scrolling of the page
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= viewport["width"]
        if stacked:
            page.locator(".claim.c-contradicts").first.click()
            page.screenshot(path=str(artifacts_dir / "report-phone.png"))
    finally:
        context.close()


def _hostile(report: Report) -> Report:
    """``report`` with ``HOSTILE_HTML`` in both documents' text, in two contradicting claims,
    and in titles, sources, removed text, reasons and record values."""
    documents = []
    claims: list[Claim] = list(report.claims)
    new_claims = []
    for doc in report.documents[:2]:
        start = len(doc.text)
        text = doc.text + HOSTILE_HTML + "\n"
        span = Span(doc_id=doc.id, start=start, end=start + len(HOSTILE_HTML))
        claim = Claim(
            id=f'x" onmouseover="window.__pwned=7" data-{doc.id}',
            doc_id=doc.id,
            span=span,
            text=HOSTILE_HTML,
            subject=HOSTILE_HTML,
            predicate="be",
        )
        new_claims.append(claim)
        removed = tuple(
            dataclasses.replace(r, text=HOSTILE_HTML, reason=HOSTILE_HTML) for r in doc.removed
        )
        documents.append(
            dataclasses.replace(
                doc, text=text, title=HOSTILE_HTML, source=HOSTILE_HTML, removed=removed
            )
        )
    verdict = Verdict(
        pair=Pair(left=new_claims[0], right=new_claims[1], score=1.0, retriever=HOSTILE_HTML),
        label=Label.CONTRADICTS,
        confidence=0.9,
        method=HOSTILE_HTML,
        reason=HOSTILE_HTML,
        field=HOSTILE_HTML,
    )
    claims.extend(new_claims)
    record = dataclasses.replace(
        report.record,
        subject=HOSTILE_HTML,
        fields=tuple(
            dataclasses.replace(f, name=HOSTILE_HTML, consensus=HOSTILE_HTML, reason=HOSTILE_HTML)
            for f in report.record.fields
        ),
        reliability=tuple(
            dataclasses.replace(r, reasons=(HOSTILE_HTML,)) for r in report.record.reliability
        ),
    )
    run = dataclasses.replace(report.run, skipped=(HOSTILE_HTML,), backends={"x": HOSTILE_HTML})
    return dataclasses.replace(
        report,
        documents=tuple(documents) + report.documents[2:],
        claims=tuple(claims),
        verdicts=(*report.verdicts, verdict),
        record=record,
        run=run,
    )


@pytest.mark.parametrize("base", ["sample_report", "seed_report"])
def test_html_hostile_document_stays_inert(
    page: Any, tmp_path: Path, request: pytest.FixtureRequest, base: str
) -> None:
    report = _hostile(request.getfixturevalue(base))
    path = tmp_path / "hostile.html"
    path.write_text(to_html(report), encoding="utf-8")
    urls = _open(page, path)
    hostile = page.locator(".claim.c-contradicts", has_text="window.__pwned = 1").first
    hostile.hover()
    hostile.click()
    panel = page.locator("#panel")
    assert panel.is_visible()
    assert "<script>window.__pwned = 1</script>" in panel.inner_text()
    assert page.locator(".claim.counterpart", has_text="onerror").count() >= 1
    page.locator("text=click me").first.click()
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.dialogs == []
    assert page.locator("img, iframe, link, a[href]").count() == 0
    # The only SVG is the page's own pictures and legend swatches, with no script in them.
    assert page.locator("svg:not(.chart):not(.swatch-svg)").count() == 0
    assert page.locator("svg.chart.matrix").count() == 1
    assert page.locator("svg script, svg foreignObject, svg a, svg [onload]").count() == 0
    assert page.locator("script").count() == 2
    assert page.locator("style").count() == 1
    assert urls == [path.as_uri()]


@pytest.mark.parametrize("claim_text", ["The treaty was popular with about 3 million readers."])
def test_html_click_possible_conflict_lights_counterpart_apart(
    page: Any, possible_report: Report, tmp_path: Path, artifacts_dir: Path, claim_text: str
) -> None:
    path = tmp_path / "possible.html"
    path.write_text(to_html(possible_report), encoding="utf-8")
    urls = _open(page, path)
    claim = page.locator(".claim.c-possible", has_text=claim_text).first
    claim.click()
    counterpart = page.locator(".claim.counterpart")
    assert counterpart.count() >= 1
    assert "The agreement had two articles." in counterpart.first.inner_text()
    panel = page.locator("#panel")
    assert panel.is_visible()
    text = panel.inner_text()
    assert "? possible conflict" in text
    assert "contradicts" not in text  # it is not shown as a contradiction
    assert "under the contradiction threshold 0.7" in text
    label = panel.locator(".label-possible")
    assert label.count() == 1
    # Styled apart from contradictions: another underline, not only another colour.
    style = "el => getComputedStyle(el).borderBottomStyle"
    assert claim.evaluate(style) == "dashed"
    assert page.locator(".claim.c-contradicts").first.evaluate(style) == "double"
    # The list's "show" button selects the claim in its document.
    page.locator("#possible-h + p + ol .go").first.click()
    assert page.locator(".claim.selected").count() >= 1
    page.screenshot(path=str(artifacts_dir / "report-possible.png"), full_page=True)
    assert urls == [path.as_uri()]
