"""A run's ``Settings`` from a command's flags, the one builder every command calls: defaults
< the flags' defaults < ``--config FILE`` < the flags given (``--set NAME.OPTION=VALUE`` over
the file's component options), so that a flag added to a shared option group reaches them all."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import click
from click.core import ParameterSource

from accord.cli.base import check_codec, check_entity_files
from accord.settings import Settings

__all__ = ["FLAG_FIELDS", "parse_component_options", "settings_from_flags"]

FLAG_FIELDS: dict[str, str] = {
    "encoding": "encoding",
    "entity_files": "entity_files",
    "max_bytes": "max_bytes",
    "max_seconds": "max_seconds_per_document",
    "max_documents": "max_documents",
    "max_html_depth": "max_html_depth",
    "max_memory": "max_memory_per_document",
    "extractor": "extractor",
    "aligner": "aligner",
    "top_k": "top_k",
    "priors": "priors",
    "verifier": "verifier",
    "nli_model": "nli_model",
    "llm_url": "llm_url",
    "llm_model": "llm_model",
    "llm_timeout": "llm_timeout_s",
    "llm_cache_dir": "llm_cache_dir",
    "skip_unreachable_judge": "skip_unreachable_judge",
    "minilm": "minilm_judge",
    "min_confidence": "min_confidence",
    "question": "question",
}
"""The shared option groups' parameters (``accord.cli.options``) -> the ``Settings`` field each
sets. A command reads those it has; its own flags that set a field it names itself."""

_UNSET = object()
_GIVEN = (ParameterSource.COMMANDLINE, ParameterSource.ENVIRONMENT, ParameterSource.PROMPT)


def _priors(value: Sequence[str]) -> Any:
    from accord.cli.corpus_text import parse_priors

    return parse_priors(value) if value else _UNSET


_CONVERT: dict[str, Callable[[Any], Any]] = {
    # 0 is "no limit"; None, which a not-given flag gives, is no value
    "max_seconds_per_document": lambda value: value or None,
    "max_memory_per_document": lambda value: value or None,
    "workers": lambda value: value,  # None: one per CPU when it pays (the CLI's default)
    "priors": _priors,
    "entity_files": lambda value: tuple(value) if value else _UNSET,
    "question": lambda value: value.strip() if value and value.strip() else _UNSET,
}


def settings_from_flags(ctx: click.Context, **own: str) -> Settings:
    """The run's settings from the command's flags, over ``--config FILE`` when given.

    Args:
        ctx: the command's context; each of its parameters named in ``FLAG_FIELDS`` (or in
            ``own``) sets its field, ``config`` names a settings file or report
            (``accord.settings.read_settings``) and ``component_options`` holds the
            ``--set NAME.OPTION=VALUE`` items.
        **own: the command's own flags that set a field: parameter -> field
            (``accord check``'s ``workers="workers"``).

    Returns:
        The settings, checked: a flag given on the command line sets its field; one left at
        its default does so only where the file does not. Without ``--verifier`` (on the
        command line or in the file), a judge configured (``--llm-url``, ``--nli-model``,
        ``--minilm``) selects ``accord.ensemble.v1`` (``accord.verify.judges``).

    Raises:
        ConfigError: an unreadable file, an unknown setting or one of the wrong type, a bad
            codec or entity file, or a judge half configured.
        click.BadParameter: a ``--set`` item that is not ``NAME.OPTION=VALUE``.
    """
    from accord.settings import read_settings
    from accord.verify.judges import SLOTS, verifier_options

    params = ctx.params
    config: Path | None = params.get("config")
    values: dict[str, Any] = read_settings(config) if config is not None else {}
    origin = str(config) if config is not None else "settings"
    Settings.from_dict(values, origin=origin)  # its own errors first, naming the file
    for param, name in {**FLAG_FIELDS, **own}.items():
        if param not in params:
            continue
        value = params[param]
        value = _CONVERT[name](value) if name in _CONVERT else _UNSET if value is None else value
        if value is _UNSET:
            continue
        if ctx.get_parameter_source(param) in _GIVEN or name not in values:
            values[name] = value
    given = parse_component_options(params.get("component_options") or ())
    if given:
        components = {name: dict(options) for name, options in values.get("components", {}).items()}
        for name, options in given.items():
            components.setdefault(name, {}).update(options)
        values["components"] = components
    settings = Settings.from_dict(values, origin=origin)
    check_codec(settings.encoding)
    check_entity_files(settings.entity_files)
    # slot comparison alone, from a file, gives way to the ensemble as a flag's default does
    # when a judge is configured (``--config run.json --llm-url URL`` uses the judge)
    named = "verifier" in values and (
        ctx.get_parameter_source("verifier") in _GIVEN or settings.verifier != SLOTS
    )
    chosen = verifier_options(
        settings.verifier if named else None,
        settings.nli_model,
        settings.llm_url,
        settings.llm_model,
        settings.llm_timeout_s,
        settings.llm_cache_dir,
        settings.minilm_judge,
        settings.skip_unreachable_judge,
    )
    return replace(settings, **chosen)


def parse_component_options(items: Sequence[str]) -> dict[str, dict[str, Any]]:
    """``--set NAME.OPTION=VALUE`` items as ``Settings.components``: registry name -> option
    -> value. A value is read as JSON where it is JSON (``0.3``, ``true``, ``[1, 2]``,
    ``"text"``), else kept as the text given.

    Raises:
        click.BadParameter: an item without ``=``, a component name or an option name.
    """
    out: dict[str, dict[str, Any]] = {}
    for item in items:
        key, sep, raw = item.partition("=")
        name, dot, option = key.strip().rpartition(".")
        if not sep or not dot or not name or not option.isidentifier():
            raise click.BadParameter(
                f"{item!r}: give NAME.OPTION=VALUE, the component's registry name, one of its "
                "options and a value, e.g. accord.bm25.v1.top_k=3",
                param_hint="'--set'",
            )
        out.setdefault(name, {})[option] = _json_or_text(raw)
    return out


def _json_or_text(raw: str) -> Any:
    try:
        return json.loads(raw)
    except ValueError:
        return raw
