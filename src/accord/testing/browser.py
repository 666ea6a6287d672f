"""Headless Chromium for the browser tests and the README screenshot: one setup for both.

Uses the system's Chromium (Debian's ``chromium`` package) through Playwright, so nothing
is downloaded: Playwright's own browser builds are never installed.
"""

from __future__ import annotations

import os
from typing import Any

from accord.errors import MissingExtraError

__all__ = ["CHROMIUM_ARGS", "DESKTOP_VIEWPORT", "PHONE_VIEWPORT", "chromium_path", "launch"]

DEFAULT_CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ENV = "ACCORD_CHROMIUM"  # another Chromium build, e.g. on a developer's laptop
CHROMIUM_ARGS = (
    "--headless",
    "--no-sandbox",  # CI runs as root in a container, where the sandbox cannot start
    "--disable-gpu",
    "--disable-background-networking",  # no update checks or field trials: no traffic at all
    "--disable-component-update",
)
DESKTOP_VIEWPORT = {"width": 1280, "height": 900}
PHONE_VIEWPORT = {"width": 400, "height": 800}  # a small phone held upright


def chromium_path() -> str:
    """Return the Chromium executable to drive: ``$ACCORD_CHROMIUM`` or Debian's."""
    return os.environ.get(CHROMIUM_ENV) or DEFAULT_CHROMIUM


def launch(playwright: Any) -> Any:
    """Launch headless Chromium through a started Playwright instance.

    Args:
        playwright: what ``playwright.sync_api.sync_playwright().start()`` returns.

    Returns:
        A Playwright ``Browser``.

    Raises:
        MissingExtraError: no Chromium at ``chromium_path()``.
    """
    path = chromium_path()
    if not os.path.isfile(path):
        raise MissingExtraError(
            f"no Chromium at {path}; install it (apt-get install -y chromium) "
            f"or point {CHROMIUM_ENV} at one"
        )
    return playwright.chromium.launch(executable_path=path, headless=True, args=list(CHROMIUM_ARGS))
