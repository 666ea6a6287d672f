"""Score any backend combination on labelled claim/evidence sets (``accord eval``).

Each item becomes two tiny documents (the claim; the evidence) about one subject. The run's
extractor reads both; the pairs to verify are every claim of one with every claim of the
other (``aligner=None``), or what a named aligner proposes; the run's verifier labels them.
An item is CONTRADICTS when any pair is, else SUPPORTS when any pair is, else NOT_MENTIONED
(undecided). Per label the scores give precision (over the items given that label), recall
(over the items gold-labelled so), F1 and coverage (the share of all items given the
label); ``decided`` is the share given SUPPORTS or CONTRADICTS. A confusion matrix (gold by
given) and the verifier's pairs per second complete them.

Sets are JSON lines in the FM2 layout (``text``, ``gold_evidence``, ``label``), the
FEVER-Symmetric / VitaminC layout (``claim``, ``evidence``, ``label`` or ``gold_label``),
the RAMDocs layout (``question`` and labelled ``documents``: each item gives its document
pairs), or the plain layout accord documents for users' own sets (``claim``, ``evidence``,
``label`` and optionally ``id`` and ``title``; see docs/evaluation.md).

On RAMDocs lines the reliability score is scored too: each question's documents go through
the whole pipeline as one subject, and the figure is how often the least reliable document
is a planted misinformation one (``reliability_figures``), set beside what a random ranking
and a ranking by the gold answers' agreement would score (``agreement_ceiling``).
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from accord.errors import AccordError, ConfigError
from accord.model import Claim, DocKind, Document, Label, Pair, Verdict, content_id
from accord.questions import bears_on
from accord.verify.base import MIN_CONFIDENCE, mark_possible

if TYPE_CHECKING:
    from accord.settings import Settings

logger = logging.getLogger(__name__)

__all__ = [
    "LABELS",
    "Item",
    "Question",
    "SetScore",
    "agreement_ceiling",
    "compare_texts",
    "evaluate_set",
    "items_digest",
    "load_items",
    "load_questions",
    "question_subject",
    "reliability_figures",
    "render",
    "run_eval",
    "score",
    "score_reliability",
    "score_sets",
    "untokenize",
]

LABELS = (Label.SUPPORTS, Label.CONTRADICTS, Label.NOT_MENTIONED)
_GOLD = {
    "supports": Label.SUPPORTS,
    "support": Label.SUPPORTS,
    "entailment": Label.SUPPORTS,
    "refutes": Label.CONTRADICTS,
    "contradicts": Label.CONTRADICTS,
    "contradiction": Label.CONTRADICTS,
    "not enough info": Label.NOT_MENTIONED,
    "not_mentioned": Label.NOT_MENTIONED,
    "neutral": Label.NOT_MENTIONED,
}
# FEVER's Penn-Treebank tokenisation, undone so the English pipeline reads normal text.
_PTB = {"-LRB-": "(", "-RRB-": ")", "-LSB-": "[", "-RSB-": "]", "-LCB-": "{", "-RCB-": "}"}
_SPACE_BEFORE = re.compile(r"\s+([.,;:!?%)\]}]|'s\b|n't\b|'re\b|'ve\b|'d\b|'ll\b)")
_SPACE_AFTER = re.compile(r"([(\[{$])\s+")
# What a RAMDocs question asks about: a quoted title, else its longest run of capitalised
# words (with the lower-case joiners names carry), question words left off.
_QUOTED = re.compile(r'["\u201c]([^"\u201d]+)["\u201d]')
_NAME = re.compile(
    r"\b[A-Z0-9][\w'\u2019./&-]*"
    r"(?:\s+(?:of|the|de|du|von|van|and|for|on|in|at|la|le)?\s*[A-Z0-9][\w'\u2019./&-]*)*"
)
_ASKING = frozenset(
    {"what", "who", "when", "where", "which", "how", "why", "whom", "whose", "is", "was",
     "are", "were", "did", "does", "do", "in", "the", "a", "an"}
)  # fmt: skip
_POSSESSIVE = re.compile(r"['\u2019]s$")
MISINFO = "misinfo"
NOISE = "noise"


@dataclass(frozen=True, slots=True, kw_only=True)
class Item:
    """One labelled pair: a claim, its evidence, the gold label and the subject's title;
    ``question`` is what the label answers, when it answers one (a RAMDocs document pair)."""

    id: str
    claim: str
    evidence: str
    gold: Label
    title: str = ""
    question: str = ""


def _ratio(numerator: float, denominator: float) -> float | None:
    return round(numerator / denominator, 3) if denominator else None


@dataclass(slots=True)
class SetScore:
    """Counts for one set.

    ``given[label]``: items labelled so; ``right[label]``: of them correct; ``gold[label]``:
    items gold-labelled so; ``confusion[gold][given]``: items by both; ``pairs``: claim
    pairs verified, in ``verify_s`` seconds; ``seconds``: the whole set's time. For items
    that answer a question, ``any_conflict`` counts CONTRADICTS as any contradiction, on
    the question or not: ``given``, ``correct`` (gold CONTRADICTS) and ``gold``.
    """

    name: str
    total: int = 0
    given: dict[str, int] = field(default_factory=dict)
    right: dict[str, int] = field(default_factory=dict)
    gold: dict[str, int] = field(default_factory=dict)
    confusion: dict[str, dict[str, int]] = field(default_factory=dict)
    errors: list[tuple[Item, str, str]] = field(default_factory=list)
    pairs: int = 0
    verify_s: float = 0.0
    seconds: float = 0.0
    any_conflict: dict[str, int] = field(default_factory=dict)

    def add_any_conflict(self, item: Item, contradicted: bool) -> None:
        """Count a question's item as CONTRADICTS when any pair is, on the question or not."""
        counts = self.any_conflict
        gold = item.gold is Label.CONTRADICTS
        counts["gold"] = counts.get("gold", 0) + int(gold)
        counts["given"] = counts.get("given", 0) + int(contradicted)
        counts["correct"] = counts.get("correct", 0) + int(contradicted and gold)

    def add(self, item: Item, label: Label | None, reason: str) -> None:
        """Count one item's outcome; ``None`` (undecided) counts as NOT_MENTIONED."""
        given = label or Label.NOT_MENTIONED
        self.total += 1
        self.gold[item.gold.value] = self.gold.get(item.gold.value, 0) + 1
        row = self.confusion.setdefault(item.gold.value, {})
        row[given.value] = row.get(given.value, 0) + 1
        self.given[given.value] = self.given.get(given.value, 0) + 1
        if given is item.gold:
            self.right[given.value] = self.right.get(given.value, 0) + 1
        elif label is not None:
            self.errors.append((item, given.value, reason))

    def metrics(self, label: Label) -> dict[str, float | int | None]:
        """Precision, recall, F1 and coverage of ``label`` (None where undefined)."""
        given = self.given.get(label.value, 0)
        right = self.right.get(label.value, 0)
        gold = self.gold.get(label.value, 0)
        precision = right / given if given else None
        recall = right / gold if gold else None
        f1 = (
            2 * precision * recall / (precision + recall)
            if precision is not None and recall is not None and precision + recall > 0
            else (0.0 if precision is not None and recall is not None else None)
        )
        return {
            "given": given,
            "correct": right,
            "gold": gold,
            "precision": None if precision is None else round(precision, 3),
            "recall": None if recall is None else round(recall, 3),
            "f1": None if f1 is None else round(f1, 3),
            "coverage": _ratio(given, self.total),
        }

    def _any_conflict(self) -> dict[str, float | int | None]:
        given, right, gold = (self.any_conflict.get(k, 0) for k in ("given", "correct", "gold"))
        return {
            "given": given,
            "correct": right,
            "gold": gold,
            "precision": _ratio(right, given),
            "recall": _ratio(right, gold),
        }

    def as_row(self) -> dict[str, Any]:
        """The set's scores as one JSON-able row."""
        decided = sum(self.given.get(x.value, 0) for x in (Label.SUPPORTS, Label.CONTRADICTS))
        return {
            "set": self.name,
            "items": self.total,
            **{label.value: self.metrics(label) for label in LABELS},
            "decided": _ratio(decided, self.total),
            "confusion": {
                gold.value: {
                    given.value: self.confusion.get(gold.value, {}).get(given.value, 0)
                    for given in LABELS
                }
                for gold in LABELS
            },
            **({"contradicts_any_conflict": self._any_conflict()} if self.any_conflict else {}),
            "pairs": self.pairs,
            "pairs_per_s": round(self.pairs / self.verify_s, 1) if self.verify_s > 0 else None,
            "items_per_s": round(self.total / self.seconds, 1) if self.seconds > 0 else None,
        }


