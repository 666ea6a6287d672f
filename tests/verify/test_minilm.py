"""Tests for accord's own verifier model (accord.minilm.v1) on the shipped int8 ONNX model.

Quality is measured in training/ and the model card; here only structure, clear-cut cases,
damaged files and truncation are checked, and the restriction on the model's contradictions
(on hand-built claims, with the model stubbed).
"""

from __future__ import annotations

import json
import sys
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from accord.errors import ConfigError, MissingExtraError
from accord.model import (
    SUBJECT_KEY,
    Claim,
    DateValue,
    DocKind,
    Document,
    EntityKind,
    EntityRef,
    Label,
    Pair,
    Precision,
    Quantity,
    Slot,
    Span,
    TextValue,
    Value,
    Verdict,
    content_id,
)
from accord.verify import verifiers
from accord.verify.minilm import (
    MODEL_DIR,
    MiniLMVerifier,
    denies,
    file_sha256,
    read_config,
    restrict_contradiction,
    typed_difference,
)

SIGNED = "The agreement was signed on 12 July 1941 in Moscow."


def _pair(left: str, right: str, *, left_span: Span | None = None) -> Pair:
    def claim(text: str, doc: str, span: Span | None) -> Claim:
        return Claim(
            id=f"{doc}-claim",
            doc_id=doc,
            span=span or Span(doc_id=doc, start=0, end=len(text)),
            text=text,
            subject=None,
            predicate="sign",
        )

    return Pair(
        left=claim(left, "doc-a", left_span),
        right=claim(right, "doc-b", None),
        score=1.0,
        retriever="test",
    )


@pytest.mark.parametrize("name", ["config.json", "tokenizer.json", "model.onnx", "MODEL_CARD.md"])
def test_minilm_model_files_ship_in_the_package(name: str) -> None:
    assert (MODEL_DIR / name).is_file()


@pytest.mark.parametrize("limit_mb", [40])
def test_minilm_shipped_weights_match_their_sha256(limit_mb: int) -> None:
    config = read_config(MODEL_DIR)
    weights = MODEL_DIR / config.weights
    assert file_sha256(weights) == config.sha256
    assert weights.stat().st_size < limit_mb * 1_000_000
    assert 0.0 < config.contradiction_threshold < 1.0


@pytest.mark.parametrize("name", ["accord.minilm.v1"])
def test_minilm_verifier_is_registered_and_builds_without_arguments(name: str) -> None:
    verifier = verifiers.get(name)()
    assert isinstance(verifier, MiniLMVerifier)
    assert verifier.method.startswith("model:accord-minilm-")


@pytest.mark.parametrize("count", [3])
def test_minilm_verifier_returns_explained_verdicts_in_order(
    minilm_verifier: Any, count: int
) -> None:
    pairs = [
        _pair(SIGNED, SIGNED),
        _pair(SIGNED, "The agreement was signed on 25 July 1939 in Moscow."),
        _pair(SIGNED, "Bananas are rich in potassium."),
    ][:count]
    verdicts = minilm_verifier.verify(pairs)
    assert [v.pair for v in verdicts] == pairs
    for verdict in verdicts:
        assert verdict.method == minilm_verifier.method
        assert 0.0 <= verdict.confidence <= 1.0
        assert verdict.evidence == (verdict.pair.left.span, verdict.pair.right.span)
        assert "contradicts" in verdict.reason and "supports" in verdict.reason


@pytest.mark.parametrize(
    ("changed"),
    [
        "The agreement was signed on 25 July 1939 in Moscow.",
        "The agreement was not signed on 12 July 1941 in Moscow.",
    ],
)
def test_minilm_verifier_finds_a_changed_fact_more_contradictory_than_the_same(
    minilm_verifier: Any, changed: str
) -> None:
    labels = list(minilm_verifier.config.labels)
    at = labels.index(Label.CONTRADICTS)
    same, clash = minilm_verifier.probabilities([(SIGNED, SIGNED), (SIGNED, changed)])
    assert clash[at] > same[at]
    assert max(range(3), key=same.__getitem__) == labels.index(Label.SUPPORTS)


@pytest.mark.parametrize("order", [0])
def test_minilm_verifier_is_symmetric(minilm_verifier: Any, order: int) -> None:
    other = "The agreement was signed in London in 1939."
    forward, backward = minilm_verifier.probabilities([(SIGNED, other), (other, SIGNED)])
    assert forward == pytest.approx(backward, abs=1e-6)


