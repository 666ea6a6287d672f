"""Truth discovery: how far to trust each source, estimated together with how likely each
fact is true, from who agrees with whom.

In the line of TruthFinder (Yin, Han and Yu, 2007): a fact is as believable as the sources
that state it are trustworthy, less what is believable in the facts that conflict with it;
a source is as trustworthy as the facts it states are believable. The two are computed in
turn until they settle. Each source starts from its prior, which also stays in its trust as
``PRIOR_STRENGTH`` facts' worth of evidence, so one agreement or one contradiction moves a
score without deciding it.

Only facts that other sources speak to are evidence: a fact several sources state, or one a
conflict involves. A source's contradictions with itself are known errors, whatever the
others say: each counts as one fact of it that is false. A source whose facts nobody else
speaks to, and that does not contradict itself, keeps its prior.

Sources that copy each other are not independent (``dependence``, 0-1 per pair): in a
fact's support each source counts ``1 / (1 + its summed dependence on the fact's other
sources)`` (two exact copies count as one source), and a fact no conflict involves counts in a
source's trust only as far as its other sources are independent of it (a copy agreeing with
its original is no evidence for it). A conflict counts whoever is in it.

The arithmetic is in log-odds: a fact's support is the sum of the logits of its sources'
trust, less each conflicting fact's support times the conflict's strength; its belief is the
logistic of that. A fact one source states alone, unopposed, is as believable as that source
is trusted; two sources of trust 0.6 agreeing make it 0.69; one source against one, 0.5 each.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

__all__ = ["PRIOR_STRENGTH", "Conflict", "Discovery", "Fact", "discover"]

# How many facts' worth of evidence a source's prior counts for in its trust.
PRIOR_STRENGTH = 2.0
# Trust is kept inside (TRUST_FLOOR, 1 - TRUST_FLOOR) so that its log-odds stay finite.
TRUST_FLOOR = 0.01
MAX_ITERATIONS = 100
TOLERANCE = 1e-7


@dataclass(frozen=True, slots=True)
class Fact:
    """One thing stated, by the sources that state it; ``weight`` is how much it counts in
    those sources' trust (1 by default; more for facts that bear on a question asked)."""

    sources: frozenset[str]
    weight: float = 1.0


@dataclass(frozen=True, slots=True)
class Conflict:
    """Two facts (indexes into the facts) that cannot both be true; ``strength`` in (0, 1]
    is how sure that is (a contradiction's confidence)."""

    left: int
    right: int
    strength: float = 1.0


@dataclass(frozen=True, slots=True)
class Discovery:
    """The outcome: each source's trust and each fact's belief (probability it is true),
    with which facts were evidence and how many rounds it took to settle."""

    trust: dict[str, float]
    belief: tuple[float, ...]
    evidence: tuple[bool, ...]
    iterations: int


def _logit(p: float) -> float:
    p = min(max(p, TRUST_FLOOR), 1.0 - TRUST_FLOOR)
    return math.log(p / (1.0 - p))


def _logistic(x: float) -> float:
    if x < -50:
        return 0.0
    return 1.0 / (1.0 + math.exp(-x))


def discover(
    facts: Sequence[Fact],
    conflicts: Sequence[Conflict],
    priors: Mapping[str, float],
    *,
    errors: Mapping[str, float] | None = None,
    prior_strength: float = PRIOR_STRENGTH,
    dependence: Mapping[frozenset[str], float] | None = None,
) -> Discovery:
    """Estimate source trust and fact belief together.

    Args:
        facts: what is stated, each by one or more sources (every source in ``priors``).
        conflicts: pairs of facts that exclude each other.
        priors: each source's prior trust in [0, 1] (its starting point).
        errors: source -> facts' worth of evidence known to be false of it whatever the
            others say (its contradictions with itself: one of the two claims is wrong).
        prior_strength: how many facts' worth of evidence the prior counts for.
        dependence: pair of sources -> how far one copies the other, in [0, 1] (pairs not
            given are independent).

    Returns:
        The trust of every source in ``priors`` and the belief in every fact.

    Raises:
        ValueError: a fact names a source without a prior, or a conflict an unknown fact.
    """
    against: list[list[tuple[int, float]]] = [[] for _ in facts]
    for conflict in conflicts:
        if not (0 <= conflict.left < len(facts) and 0 <= conflict.right < len(facts)):
            raise ValueError(f"conflict between unknown facts {conflict.left}, {conflict.right}")
        against[conflict.left].append((conflict.right, conflict.strength))
        against[conflict.right].append((conflict.left, conflict.strength))
    evidence = tuple(len(f.sources) > 1 or bool(against[i]) for i, f in enumerate(facts))
    shares, counts = _independence(facts, against, dependence or {})
    stated: dict[str, list[tuple[int, float]]] = {source: [] for source in priors}
    for index, fact in enumerate(facts):
        for source in fact.sources:
            if source not in stated:
                raise ValueError(f"fact stated by {source!r}, which has no prior")
            if evidence[index]:
                stated[source].append((index, fact.weight * counts[index][source]))
    trust = {source: min(max(p, 0.0), 1.0) for source, p in priors.items()}
    belief = [0.5] * len(facts)
    iterations = 0
    for iterations in range(1, MAX_ITERATIONS + 1):  # noqa: B007  (reported when done)
        support = [
            sum(_logit(trust[s]) * shares[i][s] for s in fact.sources)
            for i, fact in enumerate(facts)
        ]
        belief = [
            _logistic(support[i] - sum(strength * support[j] for j, strength in against[i]))
            for i in range(len(facts))
        ]
        updated = {}
        for source, indexes in stated.items():
            weight = sum(w for _, w in indexes) + (errors or {}).get(source, 0.0)
            believed = sum(w * belief[i] for i, w in indexes)
            updated[source] = (prior_strength * priors[source] + believed) / (
                prior_strength + weight
            )
        change = max((abs(updated[s] - trust[s]) for s in trust), default=0.0)
        trust = updated
        if change < TOLERANCE:
            break
    return Discovery(trust=trust, belief=tuple(belief), evidence=evidence, iterations=iterations)


def _independence(
    facts: Sequence[Fact],
    against: Sequence[Sequence[tuple[int, float]]],
    dependence: Mapping[frozenset[str], float],
) -> tuple[list[dict[str, float]], list[dict[str, float]]]:
    """Per fact and source: the source's share in the fact's support, and how much the fact
    counts in the source's trust (1 when a conflict involves the fact, else how independent
    of the source the least dependent of its other sources is)."""
    shares: list[dict[str, float]] = []
    counts: list[dict[str, float]] = []
    for index, fact in enumerate(facts):
        share: dict[str, float] = {}
        count: dict[str, float] = {}
        for source in fact.sources:
            others = [dependence.get(frozenset((source, o)), 0.0) for o in fact.sources - {source}]
            share[source] = 1.0 / (1.0 + sum(others))
            count[source] = 1.0 if against[index] or not others else 1.0 - min(others)
        shares.append(share)
        counts.append(count)
    return shares, counts
