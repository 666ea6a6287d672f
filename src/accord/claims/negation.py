"""Whether a clause denies, hedges or reports what it says: "was never approved", "may have
been built", "Hale wrote that the treaty was signed in Porto"."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from accord.lexicon import Lexicon

if TYPE_CHECKING:
    from spacy.tokens import Span as SpacySpan
    from spacy.tokens import Token

NEGATORS = frozenset({"not", "n't", "never", "no"})
_REPORTING_VERBS = frozenset(
    {"say", "write", "claim", "state", "report", "argue", "believe", "suggest", "allege",
     "assert", "contend", "insist", "maintain", "think", "suppose", "rumour", "rumor"}
)  # fmt: skip


def is_negated(verb: Token) -> bool:
    """True when the verb is negated ("was not signed", "never opened")."""
    # "no" counts only as the parse's negation: "Symphony No. 9 was premiered" is no denial
    return any(
        c.dep_ == "neg" or (c.lower_ in NEGATORS and c.lower_ != "no") for c in verb.children
    )


def is_hedged(tokens: Sequence[Token], sent: SpacySpan, lexicon: Lexicon) -> bool:
    """True when the clause is hedged or reported: a modal hedge, a reporting verb's clause,
    or one of the lexicon's hedge phrases in the sentence."""
    # Modal hedges count only as modal verbs: "4 May 1820" is not hedged.
    if any(t.lower_ in lexicon.hedges and (t.tag_ == "MD" or t.pos_ == "ADV") for t in tokens):
        return True
    # Reported speech: "Hale wrote that the treaty was signed in Porto" is Hale's claim.
    if any(t.dep_ == "ccomp" and t.head.lemma_.lower() in _REPORTING_VERBS for t in tokens):
        return True
    lowered = sent.text.lower()
    return any(phrase in lowered for phrase in lexicon.hedge_phrases)


def negated_mention(root: Token) -> bool:
    """A mention right after "not" / "never" is denied: "in Porto, not Lisbon"."""
    first = root.left_edge
    return first.i > 0 and root.doc[first.i - 1].lower_ in NEGATORS
