"""Caches sentence vectors by the hash of the model id and the text: in memory always, and
in a SQLite file when given a directory, so a claim is encoded once across runs.

The cache directory defaults to the platform's user cache (``$XDG_CACHE_HOME/accord`` or
``~/.cache/accord`` on Linux); it is never the corpus store.
"""

from __future__ import annotations

import hashlib
import logging
import sqlite3
from collections.abc import Iterable, Sequence
from contextlib import closing
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from numpy.typing import NDArray

    from accord.embed.base import Encoder

logger = logging.getLogger(__name__)

DB_NAME = "embeddings.sqlite"
# Vectors kept in memory: 50,000 x 384 floats is about 75 MB. Past it the oldest go first.
MAX_MEMORY_ENTRIES = 50_000
_LOOKUP_CHUNK = 500  # keys per SELECT ... IN (...), under every SQLite's variable limit
_BUSY_TIMEOUT_S = 10.0  # another process writing the same cache waits, not fails


def default_cache_dir() -> Path:
    """The user's cache directory for accord, as the platform places it (``platformdirs``):
    ``$XDG_CACHE_HOME/accord`` or ``~/.cache/accord`` on Linux, ``~/Library/Caches/accord``
    on macOS, ``%LOCALAPPDATA%\\accord\\Cache`` on Windows."""
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("accord", appauthor=False))


def text_key(model_id: str, text: str) -> str:
    """The cache key of ``text`` encoded by ``model_id``: a sha256 in hex."""
    data = f"{model_id}\0{text}".encode("utf-8", "surrogatepass")
    return hashlib.sha256(data).hexdigest()


class EmbeddingCache:
    """Vectors by key, in memory and, with ``directory``, in ``directory/embeddings.sqlite``.

    A disk cache that cannot be read or written (read-only, corrupt) is dropped with a
    warning and the run goes on from memory.

    Args:
        directory: where the SQLite file lives; ``None`` keeps vectors in memory only.
        max_memory_entries: vectors kept in memory at most.
    """

    def __init__(
        self, directory: str | Path | None = None, max_memory_entries: int = MAX_MEMORY_ENTRIES
    ) -> None:
        self.path = Path(directory) / DB_NAME if directory is not None else None
        self.max_memory_entries = max_memory_entries
        self._memory: dict[str, NDArray[np.float32]] = {}
        self._ready = False

    def _connect(self) -> sqlite3.Connection:
        if self.path is None:
            raise sqlite3.OperationalError("no disk cache")
        if not self._ready:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(self.path, timeout=_BUSY_TIMEOUT_S)
        if not self._ready:
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute(
                "CREATE TABLE IF NOT EXISTS vectors (key TEXT PRIMARY KEY, data BLOB NOT NULL)"
            )
            connection.commit()
            self._ready = True
        return connection

    def _drop_disk(self, exc: Exception) -> None:
        logger.warning(
            "embedding cache %s is unusable (%s); keeping vectors in memory only", self.path, exc
        )
        self.path = None

    def get(self, keys: Iterable[str]) -> dict[str, NDArray[np.float32]]:
        """Return the vectors held for ``keys`` (missing keys are left out)."""
        found: dict[str, NDArray[np.float32]] = {}
        missing = []
        for key in keys:
            vector = self._memory.get(key)
            if vector is None:
                missing.append(key)
            else:
                found[key] = vector
        if missing and self.path is not None:
            try:
                with closing(self._connect()) as connection:
                    for start in range(0, len(missing), _LOOKUP_CHUNK):
                        chunk = missing[start : start + _LOOKUP_CHUNK]
                        marks = ",".join("?" * len(chunk))
                        rows = connection.execute(
                            f"SELECT key, data FROM vectors WHERE key IN ({marks})",
                            chunk,
                        )
                        for key, data in rows:
                            vector = np.frombuffer(data, dtype=np.float32).copy()
                            found[key] = vector
                            self._remember(key, vector)
            except (sqlite3.Error, OSError) as exc:
                self._drop_disk(exc)
        return found

    def put(self, items: dict[str, NDArray[np.float32]]) -> None:
        """Store vectors by key, in memory and on disk when there is a disk cache."""
        for key, vector in items.items():
            self._remember(key, vector)
        if items and self.path is not None:
            try:
                with closing(self._connect()) as connection, connection:
                    connection.executemany(
                        "INSERT OR REPLACE INTO vectors (key, data) VALUES (?, ?)",
                        [
                            (key, np.asarray(v, dtype=np.float32).tobytes())
                            for key, v in items.items()
                        ],
                    )
            except (sqlite3.Error, OSError) as exc:
                self._drop_disk(exc)

    def _remember(self, key: str, vector: NDArray[np.float32]) -> None:
        if key in self._memory:
            return
        if len(self._memory) >= self.max_memory_entries:
            del self._memory[next(iter(self._memory))]  # the oldest
        self._memory[key] = vector

    def __len__(self) -> int:
        return len(self._memory)


class CachedEncoder:
    """An encoder behind an ``EmbeddingCache``: each distinct text is encoded once, in the
    wrapped encoder's batches, and looked up after that.

    Args:
        encoder: the encoder to call for texts not in the cache.
        cache: where vectors are kept; default a memory-only cache.

    Attributes:
        encoded: texts sent to the encoder so far.
        hits: texts answered from the cache so far.
    """

    def __init__(self, encoder: Encoder, cache: EmbeddingCache | None = None) -> None:
        self.encoder = encoder
        self.cache = cache if cache is not None else EmbeddingCache()
        self.encoded = 0
        self.hits = 0

    @property
    def model_id(self) -> str:
        """The wrapped encoder's model id."""
        return self.encoder.model_id

    def describe(self) -> str:
        """The wrapped encoder's description."""
        return self.encoder.describe()

    def encode(self, texts: Sequence[str]) -> NDArray[np.float32]:
        """Return one vector per text, encoding only the texts the cache does not hold."""
        if not texts:
            return np.zeros((0, self.encoder.dim), dtype=np.float32)
        model_id = self.encoder.model_id
        keys = [text_key(model_id, text) for text in texts]
        unique = dict(zip(keys, texts, strict=True))
        found = self.cache.get(unique)
        todo = [key for key in unique if key not in found]
        self.hits += len(texts) - sum(1 for key in keys if key not in found)
        if todo:
            vectors = self.encoder.encode([unique[key] for key in todo])
            fresh = {key: vectors[i] for i, key in enumerate(todo)}
            self.cache.put(fresh)
            found.update(fresh)
            self.encoded += len(todo)
        return np.stack([found[key] for key in keys]).astype(np.float32, copy=False)
