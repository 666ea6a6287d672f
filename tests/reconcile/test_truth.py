"""Truth discovery (accord.reconcile.truth) and question weights (accord.reconcile.question)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from accord.model import Claim, Span
from accord.reconcile.question import OTHER_WEIGHT, question_weights, relation_stems, stem
from accord.reconcile.truth import MAX_ITERATIONS, Conflict, Fact, discover


def _fact(*sources: str, weight: float = 1.0) -> Fact:
    return Fact(sources=frozenset(sources), weight=weight)


def test_a_fact_nobody_else_speaks_to_leaves_the_prior() -> None:
    found = discover([_fact("a"), _fact("b")], [], {"a": 0.6, "b": 0.8})
    assert found.trust == {"a": 0.6, "b": 0.8}
    assert found.evidence == (False, False)


def test_agreeing_sources_gain_and_their_fact_is_believed_more_than_either() -> None:
    found = discover([_fact("a", "b")], [], {"a": 0.6, "b": 0.6})
    assert found.trust["a"] == found.trust["b"] > 0.6
    assert found.belief[0] > found.trust["a"]


def test_one_against_one_with_equal_priors_is_undecided() -> None:
    found = discover([_fact("a"), _fact("b")], [Conflict(0, 1)], {"a": 0.6, "b": 0.6})
    assert found.belief == pytest.approx((0.5, 0.5))
    assert found.trust["a"] == pytest.approx(found.trust["b"])
    assert found.trust["a"] < 0.6


@pytest.mark.parametrize("majority", [2, 3, 5])
def test_the_outlier_loses_to_a_majority(majority: int) -> None:
    sources = [f"s{i}" for i in range(majority)]
    facts = [_fact(*sources), _fact("odd")]
    priors = {s: 0.6 for s in [*sources, "odd"]}
    found = discover(facts, [Conflict(0, 1, 0.9)], priors)
    assert found.belief[0] > 0.5 > found.belief[1]
    assert all(found.trust["odd"] < found.trust[s] for s in sources)
    assert found.iterations < MAX_ITERATIONS


def test_the_prior_breaks_an_even_split() -> None:
    found = discover([_fact("a"), _fact("b")], [Conflict(0, 1)], {"a": 0.8, "b": 0.5})
    assert found.belief[0] > 0.5 > found.belief[1]
    assert found.trust["a"] > found.trust["b"]


def test_known_errors_lower_only_their_source_when_nobody_else_is_involved() -> None:
    facts = [_fact("a"), _fact("b")]
    found = discover(facts, [], {"a": 0.6, "b": 0.6}, errors={"b": 1.0})
    assert found.trust["a"] == 0.6
    assert found.trust["b"] == pytest.approx(2 * 0.6 / 3)


def test_a_heavier_fact_moves_trust_more() -> None:
    def outlier_trust(weight: float) -> float:
        facts = [_fact("a", "b", weight=weight), _fact("c", weight=weight)]
        priors = {"a": 0.6, "b": 0.6, "c": 0.6}
        return discover(facts, [Conflict(0, 1)], priors).trust["c"]

    assert outlier_trust(3.0) < outlier_trust(1.0) < 0.6


def test_unknown_sources_and_facts_are_refused() -> None:
    with pytest.raises(ValueError, match="no prior"):
        discover([_fact("x")], [], {"a": 0.5})
    with pytest.raises(ValueError, match="unknown facts"):
        discover([_fact("a")], [Conflict(0, 3)], {"a": 0.5})


@given(
    st.lists(st.sampled_from("abcd"), min_size=1, max_size=3).map(frozenset),
    st.permutations(range(4)),
)
def test_trust_does_not_depend_on_the_order_of_facts(
    backers: frozenset[str], order: list[int]
) -> None:
    facts = [Fact(sources=backers), _fact("e"), _fact("a", "e"), _fact("b")]
    conflicts = [Conflict(0, 1, 0.9), Conflict(2, 3, 0.8)]
    priors = {s: 0.5 + 0.1 * i for i, s in enumerate("abcde")}
    first = discover(facts, conflicts, priors).trust
    where = {old: new for new, old in enumerate(order)}
    moved = [facts[i] for i in order]
    again = discover(
        moved, [Conflict(where[c.left], where[c.right], c.strength) for c in conflicts], priors
    ).trust
    assert again == pytest.approx(first)


def _claim(text: str, n: int) -> Claim:
    return Claim(
        id=f"c{n}",
        doc_id="d",
        span=Span(doc_id="d", start=0, end=len(text)),
        text=text,
        subject=None,
        predicate="be",
    )


def test_relation_words_leave_out_names_and_function_words() -> None:
    assert relation_stems("When was the Dallas County Courthouse built?") == {stem("built")}
    assert relation_stems("What is the population of Broken Bow?") == {"popul"}
    assert relation_stems("Who is Mahesh Bhatt?") == frozenset()


def test_claims_that_bear_on_the_question_weigh_more() -> None:
    claims = [
        _claim("The courthouse was built in 1902.", 1),
        _claim("It is listed on the National Register.", 2),
    ]
    weights = question_weights("When was the Dallas County Courthouse built?", claims)
    assert weights == {"c1": OTHER_WEIGHT + 1.0, "c2": OTHER_WEIGHT}
    assert question_weights(None, claims) is None
    assert question_weights("Who is Mahesh Bhatt?", claims) is None
