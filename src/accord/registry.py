"""Named registries of stage implementations, extendable through entry points.

Built-ins register with ``@ingesters.register("accord.text.v1")``; third parties declare
entry points in the groups ``accord.<kind>`` (for example ``accord.verifiers``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from importlib.metadata import entry_points
from typing import Generic, TypeVar

from accord.errors import DuplicateStageError, UnknownStageError

logger = logging.getLogger(__name__)

T = TypeVar("T")


class Registry(Generic[T]):
    """A name -> factory map for one stage kind.

    Args:
        kind: the stage kind, e.g. ``"verifiers"``; also names the entry-point group.
    """

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self._items: dict[str, Callable[..., T]] = {}
        self._loaded_entry_points = False

    def register(self, name: str) -> Callable[[Callable[..., T]], Callable[..., T]]:
        """Return a decorator that registers a factory (usually a class) under ``name``."""

        def decorator(factory: Callable[..., T]) -> Callable[..., T]:
            if name in self._items and self._items[name] is not factory:
                raise DuplicateStageError(f"{self.kind}: {name!r} is already registered")
            self._items[name] = factory
            return factory

        return decorator

    def _load_entry_points(self) -> None:
        if self._loaded_entry_points:
            return
        self._loaded_entry_points = True
        for ep in entry_points(group=f"accord.{self.kind}"):
            if ep.name not in self._items:
                self._items[ep.name] = ep.load()

    def get(self, name: str) -> Callable[..., T]:
        """Return the factory registered under ``name``.

        Raises:
            UnknownStageError: no such name; the message lists the registered ones.
        """
        if name not in self._items:
            self._load_entry_points()
        if name not in self._items:
            names = ", ".join(self.names()) or "none"
            raise UnknownStageError(f"no {self.kind} {name!r}; registered: {names}")
        return self._items[name]

    def names(self) -> list[str]:
        """Return the registered names, sorted."""
        self._load_entry_points()
        return sorted(self._items)