def untokenize(text: str) -> str:
    """Undo Penn-Treebank spacing and bracket tokens (``-LRB-`` -> ``(``)."""
    for token, char in _PTB.items():
        text = text.replace(token, char)
    text = _SPACE_BEFORE.sub(r"\1", text)
    text = _SPACE_AFTER.sub(r"\1", text)
    return re.sub(r"\s+", " ", text).strip()


def load_items(path: Path) -> Iterator[Item]:
    """Read FM2, FEVER-Symmetric, VitaminC or plain claim/evidence JSON lines as items.

    Raises:
        ConfigError: the file cannot be read or a line is not an item of a known layout.
    """
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        detail = getattr(exc, "strerror", None) or exc
        raise ConfigError(f"cannot read evaluation file {path}: {detail}") from exc
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            if isinstance(row, dict) and "documents" in row and "question" in row:
                yield from _document_pairs(row, number)
                continue
            raw_label = str(row.get("label", row.get("gold_label", ""))).strip().lower()
            gold = _GOLD[raw_label]
            if "gold_evidence" in row:  # FM2
                evidence = " ".join(e["text"] for e in row["gold_evidence"])
                yield Item(
                    id=str(row["id"]),
                    claim=row["text"],
                    evidence=evidence,
                    gold=gold,
                    title=str(row.get("wikipedia_page", "")).replace("_", " "),
                )
            else:  # FEVER-Symmetric, VitaminC, the plain layout
                claim, evidence = row["claim"], row["evidence"]
                if not isinstance(claim, str) or not isinstance(evidence, str):
                    raise TypeError("claim and evidence must be strings")
                yield Item(
                    id=str(row.get("id", number)),
                    claim=untokenize(claim),
                    evidence=untokenize(evidence),
                    gold=gold,
                    title=str(row.get("title", "")),
                )
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise ConfigError(
                f"{path}:{number}: not an evaluation item ({exc}); expected claim, evidence "
                "and label (supports, refutes or not enough info)"
            ) from exc


