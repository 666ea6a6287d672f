"""Tests for the training-pair generator (training/perturb.py): each perturbation, table-driven."""

from __future__ import annotations

import random
import re
from types import ModuleType
from typing import Any

import pytest

DATE = re.compile(r"(\d{1,2} [A-Z][a-z]+ \d{4}|[A-Z][a-z]+ \d{1,2}, \d{4}|[A-Z][a-z]+ \d{4}|\d{4})")


def _numbers(text: str) -> list[float]:
    return [float(n.replace(",", "")) for n in re.findall(r"\d[\d,]*(?:\.\d+)?", text)]


@pytest.mark.parametrize(
    "sentence",
    [
        "The agreement was signed on 12 July 1941 by Cripps.",
        "The agreement was signed on July 12, 1941 by Cripps.",
        "The agreement was signed in July 1941 in Moscow.",
        "The agreement was signed in 1941 in Moscow.",
    ],
)
@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_change_date_moves_the_date_only(perturb: ModuleType, sentence: str, seed: int) -> None:
    changed = perturb.change_date(sentence, random.Random(seed))
    assert changed is not None and changed != sentence
    old, new = DATE.search(sentence), DATE.search(changed)
    assert old is not None and new is not None
    assert old.group(0) != new.group(0)
    assert sentence[: old.start()] == changed[: new.start()]
    assert sentence[old.end() :] == changed[new.end() :]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("It was signed on 12 July 1941 by Cripps.", "It was signed on July 12, 1941 by Cripps."),
        ("It was signed on July 12, 1941 by Cripps.", "It was signed on 12 July 1941 by Cripps."),
        ("It was signed in July 1941.", None),
        ("It was signed in 1941.", None),
    ],
)
def test_reformat_date_keeps_the_same_day(
    perturb: ModuleType, sentence: str, expected: str | None
) -> None:
    assert perturb.reformat_date(sentence, random.Random(0)) == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "The film sold 1,500,000 copies in its first week.",
        "The river is 3.5 km long at its mouth.",
        "She had 4 children with him.",
        "The town has a population of 12345 people.",
    ],
)
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_change_number_changes_one_quantity_by_a_fifth_or_more(
    perturb: ModuleType, sentence: str, seed: int
) -> None:
    changed = perturb.change_number(sentence, random.Random(seed))
    assert changed is not None
    old, new = _numbers(sentence), _numbers(changed)
    assert len(old) == len(new)
    diffs = [(a, b) for a, b in zip(old, new, strict=True) if a != b]
    assert len(diffs) == 1
    a, b = diffs[0]
    assert abs(a - b) >= 0.2 * a
    assert ("," in sentence) == ("," in changed)
    assert ("." in sentence.rstrip(".")) == ("." in changed.rstrip("."))


@pytest.mark.parametrize(
    "sentence",
    ["The treaty was signed in 1941.", "No quantity is named here.", "It has three sons."],
)
def test_change_number_leaves_years_alone(perturb: ModuleType, sentence: str) -> None:
    changed = perturb.change_number(sentence, random.Random(0))
    if "three" in sentence:
        assert changed is not None and "three" not in changed
    else:
        assert changed is None


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("The film sold 1,500 copies.", "The film sold 1500 copies."),
        ("She had 3 children.", "She had three children."),
        ("She had three children.", "She had 3 children."),
        ("It happened in 1941.", None),
    ],
)
def test_reformat_number_keeps_the_value(
    perturb: ModuleType, sentence: str, expected: str | None
) -> None:
    assert perturb.reformat_number(sentence, random.Random(0)) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("The treaty was signed in Moscow.", "The treaty was not signed in Moscow."),
        ("The treaty was not signed in Moscow.", "The treaty was signed in Moscow."),
        ("He cannot swim.", "He can swim."),
        ("She didn't win the race.", "She did win the race."),
        ("He never won the cup.", "He won the cup."),
        ("He can swim.", "He cannot swim."),
        ("He won the cup.", None),
    ],
)
def test_negate_flips_polarity(perturb: ModuleType, sentence: str, expected: str | None) -> None:
    assert perturb.negate(sentence, random.Random(0)) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("It was built before the war.", "It was built after the war."),
        ("First came the storm.", "Last came the storm."),
        ("It is the largest city.", "It is the smallest city."),
        ("It was built in Rome.", None),
    ],
)
def test_swap_antonym_uses_the_opposite(
    perturb: ModuleType, sentence: str, expected: str | None
) -> None:
    assert perturb.swap_antonym(sentence, random.Random(0)) == expected


