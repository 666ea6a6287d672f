"""Wording overlap: claims with the same predicate and polarity that share most of their
words support each other, unless a number or an opposite word sets them apart.
"""

from __future__ import annotations

import re

from accord.model import Claim, Label
from accord.verify.values import Finding

__all__ = ["overlap_finding"]

# Wording overlap (Dice over terms) from which same-predicate claims support each other,
# and the fewest shared terms; below either, overlap says nothing.
OVERLAP_SUPPORT = 0.45
OVERLAP_MIN_SHARED = 4
# Predicates too general for overlap to mean agreement.
_LIGHT_PREDICATES = frozenset({"be", "have", "do", "become", "include", "say"})

# Words whose swap turns a sentence into its opposite while the rest of the wording stays.
_OPPOSITES = (
    ("greatest", "worst"), ("best", "worst"), ("first", "last"), ("largest", "smallest"),
    ("highest", "lowest"), ("most", "least"), ("increase", "decrease"), ("win", "lose"),
    ("won", "lost"), ("older", "younger"), ("oldest", "youngest"), ("before", "after"),
    ("above", "below"), ("more", "less"), ("longest", "shortest"), ("strong", "weak"),
    ("north", "south"), ("east", "west"), ("male", "female"), ("major", "minor"),
)  # fmt: skip
_WORD = re.compile(r"[a-z]+")
_NUMBER = re.compile(r"(?<![\w.])\d+(?:[.,]\d+)*(?![\w.])")


def _differing_detail(a: Claim, b: Claim) -> str:
    """Why overlapping wording may still disagree: different numbers ("at age 14" / "at age
    12") or opposite words ("greatest" / "worst"); "" when there is no such sign."""
    numbers_a, numbers_b = set(_NUMBER.findall(a.text)), set(_NUMBER.findall(b.text))
    # Each gives a number the other lacks: "age 14" / "age 12". One giving more numbers
    # than the other ("in May 2019" / "IDA-3 ... in May 2019") is only more detail.
    if numbers_a - numbers_b and numbers_b - numbers_a:
        return f"they give different numbers ({', '.join(sorted(numbers_a ^ numbers_b))})"
    words_a, words_b = set(_WORD.findall(a.text.lower())), set(_WORD.findall(b.text.lower()))
    for x, y in _OPPOSITES:
        if (x in words_a and y in words_b and y not in words_a) or (
            y in words_a and x in words_b and x not in words_a
        ):
            return f"one says '{x}' where the other says '{y}'"
    return ""


def overlap_finding(a: Claim, b: Claim) -> Finding:
    left, right = set(a.terms), set(b.terms)
    shared = left & right
    dice = 2 * len(shared) / (len(left) + len(right)) if left and right else 0.0
    same_predicate = a.predicate == b.predicate and a.predicate not in _LIGHT_PREDICATES
    # read only where it can matter: both its uses need the overlap to reach support
    differs = _differing_detail(a, b) if dice >= OVERLAP_SUPPORT else ""
    if (
        same_predicate
        and a.negated == b.negated
        and dice >= OVERLAP_SUPPORT
        and len(shared) >= OVERLAP_MIN_SHARED
        and not differs
    ):
        words = ", ".join(sorted(shared - {a.predicate})[:6])
        return Finding(
            Label.SUPPORTS,
            min(0.85, 0.35 + dice * 0.6),
            "overlap:terms",
            f"both say they {a.predicate} ({words}); wording overlap {dice:.2f}",
            None,
        )
    reason = "no slot of the same event in both"
    if differs and dice >= OVERLAP_SUPPORT:
        reason += f"; the wording overlaps ({dice:.2f}) but {differs}"
    elif dice:
        reason += f"; wording overlap {dice:.2f} is too weak to decide"
    return Finding(Label.NOT_MENTIONED, round(1.0 - dice, 3), "slots", reason, None)