def _document_pairs(row: dict[str, Any], number: int) -> Iterator[Item]:
    """The document pairs of a RAMDocs item (a question with its retrieved documents, each
    ``correct``, ``misinfo`` or ``noise``), labelled as the set's README suggests: correct
    and misinformation contradict; two correct documents with the same answer agree, with
    different answers they are about different entities of one name (not a contradiction:
    NOT_MENTIONED); a pair with a noise document is NOT_MENTIONED. Pairs of two misinformation
    documents say nothing sure and are left out. The labels answer the item's question, which
    each pair carries."""
    documents = row["documents"]
    for i, first in enumerate(documents):
        for j in range(i + 1, len(documents)):
            second = documents[j]
            kinds = {first["type"], second["type"]}
            if "noise" in kinds:
                gold = Label.NOT_MENTIONED
            elif kinds == {"correct", "misinfo"}:
                gold = Label.CONTRADICTS
            elif kinds == {"correct"}:
                same = _answer(first) == _answer(second)
                gold = Label.SUPPORTS if same else Label.NOT_MENTIONED
            else:
                continue
            yield Item(
                id=f"{number}:{i}-{j}",
                claim=first["text"],
                evidence=second["text"],
                gold=gold,
                question=str(row.get("question", "")),
            )


def _answer(document: dict[str, Any]) -> str:
    return " ".join(str(document.get("answer", "")).lower().split())


