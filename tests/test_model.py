"""Content ids: the fast path for strings gives the canonical JSON's hash, as before."""

from __future__ import annotations

import hashlib
import json
from decimal import Decimal
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from accord.model import content_id


def _reference(*parts: Any) -> str:
    payload = json.dumps(parts, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:16]


@given(st.lists(st.text(), max_size=5))
def test_content_id_of_strings_is_the_canonical_json_hash(parts: list[str]) -> None:
    assert content_id(*parts) == _reference(*parts)


def test_content_id_of_other_values_is_the_canonical_json_hash() -> None:
    cases: list[tuple[Any, ...]] = [
        ("verdict", 'a "quoted"\\ line\n', "Англо ✓\u2028", "\x00\x1f"),
        ("claim", 3, 1.5, None, True),
        ("slot", {"b": 1, "a": [1, "x"]}, Decimal("1.50")),
        (),
    ]
    for parts in cases:
        assert content_id(*parts) == _reference(*parts)
