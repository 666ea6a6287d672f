"""NLI from a user's model: any local Hugging Face sequence-classification NLI checkpoint.

The checkpoint's ``id2label`` must name entailment and contradiction (neutral optional;
case-insensitive). It loads offline only, in ``warm_up()``; long inputs are cut by whole
sentences to fit the model's length.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, ClassVar

from accord.errors import ConfigError, MissingExtraError
from accord.model import Label, Pair, Verdict
from accord.verify.base import verifiers

logger = logging.getLogger(__name__)

BATCH_SIZE = 16  # pairs per forward pass: small enough for CPU memory with 512-token inputs
# Longest input used when neither tokenizer nor config states one (BERT-family default).
FALLBACK_MAX_LENGTH = 512
_SPECIAL_TOKENS = 3  # [CLS] premise [SEP] hypothesis [SEP]
_LABELS = {
    "entailment": Label.SUPPORTS,
    "contradiction": Label.CONTRADICTS,
    "neutral": Label.NOT_MENTIONED,
}
_WEIGHT_FILES = ("model.safetensors", "pytorch_model.bin", "model.safetensors.index.json")
_SENTENCE = re.compile(r"[^.!?\n]+(?:[.!?]+|\n|$)")


def split_sentences(text: str) -> list[str]:
    """Split ``text`` into sentences (by ``.``, ``!``, ``?`` and line breaks), trimmed."""
    return [s.strip() for s in _SENTENCE.findall(text) if s.strip()]


def fit_sentences(
    premise: str, hypothesis: str, count: Callable[[str], int], max_tokens: int
) -> tuple[str, str]:
    """Cut ``premise`` and ``hypothesis`` to whole leading sentences that fit together.

    Each side gets half of ``max_tokens``; what one side does not use goes to the other. A
    side keeps at least its first sentence (the tokenizer then cuts inside it).

    Args:
        premise: the first text.
        hypothesis: the second text.
        count: how many tokens a text takes, without special tokens.
        max_tokens: the budget for both texts together.
    """
    sides = [split_sentences(premise) or [premise], split_sentences(hypothesis) or [hypothesis]]
    costs = [[count(s) for s in side] for side in sides]
    if sum(map(sum, costs)) <= max_tokens:
        return premise, hypothesis
    half = max_tokens // 2
    needs = [sum(c) for c in costs]
    shares = [
        half + max(0, half - needs[1]) if needs[0] > half else needs[0],
        half + max(0, half - needs[0]) if needs[1] > half else needs[1],
    ]
    kept: list[str] = []
    for side, cost, share in zip(sides, costs, shares, strict=True):
        used, n = 0, 0
        while n < len(side) and used + cost[n] <= share:
            used += cost[n]
            n += 1
        kept.append(" ".join(side[: max(n, 1)]))
    return kept[0], kept[1]


def read_label_map(model_dir: Path) -> dict[int, Label]:
    """Map the checkpoint's class ids to labels, from ``config.json``'s ``id2label``.

    Raises:
        ConfigError: the directory, its config or its label map is missing or unusable.
    """
    if not model_dir.is_dir():
        raise ConfigError(f"NLI model directory not found: {model_dir} (given with --nli-model)")
    config_path = model_dir / "config.json"
    try:
        config = json.loads(config_path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(
            f"NLI model directory {model_dir} has no config.json; give a Hugging Face "
            "sequence-classification checkpoint saved with save_pretrained()"
        ) from None
    except (OSError, ValueError) as exc:
        raise ConfigError(f"cannot read {config_path}: {exc}") from None
    raw = config.get("id2label") if isinstance(config, dict) else None
    if not isinstance(raw, dict) or not raw:
        raise ConfigError(f"{config_path} has no id2label map; NLI needs one")
    mapping: dict[int, Label] = {}
    for key, name in raw.items():
        try:
            index = int(key)
        except ValueError:
            raise ConfigError(f"{config_path}: id2label key {key!r} is not a class id") from None
        mapping[index] = _LABELS.get(str(name).strip().lower(), Label.NOT_MENTIONED)
    found = set(mapping.values())
    if Label.SUPPORTS not in found or Label.CONTRADICTS not in found:
        names = ", ".join(repr(v) for v in raw.values())
        raise ConfigError(
            f"{config_path}: id2label ({names}) must name entailment and contradiction "
            "(neutral optional; case does not matter)"
        )
    if not any((model_dir / name).is_file() for name in _WEIGHT_FILES):
        raise ConfigError(
            f"NLI model directory {model_dir} has no weights ({', '.join(_WEIGHT_FILES)})"
        )
    return mapping


@verifiers.register("accord.nli.v1", settings={"model_dir": "nli_model"})
class NLIVerifier:
    """Labels each pair with an NLI cross-encoder: premise = left claim, hypothesis = right.

    Args:
        entity_files: accepted for the common verifier signature; unused.
        model_dir: the local checkpoint directory (config, tokenizer and weights).
        batch_size: pairs per forward pass.
        device: ``"auto"`` (CUDA when available, else CPU), ``"cpu"`` or ``"cuda"``.
    """

    name: ClassVar[str] = "accord.nli.v1"

    def __init__(
        self,
        entity_files: Sequence[Path] = (),
        *,
        model_dir: Path | str | None = None,
        batch_size: int = BATCH_SIZE,
        device: str = "auto",
    ) -> None:
        self.model_dir = Path(model_dir) if model_dir is not None else None
        self.batch_size = max(1, batch_size)
        self.device = device
        self.max_length = FALLBACK_MAX_LENGTH
        self._labels: dict[int, Label] = {}
        self._model: Any = None
        self._tokenizer: Any = None

    def __getstate__(self) -> dict[str, Any]:
        # A loaded model and tokenizer stay behind; a copy shipped to a worker (accord
        # batch, Ray) loads its own in warm_up().
        state = dict(self.__dict__)
        state["_model"] = state["_tokenizer"] = None
        return state

    @property
    def method(self) -> str:
        """The method name verdicts carry: ``nli:<model directory name>``."""
        return f"nli:{self.model_dir.name if self.model_dir else 'none'}"

    def describe(self) -> str:
        """Say which checkpoint this verifier uses."""
        return f"model {self.model_dir}"

    def warm_up(self) -> None:
        """Load the tokenizer and model from the directory, offline."""
        if self._model is not None:
            return
        if self.model_dir is None:
            raise ConfigError("the NLI verifier needs a model directory: give --nli-model PATH")
        self._labels = read_label_map(self.model_dir)
        try:
            import torch
            from transformers import AutoModelForSequenceClassification, AutoTokenizer
        except ImportError as exc:
            raise MissingExtraError(
                f'NLI needs torch and transformers: pip install "accord[nli]" ({exc})'
            ) from exc
        try:  # stderr carries accord's own progress; transformers' bars would garble it
            from transformers.utils import logging as hf_logging

            disable: Any = hf_logging.disable_progress_bar  # untyped upstream
            disable()
        except ImportError:
            pass
        path = str(self.model_dir)
        try:
            tokenizer = AutoTokenizer.from_pretrained(path, local_files_only=True)
            model = AutoModelForSequenceClassification.from_pretrained(path, local_files_only=True)
        except (OSError, ValueError, KeyError) as exc:
            raise ConfigError(f"cannot load the NLI model in {self.model_dir}: {exc}") from exc
        device = self.device
        if device == "auto":
            device = "cuda" if torch.cuda.is_available() else "cpu"
        model.to(device).eval()
        limits = [getattr(tokenizer, "model_max_length", None)]
        limits.append(getattr(model.config, "max_position_embeddings", None))
        usable = [n for n in limits if isinstance(n, int) and 0 < n < 1_000_000]
        self.max_length = min(usable) if usable else FALLBACK_MAX_LENGTH
        self.device = device
        self._tokenizer, self._model = tokenizer, model
        logger.info("loaded NLI model %s on %s (max length %d)", path, device, self.max_length)

    def verify(self, pairs: Sequence[Pair]) -> list[Verdict]:
        """Return one verdict per pair, in order, running the model in batches."""
        self.warm_up()
        verdicts: list[Verdict] = []
        for at in range(0, len(pairs), self.batch_size):
            verdicts.extend(self._verify_batch(pairs[at : at + self.batch_size]))
        return verdicts

    def _count(self, text: str) -> int:
        # verbose=False: counting a long text is the point, not a reason to warn
        ids = self._tokenizer(text, add_special_tokens=False, verbose=False)["input_ids"]
        return len(ids)

    def _verify_batch(self, batch: Sequence[Pair]) -> list[Verdict]:
        import torch

        budget = self.max_length - _SPECIAL_TOKENS
        texts = [fit_sentences(p.left.text, p.right.text, self._count, budget) for p in batch]
        inputs = self._tokenizer(
            [t[0] for t in texts],
            [t[1] for t in texts],
            padding=True,
            truncation=True,
            max_length=self.max_length,
            return_tensors="pt",
        ).to(self.device)
        with torch.no_grad():
            probs = torch.softmax(self._model(**inputs).logits, dim=-1).tolist()
        verdicts = []
        for pair, row in zip(batch, probs, strict=True):
            best = max(range(len(row)), key=row.__getitem__)
            label = self._labels.get(best, Label.NOT_MENTIONED)
            scores = ", ".join(
                f"{self._labels.get(i, Label.NOT_MENTIONED).value} {p:.2f}"
                for i, p in enumerate(row)
            )
            verdicts.append(
                Verdict(
                    pair=pair,
                    label=label,
                    confidence=round(float(row[best]), 3),
                    method=self.method,
                    reason=f"NLI model says {label.value} ({scores})",
                    evidence=(pair.left.span, pair.right.span),
                )
            )
        return verdicts
