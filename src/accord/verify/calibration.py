"""Calibrated confidence for slot comparison's clashes: the share of the clashes each method
finds that are real contradictions, measured on development data.

Each method of clash (``slots:date``, ``slots:holder``, ``slots:masked-date``…) starts
from a rate set by hand (``DEFAULT_RATES``). ``training/calibrate.py`` counts, on the
development cases and the development splits of the public sets, how many of each method's
clashes were right, and writes the counts to ``accord/data/calibration.json``. A method's
rate is then the posterior mean of its precision, with the hand-set rate as a prior worth
``PRIOR_WEIGHT`` clashes: (right + weight × default) / (given + weight). The weakness of the
evidence (an infobox line, a hedge, a year from context) still multiplies the rate.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib.resources import files
from typing import Any

from accord.model import Label
from accord.verify import values

logger = logging.getLogger(__name__)

__all__ = ["DEFAULT_RATES", "PRIOR_WEIGHT", "Calibration", "calibrate", "load_calibration"]

# Hand-set precision of each method's clashes, before any data: the prior.
DEFAULT_RATES: dict[str, float] = {
    "slots:date": values.DATE_CONFIDENCE,
    "slots:place": values.PLACE_CONFIDENCE,
    "slots:place-unknown": values.UNKNOWN_PLACE_CONFIDENCE,
    "slots:quantity": values.QUANTITY_CONFIDENCE,
    "slots:count": values.QUANTITY_CONFIDENCE,
    "slots:holder": values.HOLDER_CONFIDENCE,
    "slots:agent": values.AGENT_CONFIDENCE,
    "slots:rank": values.RANK_CONFIDENCE,
    "slots:nationality": values.NATIONALITY_CONFIDENCE,
    "slots:negation": values.NEGATION_CONFIDENCE,
    **{
        f"slots:masked-{kind}": values.MASKED_CONFIDENCE
        for kind in ("date", "quantity", "person", "place", "organisation", "work", "type")
    },
    **{f"slots:edited-{kind}": values.MASKED_CONFIDENCE for kind in ("date", "number", "name")},
    # a word for another in a copied sentence may be a paraphrase: a possible conflict until
    # development data shows such changes to be contradictions
    "slots:edited-word": values.EDITED_WORD_CONFIDENCE,
}
# How many clashes the hand-set rate counts as: a method seen a few times stays near it.
PRIOR_WEIGHT = 4.0


@dataclass(frozen=True, slots=True)
class Calibration:
    """Right and given clashes per method, from ``accord/data/calibration.json``."""

    counts: dict[str, tuple[int, int]]

    def rate(self, method: str, default: float) -> float:
        """The calibrated precision of ``method``'s clashes (its hand-set ``default`` when
        no data counted it)."""
        right, given = self.counts.get(method, (0, 0))
        return (right + PRIOR_WEIGHT * default) / (given + PRIOR_WEIGHT)


@lru_cache(maxsize=1)
def load_calibration() -> Calibration:
    """The packaged calibration counts (none when the file is missing or unreadable)."""
    try:
        raw: dict[str, Any] = json.loads(
            files("accord.data").joinpath("calibration.json").read_text(encoding="utf-8")
        )
        counts = {
            str(method): (int(row["right"]), int(row["given"]))
            for method, row in raw.get("methods", {}).items()
        }
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        logger.debug("no calibration data (%s); hand-set rates apply", exc)
        counts = {}
    return Calibration(counts)


def calibrate(finding: Any, calibration: Calibration | None = None) -> Any:
    """``finding`` (a ``accord.verify.values.Finding``) with its clash confidence rescaled
    from its method's hand-set rate to the calibrated one; other findings as they are."""
    default = DEFAULT_RATES.get(finding.method)
    if finding.label is not Label.CONTRADICTS or default is None:
        return finding
    calibration = calibration or load_calibration()
    factor = calibration.rate(finding.method, default) / default
    return replace(finding, confidence=min(1.0, finding.confidence * factor))
