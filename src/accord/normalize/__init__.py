"""Normalisation: dates, entities and quantities as typed, comparable values."""

from __future__ import annotations

from accord.normalize.dates import DateMatch, compare_dates, date_bounds, find_dates, parse_date
from accord.normalize.entities import EntityIndex
from accord.normalize.quantities import QuantityMatch, compare_quantities, find_quantities

__all__ = [
    "DateMatch",
    "EntityIndex",
    "QuantityMatch",
    "compare_dates",
    "compare_quantities",
    "date_bounds",
    "find_dates",
    "find_quantities",
    "parse_date",
]
