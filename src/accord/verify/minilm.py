"""accord's own verifier model: a MiniLM cross-encoder run with onnxruntime, no torch.

The model (``accord/models/verifier/``: int8 ONNX weights, ``tokenizer.json`` and
``config.json``) was fine-tuned from all-MiniLM-L6-v2 by the scripts in ``training/``; its
``MODEL_CARD.md`` gives the data, the recipe and the measured figures. The longer of the two
texts is read as the premise (evidence was the longer side in training), so a verdict never
depends on which document came first. A CONTRADICTS below the threshold in
the config (chosen on held-out data for precision) is returned as NOT_MENTIONED, with the
probabilities in the reason.

A CONTRADICTS at or above the threshold stands only where the two claims' structure makes a
contradiction plausible (``restrict_contradiction``): same polarity, neither hedged, a shared
topic, and a typed value (date, number, named entity, type) that differs. The model, trained
on one-word edits, reads a negated or merely related sentence as a contradiction; on real
claims most of its contradictions were such pairs.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, ClassVar

from accord.errors import ConfigError, MissingExtraError
from accord.model import (
    Claim,
    DateValue,
    Document,
    EntityRef,
    Label,
    Pair,
    Quantity,
    Slot,
    Span,
    TextValue,
    Verdict,
)
from accord.normalize import compare_dates
from accord.normalize.entities import normalize_name, same_name
from accord.normalize.measure import compare_measures, read_quantity
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


# -- where the model's CONTRADICTS may stand -----------------------------------------------

# Words that deny what a clause says. The model learned negation as a one-word edit that
# turns support into contradiction, so it calls "X was not Y" against a related "X was Z" a
# contradiction; a denial is slot comparison's to weigh (accord.verify.values).
_DENIAL = re.compile(r"\b(?:not|never|cannot|neither|nor|no\s+longer)\b|n['\u2019]t\b", re.I)
# Negations that date or limit an event rather than deny it: "did not open until 1901" says
# it opened in 1901; "not only" adds to what it says.
_NOT_A_DENIAL = re.compile(
    r"(?:\b(?:not|never)\b|n['\u2019]t\b)(?=[^.;]*\b(?:until|till)\b)|\bnot\s+only\b", re.I
)


def denies(claim: Claim) -> bool:
    """Whether ``claim`` denies what it says: its verb is negated, or its text holds "not",
    "never", "no longer", "n't", "cannot", "neither" or "nor" ("not until", which dates an
    event, and "not only" do not count)."""
    if _DENIAL.search(_NOT_A_DENIAL.sub(" ", claim.text)):
        return True
    return claim.negated and not _NOT_A_DENIAL.search(claim.text)


def _typed_values(claim: Claim) -> dict[str, list[Slot]]:
    """The claim's typed values by kind: ``date``, ``number``, ``entity:<kind>``, ``type``.

    A denied value ("in Porto, not Lisbon") is not one the claim states, so it is left out.
    """
    out: dict[str, list[Slot]] = {}
    for slot in claim.slots:
        value = slot.value
        if slot.negated:
            continue
        if isinstance(value, DateValue):
            key = "date"
        elif isinstance(value, Quantity):
            key = "number"
        elif isinstance(value, EntityRef):
            key = f"entity:{value.kind.value}"
        elif slot.role == "type" and isinstance(value, TextValue):
            key = "type"
        else:
            continue
        out.setdefault(key, []).append(slot)
    return out


def _words(text: str) -> set[str]:
    # NFKC: one page writes "é" as one code point, another as "e" and a combining accent
    return set(normalize_name(unicodedata.normalize("NFKC", text)).replace(",", " ").split())


def _relation(s: Slot, t: Slot) -> str:
    """``same`` (equal or compatible), ``differ`` or ``incomparable``, for two values of one
    kind; a value that holds the other ("1941" and "12 July 1941", "Moscow" and "Moscow,
    Russia", "novel" and "1977 novel") is the same."""
    x, y = s.value, t.value
    if isinstance(x, DateValue) and isinstance(y, DateValue):
        return "differ" if compare_dates(x, y) == "incompatible" else "same"
    if isinstance(x, Quantity) and isinstance(y, Quantity):
        relation = compare_measures(read_quantity(x, s.surface), read_quantity(y, t.surface))
        return {"incompatible": "differ", "incomparable": "incomparable"}.get(relation, "same")
    if isinstance(x, EntityRef) and isinstance(y, EntityRef):
        if same_name(x, y) or x.name in y.part_of or y.name in x.part_of:
            return "same"
        a, b = _words(x.name), _words(y.name)
        return "same" if a <= b or b <= a else "differ"
    a, b = _words(str(getattr(x, "text", ""))), _words(str(getattr(y, "text", "")))
    return "same" if a <= b or b <= a else "differ"


def typed_difference(left: Claim, right: Claim) -> str | None:
    """The first typed value in which the two claims differ, as ``"date: 1941 vs 1939"``,
    or None.

    A kind (date, number, named entity of one kind, type) differs when both claims have
    values of it and a value of each that the other lacks clashes: "signed in 1941" against
    "signed in 1939" differs; "in 1941" against "in 1939 and 1941" does not, nor does a
    surface difference ("13 December 2013" against "December 13, 2013").
    """
    theirs = _typed_values(right)
    for kind, mine in _typed_values(left).items():
        other = theirs.get(kind, [])
        alone = [s for s in mine if not any(_relation(s, t) == "same" for t in other)]
        lonely = [t for t in other if not any(_relation(s, t) == "same" for s in mine)]
        for s in alone:
            for t in lonely:
                if _relation(s, t) == "differ":
                    return f"{kind.split(':')[0]}: {s.surface} vs {t.surface}"
    return None


def _shares_topic(left: Claim, right: Claim) -> bool:
    """Whether the claims share a content term or a thing their slots are about."""
    if set(left.terms) & set(right.terms):
        return True
    about = {s.about.casefold() for s in left.slots if s.about}
    return bool(about & {s.about.casefold() for s in right.slots if s.about})


def restrict_contradiction(verdict: Verdict) -> Verdict:
    """``verdict``, or NOT_MENTIONED where a model's CONTRADICTS is implausible from the
    two claims' structure.

    A model's contradiction stands only when the claims have the same polarity (neither or
    both deny, ``denies``), neither is hedged, they share a topic (a content term or a slot's
    ``about``), and they differ in a typed value (``typed_difference``). Otherwise the label
    is NOT_MENTIONED with confidence 0.5 (undecided, as the namesake guards leave a clash),
    and the reason keeps the model's and says why it was set aside.

    One set-aside clash is a possible conflict (``possible_conflict``, the model's
    confidence): claims of one polarity and topic that differ in a typed value where one is
    hedged ("may have been built in 1890" against "built in 1895"), which a reader should
    see. A denial against a statement is not one: "not signed in 1939" and "signed in 1941"
    agree, and negation is the model's commonest false contradiction. Nor is a clash without
    a shared topic (two things) or without a typed difference (nothing checkable differs).
    """
    if verdict.label is not Label.CONTRADICTS:
        return verdict
    a, b = verdict.pair.left, verdict.pair.right
    differing = typed_difference(a, b)
    why: list[str] = []
    if denies(a) != denies(b):
        why.append("one claim denies what the other states")
    if not _shares_topic(a, b):
        why.append("the claims share no term or subject")
    if differing is None:
        why.append("no date, number, name or type differs between them")
    hedged = a.hedged or b.hedged
    if not why and not hedged:
        return verdict
    if not why:
        return replace(
            verdict,
            label=Label.NOT_MENTIONED,
            possible_conflict=True,
            reason=(
                f"{verdict.reason}; they differ ({differing}) but a claim is hedged: "
                "a possible conflict, not a contradiction"
            ),
        )
    if hedged:
        why.append("a claim is hedged")
    return replace(
        verdict,
        label=Label.NOT_MENTIONED,
        confidence=0.5,
        reason=f"{verdict.reason}; set aside as no contradiction: {'; '.join(why)}",
    )


@verifiers.register("accord.minilm.v1")
class MiniLMVerifier:
    """Labels each pair with accord's own cross-encoder (int8 ONNX, CPU), its contradictions
    restricted to claims that can plausibly clash (``restrict_contradiction``).

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

        Pairs whose two sentences are the same as an earlier pair's are scored once. A
        CONTRADICTS stands only where ``restrict_contradiction`` finds it plausible.
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
        verdict = Verdict(
            pair=pair,
            label=label,
            confidence=round(float(confidence), 3),
            method=self.method,
            reason=reason,
            evidence=(pair.left.span, pair.right.span),
        )
        return restrict_contradiction(verdict)