@dataclass(frozen=True, slots=True, kw_only=True)
class Question:
    """A RAMDocs item whole: the question, its documents' texts, labels and answers in order.

    ``answers`` are the gold answers each document gives (empty when the set has none).
    """

    line: int
    question: str
    texts: tuple[str, ...]
    kinds: tuple[str, ...]
    answers: tuple[str, ...] = ()

    @property
    def has_misinfo(self) -> bool:
        """True when at least one document is planted misinformation."""
        return MISINFO in self.kinds


def load_questions(path: Path) -> list[Question]:
    """Read the RAMDocs lines of a JSON-lines file as whole questions (other lines are skipped).

    Raises:
        ConfigError: the file cannot be read, or a RAMDocs line's documents are malformed.
    """
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        detail = getattr(exc, "strerror", None) or exc
        raise ConfigError(f"cannot read evaluation file {path}: {detail}") from exc
    questions: list[Question] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except ValueError as exc:
            raise ConfigError(f"{path}:{number}: not an evaluation item ({exc})") from exc
        if not (isinstance(row, dict) and "documents" in row and "question" in row):
            continue
        try:
            documents = row["documents"]
            texts = tuple(str(d["text"]) for d in documents)
            kinds = tuple(str(d["type"]) for d in documents)
            answers = tuple(str(d.get("answer", "")) for d in documents)
        except (KeyError, TypeError, AttributeError) as exc:
            raise ConfigError(
                f"{path}:{number}: a RAMDocs document needs text and type ({exc})"
            ) from exc
        questions.append(
            Question(
                line=number,
                question=str(row["question"]),
                texts=texts,
                kinds=kinds,
                answers=answers,
            )
        )
    return questions


def question_subject(question: str) -> str:
    """The subject a question asks about: a quoted title, else its longest capitalised name.

    >>> question_subject("When was Corruption Watch established?")
    'Corruption Watch'
    >>> question_subject('Who recorded "The Wonder of You"?')
    'The Wonder of You'
    """
    quoted = _QUOTED.search(question)
    if quoted and quoted.group(1).strip():
        return quoted.group(1).strip()
    best = ""
    for match in _NAME.finditer(question):
        words = match.group(0).split()
        while words and words[0].casefold() in _ASKING:
            words = words[1:]
        name = _POSSESSIVE.sub("", " ".join(words).rstrip(",;:"))
        if len(name) > len(best):
            best = name
    return best or question.strip().rstrip("?").strip()


def reliability_figures(
    items: Sequence[Sequence[tuple[float, bool]]], skipped: int = 0
) -> dict[str, Any]:
    """How well the reliability score finds misinformation, over scored items.

    Args:
        items: Per item, each document's (reliability score, is misinformation); each item
            has at least two documents and at least one of them misinformation.
        skipped: Items left out because a document could not be read.

    Returns:
        ``least_reliable_is_misinfo``: the share of items whose single lowest-scored
        document is misinformation (a tie for lowest does not count), with its count
        ``least_reliable_is_misinfo_items``; ``counting_ties``: per item, the share of the
        tied-lowest documents that are misinformation, averaged; ``random_ranking``: the
        expected share for a random ranking (misinformation documents / documents, averaged);
        ``tied_lowest_items``: items whose lowest score is shared; ``items`` and ``skipped``.
        Shares are ``None`` when no item was scored.

    Raises:
        ValueError: an item with fewer than two documents or no misinformation.
    """
    strict = tied = 0
    tie_share = random_share = 0.0
    for scored in items:
        if len(scored) < 2 or not any(misinfo for _, misinfo in scored):
            raise ValueError("each item needs two documents and one of misinformation")
        at_lowest = _at_lowest(scored)
        if len(at_lowest) == 1:
            strict += int(at_lowest[0])
        else:
            tied += 1
        tie_share += _share(at_lowest)
        random_share += sum(misinfo for _, misinfo in scored) / len(scored)
    count = len(items)
    return {
        "items": count,
        "skipped": skipped,
        "least_reliable_is_misinfo": _ratio(strict, count),
        "least_reliable_is_misinfo_items": strict,
        "counting_ties": _ratio(tie_share, count),
        "random_ranking": _ratio(random_share, count),
        "tied_lowest_items": tied,
    }


