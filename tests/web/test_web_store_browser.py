"""The subject page of ``accord serve --store`` in headless Chromium."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

pytestmark = pytest.mark.integration

DOCUMENTS = {
    "a.txt": b"Treaty of Valdoria\n\nThe treaty was signed on 1852-05-03 in Castelmar.\n",
    "b.txt": b"Treaty of Valdoria\n\nThe treaty was signed on 1849-06-09 in Castelmar.\n",
}


@pytest.mark.parametrize("documents", [DOCUMENTS])
def test_web_store_subject_page_click_highlights_counterpart(
    page: Any, store_web: tuple[str, Path], artifacts_dir: Path, documents: dict[str, bytes]
) -> None:
    url, _ = store_web
    files = [("files", (name, data, "text/plain")) for name, data in documents.items()]
    assert httpx.post(url + "/check", files=files, timeout=60).status_code == 200
    violations: list[str] = []
    page.on(
        "console",
        lambda msg: violations.append(msg.text) if "Content Security" in msg.text else None,
    )
    page.goto(url + "/")
    page.click("#subjects-link")
    assert "2 documents" in page.locator(".subjects").inner_text()
    page.click(".subjects a")
    claim = page.locator(".claim.c-contradicts").first
    claim.click()
    counterpart = page.locator(".claim.counterpart").first
    assert counterpart.is_visible()
    assert counterpart.evaluate("el => el.closest('article').id") != claim.evaluate(
        "el => el.closest('article').id"
    )
    assert "contradicts" in page.locator("#panel").inner_text()
    page.screenshot(path=str(artifacts_dir / "app-subject.png"))
    assert violations == []


# Five short passages about one building, as five sources would give them: a title line or
# none, the full name or "the courthouse"; one gives another year for its completion.
COURTHOUSE = {
    "county-history.txt": (
        "The Alder County Courthouse stands on the central square of Millbrook. Designed by "
        "the architect Henry Voss in the Romanesque Revival style, the courthouse was "
        "completed in 1891. Its clock tower rises 46 metres above the square.\n"
    ),
    "heritage-register.txt": (
        "Alder County Courthouse\n\nConstruction of the courthouse began in 1888. The "
        "building was completed in 1891 at a cost of about 120,000 dollars. It is built of "
        "red sandstone quarried near Millbrook.\n"
    ),
    "travel-guide.txt": (
        "Visitors to Millbrook should not miss the Alder County Courthouse. The courthouse "
        "was completed in 1891 to plans by Henry Voss. Guided tours of the clock tower run "
        "on Saturdays.\n"
    ),
    "newspaper.txt": (
        "The Alder County Courthouse was completed in 1893, after a fire damaged the "
        "unfinished roof. The courthouse was added to the National Register of Historic "
        "Places in 1974.\n"
    ),
    "restoration.txt": (
        "A restoration of the Alder County Courthouse finished in 2012. The courthouse, "
        "completed in 1891, still houses the circuit court of Alder County.\n"
    ),
}
CHECK_TIMEOUT_MS = 120_000  # the first check loads the English pipeline


@pytest.mark.parametrize(("documents", "subject"), [(COURTHOUSE, "Alder County Courthouse")])
def test_web_store_upload_of_five_passages_is_one_subject(
    page: Any,
    store_web_spacy: tuple[str, Path],
    artifacts_dir: Path,
    documents: dict[str, str],
    subject: str,
) -> None:
    url, _ = store_web_spacy
    violations: list[str] = []
    page.on(
        "console",
        lambda msg: violations.append(msg.text) if "Content Security" in msg.text else None,
    )
    page.goto(url + "/")
    page.set_input_files(
        "#files",
        [
            {"name": name, "mimeType": "text/plain", "buffer": text.encode("utf-8")}
            for name, text in documents.items()
        ],
    )
    page.click("#check-form button[type=submit]")
    filed = page.locator("#filed")
    filed.wait_for(timeout=CHECK_TIMEOUT_MS)
    assert filed.locator("li").count() == 1
    assert f"{subject} — 5 documents in the store" in filed.inner_text()
    page.screenshot(path=str(artifacts_dir / "app-upload-filed.png"))

    page.click("#filed .subjects a")
    assert page.locator("#subject").inner_text() == subject
    assert page.locator("article.doc").count() == 5
    summary = page.locator("#summary").inner_text()
    assert "Contradictions (" in summary and "Contradictions (0)" not in summary
    assert "1891" in summary and "1893" in summary
    assert page.locator(".claim.c-contradicts").count() >= 2
    # the report's pictures and lists, through the same page the command line writes
    assert page.locator("svg.chart.matrix rect.cell").count() == 25
    assert page.locator("#agreements-h").is_visible()
    assert page.locator("details.only").count() == 5
    assert violations == []

    page.goto(url + "/ui/subjects")
    assert page.locator(".subjects li").count() == 1
    assert f"{subject} — 5 documents" in page.locator(".subjects").inner_text()