@pytest.mark.parametrize("sentences", [60])
def test_minilm_verifier_cuts_long_texts_by_whole_sentences(
    minilm_verifier: Any, sentences: int
) -> None:
    long_text = " ".join(
        f"Sentence number {i} says something about the treaty." for i in range(sentences)
    )
    left, right = minilm_verifier.fit_pair(long_text, SIGNED)
    assert right == SIGNED
    assert left.endswith(".") and long_text.startswith(left) and left != long_text
    budget = minilm_verifier.config.max_length - 3
    assert minilm_verifier._count(left) + minilm_verifier._count(right) <= budget
    (row,) = minilm_verifier.probabilities([(long_text, SIGNED)])
    assert sum(row) == pytest.approx(1.0)


@pytest.mark.parametrize("clause", ["signed on 12 July 1941"])
def test_minilm_verifier_reads_a_claim_in_its_sentence(minilm_verifier: Any, clause: str) -> None:
    text = f"Intro line.\n{SIGNED} More follows."
    start = text.index(clause)
    document = Document(
        id="doc-a", source="a", title="t", kind=DocKind.UNKNOWN, format="text", text=text
    )
    pair = _pair(
        clause, SIGNED, left_span=Span(doc_id="doc-a", start=start, end=start + len(clause))
    )
    verifier = MiniLMVerifier()
    verifier.bind_documents([document])
    (verdict,) = verifier.verify([pair])
    (expected,) = minilm_verifier.probabilities([(SIGNED, SIGNED)])
    assert f"{max(expected):.2f}" in verdict.reason


@pytest.mark.parametrize("missing", ["config.json", "model.onnx"])
def test_minilm_verifier_missing_file_is_a_clear_error(minilm_copy: Path, missing: str) -> None:
    (minilm_copy / missing).unlink()
    with pytest.raises(ConfigError, match=r"missing.*reinstall accord"):
        MiniLMVerifier(model_dir=minilm_copy).warm_up()


@pytest.mark.parametrize("at", [1000])
def test_minilm_verifier_damaged_weights_are_a_clear_error(minilm_copy: Path, at: int) -> None:
    weights = minilm_copy / "model.onnx"
    data = bytearray(weights.read_bytes())
    data[at] ^= 0xFF
    weights.write_bytes(bytes(data))
    with pytest.raises(ConfigError, match="damaged"):
        MiniLMVerifier(model_dir=minilm_copy).warm_up()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "cannot read"),
        (json.dumps({"name": "x"}), "lacks"),
    ],
)
def test_minilm_verifier_bad_config_is_a_clear_error(
    minilm_copy: Path, content: str, message: str
) -> None:
    (minilm_copy / "config.json").write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        MiniLMVerifier(model_dir=minilm_copy).warm_up()


@pytest.mark.parametrize("module", ["onnxruntime", "tokenizers"])
def test_minilm_verifier_without_the_extra_names_it(
    monkeypatch: pytest.MonkeyPatch, module: str
) -> None:
    monkeypatch.setitem(sys.modules, module, None)
    with pytest.raises(MissingExtraError, match=r"accord\[neural\]"):
        MiniLMVerifier().warm_up()


@pytest.mark.parametrize("minilm", [True, False])
def test_minilm_verifier_joins_the_ensemble_only_when_asked(minilm: bool) -> None:
    from accord.verify.ensemble import EnsembleVerifier

    ensemble = EnsembleVerifier(minilm=minilm)
    assert ("accord.minilm.v1" in ensemble.describe()) is minilm
    pair = _pair(SIGNED, "Bananas are rich in potassium.")
    (verdict,) = ensemble.verify([pair])
    if minilm:
        assert verdict.method == "ensemble" or verdict.method.startswith("model:accord-minilm-")
        assert "accord-minilm" in verdict.reason
    else:
        assert "accord-minilm" not in verdict.reason


@pytest.mark.parametrize("count", [2])
def test_minilm_verifier_pickles_after_loading(minilm_verifier: Any, count: int) -> None:
    import pickle

    pairs = [
        _pair(SIGNED, SIGNED),
        _pair(SIGNED, "The agreement was signed on 25 July 1939 in Moscow."),
    ][:count]
    copy = pickle.loads(pickle.dumps(minilm_verifier))  # as shipped to a worker
    assert [v.label for v in copy.verify(pairs)] == [v.label for v in minilm_verifier.verify(pairs)]


# -- the restriction on the model's contradictions -----------------------------------------

CLASH_ROW = (0.03, 0.95, 0.02)  # supports, contradicts, not mentioned: a sure contradiction


def _slot(doc: str, role: str, value: Value, surface: str, **kw: Any) -> Slot:
    return Slot(
        role=role,
        value=value,
        event=kw.pop("event", "sign"),
        surface=surface,
        span=Span(doc_id=doc, start=0, end=len(surface)),
        about=kw.pop("about", SUBJECT_KEY),
        **kw,
    )