def _at_lowest(scored: Sequence[tuple[float, bool]]) -> list[bool]:
    """Whether each document tied for the lowest score is misinformation."""
    lowest = min(value for value, _ in scored)
    return [misinfo for value, misinfo in scored if value == lowest]


def _share(misinfo: Sequence[bool]) -> float:
    return sum(misinfo) / len(misinfo)


def _answered(question: Question) -> bool:
    """True when every document that is not noise gives an answer."""
    return len(question.answers) == len(question.kinds) and all(
        answer.strip()
        for kind, answer in zip(question.kinds, question.answers, strict=True)
        if kind != NOISE
    )


def agreement_ceiling(questions: Sequence[Question]) -> dict[str, float | None] | None:
    """What a ranking by agreement alone would score, read off the gold answers.

    Each document scores the number of other documents that give its gold answer (answers
    compared case-blind), so the figure is what truth discovery could reach with every answer
    read without error and nothing known beyond agreement. Noise documents give no answer:
    ``noise_set_aside`` ranks without them (as if each were recognised as off the question);
    ``noise_unsupported`` ranks them as documents no other supports. Both are the share of
    tied-lowest documents that are misinformation, averaged over the questions
    (``reliability_figures``' ``counting_ties``).

    Args:
        questions: Questions with at least two documents, one of misinformation, and answers.

    Returns:
        The two shares, or ``None`` when no question is given or a document that is not noise
        has no answer (a set without answers).
    """
    if not questions or not all(_answered(q) for q in questions):
        return None
    set_aside = unsupported = 0.0
    for question in questions:
        answers = [
            None if kind == NOISE else answer.strip().casefold()
            for kind, answer in zip(question.kinds, question.answers, strict=True)
        ]
        scored = [
            (
                0.0 if answer is None else float(sum(a == answer for a in answers) - 1),
                kind == MISINFO,
            )
            for kind, answer in zip(question.kinds, answers, strict=True)
        ]
        kept = [pair for pair, answer in zip(scored, answers, strict=True) if answer is not None]
        set_aside += _share(_at_lowest(kept))
        unsupported += _share(_at_lowest(scored))
    return {
        "noise_set_aside": _ratio(set_aside, len(questions)),
        "noise_unsupported": _ratio(unsupported, len(questions)),
    }


def score_reliability(
    questions: Sequence[Question], settings: Settings, name: str = ""
) -> dict[str, Any]:
    """Run the pipeline on each question's documents and score their reliability.

    Only questions with at least two documents and one of misinformation count. The
    documents are given as texts (named by position) under a title line naming the question's
    subject; a question whose documents do not all read is skipped and logged.

    Args:
        questions: RAMDocs questions (``load_questions``).
        settings: The run's settings (extractor, aligner, verifier...).
        name: The set's name, for the log.

    Returns:
        ``reliability_figures`` of the scored questions, with ``agreement_ceiling`` over the
        same questions and ``seconds`` taken.
    """
    started = time.perf_counter()
    texts_settings = replace(settings, sources_are_text=True)
    # each question's documents are checked for that question, as a RAG pipeline would
    scored: list[list[tuple[float, bool]]] = []
    asked: list[Question] = []
    skipped = 0
    for question in questions:
        if len(question.texts) < 2 or not question.has_misinfo:
            continue
        scores = _document_scores(question, texts_settings, name)
        if scores is None:
            skipped += 1
            continue
        scored.append([(s, k == MISINFO) for s, k in zip(scores, question.kinds, strict=True)])
        asked.append(question)
    figures = reliability_figures(scored, skipped)
    figures["agreement_ceiling"] = agreement_ceiling(asked)
    figures["seconds"] = round(time.perf_counter() - started, 1)
    return figures