@pytest.mark.parametrize(
    ("pool", "replaced"),
    [
        ({"GPE": ["Paris", "Moscow", "Berlin"]}, True),
        ({"GPE": ["London"]}, False),  # only the same name: nothing to swap in
        ({"DATE": ["1941"]}, False),  # a kind that is never swapped
    ],
)
def test_swap_entity_takes_another_name_of_the_same_kind(
    perturb: ModuleType, pool: dict[str, list[str]], replaced: bool
) -> None:
    sentence = "The agreement was signed in London."
    entities = [(28, 34, "GPE")]
    changed = perturb.swap_entity(sentence, entities, pool, random.Random(0))
    if not replaced:
        assert changed is None
        return
    assert changed is not None
    name = changed[28:-1]
    assert name in pool["GPE"] and name != "London"
    assert changed.startswith(sentence[:28]) and changed.endswith(".")


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "Stafford Cripps (born in 1889 in London) signed the agreement for Britain.",
            "Stafford Cripps signed the agreement for Britain.",
        ),
        (
            "The agreement was signed in Moscow, which was then the capital of the Soviet Union.",
            "The agreement was signed in Moscow.",
        ),
        ("The agreement was signed in Moscow.", None),
        ("It was signed (soon after).", None),  # nothing of substance to leave out
    ],
)
def test_drop_clause_leaves_out_a_clause_with_content(
    perturb: ModuleType, sentence: str, expected: str | None
) -> None:
    assert perturb.drop_clause(sentence, random.Random(0)) == expected


SENTENCES = [
    "The agreement was signed on 12 July 1941 in Moscow, which was then the Soviet capital.",
    "The film earned 1,200,000 dollars in its first week and was not released in France.",
    "He was the first president of the club (founded in 1899 by Joan Gamper).",
]


@pytest.mark.parametrize("sentence", SENTENCES)
@pytest.mark.parametrize("contradict", [True, False])
def test_make_pairs_labels_follow_the_kind(
    perturb: ModuleType, sentence: str, contradict: bool
) -> None:
    labels = {
        "date": "CONTRADICTS",
        "number": "CONTRADICTS",
        "negation": "CONTRADICTS",
        "antonym": "CONTRADICTS",
        "entity": "CONTRADICTS",
        "date-format": "SUPPORTS",
        "number-format": "SUPPORTS",
        "drop": "SUPPORTS",
        "add": "NOT_MENTIONED",
    }
    made = perturb.make_pairs(sentence, random.Random(7), per_sentence=4, contradict=contradict)
    assert made, "every sample sentence offers some change"
    for example in made:
        assert example.label == labels[example.kind]
        assert example.premise != example.hypothesis
        assert sentence in (example.premise, example.hypothesis)
    kinds = [e.label for e in made]
    if contradict:
        assert kinds[0] == "CONTRADICTS"
    else:
        assert "CONTRADICTS" not in kinds


@pytest.mark.parametrize("seed", [0, 5])
def test_make_pairs_is_deterministic_for_a_seed(perturb: ModuleType, seed: int) -> None:
    def run() -> list[Any]:
        rng = random.Random(seed)
        return [perturb.make_pairs(s, rng) for s in SENTENCES]

    assert run() == run()
