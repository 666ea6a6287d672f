"""The report stage: terminal, JSON, Markdown and HTML renderings of a ``Report``.

Renderers register in ``reporters``; ``views`` holds the derived views they share.
"""

from __future__ import annotations

from accord.report.base import Reporter, reporters
from accord.report.html import HTMLReporter, to_html
from accord.report.json import JSONReporter, to_dict, to_json
from accord.report.markdown import MarkdownReporter, to_markdown
from accord.report.schema import load_schema
from accord.report.terminal import TerminalReporter, render_terminal

__all__ = [
    "HTMLReporter",
    "JSONReporter",
    "MarkdownReporter",
    "Reporter",
    "TerminalReporter",
    "load_schema",
    "render_terminal",
    "reporters",
    "to_dict",
    "to_html",
    "to_json",
    "to_markdown",
]
