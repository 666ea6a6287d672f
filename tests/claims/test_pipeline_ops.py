"""The English pipeline as accord loads it parses exactly as the model loaded by spaCy does."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from accord.claims.spacy_extractor import _import_model, _load_pipeline

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
SENTENCES = [
    "Ain't nobody gonna stop us, let's go.",
    "The U.S. Senate ratified the treaty on 4 May 1952 by a vote of 72 to 5.",
    "\u00a0 She wasn't there;  he'd gone   to Paris in '39.",
    "Born in 1903 in Tbilisi (then Tiflis), he studied at the Sorbonne.",
    "The population was 12,345 at the 2010 census, up 3.4% from 2000.",
    "There are two of y'all; c'mon, we gotta go. There's a cat and it's gonna rain.",
]


def _texts() -> list[str]:
    texts = [p.read_text("utf-8") for p in sorted(EXAMPLES.glob("*.txt"))]
    paragraphs = [p for text in texts for p in text.split("\n") if p.strip()]
    return paragraphs + SENTENCES


def _annotations(nlp: Any, texts: list[str]) -> list[tuple[Any, ...]]:
    return [
        (
            t.text,
            t.tag_,
            t.pos_,
            str(t.morph),
            t.lemma_,
            t.dep_,
            t.head.i,
            t.ent_iob_,
            t.ent_type_,
            t.is_sent_start,
        )
        for doc in nlp.pipe(texts)
        for t in doc
    ]


@pytest.fixture(scope="module")
def pipelines() -> tuple[Any, Any]:
    model = _import_model()
    return model.load(), _load_pipeline(model)


def test_the_loaded_pipeline_multiplies_through_numpy(pipelines: tuple[Any, Any]) -> None:
    _, ours = pipelines
    models = [getattr(pipe, "model", None) for _, pipe in ours.pipeline]
    layers = [layer for model in models if model is not None for layer in model.walk()]
    assert layers
    assert all(layer.ops.use_blis is False for layer in layers)


def test_the_loaded_pipeline_parses_as_spacy_does(pipelines: tuple[Any, Any]) -> None:
    theirs, ours = pipelines
    texts = _texts()
    expected, got = _annotations(theirs, texts), _annotations(ours, texts)
    assert len(expected) > 1000  # the examples and the sentences, token by token
    assert got == expected