def _year(doc: str, year: int, **kw: Any) -> Slot:
    return _slot(doc, "date", DateValue(year=year, precision=Precision.YEAR), str(year), **kw)


def _place(doc: str, name: str) -> Slot:
    return _slot(doc, "place", EntityRef(name=name, kind=EntityKind.PLACE), name)


def _claim(doc: str, text: str, *slots: Slot, **kw: Any) -> Claim:
    return Claim(
        id=content_id(doc, text),
        doc_id=doc,
        span=Span(doc_id=doc, start=0, end=len(text)),
        text=text,
        subject="agreement",
        predicate="sign",
        slots=slots,
        terms=kw.pop("terms", ("agreement", "sign")),
        **kw,
    )


def _clash(left: Claim, right: Claim, confidence: float = 0.95) -> Verdict:
    return Verdict(
        pair=Pair(left=left, right=right, score=1.0, retriever="test"),
        label=Label.CONTRADICTS,
        confidence=confidence,
        method="model:accord-minilm-1",
        reason="accord-minilm-1 says contradicts (contradicts 0.95)",
    )


A, B = "doc-a", "doc-b"
SIGNED_1941 = _claim(A, "The agreement was signed in 1941.", _year(A, 1941))


@pytest.mark.parametrize(
    ("right", "why"),
    [
        # a denial against a statement: the model's commonest false contradiction
        (_claim(B, "The agreement was not signed in 1939.", _year(B, 1939, negated=True),
                negated=True), "denies"),
        (_claim(B, "The agreement was never signed in 1939.", _year(B, 1939)), "denies"),
        (_claim(B, "The agreement is no longer in force since 1939.", _year(B, 1939)),
         "denies"),
        # nothing typed differs: the same year, or no typed value at all
        (_claim(B, "The agreement was signed by two states in 1941.", _year(B, 1941)),
         "no date, number, name or type differs"),
        (_claim(B, "The agreement was signed reluctantly."), "no date, number"),
        # two things: no term or subject in common
        (_claim(B, "Bananas ripened in 1939.", _year(B, 1939, about="banana"),
                terms=("banana", "ripen")), "share no term"),
    ],
)  # fmt: skip
def test_restrict_contradiction_sets_aside_implausible_clashes(right: Claim, why: str) -> None:
    verdict = restrict_contradiction(_clash(SIGNED_1941, right))
    assert (verdict.label, verdict.possible_conflict) == (Label.NOT_MENTIONED, False)
    assert verdict.confidence == 0.5
    assert why in verdict.reason and "set aside" in verdict.reason
    assert verdict.reason.startswith("accord-minilm-1 says contradicts")


@pytest.mark.parametrize(
    ("left", "right", "kind"),
    [
        (SIGNED_1941, _claim(B, "The agreement was signed in 1939.", _year(B, 1939)), "date"),
        (_claim(A, "It was signed in Moscow.", _place(A, "Moscow")),
         _claim(B, "It was signed in London.", _place(B, "London")), "entity"),
        (_claim(A, "It was signed by 12 states.",
                _slot(A, "count:state", Quantity(amount=Decimal(12), unit="states"), "12")),
         _claim(B, "It was signed by 30 states.",
                _slot(B, "count:state", Quantity(amount=Decimal(30), unit="states"), "30")),
         "number"),
        # both deny: one polarity
        (_claim(A, "It was not signed by Hale in 1941.", _year(A, 1941)),
         _claim(B, "It was not signed by Hale in 1939.", _year(B, 1939)), "date"),
        # "not until" dates the signing, it does not deny it
        (_claim(A, "It was not signed until 1941.", _year(A, 1941), negated=True),
         _claim(B, "It was signed in 1939.", _year(B, 1939)), "date"),
    ],
)  # fmt: skip
def test_restrict_contradiction_keeps_a_typed_clash_of_one_polarity(
    left: Claim, right: Claim, kind: str
) -> None:
    clash = _clash(left, right)
    assert restrict_contradiction(clash) == clash
    assert (typed_difference(left, right) or "").startswith(f"{kind}: ")


