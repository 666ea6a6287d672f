"""Tests for NLI from a user's checkpoint, on tiny models the tests build (never quality)."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from accord.errors import ConfigError, MissingExtraError
from accord.model import Label, Pair, Report
from accord.testing.nli_model import save_tiny_nli_model
from accord.verify.nli import NLIVerifier, fit_sentences, split_sentences


def _pairs(report: Report) -> list[Pair]:
    return [v.pair for v in report.verdicts]


@pytest.mark.parametrize(
    ("id2label", "favour", "expected"),
    [
        ({0: "entailment", 1: "neutral", 2: "contradiction"}, 2, Label.CONTRADICTS),
        ({0: "CONTRADICTION", 1: "Neutral", 2: "ENTAILMENT"}, 2, Label.SUPPORTS),
        ({0: "Contradiction", 1: "Entailment"}, 0, Label.CONTRADICTS),
        ({0: "entailment", 1: "neutral", 2: "contradiction"}, 1, Label.NOT_MENTIONED),
    ],
)
def test_nli_verifier_maps_labels_case_insensitively(
    tmp_path: Path, sample_report: Report, id2label: dict[int, str], favour: int, expected: Label
) -> None:
    model_dir = save_tiny_nli_model(tmp_path / "my-nli", id2label, favour=favour)
    verdicts = NLIVerifier(model_dir=model_dir).verify(_pairs(sample_report))
    assert [v.label for v in verdicts] == [expected] * len(sample_report.verdicts)
    assert all(v.confidence > 0.9 for v in verdicts)
    assert {v.method for v in verdicts} == {"nli:my-nli"}


@pytest.mark.parametrize("batch_size", [2])
def test_nli_verifier_batches_in_order(
    tiny_nli_dir: Path, sample_report: Report, batch_size: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    pairs = (_pairs(sample_report) * 2)[:5]
    verifier = NLIVerifier(model_dir=tiny_nli_dir, batch_size=batch_size)
    verifier.warm_up()
    sizes: list[int] = []
    forward = verifier._model.forward

    def counting(**inputs: Any) -> Any:
        sizes.append(len(inputs["input_ids"]))
        return forward(**inputs)

    monkeypatch.setattr(verifier._model, "forward", counting)
    verdicts = verifier.verify(pairs)
    assert sizes == [2, 2, 1]
    assert [v.pair for v in verdicts] == pairs
    assert all(0.0 <= v.confidence <= 1.0 for v in verdicts)
    assert verifier.device == "cpu"
    assert verifier.max_length == 32


@pytest.mark.parametrize("sentences", [12])
def test_nli_verifier_cuts_long_input_by_sentence(
    tiny_nli_dir: Path, sentences: int, sample_report: Report
) -> None:
    verifier = NLIVerifier(model_dir=tiny_nli_dir)
    verifier.warm_up()
    long_text = " ".join(["The treaty was signed in Moscow."] * sentences)
    premise, hypothesis = fit_sentences(long_text, "It was not ratified.", verifier._count, 29)
    assert premise.endswith(".") and long_text.startswith(premise)
    assert verifier._count(premise) + verifier._count(hypothesis) <= 29
    assert hypothesis == "It was not ratified."
    pair = _pairs(sample_report)[0]
    left = pair.left.__class__(**{**_fields(pair.left), "text": long_text})
    (verdict,) = verifier.verify([Pair(left=left, right=pair.right, score=1.0, retriever="t")])
    assert verdict.method == "nli:tiny-nli"


def _fields(obj: Any) -> dict[str, Any]:
    return {name: getattr(obj, name) for name in obj.__dataclass_fields__}


def _words(text: str) -> int:
    return len(text.split())


@pytest.mark.parametrize(
    ("premise", "hypothesis", "budget", "expected"),
    [
        ("A b c. D e f. G h i.", "X y.", 8, ("A b c. D e f.", "X y.")),
        ("A b c. D e f.", "X y z. W v u.", 6, ("A b c.", "X y z.")),
        ("A b c.", "X y.", 10, ("A b c.", "X y.")),
        ("A b c d e f g h.", "X y.", 4, ("A b c d e f g h.", "X y.")),
    ],
)
def test_fit_sentences_keeps_whole_sentences(
    premise: str, hypothesis: str, budget: int, expected: tuple[str, str]
) -> None:
    assert fit_sentences(premise, hypothesis, _words, budget) == expected


@pytest.mark.parametrize(
    ("text", "expected"), [("One. Two!\nThree", ["One.", "Two!", "Three"]), ("", [])]
)
def test_split_sentences_splits_on_ends_and_lines(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected


def _no_dir(path: Path) -> None:
    return None


def _no_config(path: Path) -> None:
    path.mkdir()


def _bad_labels(path: Path) -> None:
    path.mkdir()
    (path / "config.json").write_text(json.dumps({"id2label": {"0": "LABEL_0", "1": "LABEL_1"}}))


def _no_weights(path: Path) -> None:
    path.mkdir()
    labels = {"0": "entailment", "1": "contradiction"}
    (path / "config.json").write_text(json.dumps({"id2label": labels}))


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (_no_dir, "NLI model directory not found"),
        (_no_config, "has no config.json"),
        (_bad_labels, "must name entailment and contradiction"),
        (_no_weights, "has no weights"),
    ],
)
def test_nli_verifier_reports_unusable_model_dir(
    tmp_path: Path, make: Callable[[Path], None], message: str
) -> None:
    model_dir = tmp_path / "nli-model"
    make(model_dir)
    with pytest.raises(ConfigError, match=message) as info:
        NLIVerifier(model_dir=model_dir).warm_up()
    assert str(model_dir) in str(info.value)


@pytest.mark.parametrize("module", ["torch", "transformers"])
def test_nli_verifier_names_extra_when_missing(
    tiny_nli_dir: Path, module: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, module, None)
    with pytest.raises(MissingExtraError, match=r'pip install "accord\[nli\]"'):
        NLIVerifier(model_dir=tiny_nli_dir).warm_up()


@pytest.mark.parametrize("count", [3])
def test_nli_verifier_pickles_after_loading(
    tiny_nli_dir: Path, sample_report: Report, count: int
) -> None:
    import pickle

    pairs = _pairs(sample_report)[:count]
    verifier = NLIVerifier(model_dir=tiny_nli_dir)
    labels = [v.label for v in verifier.verify(pairs)]
    copy = pickle.loads(pickle.dumps(verifier))  # as shipped to a worker
    assert copy._model is None
    assert [v.label for v in copy.verify(pairs)] == labels
