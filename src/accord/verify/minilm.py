"""accord's own verifier model: a MiniLM cross-encoder run with onnxruntime, no torch.

The model (``accord/models/verifier/``: int8 ONNX weights, ``tokenizer.json`` and
``config.json``) was fine-tuned from all-MiniLM-L6-v2 by the scripts in ``training/``; its
``MODEL_CARD.md`` gives the data, the recipe and the measured figures. The longer of the two
texts is read as the premise (evidence was the longer side in training), so a verdict never
depends on which document came first. A CONTRADICTS below the threshold in
the config (chosen on held-out data for precision) is returned as NOT_MENTIONED, with the
probabilities in the reason.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from accord.errors import ConfigError, MissingExtraError
from accord.model import Document, Label, Pair, Span, Verdict
from accord.verify.base import verifiers
from accord.verify.context import sentence_around
from accord.verify.nli import fit_sentences

logger = logging.getLogger(__name__)

MODEL_DIR = Path(__file__).resolve().parent.parent / "models" / "verifier"
BATCH_SIZE = 32  # pairs per run of the model: short inputs, fast on CPU
_SPECIAL_TOKENS = 3  # [CLS] premise [SEP] hypothesis [SEP]
_REQUIRED = ("name", "version", "labels", "max_length", "weights", "sha256", "tokenizer")
_INSTALL = 'pip install "accord[neural]"'


@dataclass(frozen=True, slots=True, kw_only=True)
class ModelConfig:
    """What ``config.json`` says about the shipped model.

    ``contradiction_threshold`` is the probability, in [0, 1], from which a CONTRADICTS is
    given.
    """

    name: str
    version: str
    labels: tuple[Label, ...]
    max_length: int
    weights: str
    sha256: str
    tokenizer: str
    contradiction_threshold: float = 0.5


def read_config(model_dir: Path) -> ModelConfig:
    """Read and check ``config.json`` in ``model_dir``.

    Raises:
        ConfigError: the directory or its config is missing, unreadable or incomplete.
    """
    path = model_dir / "config.json"
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(
            f"the verifier model's config is missing: {path}; reinstall accord "
            "or give a directory made by training/export.py"
        ) from None
    except (OSError, ValueError) as exc:
        raise ConfigError(f"cannot read the verifier model's config {path}: {exc}") from None
    missing = [key for key in _REQUIRED if not isinstance(raw, dict) or key not in raw]
    if missing:
        raise ConfigError(f"{path} lacks {', '.join(missing)}; re-export the model")
    try:
        labels = tuple(Label.from_str(str(name)) for name in raw["labels"])
        config = ModelConfig(
            name=str(raw["name"]),
            version=str(raw["version"]),
            labels=labels,
            max_length=int(raw["max_length"]),
            weights=str(raw["weights"]),
            sha256=str(raw["sha256"]).lower(),
            tokenizer=str(raw["tokenizer"]),
            contradiction_threshold=float(raw.get("contradiction_threshold", 0.5)),
        )
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"{path} is not a valid model config: {exc}") from None
    if Label.CONTRADICTS not in labels or config.max_length <= _SPECIAL_TOKENS:
        raise ConfigError(f"{path}: labels must include contradicts and max_length be > 3")
    return config


def file_sha256(path: Path) -> str:
    """The sha256 of a file's bytes, as hex."""
    digest = hashlib.sha256()
    with path.open("rb") as data:
        for block in iter(lambda: data.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def check_weights(model_dir: Path, config: ModelConfig) -> Path:
    """The weights file, after checking that its sha256 is the one the config records.

    Raises:
        ConfigError: the file is missing or its bytes are not the ones exported.
    """
    path = model_dir / config.weights
    if not path.is_file():
        raise ConfigError(f"the verifier model's weights are missing: {path}; reinstall accord")
    found = file_sha256(path)
    if found != config.sha256:
        raise ConfigError(
            f"the verifier model's weights {path} are damaged (sha256 {found[:12]}…, "
            f"expected {config.sha256[:12]}…); reinstall accord"
        )
    return path


def _softmax(rows: Any) -> Any:
    import numpy as np

    shifted = rows - rows.max(axis=-1, keepdims=True)
    exp = np.exp(shifted)
    return exp / exp.sum(axis=-1, keepdims=True)


def _premise_first(left: str, right: str) -> bool:
    """Whether ``left`` is the premise: the longer text, or the first in sorted order."""
    if len(left) != len(right):
        return len(left) > len(right)
    return left <= right


@verifiers.register("accord.minilm.v1")
class MiniLMVerifier:
    """Labels each pair with accord's own cross-encoder (int8 ONNX, CPU).

    Args:
        entity_files: accepted for the common verifier signature; unused.
        model_dir: a directory made by ``training/export.py``; the shipped model by default.
        batch_size: pairs per run of the model.
        threads: CPU threads for onnxruntime (0: its default).
    """

    name: ClassVar[str] = "accord.minilm.v1"

    def __init__(
        self,
        entity_files: Sequence[Path] = (),
        *,
        model_dir: Path | str | None = None,
        batch_size: int = BATCH_SIZE,
        threads: int = 0,
    ) -> None:
        self.model_dir = Path(model_dir) if model_dir is not None else MODEL_DIR
        self.batch_size = max(1, batch_size)
        self.threads = max(0, threads)
        self._config: ModelConfig | None = None
        self._session: Any = None
        self._tokenizer: Any = None
        self._encoder: Any = None
        self._texts: dict[str, str] = {}
        self._inputs: set[str] = set()

    def __getstate__(self) -> dict[str, Any]:
        # An onnxruntime session and a tokenizer are not picklable; a copy shipped to a
        # worker (accord batch, Ray) loads its own in warm_up().
        state = dict(self.__dict__)
        for key in ("_session", "_tokenizer", "_encoder"):
            state[key] = None
        return state

    @property
    def config(self) -> ModelConfig:
        """The model's config (read on first use).

        Raises:
            ConfigError: the config is missing or invalid.
        """
        if self._config is None:
            self._config = read_config(self.model_dir)
        return self._config

    @property
    def method(self) -> str:
        """The method name verdicts carry: ``model:<name>-<version>``."""
        return f"model:{self.config.name}-{self.config.version}"

    def describe(self) -> str:
        """Say which model this verifier runs."""
        try:
            config = self.config
        except ConfigError as exc:
            return f"model unavailable: {exc}"
        return (
            f"{config.name}-{config.version}, int8 ONNX on CPU, "
            f"contradicts from {config.contradiction_threshold:g}"
        )

    def bind_documents(self, documents: Sequence[Document]) -> None:
        """Keep the documents' texts, so each claim is read in its whole sentence."""
        self._texts = {doc.id: doc.text for doc in documents}

    def warm_up(self) -> None:
        """Check the weights' sha256, then load the tokenizer and the ONNX session.

        Raises:
            MissingExtraError: onnxruntime or tokenizers is not installed.
            ConfigError: the model files are missing, damaged or unreadable.
        """
        if self._session is not None:
            return
        try:
            import onnxruntime
            from tokenizers import Tokenizer
        except ImportError as exc:
            raise MissingExtraError(
                f"accord's verifier model needs onnxruntime and tokenizers: {_INSTALL} ({exc})"
            ) from exc
        config = self.config
        weights = check_weights(self.model_dir, config)
        tokenizer_path = self.model_dir / config.tokenizer
        try:
            tokenizer = Tokenizer.from_file(str(tokenizer_path))
        except Exception as exc:  # tokenizers raises plain Exception on a bad file
            raise ConfigError(
                f"cannot read the verifier tokenizer {tokenizer_path}: {exc}"
            ) from None
        tokenizer.no_padding()
        tokenizer.no_truncation()  # counts whole sentences for fit_sentences
        encoder = Tokenizer.from_file(str(tokenizer_path))
        encoder.no_padding()
        # a single sentence longer than the model is cut inside, longest side first
        encoder.enable_truncation(config.max_length, strategy="longest_first")
        options = onnxruntime.SessionOptions()
        if self.threads:
            options.intra_op_num_threads = self.threads
        options.log_severity_level = 3  # errors only: its warnings would garble stderr
        try:
            session = onnxruntime.InferenceSession(
                str(weights), sess_options=options, providers=["CPUExecutionProvider"]
            )
        except Exception as exc:  # onnxruntime's errors share no base class but Exception
            raise ConfigError(f"cannot load the verifier model {weights}: {exc}") from None
        self._inputs = {i.name for i in session.get_inputs()}
        self._tokenizer, self._encoder, self._session = tokenizer, encoder, session
        logger.info("loaded %s from %s", self.method, self.model_dir)

    def verify(self, pairs: Sequence[Pair]) -> list[Verdict]:
        """Return one verdict per pair, in order, running the model in batches.

        Pairs whose two sentences are the same as an earlier pair's are scored once.
        """
        self.warm_up()
        texts = [
            (self._sentence(p.left.span, p.left.text), self._sentence(p.right.span, p.right.text))
            for p in pairs
        ]
        unique = list(dict.fromkeys(texts))
        probs: dict[tuple[str, str], list[float]] = {}
        for at in range(0, len(unique), self.batch_size):
            batch = unique[at : at + self.batch_size]
            probs.update(zip(batch, self.probabilities(batch), strict=True))
        return [self._verdict(pair, probs[text]) for pair, text in zip(pairs, texts, strict=True)]

    def probabilities(self, texts: Sequence[tuple[str, str]]) -> list[list[float]]:
        """Class probabilities (in ``config.labels`` order) for each (left, right) text pair.

        The longer text is read as the premise (ties: the first in sorted order), as evidence
        was in training, so a pair scores the same whichever document came first.
        """
        ordered = [(a, b) if _premise_first(a, b) else (b, a) for a, b in texts]
        return [[float(p) for p in row] for row in self.forward(ordered)]

    def forward(self, pairs: Sequence[tuple[str, str]]) -> Any:
        """Class probabilities for each (premise, hypothesis) pair in the order given, as a
        numpy array (one row per pair)."""
        self.warm_up()
        import numpy as np

        if not pairs:
            return np.zeros((0, len(self.config.labels)))
        fitted = [self.fit_pair(a, b) for a, b in pairs]
        encoded = self._encoder.encode_batch(fitted)
        width = max(len(e.ids) for e in encoded)
        feeds = {
            "input_ids": np.zeros((len(fitted), width), dtype=np.int64),
            "attention_mask": np.zeros((len(fitted), width), dtype=np.int64),
            "token_type_ids": np.zeros((len(fitted), width), dtype=np.int64),
        }
        for row, enc in enumerate(encoded):
            size = len(enc.ids)
            feeds["input_ids"][row, :size] = enc.ids
            feeds["attention_mask"][row, :size] = 1
            feeds["token_type_ids"][row, :size] = enc.type_ids
        feeds = {k: v for k, v in feeds.items() if k in self._inputs}
        logits = self._session.run(None, feeds)[0]
        return _softmax(np.asarray(logits, dtype=np.float64))

    def fit_pair(self, left: str, right: str) -> tuple[str, str]:
        """``left`` and ``right`` cut to whole leading sentences that fit the model together."""
        self.warm_up()
        budget = self.config.max_length - _SPECIAL_TOKENS
        return fit_sentences(left, right, self._count, budget)

    def _count(self, text: str) -> int:
        return len(self._tokenizer.encode(text, add_special_tokens=False).ids)

    def _sentence(self, span: Span, fallback: str) -> str:
        text = self._texts.get(span.doc_id)
        return sentence_around(text, span) if text is not None else fallback

    def _verdict(self, pair: Pair, row: Sequence[float]) -> Verdict:
        config = self.config
        best = max(range(len(row)), key=row.__getitem__)
        label = config.labels[best]
        confidence = row[best]
        scores = ", ".join(
            f"{lab.value} {p:.2f}" for lab, p in zip(config.labels, row, strict=True)
        )
        reason = f"{config.name}-{config.version} says {label.value} ({scores})"
        if label is Label.CONTRADICTS and confidence < config.contradiction_threshold:
            reason = (
                f"{config.name}-{config.version} leans to contradicts but below its threshold "
                f"{config.contradiction_threshold:g} ({scores})"
            )
            label, confidence = Label.NOT_MENTIONED, 1.0 - confidence
        return Verdict(
            pair=pair,
            label=label,
            confidence=round(float(confidence), 3),
            method=self.method,
            reason=reason,
            evidence=(pair.left.span, pair.right.span),
        )
