"""The web app in headless Chromium: upload the seeds, wait for the report, click a claim."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.integration

RUN_TIMEOUT_MS = 60_000  # the seed check takes seconds; the page reloads until it is done

HOSTILE_PASTE = (
    "The Harbour Bridge was opened on 19 March 1932. "
    '<script>window.__pwned = 1</script> <img src=x onerror="window.__pwned = 2"> '
    '<a href="javascript:window.__pwned = 3">x</a> </textarea><script>window.__pwned = 4</script>'
)

HOSTILE_NAME = '<img src=x onerror="window.__pwned = 5">.txt'


def _only_local(page: Any, web_url: str) -> list[str]:
    """Record every request; abort any that leaves the app."""
    urls: list[str] = []

    def handle(route: Any) -> None:
        urls.append(route.request.url)
        if route.request.url.startswith(web_url):
            route.continue_()
        else:
            route.abort()

    page.route("**/*", handle)
    return urls


@pytest.mark.parametrize("viewport", ["desktop"])
def test_web_page_upload_shows_report_with_counterpart(
    page: Any, web_url: str, seeds_dir: Path, artifacts_dir: Path, viewport: str
) -> None:
    urls = _only_local(page, web_url)
    violations: list[str] = []
    page.on(
        "console",
        lambda msg: violations.append(msg.text) if "Content Security" in msg.text else None,
    )
    page.goto(web_url + "/")
    page.set_input_files(
        "#files", sorted(str(p) for p in seeds_dir.glob("*_anglo_soviet_agreement.txt"))
    )
    page.click("button[type=submit]")
    page.wait_for_url("**/report.html", timeout=RUN_TIMEOUT_MS)
    claim = page.locator(".claim.c-contradicts").first
    claim.click()
    counterpart = page.locator(".claim.counterpart").first
    assert counterpart.is_visible()
    assert counterpart.evaluate("el => el.closest('article').id") != claim.evaluate(
        "el => el.closest('article').id"
    )
    assert "contradicts" in page.locator("#panel").inner_text()
    page.screenshot(path=str(artifacts_dir / "app-report.png"))
    assert violations == []
    assert all(url.startswith(web_url) for url in urls)


@pytest.mark.parametrize("paste", [HOSTILE_PASTE])
def test_web_page_hostile_paste_stays_inert(page: Any, web_url: str, paste: str) -> None:
    urls = _only_local(page, web_url)
    page.goto(web_url + "/")
    page.fill("#text-1", paste)
    page.set_input_files(
        "#files",
        {"name": HOSTILE_NAME, "mimeType": "text/plain", "buffer": paste.encode()},
    )
    page.click("button[type=submit]")
    page.wait_for_url("**/report.html", timeout=RUN_TIMEOUT_MS)
    for claim in page.locator(".claim").all()[:20]:
        claim.click()
    assert page.evaluate("typeof window.__pwned") == "undefined"
    page.goto(web_url + "/")  # the run list shows the hostile file name, as text
    assert "<img src=x onerror=" in page.locator(".runs").inner_text()
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.locator("img, script").count() == 0
    assert page.dialogs == []
    assert all(url.startswith(web_url) for url in urls)


@pytest.mark.parametrize(("content", "status"), [(b"", 422), (b"\x89PNG\r\n\x1a\n\x00\x00", 415)])
def test_web_page_bad_upload_shows_error(
    page: Any, web_url: str, tmp_path: Path, content: bytes, status: int
) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    page.goto(web_url + "/")
    page.set_input_files("#files", str(path))
    with page.expect_response("**/ui/check") as answer:
        page.click("button[type=submit]")
    assert answer.value.status == status
    assert "bad.txt" in page.locator("#error").inner_text()


@pytest.mark.parametrize(("kinds", "title"), [(("news", "wiki"), "A fan wiki's page")])
def test_web_page_kind_per_file_shows_in_report(
    page: Any,
    web_url: str,
    seeds_dir: Path,
    artifacts_dir: Path,
    kinds: tuple[str, str],
    title: str,
) -> None:
    urls = _only_local(page, web_url)
    seeds = sorted(seeds_dir.glob("*_anglo_soviet_agreement.txt"))
    page.goto(web_url + "/")
    for slot, (seed, kind) in enumerate(zip(seeds, kinds, strict=True), start=1):
        page.set_input_files(f"#file-{slot}", str(seed))
        page.select_option(f"#kind-{slot}", kind)
    page.fill("#title-2", title)
    page.fill("#published-2", "2021-06")
    page.click("button[type=submit]")
    page.wait_for_url("**/report.html", timeout=RUN_TIMEOUT_MS)
    for seed, kind in zip(seeds, kinds, strict=True):
        article = page.locator("article.doc").filter(has_text=seed.name)
        assert f"{kind} (declared)" in article.locator(".meta").inner_text()
    assert page.locator("article.doc h3").filter(has_text=title).count() == 1
    assert "published: 2021-06" in page.locator("article.doc").nth(1).inner_text()
    page.screenshot(path=str(artifacts_dir / "app-report-declared.png"))
    assert all(url.startswith(web_url) for url in urls)


@pytest.mark.parametrize("question", ["When was the Anglo-Soviet Agreement signed?"])
def test_web_page_question_marks_the_conflicts_on_it(
    page: Any, web_url: str, seeds_dir: Path, question: str
) -> None:
    urls = _only_local(page, web_url)
    page.goto(web_url + "/")
    page.set_input_files(
        "#files", sorted(str(p) for p in seeds_dir.glob("*_anglo_soviet_agreement.txt"))
    )
    page.fill("#question", question)
    page.click("button[type=submit]")
    page.wait_for_url("**/report.html", timeout=RUN_TIMEOUT_MS)
    marked = page.locator(".on-question")
    assert marked.count() >= 1
    # the date the question asks for is the first conflict the report shows
    first = page.locator("p").filter(has=marked.first).first.inner_text()
    assert "1941" in first and "on the question" in first
    assert all(url.startswith(web_url) for url in urls)
