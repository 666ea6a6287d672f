"""How much to trust each source: a prior by source kind, the share of its claims the
consensus contradicts, its internal contradictions, and the share of its page that was
boilerplate.

Scores are computed in two passes. The *base* score leaves consensus out (prior,
internal contradictions, boilerplate); it weighs each source's vote when the consensus is
formed. The final score adds how often the consensus contradicts the source. A source is
judged only on what other sources speak to, so adding documents that say nothing about its
claims leaves its score unchanged.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from accord.errors import ConfigError
from accord.model import DocKind, Document, Label, Reliability, Verdict

__all__ = [
    "KIND_PRIOR",
    "ClaimVotes",
    "base_scores",
    "claim_votes",
    "internal_contradictions",
    "kind_priors",
    "reliability",
]

# Prior trust by source kind, in [0, 1]: edited reference works above news above
# open wikis; unknown sits between. Override with Settings.priors / --prior KIND=VALUE.
KIND_PRIOR = {
    DocKind.ENCYCLOPEDIA: 0.8,
    DocKind.NEWS: 0.7,
    DocKind.UNKNOWN: 0.6,
    DocKind.WIKI: 0.5,
}
# Weights of the three components of the reliability score (they sum to 1).
PRIOR_WEIGHT = 0.5
AGREEMENT_WEIGHT = 0.3
CLEANLINESS_WEIGHT = 0.2


def kind_priors(overrides: Mapping[str, float] | None = None) -> dict[DocKind, float]:
    """The prior by source kind: the defaults with ``overrides`` (kind name -> value) applied.

    Raises:
        ConfigError: an unknown kind, or a value outside [0, 1].
    """
    priors = dict(KIND_PRIOR)
    for name, value in (overrides or {}).items():
        try:
            kind = DocKind.from_str(name)
        except ValueError as exc:
            raise ConfigError(f"prior for {exc}") from None
        if not 0.0 <= float(value) <= 1.0:
            raise ConfigError(f"prior for {name!r} must be in [0, 1], got {value}")
        priors[kind] = float(value)
    return priors


def _boilerplate(document: Document) -> tuple[float, list[str]]:
    # Reference lists are dropped from the text but are not junk: they do not count.
    junk = [r for r in document.removed if not r.reason.startswith("reference")]
    removed = sum(len(r.text) for r in junk)
    share = removed / (removed + len(document.text)) if document.text else 0.0
    return share, sorted({r.reason for r in junk})


def internal_contradictions(verdicts: Sequence[Verdict]) -> Counter[str]:
    """Doc id -> how many contradictions there are between two claims of that document."""
    return Counter(
        v.pair.left.doc_id
        for v in verdicts
        if v.label is Label.CONTRADICTS and v.pair.left.doc_id == v.pair.right.doc_id
    )


def base_scores(
    documents: Sequence[Document], internal: Mapping[str, int], priors: Mapping[DocKind, float]
) -> dict[str, float]:
    """Each source's score before consensus: prior, internal contradictions, boilerplate.

    Returns:
        Doc id -> score in [0, 1]; these weigh the sources' votes.
    """
    scores = {}
    for document in documents:
        boilerplate, _ = _boilerplate(document)
        consistency = 1.0 / (1.0 + internal.get(document.id, 0))
        scores[document.id] = (
            PRIOR_WEIGHT * priors[document.kind]
            + AGREEMENT_WEIGHT * consistency
            + CLEANLINESS_WEIGHT * (1.0 - boilerplate)
        )
    return scores


@dataclass(frozen=True, slots=True)
class ClaimVotes:
    """What other sources say of one claim: the documents that support or contradict it."""

    doc_id: str
    supporters: frozenset[str]
    opponents: frozenset[str]

    def is_outvoted(self, weights: Mapping[str, float]) -> bool:
        """True when the sources against the claim are a strict majority of those speaking
        to it (the claim's own source included), by count and by reliability weight both."""
        backing = len(self.supporters) + 1
        if len(self.opponents) <= backing:
            return False
        against = sum(weights.get(d, 0.0) for d in self.opponents)
        behind = weights.get(self.doc_id, 0.0) + sum(weights.get(d, 0.0) for d in self.supporters)
        return against > behind


def claim_votes(verdicts: Sequence[Verdict]) -> dict[str, ClaimVotes]:
    """Claim id -> the other documents that support it and those that contradict it.

    A document that both supports and contradicts a claim (it gives two values) counts as
    supporting it.
    """
    support: dict[str, set[str]] = defaultdict(set)
    oppose: dict[str, set[str]] = defaultdict(set)
    owner: dict[str, str] = {}
    for verdict in verdicts:
        left, right = verdict.pair.left, verdict.pair.right
        if left.doc_id == right.doc_id or verdict.label is Label.NOT_MENTIONED:
            continue
        target = support if verdict.label is Label.SUPPORTS else oppose
        for claim, other in ((left, right), (right, left)):
            owner[claim.id] = claim.doc_id
            target[claim.id].add(other.doc_id)
    return {
        claim_id: ClaimVotes(
            doc_id=doc_id,
            supporters=frozenset(support[claim_id]),
            opponents=frozenset(oppose[claim_id] - support[claim_id]),
        )
        for claim_id, doc_id in owner.items()
    }


def reliability(
    document: Document,
    internal: int,
    votes: Mapping[str, ClaimVotes],
    outvoted: set[str],
    priors: Mapping[DocKind, float],
    claim_ids: Sequence[str],
) -> Reliability:
    """Score one source.

    Args:
        document: the source.
        internal: its internal contradictions (from :func:`internal_contradictions`).
        votes: from :func:`claim_votes`.
        outvoted: ids of claims the consensus contradicts (by field or by vote).
        priors: the prior by source kind.
        claim_ids: the ids of the document's claims.

    Returns:
        The score in [0, 1] with one reason per component.
    """
    prior = priors[document.kind]
    reasons = [f"prior for source kind {document.kind.value!r}: {prior:.2f}"]
    decided = sorted(cid for cid in claim_ids if cid in votes)
    against = [cid for cid in decided if cid in outvoted]
    disputed = [cid for cid in decided if votes[cid].opponents and cid not in outvoted]
    if decided:
        reasons.append(
            f"{len(against)} of its {len(decided)} claims that others speak to "
            f"{'is' if len(against) == 1 else 'are'} contradicted by the consensus"
        )
        if disputed:
            reasons.append(
                f"{len(disputed)} of them {'is' if len(disputed) == 1 else 'are'} contradicted "
                "by some source, but not by the consensus"
            )
    else:
        reasons.append("no other source speaks to its claims")
    if internal:
        reasons.append(f"{internal} internal contradiction{'s' if internal != 1 else ''}")
    total = len(decided) + internal
    contradicted_share = (len(against) + internal) / total if total else 0.0
    boilerplate, kinds = _boilerplate(document)
    if kinds:
        reasons.append(f"{boilerplate:.0%} of the page was boilerplate ({', '.join(kinds)})")
    score = (
        PRIOR_WEIGHT * prior
        + AGREEMENT_WEIGHT * (1.0 - contradicted_share)
        + CLEANLINESS_WEIGHT * (1.0 - boilerplate)
    )
    return Reliability(doc_id=document.id, score=round(score, 3), reasons=tuple(reasons))
