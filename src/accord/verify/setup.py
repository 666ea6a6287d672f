"""Builds the verifier a run's settings name, and says what it used and what it skipped.

The pipeline calls these so that ``Report.run`` names the verifier actually used, the model
or endpoint it talks to (never a key), and the judges left unconfigured.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from accord.model import Document

if TYPE_CHECKING:
    from accord.pipeline import Settings
    from accord.verify.base import Verifier

SLOTS = "accord.slots.v1"
LLM = "accord.llm.v1"
NLI = "accord.nli.v1"
ENSEMBLE = "accord.ensemble.v1"
MINILM = "accord.minilm.v1"


def _options(settings: Settings) -> dict[str, Any]:
    """Constructor arguments for the verifier ``settings.verifier`` names."""
    if settings.verifier == LLM:
        return {
            "url": settings.llm_url,
            "model": settings.llm_model,
            "timeout_s": settings.llm_timeout_s,
            "cache_dir": settings.llm_cache_dir,
        }
    if settings.verifier == NLI:
        return {"model_dir": settings.nli_model}
    if settings.verifier == ENSEMBLE:
        return {
            "entity_files": settings.entity_files,
            "llm_url": settings.llm_url,
            "llm_model": settings.llm_model,
            "llm_timeout_s": settings.llm_timeout_s,
            "llm_cache_dir": settings.llm_cache_dir,
            "nli_model": settings.nli_model,
            "threshold": settings.neural_threshold,
            "minilm": settings.minilm_judge,
        }
    return {"entity_files": settings.entity_files}


def make_verifier(settings: Settings) -> Verifier:
    """Build the verifier ``settings.verifier`` names, with the settings it takes.

    Raises:
        accord.errors.UnknownStageError: no verifier has that name.
    """
    from accord.verify import verifiers

    factory: Any = verifiers.get(settings.verifier)
    verifier: Verifier = factory(**_options(settings))
    return verifier


def bind_documents(verifier: object, documents: Sequence[Document]) -> None:
    """Give ``verifier`` the documents' texts when it uses them (quote checks, context)."""
    bind = getattr(verifier, "bind_documents", None)
    if callable(bind):
        bind(documents)


def describe_verifier(settings: Settings, verifier: object) -> str:
    """The verifier's registry name and, when it says, what it uses (model, endpoint)."""
    describe = getattr(verifier, "describe", None)
    detail = describe() if callable(describe) else ""
    return f"{settings.verifier} ({detail})" if detail else settings.verifier


def skipped_judges(settings: Settings) -> tuple[str, ...]:
    """The ``verify: ...`` lines for ``RunInfo.skipped``: the judges this run did not use."""
    name = settings.verifier
    uses_nli = name == NLI or (name == ENSEMBLE and settings.nli_model is not None)
    uses_llm = name == LLM or (name == ENSEMBLE and settings.llm_url is not None)
    uses_minilm = name == MINILM or (name == ENSEMBLE and settings.minilm_judge)
    lines = []
    if not uses_nli:
        alone = name in (SLOTS, ENSEMBLE) and not uses_llm and not uses_minilm
        only = " (slot comparison only)" if alone else ""
        lines.append(f"verify: neural NLI not configured{only}")
    if not uses_minilm:
        lines.append(
            "verify: accord's own model (accord.minilm.v1) off by default, being less precise "
            "than slot comparison (--minilm)"
        )
    if not uses_llm:
        lines.append("verify: LLM judge not configured")
    if name not in (SLOTS, ENSEMBLE):
        lines.append(f"verify: slot comparison not used ({name} alone)")
    return tuple(lines)


def verifier_options(
    verifier: str | None,
    nli_model: Path | None,
    llm_url: str | None,
    llm_model: str | None,
    llm_timeout_s: float,
    llm_cache_dir: Path | None,
    minilm: bool = False,
) -> dict[str, Any]:
    """``Settings`` fields from the command line's verifier flags.

    Without ``verifier``, a given NLI model, LLM endpoint or ``minilm`` (accord's own model
    as a judge) selects ``accord.ensemble.v1`` (slot comparison first), so a configured
    judge is never silently ignored.

    Raises:
        accord.errors.ConfigError: an LLM endpoint without a model, or the reverse.
    """
    from accord.errors import ConfigError

    if (llm_url is None) != (llm_model is None):
        given, missing = ("--llm-url", "--llm-model") if llm_url else ("--llm-model", "--llm-url")
        raise ConfigError(f"{given} needs {missing} too (the LLM judge needs both)")
    if nli_model is not None:
        from accord.verify.nli import read_label_map

        read_label_map(nli_model)  # a bad directory fails before any document is read
    if verifier is None:
        verifier = ENSEMBLE if llm_url or nli_model or minilm else SLOTS
    return {
        "verifier": verifier,
        "minilm_judge": minilm,
        "nli_model": nli_model,
        "llm_url": llm_url,
        "llm_model": llm_model,
        "llm_timeout_s": llm_timeout_s,
        "llm_cache_dir": llm_cache_dir,
    }
