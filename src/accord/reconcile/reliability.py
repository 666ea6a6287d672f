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
from dataclasses import dataclass, field

from accord.errors import ConfigError
from accord.model import Claim, DocKind, Document, Label, Reliability, Span, Verdict
from accord.reconcile.copies import COPY_SHARE, Copies, Edit
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
# How sure an edit between two near-copies is a conflict: the texts around it are the same
# word for word, so the two wordings are about the same thing; one may still be a rewording.
EDIT_STRENGTH = 0.8


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
    """The claims as facts and conflicts, with which fact each claim belongs to; the near-copies
    among the sources, and for each edit between near-copies its two facts (each side's
    wording, stated by its copy and the sources that have the same words)."""

    facts: tuple[Fact, ...]
    conflicts: tuple[Conflict, ...]
    fact_of: dict[str, int]  # claim id -> fact index
    copies: Copies = field(default_factory=lambda: Copies(dependence={}, edits=()))
    edit_facts: tuple[tuple[Edit, int, int], ...] = ()


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
    copies: Copies | None = None,
) -> Evidence:
    """The facts (claims joined by other sources' support) and the conflicts between them.

    Args:
        claims: every claim of the run.
        verdicts: the verdicts on aligned pairs.
        weights: claim id -> how much the claim counts (a fact counts as its heaviest claim);
            1 for claims not given.
        copies: the near-copies among the sources (``accord.reconcile.copies.find_copies``):
            each edit between two near-copies that no contradiction between their claims
            already covers is a conflict between two more facts, each side's wording.
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
    copies = copies or Copies(dependence={}, edits=())
    covered = _contradicted_spans(verdicts)
    uncovered = []
    for edit in copies.edits:
        if _overlaps(covered, edit.left, edit.right, edit.left_span) or _overlaps(
            covered, edit.right, edit.left, edit.right_span
        ):
            # the verdicts already have this difference as a contradiction; the sources that
            # repeat one side's words in a row state that side's claim too
            for doc_id, where, backers in (
                (edit.left, edit.left_span, edit.left_backers),
                (edit.right, edit.right_span, edit.right_backers),
            ):
                for claim in _claims_over(claims, doc_id, where):
                    members[fact_of[claim.id]].update(backers)
            continue
        uncovered.append(edit)
    facts = [Fact(sources=frozenset(m), weight=w) for m, w in zip(members, heaviest, strict=True)]
    conflicts = [Conflict(a, b, s) for (a, b), s in sorted(strongest.items())]
    edit_facts = []
    for edit in uncovered:
        weight = _edit_weight(edit, claims, weights)
        mine, theirs = len(facts), len(facts) + 1
        facts.append(Fact(sources=frozenset((edit.left, *edit.left_backers)), weight=weight))
        facts.append(Fact(sources=frozenset((edit.right, *edit.right_backers)), weight=weight))
        conflicts.append(Conflict(mine, theirs, EDIT_STRENGTH))
        edit_facts.append((edit, mine, theirs))
    return Evidence(
        facts=tuple(facts),
        conflicts=tuple(conflicts),
        fact_of=fact_of,
        copies=copies,
        edit_facts=tuple(edit_facts),
    )


def _contradicted_spans(verdicts: Sequence[Verdict]) -> dict[tuple[str, str], list[Span]]:
    """(doc id, other doc id) -> the spans of the doc's claims a claim of the other contradicts."""
    spans: dict[tuple[str, str], list[Span]] = {}
    for verdict in verdicts:
        if verdict.label is not Label.CONTRADICTS and not verdict.possible_conflict:
            continue
        left, right = verdict.pair.left, verdict.pair.right
        spans.setdefault((left.doc_id, right.doc_id), []).append(left.span)
        spans.setdefault((right.doc_id, left.doc_id), []).append(right.span)
    return spans


def _overlaps(
    covered: Mapping[tuple[str, str], list[Span]], doc_id: str, other: str, at: tuple[int, int]
) -> bool:
    return any(span.start < at[1] and at[0] < span.end for span in covered.get((doc_id, other), ()))


def _edit_weight(edit: Edit, claims: Sequence[Claim], weights: Mapping[str, float] | None) -> float:
    """An edit counts as much as the heaviest claim either side of it lies in (1 without
    weights, or when no claim covers it)."""
    if not weights:
        return 1.0
    found = [
        weights.get(claim.id, 1.0)
        for doc_id, at in ((edit.left, edit.left_span), (edit.right, edit.right_span))
        for claim in _claims_over(claims, doc_id, at)
    ]
    return max(found, default=1.0)


