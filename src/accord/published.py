"""A document's declared publication date: an ISO 8601 date, or date and time, checked.

Sources, sidecars and the pages' own metadata declare one; ingest checks what a page says here.
"""

from __future__ import annotations

import datetime
import json
import re

from accord.errors import ConfigError

__all__ = ["check_published"]

_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
_DATE_HINT = "YYYY, YYYY-MM, YYYY-MM-DD or a date and time such as 2020-05-04T10:30:00Z"


def check_published(value: object) -> str:
    """``value`` as given when it is an ISO 8601 date, or date and time.

    Raises:
        ConfigError: anything else (``4 May 2020``, ``2020-02-30``, a number).
    """
    if not isinstance(value, str):
        raise ConfigError(
            f"published must be a string ({_DATE_HINT}), not a {type(value).__name__}"
        )
    text = value.strip()
    if _is_iso_date(text):
        return text
    raise ConfigError(
        f"{json.dumps(value, ensure_ascii=False)} is not an ISO 8601 date ({_DATE_HINT})"
    )


def _is_iso_date(text: str) -> bool:
    match = _DATE.fullmatch(text)
    try:
        if match is not None:
            year, month, day = match.groups()
            datetime.date(int(year), int(month or 1), int(day or 1))
            return True
        if _DATE.match(text) is None:
            return False  # fromisoformat takes forms (week dates, no dashes) few mean
        datetime.datetime.fromisoformat(text)
    except ValueError:
        return False
    return True
