"""The corpus store: documents, claims, pairs, verdicts and runs that outlive one check."""

from __future__ import annotations

from accord.errors import StoreError
from accord.store.base import RunRow, Store, SubjectRow, WebRunRow
from accord.store.sqlite import SQLiteStore

__all__ = ["RunRow", "SQLiteStore", "Store", "SubjectRow", "WebRunRow", "open_store"]

_POSTGRES_SCHEMES = ("postgresql", "postgres")


def _is_postgres_url(location: str) -> bool:
    """Whether ``location`` names a PostgreSQL database (``postgresql://…``) rather than a
    SQLite file."""
    return location.split("://", 1)[0].lower() in _POSTGRES_SCHEMES and "://" in location


def open_store(location: str, *, create: bool = True) -> Store:
    """Open the store at ``location``: a PostgreSQL URL (``postgresql://user@host/db``), or
    a SQLite file path (``sqlite:///path`` also works).

    Args:
        location: where the store lives.
        create: create a missing SQLite file, or the store's tables in an empty PostgreSQL
            database; otherwise a missing store is an error.

    Raises:
        StoreError: an unsupported URL scheme, or a store that cannot be opened.
        MissingExtraError: a PostgreSQL URL without the ``postgres`` extra installed.
    """
    if _is_postgres_url(location):
        from accord.store.postgres import PostgresStore

        return PostgresStore(location, create=create)
    if location.startswith("sqlite:///"):
        location = location[len("sqlite:///") :]
    elif "://" in location:
        scheme = location.split("://", 1)[0]
        raise StoreError(
            f"unsupported store URL scheme {scheme!r}; give a SQLite file path or a "
            "postgresql://user@host/database URL"
        )
    return SQLiteStore(location, create=create)
