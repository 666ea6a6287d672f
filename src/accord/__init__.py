"""accord: find where documents about one subject agree, contradict each other, or say
something alone, with the evidence.

    >>> import accord
    >>> report = accord.check(["examples/"])  # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any, Unpack

from accord.model import DocKind, Label, Report, Verdict
from accord.settings import Settings, SettingsOptions
from accord.sources import Source
from accord.version import __version__

__all__ = [
    "DocKind",
    "Label",
    "Report",
    "Settings",
    "SettingsOptions",
    "Source",
    "Verdict",
    "__version__",
    "check",
]


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


def check(
    sources: Sequence[str | Path | Source | Mapping[str, Any]],
    settings: Settings | None = None,
    **options: Unpack[SettingsOptions],
) -> Report:
    """Check documents against each other and return the report.

    Args:
        sources: paths of files or directories, the documents' texts, ``accord.Source``
            objects or plain dicts with a Source's keys (``text`` or ``path``, ``id``,
            ``title``, ``url``, ``kind``, ``published``, ``metadata``), mixed. A string that
            is no existing path and reads as text (a line break, or several words) is a text;
            ``sources_are_text=True`` makes every string one. A file's sidecar
            (``FILE.meta.json``) declares the same keys for it.
        settings: a whole ``accord.Settings`` to run with (default: ``Settings()``); the
            options given beside it replace its fields.
        **options: any field of ``accord.Settings`` (``top_k``, ``subject``, ``question``...;
            listed in ``accord.SettingsOptions``); ``max_memory_per_document`` also as a size
            in words (``"1.5GiB"``, ``"800MB"``).

    Returns:
        The report: documents, claims, verdicts, the reconciled record and run metadata.

    Raises:
        accord.errors.ConfigError: a bad source (unknown kind, bad date, both text and path)
            or sidecar, an unknown option, or a size that is none.
        accord.errors.AccordError: on bad input (missing, empty, binary or undecodable files).
    """
    from accord.errors import ConfigError
    from accord.limits import parse_size
    from accord.pipeline import run
    from accord.sources import to_source

    fields: dict[str, Any] = dict(options)
    given: list[str | Path | Source] = [
        to_source(s) if isinstance(s, Mapping) else s for s in sources
    ]
    as_text = fields.get("sources_are_text", settings.sources_are_text if settings else False)
    if not as_text:
        given = [Source(text=s) if isinstance(s, str) and _is_text(s) else s for s in given]
    if isinstance(fields.get("max_memory_per_document"), str):
        fields["max_memory_per_document"] = parse_size(fields["max_memory_per_document"])
    try:
        chosen = replace(settings, **fields) if settings is not None else Settings(**fields)
    except TypeError as exc:
        raise ConfigError(f"unknown option: {exc}") from None
    return run(given, chosen)