def _document_scores(question: Question, settings: Settings, name: str) -> list[float] | None:
    """Each document's reliability score in order, or ``None`` when one could not be read."""
    from accord.pipeline import run

    subject = question_subject(question.question)
    # A blank text stays blank, so it fails to read as it would without the title line.
    texts = [f"{subject}\n\n{text}" if text.strip() else text for text in question.texts]
    try:
        report = run(texts, replace(settings, question=question.question))
    except AccordError as exc:
        logger.warning("%s:%d skipped for reliability: %s", name, question.line, exc)
        return None
    if report.run.failures or len(report.documents) != len(texts):
        logger.warning(
            "%s:%d skipped for reliability: %d of its %d documents could not be read",
            name,
            question.line,
            len(texts) - len(report.documents),
            len(texts),
        )
        return None
    scores = {r.doc_id: r.score for r in report.record.reliability}
    return [scores[document.id] for document in report.documents]


def items_digest(items: Sequence[Item]) -> str:
    """A sha256 over the items' ids, texts and labels: which data a score was computed on."""
    digest = hashlib.sha256()
    for item in items:
        row = [item.id, item.claim, item.evidence, item.gold.value, item.title]
        if item.question:
            row.append(item.question)
        digest.update(json.dumps(row, ensure_ascii=False).encode("utf-8"))
    return digest.hexdigest()


def _document(text: str, title: str, name: str) -> Document:
    return Document(
        id=content_id(name, text),
        source=name,
        title=title,
        kind=DocKind.UNKNOWN,
        format="text",
        text=text,
    )


def evaluate_set(
    name: str,
    items: Sequence[Item],
    extractor: object,
    verifier: object,
    aligner: object | None = None,
    min_confidence: float = MIN_CONFIDENCE,
) -> SetScore:
    """Label every item and count the outcomes.

    Args:
        name: The set's name, for the report.
        items: The labelled items.
        extractor: A claim extractor (``accord.spacy.v1``).
        verifier: A verifier (``accord.slots.v1`` or any registered one).
        aligner: An aligner choosing the pairs to verify; ``None``: every pair.
        min_confidence: A clash under this confidence is a possible conflict, not a
            contradiction (``Settings.min_confidence``).
    """
    result = SetScore(name=name)
    warm_up = getattr(verifier, "warm_up", None)
    if callable(warm_up):
        warm_up()  # loading a model is not verifying: pairs/s times the pairs alone
    started = time.perf_counter()
    cached = _CachedExtractor(extractor)  # a RAMDocs document is in several pairs
    for item in items:
        timing: dict[str, float] = {}
        verdicts = compare_texts(
            item.claim,
            item.evidence,
            cached,
            verifier,
            item.title,
            aligner,
            timing,
            min_confidence=min_confidence,
        )
        result.pairs += int(timing.get("pairs", 0))
        result.verify_s += timing.get("verify_s", 0.0)
        label, reason = score(verdicts, item.question)
        result.add(item, label, reason)
        if item.question:
            result.add_any_conflict(item, any(v.label is Label.CONTRADICTS for v in verdicts))
    result.seconds = time.perf_counter() - started
    return result


class _CachedExtractor:
    """An extractor that reads each (name, text, title) document once per set."""

    CAPACITY = 4096  # documents kept; a set's items repeat texts only within an item

    def __init__(self, extractor: object) -> None:
        self.extractor = extractor
        self._claims: dict[tuple[str, str], list[Claim]] = {}

    def extract(self, documents: Sequence[Document]) -> list[Claim]:
        out: list[Claim] = []
        for document in documents:
            key = (document.id, document.title)
            found = self._claims.get(key)
            if found is None:
                found = list(self.extractor.extract([document]))  # type: ignore[attr-defined]
                if len(self._claims) >= self.CAPACITY:
                    self._claims.pop(next(iter(self._claims)))
                self._claims[key] = found
            out.extend(found)
        return out


