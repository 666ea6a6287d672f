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


def check(sources: Sequence[str | Path], **options: Any) -> Report:
    """Check documents against each other and return the report.

    Args:
        sources: paths of files or directories; or texts with ``sources_are_text=True``.
        **options: any field of ``accord.pipeline.Settings`` (``top_k``, ``encoding``...).

    Returns:
        The report: documents, claims, verdicts, the reconciled record and run metadata.

    Raises:
        accord.errors.AccordError: on bad input (missing, empty, binary or undecodable files).
    """
    from accord.errors import ConfigError
    from accord.pipeline import Settings, run

    try:
        settings = Settings(**options)
    except TypeError as exc:
        raise ConfigError(f"unknown option: {exc}") from None
    return run(sources, settings)
