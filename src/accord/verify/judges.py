"""Which judges a run uses: the verifier chosen from the command line's flags, the judges
left out (for ``Report.run.skipped``), and whether the LLM judge's endpoint answers.

The verifier itself is built from the run's settings by its registry
(``accord.verify.verifiers.build``), like every stage.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from accord.settings import Settings

logger = logging.getLogger(__name__)

SLOTS = "accord.slots.v1"
LLM = "accord.llm.v1"
NLI = "accord.nli.v1"
ENSEMBLE = "accord.ensemble.v1"
MINILM = "accord.minilm.v1"
# A reachable endpoint answers a connection at once; waiting longer only delays the error
# the user gets for a wrong address (the judge's own requests keep --llm-timeout).
PROBE_TIMEOUT_S = 5.0


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
