"""Read a quantity as the interval its wording allows, and compare two such readings.

"about 4,000" is 4,000 ± 10%; "4,130" is 4,130 to the nearest ten (± 5); "over 5,000" is
5,000 or more. Two quantities contradict only when their intervals, in one unit, do not
overlap; every comparison says which tolerance it used.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from accord.model import Quantity
from accord.normalize.units import convert, dimension

__all__ = ["Reading", "compare_measures", "read_quantity"]

MeasureRelation = Literal["equal", "compatible", "incompatible", "incomparable"]

# "about", "around", "roughly": the writer rounds freely; 10% either way holds most uses.
APPROX_TOLERANCE = Decimal("0.10")
_LOWER = ("more than", "at least", "upwards of", "over", "above", "in excess of")
_UPPER = ("fewer than", "less than", "at most", "up to", "under", "below", "no more than")
_APPROX = (
    "an estimated", "approximately", "approx.", "roughly", "around", "about", "nearly",
    "almost", "some", "estimated", "circa", "c.", "close to", "just over", "just under",
)  # fmt: skip
_LEADING = re.compile(r"^\W+")


@dataclass(frozen=True, slots=True, kw_only=True)
class Reading:
    """A quantity as an interval ``[low, high]`` in ``unit``, with how it was derived.

    ``high`` is None for an open upper end ("over 5,000"), ``low`` None for an open lower
    end ("under 5,000").
    """

    low: Decimal | None
    high: Decimal | None
    unit: str | None
    how: str


def read_quantity(value: Quantity, surface: str) -> Reading:
    """Read ``value`` as written in ``surface`` (which holds any "about"/"over" word).

    Example:
        >>> read_quantity(Quantity(amount=Decimal(4130), unit="mi"), "4,130 mi").how
        'rounded to the nearest 10 (±5)'
    """
    words = _LEADING.sub("", surface.lower())
    amount = value.amount
    if words.startswith(_LOWER):
        return Reading(low=amount, high=None, unit=value.unit, how="a lower bound")
    if words.startswith(_UPPER):
        return Reading(low=None, high=amount, unit=value.unit, how="an upper bound")
    if value.approximate or words.startswith(_APPROX):
        margin = abs(amount) * APPROX_TOLERANCE
        return Reading(
            low=amount - margin, high=amount + margin, unit=value.unit, how="approximate (±10%)"
        )
    step = _rounding_step(amount)
    half = step / 2
    how = f"rounded to the nearest {_plain(step)} (±{_plain(half)})"
    return Reading(low=amount - half, high=amount + half, unit=value.unit, how=how)


def compare_measures(a: Reading, b: Reading) -> MeasureRelation:
    """Compare two readings after converting ``b`` into ``a``'s unit.

    ``incomparable`` when the units are of different dimensions (or only one is given;
    two bare numbers are compared, so the caller decides whether they measure one thing),
    ``equal`` for the same interval, ``compatible`` when the intervals overlap, else
    ``incompatible``. Symmetric up to conversion rounding.
    """
    if (a.unit is None) != (b.unit is None) or dimension(a.unit) != dimension(b.unit):
        return "incomparable"
    low = None if b.low is None else convert(b.low, b.unit, a.unit)
    high = None if b.high is None else convert(b.high, b.unit, a.unit)
    if (b.low is not None and low is None) or (b.high is not None and high is None):
        return "incomparable"
    if (a.low, a.high) == (low, high) and a.unit == b.unit:
        return "equal"
    # Intervals must overlap by more than a point: 2 (1.5-2.5) and 3 (2.5-3.5) differ.
    if a.high is not None and low is not None and a.high <= low:
        return "incompatible"
    if high is not None and a.low is not None and high <= a.low:
        return "incompatible"
    return "compatible"


def _rounding_step(amount: Decimal) -> Decimal:
    """The place of the last significant digit: 4,130 -> 10, 4,000 -> 1,000, 3.25 -> 0.01."""
    if amount == 0:
        return Decimal(1)
    exponent = amount.normalize().as_tuple().exponent
    if not isinstance(exponent, int):  # NaN or infinity: no finite step
        return Decimal(1)
    return Decimal(1).scaleb(exponent)


def _plain(amount: Decimal) -> str:
    """A number without exponent notation, with thousands separators."""
    if amount == amount.to_integral_value():
        return f"{int(amount):,}"
    return format(amount.normalize(), "f")
