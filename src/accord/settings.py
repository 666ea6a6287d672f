"""What a run uses: ``Settings``, every field with a default that works offline.

It holds nothing of the pipeline, so that the stages and the command line can know their
settings without importing the orchestrator (``accord.pipeline`` runs with them).
"""

from __future__ import annotations

import json
import types
import typing
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any, TypedDict

from accord.errors import ConfigError
from accord.limits import (
    DEFAULT_MAX_BYTES,
    DEFAULT_MAX_DOCUMENTS,
    DEFAULT_MAX_HTML_DEPTH,
    DEFAULT_MAX_MEMORY,
    DEFAULT_MAX_SECONDS_PER_DOCUMENT,
)

__all__ = ["Settings", "SettingsOptions", "read_settings", "to_json_value"]

RUN_STATE = ("sources_are_text", "judge_skipped")
"""Fields that say how a run was called or what it found, not how it is configured: they are
left out of ``Settings.to_dict`` (and so of a report's ``run.settings``)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Settings:
    """What a run uses. Every field has a default that works offline.

    Attributes:
        extractor: registry name of the claim extractor.
        aligner: registry name of the aligner.
        verifier: registry name of the verifier.
        top_k: candidates per claim the aligner keeps from each other document.
        encoding: decode every source with this codec instead of detecting one.
        entity_files: extra entity-alias files that extend the bundled one.
        max_bytes: largest source accepted, in bytes; a larger one fails (it is not cut).
        max_documents: most documents one run reads; more is refused before reading any.
        max_seconds_per_document: limit on one document's ingest and claims, in seconds
            (``None`` or 0: no limit); a document over it fails and the rest are checked.
            It holds even inside a parser that never returns: the document's worker
            process is killed (``accord.per_document``).
        max_memory_per_document: limit on the memory of the worker process that reads one
            document and extracts its claims, in bytes (``None`` or 0: no limit; give
            ``accord.limits.parse_size("1.5GiB")`` for a size in words); a document over it
            fails with ``DocumentMemoryError`` and the rest are checked. Where the system
            cannot limit a process's address space, documents are bounded in time only.
        max_html_depth: deepest HTML element nesting kept; deeper tags are flattened.
        priors: reliability prior by source kind (``{"news": 0.7}``), over the defaults in
            ``accord.reconcile.majority.KIND_PRIOR``; each in [0, 1].
        llm_url: OpenAI-compatible endpoint of the LLM judge (``accord.llm.v1``, and
            ``accord.ensemble.v1``); the key comes from ``ACCORD_LLM_API_KEY`` only.
        llm_model: the model name that endpoint serves.
        llm_timeout_s: limit on one LLM request, in seconds.
        llm_cache_dir: directory for an on-disk cache of LLM answers (``None``: memory only).
        skip_unreachable_judge: when the LLM endpoint cannot be reached, check without the
            LLM judge (the report says so) instead of failing with ``JudgeUnreachableError``.
        judge_skipped: why the LLM judge was left out (set by
            ``accord.verify.judges.reach_judge``; ``None``: it was not).
        nli_model: local NLI checkpoint directory (``accord.nli.v1``, ``accord.ensemble.v1``).
        neural_threshold: confidence in [0, 1] from which the ensemble uses a judge's verdict.
        min_confidence: confidence in [0, 1] from which a clash is a contradiction; a clash
            under it is reported apart as a possible conflict.
        question: the question the documents were retrieved for (a RAG pipeline's query);
            the trust in each source is weighed toward the claims that bear on it
            (``accord.reconcile.question``).
        minilm_judge: let the ensemble ask accord's own verifier model (``accord.minilm.v1``,
            ``neural`` extra) where slots do not decide; off by default (its model card).
        subject: the name of the subject the documents are about; it names the report and
            is the subject's name in every document. ``None`` (or blank): the name the
            documents share (``accord.subjects.subject_name``).
        workers: processes that read documents and extract claims. ``None``: one per CPU
            when a run has enough documents to pay for starting them
            (``accord.per_document.extraction_workers``; the command line's default). The
            default here is 1: one worker process at a time, or none for small documents
            (``accord.per_document.runs_in_process``).
        components: options of a component's own, by its registry name
            (``{"x.threshold.v1": {"threshold": 0.3}}``): the constructor arguments that are
            no field of ``Settings``; ``accord.registry.Registry.build`` passes them on to that
            component, and one it does not take is a ``ConfigError``.
    """

    extractor: str = "accord.spacy.v1"
    aligner: str = "accord.bm25.v1"
    verifier: str = "accord.slots.v1"
    top_k: int = 5
    encoding: str | None = None
    entity_files: tuple[Path, ...] = ()
    max_bytes: int = DEFAULT_MAX_BYTES
    max_documents: int = DEFAULT_MAX_DOCUMENTS
    max_seconds_per_document: float | None = DEFAULT_MAX_SECONDS_PER_DOCUMENT
    max_memory_per_document: int | None = DEFAULT_MAX_MEMORY
    max_html_depth: int = DEFAULT_MAX_HTML_DEPTH
    sources_are_text: bool = False
    priors: dict[str, float] = field(default_factory=dict)
    llm_url: str | None = None
    llm_model: str | None = None
    llm_timeout_s: float = 30.0
    llm_cache_dir: Path | None = None
    skip_unreachable_judge: bool = False
    judge_skipped: str | None = None
    nli_model: Path | None = None
    neural_threshold: float = 0.8
    min_confidence: float = 0.7  # accord.verify.base.MIN_CONFIDENCE, kept out of start-up
    minilm_judge: bool = False
    subject: str | None = None
    workers: int | None = 1
    question: str | None = None
    components: dict[str, dict[str, Any]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The settings as JSON-safe data (paths as strings, tuples as lists), every field but
        those of ``RUN_STATE``; ``Settings.from_dict`` reads it back.

        Example:
            ``json.dumps(Settings(top_k=3).to_dict())``
        """
        return {
            name: to_json_value(value)
            for name, value in asdict(self).items()
            if name not in RUN_STATE
        }

    @classmethod
    def from_dict(cls, data: typing.Mapping[str, Any], *, origin: str = "settings") -> Settings:
        """Settings from JSON-like data (``to_dict``'s): each key a field, each value of the
        field's type (a path as a string, a tuple as a list).

        Args:
            data: field name -> value; fields not given keep their defaults.
            origin: where ``data`` comes from (a file name), for the error message.

        Raises:
            ConfigError: an unknown key, or a value that is not of its field's type; the
                message names the key and what it takes.
        """
        hints = typing.get_type_hints(cls)
        known = [f.name for f in fields(cls)]
        unknown = sorted(set(data) - set(known))
        if unknown:
            raise ConfigError(
                f"{origin}: unknown setting {unknown[0]!r}; the settings are: {', '.join(known)}"
            )
        return cls(
            **{name: _typed(origin, name, hints[name], value) for name, value in data.items()}
        )


def to_json_value(value: Any) -> Any:
    """``value`` as JSON-safe data: paths as strings, tuples and sets as lists, mappings with
    string keys, and anything else JSON does not hold as its ``str``."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, typing.Mapping):
        return {str(key): to_json_value(item) for key, item in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [to_json_value(item) for item in value]
    return str(value)


def _typed(origin: str, name: str, hint: Any, value: Any) -> Any:
    """``value`` as the field ``name`` holds it (``hint``: its type), or a ``ConfigError``."""
    kinds = typing.get_args(hint) if isinstance(hint, types.UnionType) else (hint,)
    for kind in kinds:
        converted = _as(kind, value)
        if converted is not _WRONG:
            return converted
    wanted = " or ".join(_type_name(kind) for kind in kinds)
    raise ConfigError(f"{origin}: setting {name!r} takes {wanted}, not {json.dumps(value)}")


_WRONG = object()


def _as(kind: Any, value: Any) -> Any:
    """``value`` as a ``kind``, or ``_WRONG`` when it is none."""
    origin = typing.get_origin(kind)
    if kind is type(None):
        return None if value is None else _WRONG
    if kind is bool:
        return value if isinstance(value, bool) else _WRONG
    if kind is int:
        return value if isinstance(value, int) and not isinstance(value, bool) else _WRONG
    if kind is float:
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        return float(value) if ok else _WRONG
    if kind is str:
        return value if isinstance(value, str) else _WRONG
    if kind is Path:
        return Path(value) if isinstance(value, str | Path) else _WRONG
    if origin is tuple and isinstance(value, list | tuple):
        converted = [_as(typing.get_args(kind)[0], item) for item in value]
        return _WRONG if _WRONG in converted else tuple(converted)
    if origin is dict and isinstance(value, typing.Mapping):
        _, item_kind = typing.get_args(kind)
        items = {key: _as(item_kind, item) for key, item in value.items()}
        ok = all(isinstance(key, str) for key in items) and _WRONG not in items.values()
        return dict(items) if ok else _WRONG
    if kind is Any:
        return value
    return _WRONG


def _type_name(kind: Any) -> str:
    names = {type(None): "null", bool: "true or false", int: "an integer", float: "a number"}
    names |= {str: "a string", Path: "a path"}
    if kind in names:
        return names[kind]
    if typing.get_origin(kind) is tuple:
        return "a list of paths"
    return "an object"


def read_settings(path: Path) -> dict[str, Any]:
    """The settings a JSON file holds, as data for ``Settings.from_dict``: a settings file
    (``Settings.to_dict``'s keys), an object with them under ``settings`` (``accord info
    --format json``, a report's ``run`` section), or a JSON report (its ``run.settings``).

    Raises:
        ConfigError: a file that cannot be read, is no JSON object, or is a report that
            holds no settings (written before reports held them).
    """
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"cannot read the settings file {path}: {exc.strerror or exc}") from None
    except (UnicodeDecodeError, ValueError) as exc:
        raise ConfigError(f"{path} is not a JSON settings file or report: {exc}") from None
    if isinstance(data, dict) and isinstance(data.get("run"), dict) and "schema_version" in data:
        data = data["run"]
        if not isinstance(data.get("settings"), dict):
            raise ConfigError(
                f"{path} is a report whose run holds no settings (written by an older accord); "
                "give a settings file or a newer report"
            )
    if isinstance(data, dict) and isinstance(data.get("settings"), dict):
        data = data["settings"]
    if not isinstance(data, dict):
        raise ConfigError(f"{path} is not a JSON settings file or report: it holds no object")
    return data


class SettingsOptions(TypedDict, total=False):
    """The keyword options ``accord.check`` takes: the fields of ``Settings``, so that an
    editor or a type checker can tell a call's options (``max_memory_per_document`` also as
    a size in words, ``"1.5GiB"``). ``tests/test_api.py`` keeps the two in step."""

    extractor: str
    aligner: str
    verifier: str
    top_k: int
    encoding: str | None
    entity_files: tuple[Path, ...]
    max_bytes: int
    max_documents: int
    max_seconds_per_document: float | None
    max_memory_per_document: int | str | None
    max_html_depth: int
    sources_are_text: bool
    priors: dict[str, float]
    llm_url: str | None
    llm_model: str | None
    llm_timeout_s: float
    llm_cache_dir: Path | None
    skip_unreachable_judge: bool
    judge_skipped: str | None
    nli_model: Path | None
    neural_threshold: float
    min_confidence: float
    minilm_judge: bool
    subject: str | None
    workers: int | None
    question: str | None
    components: dict[str, dict[str, Any]]
