"""accord: find where documents about one subject agree, contradict each other, or say
something alone, with the evidence.

    >>> import accord
    >>> report = accord.check(["examples/"])  # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from accord.model import Report

__all__ = ["__version__", "check"]


_TEXT_MIN_WORDS = 4  # fewer words than this is more likely a mistyped path than a document


def _is_text(source: object) -> bool:
    """A string that is no existing path and reads as a document's text."""
    if not isinstance(source, str):
        return False
    if "\n" not in source and len(source.split()) < _TEXT_MIN_WORDS:
        return False
    try:
        return not Path(source).exists()
    except OSError:  # too long, or otherwise not a possible path
        return True


def check(sources: Sequence[str | Path], **options: Any) -> Report:
    """Check documents against each other and return the report.

    Args:
        sources: paths of files or directories, or the documents' texts. Strings that are
            not existing paths and read as text (a line break, or several words) are taken
            as texts when every source is one; ``sources_are_text=True`` forces it.
        **options: any field of ``accord.pipeline.Settings`` (``top_k``, ``encoding``...).

    Returns:
        The report: documents, claims, verdicts, the reconciled record and run metadata.

    Raises:
        accord.errors.AccordError: on bad input (missing, empty, binary or undecodable files).
    """
    from accord.errors import ConfigError
    from accord.pipeline import Settings, run

    if "sources_are_text" not in options and sources and all(_is_text(s) for s in sources):
        options["sources_are_text"] = True
    try:
        settings = Settings(**options)
    except TypeError as exc:
        raise ConfigError(f"unknown option: {exc}") from None
    return run(sources, settings)
