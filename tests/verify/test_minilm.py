"""Tests for accord's own verifier model (accord.minilm.v1) on the shipped int8 ONNX model.

Quality is measured in training/ and the model card; here only structure, clear-cut cases,
damaged files and truncation are checked.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

from accord.errors import ConfigError, MissingExtraError
from accord.model import Claim, DocKind, Document, Label, Pair, Span
from accord.verify import verifiers
from accord.verify.minilm import MODEL_DIR, MiniLMVerifier, file_sha256, read_config

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
