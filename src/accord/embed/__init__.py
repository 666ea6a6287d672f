"""Sentence embeddings: the packaged all-MiniLM-L6-v2 on onnxruntime (or torch), cached.

Importing this package is cheap: the runtimes load when an encoder warms up (extra
``embed``: ``pip install "accord[embed]"``).
"""

from __future__ import annotations

from accord.embed import minilm as _minilm  # noqa: F401  (registers)
from accord.embed.base import Encoder, encoders
from accord.embed.cache import CachedEncoder, EmbeddingCache, default_cache_dir

__all__ = ["CachedEncoder", "EmbeddingCache", "Encoder", "default_cache_dir", "encoders"]
