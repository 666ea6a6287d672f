"""The corpus store: documents, claims, pairs, verdicts and runs that outlive one check."""

from __future__ import annotations

from accord.errors import StoreError
from accord.store.base import RunRow, Store, SubjectRow
from accord.store.sqlite import SQLiteStore

__all__ = ["RunRow", "SQLiteStore", "Store", "SubjectRow", "open_store"]


def open_store(location: str, *, create: bool = True) -> Store:
    """Open the store at ``location``: a SQLite file path (``sqlite:///path`` also works).

    Args:
        location: where the store lives.
        create: create a missing SQLite file; otherwise a missing store is an error.

    Raises:
        StoreError: an unsupported URL scheme, or a store that cannot be opened.
    """
    if location.startswith("sqlite:///"):
        location = location[len("sqlite:///") :]
    elif "://" in location:
        scheme = location.split("://", 1)[0]
        raise StoreError(
            f"unsupported store URL scheme {scheme!r}; give a SQLite file path "
            "(PostgreSQL is not supported yet)"
        )
    return SQLiteStore(location, create=create)
