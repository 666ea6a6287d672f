"""The report stage's interface: a ``Report`` in, text out; and the ``reporters`` registry."""

from __future__ import annotations

from typing import ClassVar, Protocol

from accord.model import Report
from accord.registry import Registry


class Reporter(Protocol):
    """Renders a whole report as text in one format."""

    name: ClassVar[str]
    media_type: ClassVar[str]

    def render(self, report: Report) -> str:
        """Return the report rendered as text."""
        ...


reporters: Registry[Reporter] = Registry("reporters")
"""Reporters by name: ``accord.terminal.v1``, ``accord.json.v1``, ``accord.markdown.v1``."""
