"""Whether two slots state one relation of one thing, and which relations a run lists
several values for (accord.relations)."""

from __future__ import annotations

import pytest

from accord.model import (
    HOLDER,
    NATIONALITY,
    SUBJECT_KEY,
    Claim,
    EntityKind,
    EntityRef,
    Slot,
    Span,
    TextValue,
)
from accord.relations import is_attribute_role, multi_valued, same_relation, same_thing


def _slot(role: str, event: str, about: str | None, value: str = "Anna Berg") -> Slot:
    ref = (
        TextValue(text=value)
        if role.startswith("rank:")
        else EntityRef(name=value, kind=EntityKind.PERSON)
    )
    return Slot(
        role=role,
        value=ref,
        event=event,
        surface=value,
        span=Span(doc_id="d", start=0, end=len(value)),
        about=about,
    )


def _claim(claim_id: str, *slots: Slot) -> Claim:
    return Claim(
        id=claim_id,
        doc_id="d",
        span=Span(doc_id="d", start=0, end=10),
        text="a statement",
        subject=None,
        predicate=slots[0].event,
        slots=slots,
    )


@pytest.mark.parametrize(
    ("x", "y", "same"),
    [
        ("commission", "skagerrak fisheries commission", True),
        ("Skagerrak Fisheries Commission", "the skagerrak fisheries commission", True),
        ("The Commission", "commission", True),
        (SUBJECT_KEY, SUBJECT_KEY, True),
        (SUBJECT_KEY, "skagerrak fisheries commission", False),
        ("commission", SUBJECT_KEY, False),
        ("fisheries commission", "skagerrak fisheries commission", False),  # two words
        ("mission", "commission", False),  # a word's ending is no word
        ("commission", "commission of inquiry", False),
        (None, "commission", False),
        (None, None, False),
    ],
)
def test_same_thing(x: str | None, y: str | None, same: bool) -> None:
    assert same_thing(x, y) is same
    assert same_thing(y, x) is same


@pytest.mark.parametrize(
    ("x", "y", "same"),
    [
        (("first director", SUBJECT_KEY), ("first director", SUBJECT_KEY), True),
        (("first chief engineer", SUBJECT_KEY), ("first engineer", SUBJECT_KEY), True),
        (("first director", "lenne institute"), ("first director", "institute"), True),
        (("first director", SUBJECT_KEY), ("3 director", SUBJECT_KEY), False),
        (("first director", SUBJECT_KEY), ("last director", SUBJECT_KEY), False),
        (("first director", SUBJECT_KEY), ("director", SUBJECT_KEY), False),
        (("first director", SUBJECT_KEY), ("first president", SUBJECT_KEY), False),
        (("first director", SUBJECT_KEY), ("first director", "lenne institute"), False),
    ],
)
def test_same_relation_holders_share_ordinal_and_head_noun(
    x: tuple[str, str], y: tuple[str, str], same: bool
) -> None:
    s, t = _slot(HOLDER, *x), _slot(HOLDER, *y, value="John Hale")
    assert same_relation(s, t) is same
    assert same_relation(t, s) is same


@pytest.mark.parametrize(
    ("x", "y", "same"),
    [
        ("lake in sweden", "lake in sweden", True),
        ("lake in sweden", "lake in country", True),  # "the country" may be Sweden
        ("lake in municipality", "lake in hälleby municipality", True),
        ("in sweden", "lake in sweden", True),  # the kind unsaid
        ("lake in sweden", "lake in norway", False),
        ("lake in country", "lake in municipality", False),  # two scopes, both unnamed
        ("lake in sweden", "reservoir in sweden", False),
        pytest.param(
            "lake in world", "lake in country", False
        ),
    ],
)  # fmt: skip
def test_same_relation_ranks_share_kind_and_scope(x: str, y: str, same: bool) -> None:
    s, t = _slot("rank:large", x, SUBJECT_KEY, "1"), _slot("rank:large", y, SUBJECT_KEY, "2")
    assert same_relation(s, t) is same
    assert same_relation(t, s) is same


@pytest.mark.parametrize(
    ("s", "t", "same"),
    [
        (("rank:large", "lake in sweden"), ("rank:deep", "lake in sweden"), False),
        ((NATIONALITY, "be"), (NATIONALITY, "be"), True),
        (("agent", "sign"), ("agent", "sign"), True),
        (("agent", "sign"), ("agent", "ratify"), False),
        (("agent", "sign"), ("theme", "sign"), False),
    ],
)
def test_same_relation_needs_the_same_role(
    s: tuple[str, str], t: tuple[str, str], same: bool
) -> None:
    assert same_relation(_slot(*s, SUBJECT_KEY), _slot(*t, SUBJECT_KEY)) is same


@pytest.mark.parametrize(
    ("role", "attribute"),
    [(HOLDER, True), (NATIONALITY, True), ("rank:large", True), ("agent", False),
     (f"{HOLDER}:any", False), ("date", False)],
)  # fmt: skip
def test_is_attribute_role(role: str, attribute: bool) -> None:
    assert is_attribute_role(role) is attribute


@pytest.mark.parametrize(
    ("names", "lists"),
    [
        # "signed by the United Kingdom and the Soviet Union": the signing's agents are a list
        (("United Kingdom", "Soviet Union"), {("sign", "agent")}),
        (("United Kingdom",), set()),
        (("United Kingdom", "United Kingdom"), set()),  # one name twice is one value
    ],
)
def test_multi_valued_agents_named_together(names: tuple[str, ...], lists: set[object]) -> None:
    claim = _claim("c1", *(_slot("agent", "sign", SUBJECT_KEY, n) for n in names))
    assert multi_valued([claim]) == lists


@pytest.mark.parametrize("names", [("Anna Berg", "John Hale")])
def test_multi_valued_holders_named_together(names: tuple[str, str]) -> None:
    claim = _claim("c1", *(_slot(HOLDER, "first founder", SUBJECT_KEY, n) for n in names))
    assert multi_valued([claim]) == {("first founder", HOLDER)}


@pytest.mark.parametrize("names", [("Anna Berg", "John Hale")])
def test_multi_valued_needs_one_claim_with_several(names: tuple[str, str]) -> None:
    # two claims naming one signatory each: each may be the only one
    claims = [_claim(f"c{i}", _slot("agent", "sign", SUBJECT_KEY, n)) for i, n in enumerate(names)]
    assert multi_valued(claims) == set()
    # several values about different things are no list
    mixed = _claim("c9", _slot("agent", "sign", SUBJECT_KEY, names[0]),
                   _slot("agent", "sign", "protocol", names[1]))  # fmt: skip
    assert multi_valued([mixed]) == set()
    # nor are several values of a role that never has one ("place", "date")
    places = _claim("c8", *(_slot("place", "sign", SUBJECT_KEY, n) for n in names))
    assert multi_valued([places]) == set()
