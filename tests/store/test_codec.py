"""The store's codec gives back exactly the records it was given."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from accord.model import (
    DateValue,
    EntityKind,
    EntityRef,
    Precision,
    Quantity,
    Span,
    TextValue,
    Value,
)
from accord.store import codec
from accord.testing.contracts import sample_claims, sample_document


@pytest.mark.parametrize(
    "value",
    [
        DateValue(year=1852, month=5, day=3),
        DateValue(year=-44, precision=Precision.YEAR, approximate=True),
        DateValue(
            year=1930,
            precision=Precision.DECADE,
            year_end=1939,
            month_end=12,
            day_end=31,
            inferred_from=Span(doc_id="d", start=1, end=5),
        ),
        Quantity(amount=Decimal("3.50"), unit="km"),
        Quantity(amount=Decimal("1E+3"), approximate=True),
        EntityRef(name="Castelmar", kind=EntityKind.PLACE, kb_id="Q1", part_of=("Valdoria",)),
        TextValue(text="naïve — “quoted”"),
    ],
)
def test_codec_round_trips_values(value: Value) -> None:
    text = codec.dumps(codec.value_to_dict(value))
    back = codec.value_from_dict(codec.loads(text))
    assert back == value and type(back) is type(value)
    if isinstance(value, Quantity):
        assert str(back.amount) == str(value.amount)  # trailing zeros and exponent kept


@given(
    amount=st.decimals(allow_nan=False, allow_infinity=False),
    unit=st.none() | st.text(max_size=5),
    approximate=st.booleans(),
)
def test_codec_round_trips_any_quantity(
    amount: Decimal, unit: str | None, approximate: bool
) -> None:
    value = Quantity(amount=amount, unit=unit, approximate=approximate)
    back = codec.value_from_dict(codec.loads(codec.dumps(codec.value_to_dict(value))))
    assert isinstance(back, Quantity) and str(back.amount) == str(amount)
    assert (back.unit, back.approximate) == (unit, approximate)


@pytest.mark.parametrize("text", ["Treaty of Valdoria\nsigned 1852.", "x"])
def test_codec_round_trips_claims_and_sections(text: str) -> None:
    doc = sample_document(text)
    for claim in sample_claims(doc):
        assert codec.claim_from_dict(codec.loads(codec.dumps(codec.claim_to_dict(claim)))) == claim
    sections = tuple(codec.section_from_dict(codec.section_to_dict(s)) for s in doc.sections)
    removed = tuple(codec.removed_from_dict(codec.removed_to_dict(r)) for r in doc.removed)
    assert (sections, removed) == (doc.sections, doc.removed)


@pytest.mark.parametrize("tag", [{"type": "number"}, {"$type": "Report"}, {"$type": "Nope"}])
def test_codec_rejects_unknown_value_types(tag: dict[str, str]) -> None:
    with pytest.raises(ValueError, match=r"unknown (value|record) type"):
        codec.value_from_dict(tag)
