"""How much to trust each source: its prior by source kind as a weak start, then what the
other sources say of its claims, estimated together with how likely each claim is true
(``accord.reconcile.truth``), less the share of its page that was boilerplate.

The facts are the claims, grouped where sources support each other (claims that other sources
SUPPORT are one fact, stated by all of them); the conflicts are the contradictions between
claims (a possible conflict counts at ``POSSIBLE_CONFLICT_STRENGTH`` of its confidence), a
document's contradictions with itself included. A source gains when its claims are backed by
sources that are themselves trusted and loses when its claims are contradicted by claims that
are better backed. Only claims other sources speak to count (or its own contradictions), so
adding documents that say nothing about a source's claims leaves its score unchanged, and a
source nobody speaks to keeps its prior. When a question is asked
(``accord.reconcile.question``), the facts that bear on it count more.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from accord.errors import ConfigError
from accord.model import Claim, DocKind, Document, Label, Reliability, Verdict
from accord.reconcile.truth import Conflict, Discovery, Fact, discover

__all__ = [
    "KIND_PRIOR",
    "Evidence",
    "base_scores",
    "evidence_from",
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
# The weights of a source's vote on a contested field: prior, consistency, clean page.
VOTE_PRIOR_WEIGHT = 0.5
VOTE_CONSISTENCY_WEIGHT = 0.3
VOTE_CLEANLINESS_WEIGHT = 0.2
# A page that was all boilerplate loses this share of its score.
BOILERPLATE_PENALTY = 0.2
# A possible conflict (a clash under the contradiction threshold) weighs its confidence
# times this.
POSSIBLE_CONFLICT_STRENGTH = 0.5
# A fact whose belief is under this is "contradicted by the weight of the evidence".
DISBELIEVED = 0.5


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


# What is dropped from a page without being junk: references and citation markers are
# signs of a sourced text, edit links and captions the markup of a wiki page; they are
# taken out for reading, and say nothing against the page.
NOT_JUNK = ("reference", "citation marker", "edit link", "image caption")


def _boilerplate(document: Document) -> tuple[float, list[str]]:
    junk = [r for r in document.removed if not r.reason.startswith(NOT_JUNK)]
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
    """Each source's weight in a field's vote: its prior, internal consistency and clean page.

    These weigh the sources' votes when a contradicted field's consensus is formed; they do
    not depend on the vote, so a majority is a majority of sources weighed before it.

    Returns:
        Doc id -> weight in [0, 1].
    """
    scores = {}
    for document in documents:
        boilerplate, _ = _boilerplate(document)
        consistency = 1.0 / (1.0 + internal.get(document.id, 0))
        scores[document.id] = (
            VOTE_PRIOR_WEIGHT * priors[document.kind]
            + VOTE_CONSISTENCY_WEIGHT * consistency
            + VOTE_CLEANLINESS_WEIGHT * (1.0 - boilerplate)
        )
    return scores


@dataclass(frozen=True, slots=True)
class Evidence:
    """The claims as facts and conflicts, with which fact each claim belongs to."""

    facts: tuple[Fact, ...]
    conflicts: tuple[Conflict, ...]
    fact_of: dict[str, int]  # claim id -> fact index


class _Groups:
    """Union-find over claim ids."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, item: str) -> str:
        root = self.parent.setdefault(item, item)
        while root != self.parent[root]:
            root = self.parent[root]
        while item != root:  # path compression
            self.parent[item], item = root, self.parent[item]
        return root

    def join(self, a: str, b: str) -> None:
        self.parent[self.find(a)] = self.find(b)


