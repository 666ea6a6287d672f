"""``accord serve --workers N``: N server processes (uvicorn's), each building the app from
what the command wrote to a private file named in ``ACCORD_SERVE_APP``.
"""

from __future__ import annotations

import os
import pickle
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from accord.errors import ConfigError

if TYPE_CHECKING:
    from fastapi import FastAPI

    from accord.settings import Settings
    from accord.web.limits import ServeLimits

__all__ = ["APP_ENV", "AppSpec", "app_from_environment", "check_workers", "shared_app"]

APP_ENV = "ACCORD_SERVE_APP"
"""The environment variable that names the file a worker process builds its app from."""
FACTORY = "accord.web.workers:app_from_environment"


@dataclass(frozen=True, slots=True, kw_only=True)
class AppSpec:
    """What every server process builds its app from: ``create_app``'s arguments."""

    store: str | None
    settings: Settings
    limits: ServeLimits


def check_workers(workers: int, store: str | None) -> None:
    """Refuse several processes where their runs could not be shared.

    Raises:
        ConfigError: ``workers`` > 1 without a store (runs would live in one process's
            memory, and a run's status asked of another process would be a 404).
    """
    if workers > 1 and store is None:
        raise ConfigError(
            f"--workers {workers} needs --store (a postgresql:// URL, or a SQLite file): "
            "without a store each process keeps its runs in its own memory"
        )


@contextmanager
def shared_app(spec: AppSpec) -> Iterator[None]:
    """Write ``spec`` to a private file and name it in ``APP_ENV`` (which the worker
    processes inherit) until the block ends; then remove both."""
    # pickle: the file is this user's own (mode 0600 in a private directory) and read only
    # by the processes this one starts; Settings holds paths and tuples JSON would lose.
    with tempfile.TemporaryDirectory(prefix="accord-serve-") as tmp:
        path = Path(tmp) / "app.pickle"
        path.write_bytes(pickle.dumps(spec))
        path.chmod(0o600)
        previous = os.environ.get(APP_ENV)
        os.environ[APP_ENV] = str(path)
        try:
            yield
        finally:
            if previous is None:
                os.environ.pop(APP_ENV, None)
            else:
                os.environ[APP_ENV] = previous


def app_from_environment() -> FastAPI:
    """The app of one server process, built from the file ``APP_ENV`` names (uvicorn's
    factory, given by import string to each worker).

    Raises:
        ConfigError: ``APP_ENV`` is not set (the factory is only for ``accord serve``).
    """
    from accord.web.app import create_app

    location = os.environ.get(APP_ENV)
    if not location:
        raise ConfigError(f"{APP_ENV} is not set; start the app with accord serve --workers")
    spec: AppSpec = pickle.loads(Path(location).read_bytes())
    return create_app(store=spec.store, settings=spec.settings, limits=spec.limits)
