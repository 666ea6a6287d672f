"""Builds the verifier a run's settings name, and says what it used and what it skipped.

The pipeline calls these so that ``Report.run`` names the verifier actually used, the model
or endpoint it talks to (never a key), and the judges left unconfigured.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from accord.model import Document

if TYPE_CHECKING:
    from accord.settings import Settings
    from accord.verify.base import Verifier

logger = logging.getLogger(__name__)

SLOTS = "accord.slots.v1"
LLM = "accord.llm.v1"
NLI = "accord.nli.v1"
ENSEMBLE = "accord.ensemble.v1"
MINILM = "accord.minilm.v1"
# A reachable endpoint answers a connection at once; waiting longer only delays the error
# the user gets for a wrong address (the judge's own requests keep --llm-timeout).
PROBE_TIMEOUT_S = 5.0


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


@contextmanager
def bound_progress(verifier: object, advance: Callable[[int, int], None]) -> Iterator[None]:
    """Let ``verifier`` report ``advance(done, total)`` as it decides pairs, when it can
    (``bind_progress``), for the length of the block; it is unbound after, so the verifier
    stays picklable."""
    bind = getattr(verifier, "bind_progress", None)
    if not callable(bind):
        yield
        return
    bind(advance)
    try:
        yield
    finally:
        bind(None)


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
    if settings.judge_skipped is not None:
        lines.append(f"verify: LLM judge skipped: {settings.judge_skipped}")
    elif not uses_llm:
        lines.append("verify: LLM judge not configured")
    if name not in (SLOTS, ENSEMBLE):
        lines.append(f"verify: slot comparison not used ({name} alone)")
    return tuple(lines)


def uses_llm_judge(settings: Settings) -> bool:
    """Whether the run's verifier asks the LLM endpoint ``settings.llm_url``."""
    if settings.llm_url is None:
        return False
    return settings.verifier == LLM or settings.verifier == ENSEMBLE


def probe_endpoint(url: str, timeout_s: float) -> str | None:
    """Why the endpoint at ``url`` cannot be reached, or ``None`` when it answers.

    Any HTTP answer counts as reached (a GET on the chat address is often 404 or 405); only
    a failed connection or a timeout does not. Without ``httpx`` nothing is probed: the
    judge says which extra to install when it starts.
    """
    try:
        import httpx
    except ImportError:
        return None
    from accord.verify.llm import chat_url

    try:
        with httpx.Client(timeout=timeout_s) as client:
            client.get(chat_url(url))
    except httpx.TimeoutException:
        return f"no answer within {timeout_s:g} s"
    except httpx.TransportError as exc:
        return f"{type(exc).__name__}: {exc}"
    except httpx.InvalidURL as exc:
        return f"invalid URL: {exc}"
    return None


def reach_judge(settings: Settings) -> Settings:
    """Check that the LLM judge's endpoint answers before any document is checked.

    Returns:
        ``settings`` unchanged when the run uses no LLM judge or its endpoint answers; with
        ``skip_unreachable_judge`` and an endpoint that does not, settings without the LLM
        judge (``accord.llm.v1`` alone gives way to slot comparison) whose
        ``judge_skipped`` says why, so that the report lists it as skipped.

    Raises:
        accord.errors.JudgeUnreachableError: the endpoint does not answer and
            ``skip_unreachable_judge`` is off.
    """
    from accord.errors import JudgeUnreachableError

    if not uses_llm_judge(settings) or settings.llm_url is None:
        return settings
    url = settings.llm_url
    problem = probe_endpoint(url, min(settings.llm_timeout_s, PROBE_TIMEOUT_S))
    if problem is None:
        return settings
    if not settings.skip_unreachable_judge:
        raise JudgeUnreachableError(
            f"the LLM judge at {url} cannot be reached ({problem}); start the endpoint, fix "
            "--llm-url, or give --skip-unreachable-judge to check without it"
        )
    reason = f"endpoint {url} unreachable ({problem})"
    if settings.verifier == LLM:
        reason += "; slot comparison (accord.slots.v1) judged instead"
    logger.warning("LLM judge skipped: %s", reason)
    return replace(
        settings,
        verifier=SLOTS if settings.verifier == LLM else settings.verifier,
        llm_url=None,
        llm_model=None,
        judge_skipped=reason,
    )


def verifier_options(
    verifier: str | None,
    nli_model: Path | None,
    llm_url: str | None,
    llm_model: str | None,
    llm_timeout_s: float,
    llm_cache_dir: Path | None,
    minilm: bool = False,
    skip_unreachable_judge: bool = False,
) -> dict[str, Any]:
    """``Settings`` fields from the command line's verifier flags.

    Without ``verifier``, a given NLI model, LLM endpoint or ``minilm`` (accord's own model
    as a judge) selects ``accord.ensemble.v1`` (slot comparison first), so a configured
    judge is never silently ignored. ``skip_unreachable_judge``: check without an LLM
    judge that cannot be reached instead of failing (``reach_judge``).

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
        "skip_unreachable_judge": skip_unreachable_judge,
    }
