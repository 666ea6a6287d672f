"""The web app (``accord serve``): FastAPI with server-side templates and a JSON API.

Needs the ``web`` extra: ``pip install "accord[web]"``; ``ServeLimits`` imports without it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from accord.web.limits import ServeLimits

if TYPE_CHECKING:
    from accord.web.app import content_security_policy, create_app

__all__ = ["ServeLimits", "content_security_policy", "create_app"]


def __getattr__(name: str) -> Any:
    """The app's builders, imported on first use (they need FastAPI)."""
    if name in ("content_security_policy", "create_app"):
        from accord.web import app

        return getattr(app, name)
    raise AttributeError(f"module 'accord.web' has no attribute {name!r}")