@pytest.mark.parametrize(
    ("right", "possible"),
    [
        (_claim(B, "The agreement may have been signed in 1939.", _year(B, 1939), hedged=True),
         True),
        # hedged and nothing typed differs: no conflict to show
        (_claim(B, "The agreement may have been signed in 1941.", _year(B, 1941), hedged=True),
         False),
        # hedged and a denial: set aside like any denial
        (_claim(B, "The agreement may not have been signed in 1939.", _year(B, 1939),
                hedged=True), False),
    ],
)  # fmt: skip
def test_restrict_contradiction_makes_a_hedged_typed_clash_a_possible_conflict(
    right: Claim, possible: bool
) -> None:
    verdict = restrict_contradiction(_clash(SIGNED_1941, right, confidence=0.91))
    assert (verdict.label, verdict.possible_conflict) == (Label.NOT_MENTIONED, possible)
    assert verdict.confidence == (0.91 if possible else 0.5)
    assert ("possible conflict" in verdict.reason) is possible
    assert "hedged" in verdict.reason


@pytest.mark.parametrize("label", [Label.SUPPORTS, Label.NOT_MENTIONED])
def test_restrict_contradiction_leaves_other_labels_alone(label: Label) -> None:
    right = _claim(B, "The agreement was not signed.", negated=True)
    verdict = replace(_clash(SIGNED_1941, right), label=label)
    assert restrict_contradiction(verdict) == verdict


@pytest.mark.parametrize(
    ("left", "right"),
    [
        # one date holds the other, or the same date written another way
        ([_year(A, 1941)],
         [_slot(B, "date", DateValue(year=1941, month=7, day=12), "12 July 1941")]),
        ([_slot(A, "date", DateValue(year=2013, month=12, day=13), "December 13, 2013")],
         [_slot(B, "date", DateValue(year=2013, month=12, day=13), "13 December 2013")]),
        # every value of one claim is among the other's
        ([_year(A, 1941)], [_year(B, 1939), _year(B, 1941)]),
        # a place within the other, a fuller name, a longer type
        ([_place(A, "Moscow")], [_place(B, "Moscow, Russia")]),
        ([_place(A, "Cateau-Cambr\u00e9sis")], [_place(B, "Cateau-Cambre\u0301sis")]),
        ([_slot(A, "type", TextValue(text="novel"), "novel")],
         [_slot(B, "type", TextValue(text="1977 novel"), "1977 novel")]),
        # kinds present in one claim only
        ([_year(A, 1941)], [_place(B, "London")]),
    ],
)  # fmt: skip
def test_typed_difference_is_none_for_compatible_values(
    left: list[Slot], right: list[Slot]
) -> None:
    assert typed_difference(_claim(A, "left", *left), _claim(B, "right", *right)) is None


@pytest.mark.parametrize(
    ("text", "negated", "expected"),
    [
        ("The agreement was signed.", False, False),
        ("The agreement was not signed.", False, True),
        ("The agreement wasn't signed.", False, True),
        ("The agreement is no longer in force.", False, True),
        ("Neither state signed it.", False, True),
        ("It did not open until 1901.", True, False),
        ("It was not only signed but ratified.", False, False),
        ("No state signed it.", True, True),  # the parser saw the denial
    ],
)
def test_denies_reads_a_denial_in_the_verb_or_the_text(
    text: str, negated: bool, expected: bool
) -> None:
    assert denies(_claim(A, text, negated=negated)) is expected


def _stub_model(verifier: MiniLMVerifier, monkeypatch: pytest.MonkeyPatch) -> None:
    """Make ``verifier`` give ``CLASH_ROW`` for every pair without loading the model."""
    monkeypatch.setattr(verifier, "warm_up", lambda: None)
    monkeypatch.setattr(verifier, "probabilities", lambda texts: [list(CLASH_ROW) for _ in texts])


@pytest.mark.parametrize(
    ("right", "label", "possible"),
    [
        (_claim(B, "The agreement was signed in 1939.", _year(B, 1939)),
         Label.CONTRADICTS, False),
        (_claim(B, "The agreement was not signed in 1939.", _year(B, 1939)),
         Label.NOT_MENTIONED, False),
        (_claim(B, "The agreement was signed in 1941.", _year(B, 1941)),
         Label.NOT_MENTIONED, False),
        (_claim(B, "It may have been signed in 1939.", _year(B, 1939), hedged=True),
         Label.NOT_MENTIONED, True),
    ],
)  # fmt: skip
def test_minilm_verifier_restricts_the_models_contradictions(
    monkeypatch: pytest.MonkeyPatch, right: Claim, label: Label, possible: bool
) -> None:
    verifier = MiniLMVerifier()
    _stub_model(verifier, monkeypatch)
    (verdict,) = verifier.verify([Pair(left=SIGNED_1941, right=right, score=1.0, retriever="t")])
    assert (verdict.label, verdict.possible_conflict) == (label, possible)
    assert verdict.method == verifier.method
    assert "contradicts 0.95" in verdict.reason
