"""Make docs/seed-report.png: the seed report, as `accord check examples/ --format html` writes it.

Run from the repository root: ``.venv/bin/python docs/make_screenshot.py``. Uses the same
headless Chromium setup as the browser tests (Debian's ``chromium``; nothing is downloaded).
"""

from __future__ import annotations

import argparse
import logging
import subprocess
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from accord.testing.browser import launch

logger = logging.getLogger("make_screenshot")

ROOT = Path(__file__).resolve().parents[1]
VIEWPORT = {"width": 1200, "height": 760}  # wide enough for two columns, short enough to stay small
MAX_PNG_BYTES = 300_000  # the README image is committed; keep the repository light


def main() -> int:
    """Render the seed report, open it, select its first contradiction and take a screenshot."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--examples", default="examples", help="relative to the repository root")
    parser.add_argument("--output", type=Path, default=ROOT / "docs" / "seed-report.png")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s")

    with tempfile.TemporaryDirectory() as tmp:
        page_path = Path(tmp) / "report.html"
        command = [sys.executable, "-m", "accord", "check", args.examples]
        command += ["--format", "html", "-o", str(page_path)]
        subprocess.run(command, check=True, cwd=ROOT)  # relative paths: the page shows them
        with sync_playwright() as playwright:
            browser = launch(playwright)
            try:
                page = browser.new_page(viewport=VIEWPORT)
                page.goto(page_path.as_uri())
                page.locator("#documents").scroll_into_view_if_needed()
                page.locator(".claim.c-contradicts").first.click()
                page.evaluate("document.getElementById('documents').scrollIntoView()")
                page.screenshot(path=str(args.output))
            finally:
                browser.close()
    size = args.output.stat().st_size
    logger.info("wrote %s (%d bytes)", args.output, size)
    if size > MAX_PNG_BYTES:
        logger.error("%s is over %d bytes; use a smaller viewport", args.output, MAX_PNG_BYTES)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