def compare_texts(
    left: str,
    right: str,
    extractor: object,
    verifier: object,
    title: str = "",
    aligner: object | None = None,
    timing: dict[str, float] | None = None,
    *,
    min_confidence: float = MIN_CONFIDENCE,
) -> list[Verdict]:
    """Verdicts on the claim pairs of ``left`` and ``right``, two documents about ``title``.

    Args:
        left: The first text (the claim).
        right: The second text (the evidence).
        extractor: A claim extractor.
        verifier: A verifier; given the two documents first when it takes them.
        title: The subject both texts are about.
        aligner: Chooses the pairs (only those across the two texts are kept); ``None``:
            every claim of ``left`` with every claim of ``right``.
        timing: Filled with ``pairs`` (pairs verified) and ``verify_s`` (seconds verifying).
        min_confidence: A clash under this confidence is a possible conflict.
    """
    from accord.claims.subject import unify_subjects
    from accord.verify.base import bind_documents

    left_doc = _document(left, title, "left")
    right_doc = _document(right, title, "right")
    claims = extractor.extract([left_doc, right_doc])  # type: ignore[attr-defined]
    claims = unify_subjects(claims, [left_doc, right_doc])
    if aligner is None:
        first = [c for c in claims if c.doc_id == left_doc.id]
        second = [c for c in claims if c.doc_id == right_doc.id]
        pairs = [Pair(left=a, right=b, score=1.0, retriever="all") for a in first for b in second]
    else:
        proposed = aligner.align(claims)  # type: ignore[attr-defined]
        pairs = [p for p in proposed if p.left.doc_id != p.right.doc_id]
    if not pairs:
        return []
    bind_documents(verifier, [left_doc, right_doc])
    started = time.perf_counter()
    verdicts = mark_possible(verifier.verify(pairs), min_confidence)  # type: ignore[attr-defined]
    if timing is not None:
        timing["pairs"] = timing.get("pairs", 0) + len(pairs)
        timing["verify_s"] = timing.get("verify_s", 0.0) + time.perf_counter() - started
    return verdicts


def score(verdicts: Sequence[Verdict], question: str = "") -> tuple[Label | None, str]:
    """An item's label from its pair verdicts: any CONTRADICTS, else any SUPPORTS. With a
    question, only a contradiction that bears on it counts (``accord.questions.bears_on``:
    a clash of birth dates does not answer "What is his profession?")."""
    for wanted in (Label.CONTRADICTS, Label.SUPPORTS):
        found = [
            v
            for v in verdicts
            if v.label is wanted and (wanted is Label.SUPPORTS or bears_on(question, v))
        ]
        if found:
            return wanted, str(found[0].reason)
    return None, ""


def set_name(path: Path) -> str:
    """A set's display name: its folder and file stem (``fm2/test``)."""
    return f"{path.parent.name}/{path.stem}"


def score_sets(
    paths: Sequence[Path],
    settings: Settings | None = None,
    *,
    aligned: bool = False,
    limit: int | None = None,
    reliability: bool = True,
) -> dict[str, Any]:
    """Score the backends ``settings`` names on every set in ``paths``.

    Args:
        paths: JSON-lines files in one of the layouts ``load_items`` reads.
        settings: The extractor, aligner and verifier to use; defaults to ``Settings()``.
        aligned: Verify only the pairs the settings' aligner proposes (else every pair).
        limit: Score only the first ``limit`` items of each file (for the reliability
            figure, its first ``limit`` RAMDocs questions).
        reliability: On RAMDocs lines, also score the reliability score
            (``score_reliability``: one pipeline run per question).

    Returns:
        ``{"backends": {...}, "sets": [row, ...]}`` with each row as ``SetScore.as_row``
        gives it plus the data's ``sha256`` and ``reliability`` (``None`` for a set without
        RAMDocs lines, or when not asked for).
    """
    from accord.pipeline import Settings, make_stages
    from accord.verify.base import describe_verifier
    from accord.verify.judges import reach_judge

    settings = reach_judge(settings or Settings())
    extractor, aligner, verifier = make_stages(settings)
    rows: list[dict[str, Any]] = []
    for path in paths:
        items = list(load_items(Path(path)))[:limit]
        scored = evaluate_set(
            set_name(Path(path)),
            items,
            extractor,
            verifier,
            aligner if aligned else None,
            min_confidence=settings.min_confidence,
        )
        logger.info("scored %d items of %s", scored.total, scored.name)
        figures = None
        if reliability:
            questions = load_questions(Path(path))[:limit]
            if questions:
                figures = score_reliability(questions, settings, scored.name)
                logger.info("scored reliability on %d questions of %s", figures["items"], path)
        rows.append({**scored.as_row(), "sha256": items_digest(items), "reliability": figures})
    describe = getattr(aligner, "describe", None)
    backends = {
        "claims": settings.extractor,
        "align": (
            f"{settings.aligner} ({describe()})"
            if aligned and callable(describe)
            else "every claim pair"
        ),
        "verify": describe_verifier(settings, verifier),
    }
    return {"backends": backends, "sets": rows}


