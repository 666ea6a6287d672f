"""Unit conversion through ``pint``, loaded on first use.

accord's unit codes ("km", "mi", "t") map to pint names; counted nouns ("soldier"),
currencies and calendar units whose length varies (year, month) do not convert.
"""

from __future__ import annotations

import functools
import logging
from decimal import Decimal, InvalidOperation
from typing import Any

logger = logging.getLogger(__name__)

__all__ = ["convert", "dimension", "is_physical"]

# accord unit code -> pint unit name. Years and months are left out on purpose: a month
# is 28 to 31 days, so "3 months" vs "90 days" is no contradiction either way.
PINT_NAMES: dict[str, str] = {
    "km": "kilometer",
    "m": "meter",
    "cm": "centimeter",
    "mm": "millimeter",
    "mi": "mile",
    "ft": "foot",
    "inch": "inch",
    "yd": "yard",
    "nmi": "nautical_mile",
    "kg": "kilogram",
    "g": "gram",
    "t": "metric_ton",
    "lb": "pound",
    "ha": "hectare",
    "acre": "acre",
    "km2": "kilometer ** 2",
    "mi2": "mile ** 2",
    "l": "liter",
    "gal": "gallon",
    "km/h": "kilometer / hour",
    "mph": "mile / hour",
    "day": "day",
    "week": "week",
    "hour": "hour",
    "minute": "minute",
    "second": "second",
}


@functools.lru_cache(maxsize=1)
def _registry() -> Any:
    """The pint registry; importing pint and building it takes a few tenths of a second,
    so it happens only when two quantities in different units are compared."""
    import pint

    return pint.UnitRegistry()


def is_physical(unit: str | None) -> bool:
    """True when ``unit`` is a physical unit accord can convert."""
    return unit in PINT_NAMES


@functools.lru_cache(maxsize=256)
def dimension(unit: str | None) -> str | None:
    """The dimension of a unit ("[length]"); a currency, count noun or "%" is its own
    dimension, and None has none."""
    if unit is None:
        return None
    if unit not in PINT_NAMES:
        return unit
    return str(_registry().parse_units(PINT_NAMES[unit]).dimensionality)


def convert(amount: Decimal, unit: str | None, target: str | None) -> Decimal | None:
    """Convert ``amount`` from ``unit`` to ``target``; None when they do not convert.

    Example:
        >>> round(convert(Decimal(6650), "km", "mi"))
        4132
    """
    if unit == target:
        return amount
    if not (is_physical(unit) and is_physical(target)):
        return None
    assert unit is not None and target is not None  # is_physical rules None out
    registry = _registry()
    try:
        quantity = registry.Quantity(float(amount), PINT_NAMES[unit]).to(PINT_NAMES[target])
        return Decimal(repr(float(quantity.magnitude)))
    # pint's DimensionalityError is a TypeError: km and kg do not convert
    except (ArithmeticError, InvalidOperation, TypeError, ValueError) as exc:
        logger.debug("no conversion from %s to %s: %s", unit, target, exc)
        return None
