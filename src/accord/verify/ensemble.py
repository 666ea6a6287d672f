"""Ensemble: slot comparison first, a model or LLM judge only where slots do not decide.

The rule, in order:

1. Slot comparison (``accord.slots.v1``) runs on every pair. Where it decides (CONTRADICTS or
   SUPPORTS), its verdict stands: a typed clash of dates or numbers outranks any model.
2. The pairs it leaves undecided go, as one batch, to the first configured judge: the NLI
   model (``--nli-model``), then accord's own model (``accord.minilm.v1``, only when asked
   for with ``minilm=True``; off by default, see its model card), then the LLM
   (``--llm-url``) for what the others still left open.
3. A judge's SUPPORTS or CONTRADICTS is used when its confidence is at least ``threshold``;
   otherwise the pair stays NOT_MENTIONED, with method ``ensemble`` and the votes in the reason.
   accord's own model gives a CONTRADICTS only where its restriction finds one plausible
   (``accord.verify.minilm.restrict_contradiction``: same polarity, neither claim hedged, a
   shared topic, a typed value that differs); a pair no judge decided keeps a judge's
   possible conflict (the model's hedged clash), so a reader still sees it.
4. The guards against namesakes (``accord.verify.namesakes``) apply to the final verdicts: a
   judge's clash between two documents that agree on nothing else, or that call the thing
   different kinds of thing, is left undecided as slot comparison's would be; a possible
   conflict they would set aside loses its mark.

A verdict's ``method`` says what decided (``slots:date``, ``nli:<model>``, ``llm:<model>``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import ClassVar

from accord.lexicon import load_lexicon
from accord.model import Document, Label, Pair, Verdict
from accord.verify.base import bound_progress, verifiers
from accord.verify.llm import DEFAULT_TIMEOUT_S, LLMVerifier
from accord.verify.minilm import MiniLMVerifier
from accord.verify.namesakes import (
    corroborated,
    guard_kinds,
    same_subject_pairs,
    subject_kinds,
)
from accord.verify.nli import NLIVerifier
from accord.verify.slots import SlotVerifier

logger = logging.getLogger(__name__)

# A judge's confidence from which its SUPPORTS/CONTRADICTS is used. High, because a false
# contradiction is the worst output and judges are often confidently wrong on near-misses.
NEURAL_THRESHOLD = 0.8


@verifiers.register(
    "accord.ensemble.v1", settings={"threshold": "neural_threshold", "minilm": "minilm_judge"}
)
class EnsembleVerifier:
    """Slot comparison where it decides; else an NLI model and/or LLM judge above a threshold.

    Args:
        entity_files: extra entity-alias files, for slot comparison.
        llm_url: the LLM endpoint's base address (``None``: no LLM judge).
        llm_model: the model name the endpoint serves.
        llm_timeout_s: limit on one LLM request, in seconds.
        llm_cache_dir: on-disk cache directory for LLM answers (``None``: memory only).
        nli_model: a local NLI checkpoint directory (``None``: no NLI model).
        threshold: a judge's confidence, in [0, 1], from which its decision is used.
        minilm: also ask accord's own verifier model (``accord.minilm.v1``).
    """

    name: ClassVar[str] = "accord.ensemble.v1"

    def __init__(
        self,
        entity_files: Sequence[Path] = (),
        *,
        llm_url: str | None = None,
        llm_model: str | None = None,
        llm_timeout_s: float = DEFAULT_TIMEOUT_S,
        llm_cache_dir: Path | str | None = None,
        nli_model: Path | str | None = None,
        threshold: float = NEURAL_THRESHOLD,
        minilm: bool = False,
    ) -> None:
        self.threshold = threshold
        self.slots = SlotVerifier(entity_files=entity_files)
        self._same_subject: set[frozenset[str]] = set()
        self._advance: Callable[[int, int], None] | None = None
        self.judges: list[NLIVerifier | MiniLMVerifier | LLMVerifier] = []
        if nli_model is not None:
            self.judges.append(NLIVerifier(model_dir=nli_model))
        if minilm:
            self.judges.append(MiniLMVerifier())
        if llm_url is not None:
            self.judges.append(
                LLMVerifier(
                    url=llm_url,
                    model=llm_model,
                    timeout_s=llm_timeout_s,
                    cache_dir=llm_cache_dir,
                )
            )

    def describe(self) -> str:
        """Say which parts vote, and the threshold."""
        parts = ["accord.slots.v1"]
        parts += [f"{judge.name} ({judge.describe()})" for judge in self.judges]
        if not self.judges:
            parts.append("no NLI model or LLM judge configured")
        return f"{' > '.join(parts)}; judges decide from confidence {self.threshold:g}"

    def bind_documents(self, documents: Sequence[Document]) -> None:
        """Give slot comparison the documents, and the judges that use them their texts.

        Slot comparison learns from them which documents name their subject alike and the
        years in their titles; without that, its namesake guards would set aside clashes it
        keeps when run alone, and keep ones it sets aside.
        """
        self.slots.bind_documents(documents)
        self._same_subject = same_subject_pairs(documents)
        for judge in self.judges:
            if hasattr(judge, "bind_documents"):
                judge.bind_documents(documents)

    def bind_progress(self, advance: Callable[[int, int], None] | None) -> None:
        """Report ``advance(done, total)`` as pairs are decided (``None``: stop): slot
        comparison over every pair, then each judge over the pairs still open, the total
        growing by those as each judge starts."""
        self._advance = advance
        self.slots.bind_progress(advance)

    @contextmanager
    def _judging(self, judge: object, done: int, count: int) -> Iterator[None]:
        """While ``judge`` decides ``count`` pairs, report them after the ``done`` before."""
        advance = self._advance
        if advance is None:
            yield
            return
        advance(done, done + count)

        def judged(step: int, _total: int) -> None:
            advance(done + step, done + count)

        with bound_progress(judge, judged):
            yield

    def warm_up(self) -> None:
        """Load slot comparison and every judge."""
        self.slots.warm_up()
        for judge in self.judges:
            judge.warm_up()

    def verify(self, pairs: Sequence[Pair]) -> list[Verdict]:
        """Return one verdict per pair, in order, by the rule in the module docstring."""
        self.warm_up()
        verdicts = self.slots.verify(pairs)
        open_ = [i for i, v in enumerate(verdicts) if v.label is Label.NOT_MENTIONED]
        votes: dict[int, list[str]] = {
            i: [f"{verdicts[i].method}: {verdicts[i].reason}"] for i in open_
        }
        possible: dict[int, Verdict] = {}  # the first judge's possible conflict per pair
        done = len(pairs)
        for judge in self.judges:
            if not open_:
                break
            with self._judging(judge, done, len(open_)):
                judged = judge.verify([pairs[i] for i in open_])
            done += len(open_)
            still_open = []
            for i, verdict in zip(open_, judged, strict=True):
                decided = verdict.label is not Label.NOT_MENTIONED
                if decided and verdict.confidence >= self.threshold:
                    verdicts[i] = verdict
                    continue
                if verdict.possible_conflict:
                    possible.setdefault(i, verdict)
                votes[i].append(
                    f"{verdict.method}: {verdict.label.value} {verdict.confidence:.2f}"
                    + ("" if decided else f" ({verdict.reason})")
                )
                still_open.append(i)
            logger.info(
                "%s decided %d of %d pairs slots left open",
                judge.name,
                len(open_) - len(still_open),
                len(open_),
            )
            open_ = still_open
        if self.judges:
            for i in open_:
                if i in possible:
                    verdicts[i] = possible[i]
                    continue
                reason = f"no part decided (threshold {self.threshold:g}): " + "; ".join(votes[i])
                verdicts[i] = replace(verdicts[i], method="ensemble", reason=reason)
        return _guarded(verdicts, subject_kinds(pairs, load_lexicon()), self._same_subject)


def _guarded(
    verdicts: list[Verdict],
    kinds: dict[tuple[str, str], set[str]],
    same_subject: set[frozenset[str]],
) -> list[Verdict]:
    """The verdicts after the namesake guards (``accord.verify.namesakes``), which weigh
    ``same_subject`` (documents that name their subject alike) as slot comparison does.

    A judge's clash between documents that are likely two things of one name is no more a
    contradiction than slot comparison's; nor is a possible conflict between them a conflict,
    so the guards see each possible conflict as the clash it is, and one they set aside
    loses its mark.
    """
    clashes = [replace(v, label=Label.CONTRADICTS) if v.possible_conflict else v for v in verdicts]
    guarded = corroborated([guard_kinds(v, kinds) for v in clashes], same_subject)
    out = []
    for before, after in zip(verdicts, guarded, strict=True):
        if not before.possible_conflict:
            out.append(after)
        elif after.label is Label.CONTRADICTS:
            out.append(before)
        else:
            out.append(replace(after, possible_conflict=False))
    return out
