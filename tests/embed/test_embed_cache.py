"""The vector cache: each text encoded once, in memory and across runs on disk."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path
from typing import ClassVar

import numpy as np
import pytest

from accord.embed.cache import CachedEncoder, EmbeddingCache, default_cache_dir, text_key


class CountingEncoder:
    """Vectors from character codes; counts every text it is asked to encode."""

    name: ClassVar[str] = "test.counting.v1"
    dim = 8

    def __init__(self, model_id: str = "counting@1") -> None:
        self.model_id = model_id
        self.calls: list[list[str]] = []

    def warm_up(self) -> None:
        return None

    def describe(self) -> str:
        return "counting encoder"

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        self.calls.append(list(texts))
        rows = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, text in enumerate(texts):
            for j, char in enumerate(text):
                rows[i, j % self.dim] += ord(char)
        norms = np.linalg.norm(rows, axis=1, keepdims=True)
        return rows / np.maximum(norms, 1e-12)

    @property
    def encoded(self) -> int:
        return sum(len(call) for call in self.calls)


@pytest.mark.parametrize("texts", [["alpha", "beta", "alpha", "gamma", "beta"]])
def test_cached_encoder_encodes_each_distinct_text_once(texts: list[str]) -> None:
    inner = CountingEncoder()
    cached = CachedEncoder(inner)
    first = cached.encode(texts)
    assert inner.encoded == len(set(texts))
    second = cached.encode(list(reversed(texts)))
    assert inner.encoded == len(set(texts))  # all hits, nothing re-encoded
    assert cached.hits == len(texts)
    np.testing.assert_array_equal(second, first[::-1])
    assert np.allclose(first[0], first[2])


@pytest.mark.parametrize("texts", [["the treaty was signed", "the pact was ratified"]])
def test_embedding_cache_on_disk_serves_a_new_run(tmp_path: Path, texts: list[str]) -> None:
    first = CountingEncoder()
    vectors = CachedEncoder(first, EmbeddingCache(tmp_path)).encode(texts)
    assert (tmp_path / "embeddings.sqlite").is_file()
    second = CountingEncoder()
    again = CachedEncoder(second, EmbeddingCache(tmp_path)).encode(texts)
    assert second.encoded == 0
    np.testing.assert_array_equal(again, vectors)


@pytest.mark.parametrize("texts", [["one claim"]])
def test_embedding_cache_keys_by_model(tmp_path: Path, texts: list[str]) -> None:
    CachedEncoder(CountingEncoder("model-a@1"), EmbeddingCache(tmp_path)).encode(texts)
    other = CountingEncoder("model-b@1")
    CachedEncoder(other, EmbeddingCache(tmp_path)).encode(texts)
    assert other.encoded == 1
    assert text_key("model-a@1", texts[0]) != text_key("model-b@1", texts[0])


@pytest.mark.parametrize("texts", [["a claim", "another claim"]])
def test_embedding_cache_unusable_directory_falls_back_to_memory(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, texts: list[str]
) -> None:
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("a file where the cache directory should be", encoding="utf-8")
    inner = CountingEncoder()
    cached = CachedEncoder(inner, EmbeddingCache(blocker))
    with caplog.at_level(logging.WARNING, logger="accord.embed.cache"):
        vectors = cached.encode(texts)
        cached.encode(texts)
    assert vectors.shape == (len(texts), inner.dim)
    assert inner.encoded == len(texts)  # the memory cache still answers the second call
    assert "memory only" in caplog.text


@pytest.mark.parametrize("limit", [3])
def test_embedding_cache_memory_is_bounded(limit: int) -> None:
    cache = EmbeddingCache(max_memory_entries=limit)
    cache.put({f"k{i}": np.ones(4, dtype=np.float32) for i in range(limit + 2)})
    assert len(cache) == limit
    assert "k0" not in cache.get(["k0"]) and "k4" in cache.get(["k4"])


@pytest.mark.parametrize("texts", [[]])
def test_cached_encoder_empty_input(texts: list[str]) -> None:
    inner = CountingEncoder()
    assert CachedEncoder(inner).encode(texts).shape == (0, inner.dim)
    assert inner.calls == []


@pytest.mark.parametrize("sub", ["somewhere"])
def test_default_cache_dir_follows_xdg(embed_cache_home: Path, sub: str) -> None:
    assert default_cache_dir() == embed_cache_home / "accord"