def evidence_from(
    claims: Sequence[Claim],
    verdicts: Sequence[Verdict],
    weights: Mapping[str, float] | None = None,
) -> Evidence:
    """The facts (claims joined by other sources' support) and the conflicts between them.

    Args:
        claims: every claim of the run.
        verdicts: the verdicts on aligned pairs.
        weights: claim id -> how much the claim counts (a fact counts as its heaviest claim);
            1 for claims not given.
    """
    groups = _Groups()
    for claim in claims:
        groups.find(claim.id)
    for verdict in verdicts:
        left, right = verdict.pair.left, verdict.pair.right
        if verdict.label is Label.SUPPORTS and left.doc_id != right.doc_id:
            groups.join(left.id, right.id)
    index: dict[str, int] = {}
    members: list[set[str]] = []
    heaviest: list[float] = []
    fact_of: dict[str, int] = {}
    for claim in claims:
        root = groups.find(claim.id)
        if root not in index:
            index[root] = len(members)
            members.append(set())
            heaviest.append(0.0)
        at = index[root]
        members[at].add(claim.doc_id)
        heaviest[at] = max(heaviest[at], (weights or {}).get(claim.id, 1.0))
        fact_of[claim.id] = at
    strongest: dict[tuple[int, int], float] = {}
    for verdict in verdicts:
        if verdict.label is Label.CONTRADICTS:
            strength = verdict.confidence
        elif verdict.possible_conflict:
            strength = verdict.confidence * POSSIBLE_CONFLICT_STRENGTH
        else:
            continue
        a = fact_of.get(verdict.pair.left.id)
        b = fact_of.get(verdict.pair.right.id)
        if (
            a is None
            or b is None
            or a == b
            or verdict.pair.left.doc_id == verdict.pair.right.doc_id
        ):
            continue  # a document against itself is counted apart (``discover_trust``)
        key = (min(a, b), max(a, b))
        strongest[key] = max(strongest.get(key, 0.0), min(max(strength, 0.0), 1.0))
    facts = tuple(
        Fact(sources=frozenset(m), weight=w) for m, w in zip(members, heaviest, strict=True)
    )
    conflicts = tuple(Conflict(a, b, s) for (a, b), s in sorted(strongest.items()))
    return Evidence(facts=facts, conflicts=conflicts, fact_of=fact_of)


def discover_trust(
    documents: Sequence[Document],
    evidence: Evidence,
    internal: Mapping[str, int],
    priors: Mapping[DocKind, float],
) -> Discovery:
    """Run truth discovery over ``evidence`` from each document's prior; a document's
    contradictions with itself count as known errors of it."""
    return discover(
        evidence.facts,
        evidence.conflicts,
        {document.id: priors[document.kind] for document in documents},
        errors={doc_id: float(count) for doc_id, count in internal.items()},
    )


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def reliability(
    document: Document,
    discovery: Discovery,
    evidence: Evidence,
    internal: int,
    priors: Mapping[DocKind, float],
    claim_ids: Sequence[str],
) -> Reliability:
    """Score one source, with one reason per thing that moved its score.

    Args:
        document: the source.
        discovery: the outcome of truth discovery over every source (``discover_trust``).
        evidence: the facts and conflicts it ran on.
        internal: the source's contradictions with itself (``internal_contradictions``).
        priors: the prior by source kind.
        claim_ids: the ids of the document's claims.
    """
    prior = priors[document.kind]
    reasons = [f"prior for source kind {document.kind.value!r}: {prior:.2f}"]
    own = sorted({evidence.fact_of[c] for c in claim_ids if c in evidence.fact_of})
    decided = [f for f in own if discovery.evidence[f]]
    backed = [f for f in decided if len(evidence.facts[f].sources) > 1]
    conflicted = {c.left for c in evidence.conflicts} | {c.right for c in evidence.conflicts}
    disputed = [f for f in decided if f in conflicted]
    lost = [f for f in disputed if discovery.belief[f] < DISBELIEVED]
    if decided:
        both = (
            " (some both)"
            if backed and disputed and len(backed) + len(disputed) > len(decided)
            else ""
        )
        reasons.append(
            f"of its {_count(len(decided), 'claim', 'claims')} other sources speak to, "
            f"{len(backed)} {'is' if len(backed) == 1 else 'are'} backed by another source and "
            f"{len(disputed)} contradicted by one{both}"
        )
        if lost:
            reasons.append(
                f"{_count(len(lost), 'claim is', 'claims are')} contradicted by better-backed "
                "claims (believed less likely than not)"
            )
        if len(disputed) > len(lost):
            reasons.append(
                f"{_count(len(disputed) - len(lost), 'contradicted claim', 'contradicted claims')}"
                " of it the evidence still favours"
            )
        heavier = sum(1 for f in decided if evidence.facts[f].weight > 1.0)
        if heavier:
            reasons.append(f"{_count(heavier, 'of them bears', 'of them bear')} on the question")
    else:
        reasons.append("no other source speaks to its claims: its trust is its prior")
    if internal:
        reasons.append(f"{internal} internal contradiction{'s' if internal != 1 else ''}")
    trust = discovery.trust[document.id]
    reasons.append(f"trust from the evidence: {trust:.2f}")
    boilerplate, kinds = _boilerplate(document)
    if kinds:
        reasons.append(f"{boilerplate:.0%} of the page was boilerplate ({', '.join(kinds)})")
    score = trust * (1.0 - BOILERPLATE_PENALTY * boilerplate)
    return Reliability(doc_id=document.id, score=round(score, 3), reasons=tuple(reasons))
