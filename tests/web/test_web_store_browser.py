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
