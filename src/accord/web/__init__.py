"""The web app (``accord serve``): FastAPI with server-side templates and a JSON API.

Needs the ``web`` extra: ``pip install "accord[web]"``.
"""

from __future__ import annotations

from accord.web.app import content_security_policy, create_app

__all__ = ["content_security_policy", "create_app"]
