"""The HTML report of 2, 5 and 40 sources in headless Chromium at 1400x900: headers stay on
one line, no column is out of reach, the agreement matrix has a cell per pair of sources."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from accord.report.html import to_html
from accord.testing.reports import many_source_report

pytestmark = pytest.mark.integration

VIEWPORT = {"width": 1400, "height": 900}
SOURCES = [2, 5, 40]

# Each source header's label: its height in lines of its own line-height, and its right edge
# against the width its scroll container can scroll to.
_HEADER_GEOMETRY = """() => {
  const wrap = document.querySelector('.table-wrap');
  const left = wrap.getBoundingClientRect().left - wrap.scrollLeft;
  return Array.from(document.querySelectorAll('.record thead th.src')).map(th => {
    const label = th.querySelector('.src-label');
    const style = getComputedStyle(label);
    const box = th.getBoundingClientRect();
    return {
      lines: label.getBoundingClientRect().height / parseFloat(style.lineHeight),
      right: box.right - left,
      scrollWidth: wrap.scrollWidth,
      full: th.getAttribute('title'),
      text: label.textContent,
    };
  });
}"""


def _report_page(browser: Any, tmp_path: Path, sources: int) -> tuple[Any, Any, list[str]]:
    """Open the report of ``sources`` synthetic sources; record errors and CSP violations."""
    path = tmp_path / f"report-{sources}.html"
    path.write_text(to_html(many_source_report(sources)), encoding="utf-8")
    context = browser.new_context(viewport=VIEWPORT)
    context.set_default_timeout(5_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on(
        "console",
        lambda msg: errors.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    return context, page, errors


@pytest.mark.parametrize("sources", SOURCES)
def test_html_record_headers_stay_on_one_line_and_in_reach(
    browser: Any, tmp_path: Path, artifacts_dir: Path, sources: int
) -> None:
    context, page, errors = _report_page(browser, tmp_path, sources)
    try:
        page.screenshot(path=str(artifacts_dir / f"report-{sources}-sources.png"), full_page=True)
        page.locator("#record-h").scroll_into_view_if_needed()
        page.screenshot(path=str(artifacts_dir / f"report-{sources}-sources-record.png"))
        headers = page.evaluate(_HEADER_GEOMETRY)
        assert len(headers) == sources
        for header in headers:
            assert header["lines"] <= 2, header  # never one character per line
            assert header["right"] <= header["scrollWidth"] + 1, header  # reachable
            assert header["full"] == header["text"]  # the whole title, for tooltip and reader
        wrap = page.locator(".table-wrap")
        scroll = wrap.evaluate("el => [el.scrollWidth, el.clientWidth]")
        assert (scroll[0] > scroll[1]) is (sources == 40)  # many sources scroll in their box
        # the page itself never scrolls sideways
        assert page.evaluate("document.documentElement.scrollWidth") <= VIEWPORT["width"]
        assert errors == []
    finally:
        context.close()


@pytest.mark.parametrize("sources", [40])
def test_html_record_scrolls_by_keyboard_with_field_column_in_view(
    browser: Any, tmp_path: Path, artifacts_dir: Path, sources: int
) -> None:
    context, page, errors = _report_page(browser, tmp_path, sources)
    try:
        wrap = page.locator(".table-wrap")
        assert wrap.get_attribute("role") == "region"
        assert wrap.get_attribute("tabindex") == "0"
        assert page.locator(".record caption").count() == 1
        assert page.locator(".record thead th[scope=col]").count() == sources + 4
        assert page.locator(".record tbody th[scope=row]").count() == 3
        wrap.focus()
        field_left = page.locator(".record tbody th.field").first.bounding_box()
        for _ in range(3):
            page.keyboard.press("End")
            page.keyboard.press("ArrowRight")
        wrap.evaluate("el => { el.scrollLeft = el.scrollWidth; }")
        assert wrap.evaluate("el => el.scrollLeft") > 0
        # the last source's header is now inside the visible box, and the field column too
        box = wrap.bounding_box()
        last = page.locator(".record thead th.src").last.bounding_box()
        assert box is not None and last is not None and field_left is not None
        assert last["x"] + last["width"] <= box["x"] + box["width"] + 1
        sticky = page.locator(".record tbody th.field").first.bounding_box()
        assert sticky is not None
        assert abs(sticky["x"] - field_left["x"]) <= 1
        page.screenshot(path=str(artifacts_dir / f"report-{sources}-sources-scrolled.png"))
        assert errors == []
    finally:
        context.close()


@pytest.mark.parametrize("sources", SOURCES)
def test_html_agreement_matrix_has_a_cell_per_pair(
    browser: Any, tmp_path: Path, sources: int
) -> None:
    context, page, errors = _report_page(browser, tmp_path, sources)
    try:
        matrix = page.locator("svg.chart.matrix")
        assert matrix.count() == 1
        assert matrix.locator("rect.cell").count() == sources * sources
        assert matrix.locator("rect.cell-self").count() == sources
        assert matrix.get_attribute("role") == "img"
        labelled = (matrix.get_attribute("aria-labelledby") or "").split()
        assert all(page.locator(f"#{ident}").count() == 1 for ident in labelled)
        assert page.locator(".chart-legend").first.locator("li").count() == 5
        # the text alternative lists every pair that shares a finding
        assert (
            page.locator(".pairs li").count()
            == matrix.locator("rect.cell:not(.cell-self):not(.cell-silent)").count() // 2
        )
        # a matrix wider than its box scrolls inside it, never past the page
        assert page.evaluate("document.documentElement.scrollWidth") <= VIEWPORT["width"]
        assert page.locator("svg.chart.timeline .mark").count() >= 2
        assert errors == []
    finally:
        context.close()


@pytest.mark.parametrize("sources", [40])
def test_html_show_button_opens_a_folded_source(browser: Any, tmp_path: Path, sources: int) -> None:
    context, page, errors = _report_page(browser, tmp_path, sources)
    try:
        assert page.locator("details.doc-body[open]").count() == 0  # many sources start folded
        last = page.locator("details.only").last
        last.locator("summary").click()
        last.locator("button.go").first.click()
        selected = page.locator(".claim.selected").first
        assert selected.is_visible()
        assert selected.evaluate("el => el.closest('article').id") == f"doc-{sources - 1}"
        assert page.locator("details.doc-body[open]").count() == 1
        assert errors == []
    finally:
        context.close()