def _claims_over(claims: Sequence[Claim], doc_id: str, at: tuple[int, int]) -> list[Claim]:
    """The claims of ``doc_id`` whose span overlaps the characters ``at``."""
    return [c for c in claims if c.doc_id == doc_id and c.span.start < at[1] and at[0] < c.span.end]


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
        dependence=evidence.copies.dependence,
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
    names: Mapping[str, str] | None = None,
) -> Reliability:
    """Score one source, with one reason per thing that moved its score.

    Args:
        document: the source.
        discovery: the outcome of truth discovery over every source (``discover_trust``).
        evidence: the facts and conflicts it ran on.
        internal: the source's contradictions with itself (``internal_contradictions``).
        priors: the prior by source kind.
        claim_ids: the ids of the document's claims.
        names: doc id -> the name the reasons give another source (its id by default).
    """
    prior = priors[document.kind]
    reasons = [f"prior for source kind {document.kind.value!r}: {prior:.2f}"]
    own = sorted({evidence.fact_of[c] for c in claim_ids if c in evidence.fact_of})
    decided = [f for f in own if discovery.evidence[f]]
    stated_by = {f: evidence.facts[f].sources - {document.id} for f in decided}
    backed = [
        f
        for f in decided
        if any(evidence.copies.of(document.id, o) < COPY_SHARE for o in stated_by[f])
    ]
    by_copies = [f for f in decided if stated_by[f] and f not in backed]
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
        if by_copies:
            reasons.append(
                f"{_count(len(by_copies), 'other claim is', 'other claims are')} stated only by "
                "near-copies of it, which counts for little"
            )
        heavier = sum(1 for f in decided if evidence.facts[f].weight > 1.0)
        if heavier:
            reasons.append(f"{_count(heavier, 'of them bears', 'of them bear')} on the question")
    copied = _copy_reasons(document.id, discovery, evidence, names or {})
    backs = _backed_for_others(document.id, own, discovery, evidence, names or {})
    if not decided and not copied and not backs:
        reasons.append("no other source speaks to its claims: its trust is its prior")
    reasons.extend(backs)
    reasons.extend(copied)
    if internal:
        reasons.append(f"{internal} internal contradiction{'s' if internal != 1 else ''}")
    trust = discovery.trust[document.id]
    reasons.append(f"trust from the evidence: {trust:.2f}")
    boilerplate, kinds = _boilerplate(document)
    if kinds:
        reasons.append(f"{boilerplate:.0%} of the page was boilerplate ({', '.join(kinds)})")
    score = trust * (1.0 - BOILERPLATE_PENALTY * boilerplate)
    return Reliability(doc_id=document.id, score=round(score, 3), reasons=tuple(reasons))


def _backed_for_others(
    doc_id: str,
    own: Sequence[int],
    discovery: Discovery,
    evidence: Evidence,
    names: Mapping[str, str],
) -> list[str]:
    """What the source states without a claim of its own: the facts of other sources whose
    words around an edit between near-copies it repeats in a row (``evidence_from``)."""
    edits = {f for _, mine, theirs in evidence.edit_facts for f in (mine, theirs)}
    mine = set(own)
    facts = [
        f
        for f, fact in enumerate(evidence.facts)
        if doc_id in fact.sources and f not in mine and f not in edits and discovery.evidence[f]
    ]
    if not facts:
        return []
    others = sorted({o for f in facts for o in evidence.facts[f].sources} - {doc_id})
    shown = ", ".join(names.get(o, o) for o in others)
    return [
        f"repeats the words of {_count(len(facts), 'claim', 'claims')} of {shown} around an "
        "edit between near-copies, so it counts as stating them too"
    ]


def _copy_reasons(
    doc_id: str, discovery: Discovery, evidence: Evidence, names: Mapping[str, str]
) -> list[str]:
    """What the source's near-copies say of it: that they are not independent of it, and the
    places where it and a near-copy differ, with which wording the evidence favours."""
    reasons = []
    for pair, share in sorted(evidence.copies.dependence.items(), key=lambda x: sorted(x[0])):
        if doc_id not in pair:
            continue
        (other,) = pair - {doc_id}
        what = "a near-copy of" if share >= COPY_SHARE else "shares text with"
        reasons.append(
            f"{what} {names.get(other, other)} ({share:.0%} the same word for word where they "
            "overlap): what they both say is not independent evidence"
        )
    by_copy: dict[str, list[tuple[str, str, float, int, int]]] = {}
    for edit, left, right in evidence.edit_facts:
        if doc_id not in (edit.left, edit.right):
            continue
        mine, theirs = (left, right) if doc_id == edit.left else (right, left)
        here, there = (
            (edit.left_text, edit.right_text)
            if doc_id == edit.left
            else (edit.right_text, edit.left_text)
        )
        other = edit.right if doc_id == edit.left else edit.left
        by_copy.setdefault(other, []).append(
            (
                here,
                there,
                discovery.belief[mine],
                len(evidence.facts[mine].sources) - 1,
                len(evidence.facts[theirs].sources) - 1,
            )
        )
    for other, edits in by_copy.items():
        shown = "; ".join(f"{_short(h)!r} here, {_short(t)!r} there" for h, t, *_ in edits[:3])
        more = f" and {len(edits) - 3} more" if len(edits) > 3 else ""
        reasons.append(
            f"differs from its near-copy {names.get(other, other)} in "
            f"{_count(len(edits), 'place', 'places')} ({shown}{more}): one of the two changed it"
        )
        backed = sum(1 for *_, mine, _ in edits if mine)
        against = sum(1 for *_, theirs in edits if theirs)
        if backed or against:
            reasons.append(
                f"other sources have its wording in {backed} of these places and the "
                f"near-copy's in {against}"
            )
        lost = sum(1 for _, _, belief, _, _ in edits if belief < DISBELIEVED)
        if lost:
            reasons.append(
                f"its wording is believed less likely than not in {_count(lost, 'place', 'places')}"
            )
    return reasons


SHOWN_CHARS = 60  # how much of an edit's wording a reason quotes


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= SHOWN_CHARS else text[: SHOWN_CHARS - 1] + "…"
