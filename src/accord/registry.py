"""Named registries of stage implementations, extendable through entry points.

Built-ins register with ``@ingesters.register("accord.text.v1")``; third parties declare
entry points in the groups ``accord.<kind>`` (for example ``accord.verifiers``).

A component is built from a run's ``Settings`` by ``Registry.build``: each argument of its
constructor named as a ``Settings`` field gets that field, and a component declares the
arguments named otherwise where it is registered
(``register("accord.llm.v1", settings={"url": "llm_url"})``; a plugin loaded from an entry
point may declare them as a ``settings_fields`` class attribute). Options of a component's
own, which are no field of ``Settings``, come from ``Settings.components`` under its name. So
the pipeline builds any registered component, a plugin's included, with no list of names.
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Callable, Mapping
from dataclasses import fields, is_dataclass
from importlib.metadata import entry_points
from typing import Any, Generic, TypeVar

from accord.errors import ConfigError, DuplicateStageError, UnknownStageError

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
        self._settings: dict[str, dict[str, str]] = {}
        self._plugins: set[str] = set()
        self._loaded_entry_points = False

    def register(
        self, name: str, *, settings: Mapping[str, str] | None = None
    ) -> Callable[[Callable[..., T]], Callable[..., T]]:
        """Return a decorator that registers a factory (usually a class) under ``name``.

        Args:
            name: the registry name (``accord.<what>.v<N>``).
            settings: constructor argument -> the ``Settings`` field it is built from, for
                the arguments not named as their field (``{"url": "llm_url"}``).
        """

        def decorator(factory: Callable[..., T]) -> Callable[..., T]:
            if name in self._items and self._items[name] is not factory:
                raise DuplicateStageError(f"{self.kind}: {name!r} is already registered")
            self._items[name] = factory
            self._settings[name] = dict(settings or {})
            return factory

        return decorator

    def options(self, name: str, settings: object) -> dict[str, Any]:
        """The constructor arguments of ``name`` taken from ``settings`` (a ``Settings``):
        each argument named as a field, or declared as built from one, then the component's
        own options (``settings.components[name]``), which take precedence.

        Raises:
            UnknownStageError: no such name.
            ConfigError: a declared field that ``settings`` does not have, or an own option
                the component does not take.
        """
        factory = self.get(name)
        declared = self._settings.get(name) or dict(getattr(factory, "settings_fields", {}))
        known = {f.name for f in fields(settings)} if is_dataclass(settings) else set()
        for argument, field_name in declared.items():
            if field_name not in known:
                raise ConfigError(
                    f"{self.kind} {name!r} builds {argument!r} from the setting "
                    f"{field_name!r}, which is no field of the settings"
                )
        out: dict[str, Any] = {}
        for parameter in _parameters(factory):
            field_name = declared.get(parameter, parameter)
            if field_name in known:
                out[parameter] = getattr(settings, field_name)
        own = (getattr(settings, "components", None) or {}).get(name) or {}
        takes = _parameters(factory)
        for option, value in own.items():
            if option not in takes and not _takes_any_keyword(factory):
                raise ConfigError(
                    f"{self.kind} {name!r} takes no option {option!r}; it takes: "
                    f"{', '.join(takes) or 'none'}"
                )
            out[option] = value
        return out

    def build(self, name: str, settings: object) -> T:
        """Build the component registered as ``name`` with what ``settings`` gives it
        (``options``).

        Raises:
            UnknownStageError: no such name.
            ConfigError: a declared field that ``settings`` does not have.
        """
        return self.get(name)(**self.options(name, settings))

    def _load_entry_points(self) -> None:
        if self._loaded_entry_points:
            return
        self._loaded_entry_points = True
        for ep in entry_points(group=f"accord.{self.kind}"):
            if ep.name not in self._items:
                self._items[ep.name] = ep.load()
                self._plugins.add(ep.name)

    def reload_entry_points(self) -> None:
        """Forget the plugins loaded from entry points, so that the next lookup finds them
        again: after a package that declares one was installed (or removed) in a running
        process. Call ``importlib.invalidate_caches()`` first when its files are new."""
        for name in self._plugins:
            self._items.pop(name, None)
            self._settings.pop(name, None)
        self._plugins.clear()
        self._loaded_entry_points = False

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


def _takes_any_keyword(factory: Callable[..., Any]) -> bool:
    """Whether a factory takes ``**kwargs`` (then any own option reaches it)."""
    try:
        signature = inspect.signature(factory)
    except (TypeError, ValueError):
        return False
    return any(p.kind is inspect.Parameter.VAR_KEYWORD for p in signature.parameters.values())


def _parameters(factory: Callable[..., Any]) -> list[str]:
    """The names a factory takes by keyword (``*args``/``**kwargs`` left out)."""
    try:
        signature = inspect.signature(factory)
    except (TypeError, ValueError):  # a builtin without a signature: it takes nothing here
        return []
    takes = (inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.KEYWORD_ONLY)
    return [p.name for p in signature.parameters.values() if p.kind in takes]