def run_eval(
    paths: Sequence[Path],
    *,
    as_json: bool = False,
    limit: int | None = None,
    settings: Settings | None = None,
    aligned: bool = False,
    reliability: bool = True,
) -> str:
    """Score every JSON-lines file in ``paths`` and render the table (or JSON)."""
    scores = score_sets(paths, settings, aligned=aligned, limit=limit, reliability=reliability)
    if as_json:
        return json.dumps(scores, indent=2) + "\n"
    return render(scores)


def render(scores: dict[str, Any]) -> str:
    """The scores as a text table per set, with its confusion matrix."""
    lines = [f"{stage}: {name}" for stage, name in scores["backends"].items()]
    for row in scores["sets"]:
        lines += [
            "",
            f"{row['set']}: {row['items']} items, decided {_fmt(row['decided'])}, "
            f"{row['pairs']} pairs, {_fmt(row['pairs_per_s'], 1)} pairs/s, "
            f"{_fmt(row['items_per_s'], 1)} items/s",
            f"  {'label':14} {'P':>6} {'R':>6} {'F1':>6} {'cover':>6}  given/correct/gold",
        ]
        for label in LABELS:
            m = row[label.value]
            lines.append(
                f"  {label.value:14} {_fmt(m['precision']):>6} {_fmt(m['recall']):>6} "
                f"{_fmt(m['f1']):>6} {_fmt(m['coverage']):>6}  "
                f"{m['given']}/{m['correct']}/{m['gold']}"
            )
        short = {Label.SUPPORTS: "sup", Label.CONTRADICTS: "con", Label.NOT_MENTIONED: "nm"}
        lines.append("  gold \\ given   " + " ".join(f"{short[x]:>6}" for x in LABELS))
        for gold in LABELS:
            counts = row["confusion"][gold.value]
            lines.append(f"  {gold.value:14} " + " ".join(f"{counts[x.value]:>6}" for x in LABELS))
        if row.get("contradicts_any_conflict"):
            m = row["contradicts_any_conflict"]
            lines.append(
                f"  contradicts on any value (question not used): P {_fmt(m['precision'])} "
                f"R {_fmt(m['recall'])}  {m['given']}/{m['correct']}/{m['gold']}"
            )
        if row.get("reliability"):
            lines += _render_reliability(row["reliability"])
    return "\n".join(lines) + "\n"


def _render_reliability(figures: dict[str, Any]) -> list[str]:
    skipped = figures["skipped"]
    note = f", {skipped} skipped (a document could not be read)" if skipped else ""
    return [
        f"  reliability: {figures['items']} questions with misinformation and 2+ documents{note}",
        f"    least reliable is misinfo {_fmt(figures['least_reliable_is_misinfo']):>6}  "
        f"({figures['least_reliable_is_misinfo_items']} of {figures['items']}; "
        f"{figures['tied_lowest_items']} tied for lowest)",
        f"    … counting ties           {_fmt(figures['counting_ties']):>6}",
        f"    random ranking            {_fmt(figures['random_ranking']):>6}",
        *_render_ceiling(figures.get("agreement_ceiling")),
    ]


def _render_ceiling(ceiling: dict[str, float | None] | None) -> list[str]:
    if not ceiling:
        return []
    return [
        f"    agreement of gold answers {_fmt(ceiling['noise_set_aside']):>6}  (noise set aside; "
        f"{_fmt(ceiling['noise_unsupported'])} with noise unsupported)",
    ]


def _fmt(value: object, digits: int = 3) -> str:
    return f"{value:.{digits}f}" if isinstance(value, float) else "-"
