"""mkdocs hook: a link from docs/ to a file of the repository outside it (the README, a model
card) works on a code host but has no page in the site, so the site shows it as its path."""

from __future__ import annotations

import re
from typing import Any

# [text](../path#anchor): relative links that leave docs/
_OUTSIDE = re.compile(r"\[(?P<text>[^\]]+)\]\((?P<target>\.\./[^)\s]+)\)")


def on_page_markdown(markdown: str, **_: Any) -> str:
    """Replace each link that leaves docs/ by its text and the file it names."""
    return _OUTSIDE.sub(
        lambda m: f"{m['text']} (`{m['target'].removeprefix('../').split('#')[0]}`)", markdown
    )
