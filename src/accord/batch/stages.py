"""The two stages ``accord batch`` runs in its workers, the same on every engine.

``DocumentStage``: a passage in, its ``Document``, subject and claims out (ingest and claims
under the per-document limits, in a worker process killed at them for a passage over 16 KiB;
a document already stored is recognised after ingest and not extracted again).
``SubjectStage``: a subject's documents and claims in, its new verdicts out, document pair by
document pair, exactly as ``accord check --store`` aligns and verifies a stored subject
(``accord.corpus.check_store``). Both are picklable and cheap to build; models load once per
worker process. Neither raises for one input: a failure is an output.
"""

from __future__ import annotations

import atexit
import logging
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from accord.claims.subject import unify_subjects, with_shared_names
from accord.ingest.passages import Passage, read_passage, to_failure
from accord.limits import time_limit
from accord.model import Claim, Document, Failure, Verdict
from accord.pipeline import informative
from accord.subjects import subject_for
from accord.verify.base import MIN_CONFIDENCE, bind_documents, mark_possible

if TYPE_CHECKING:
    from accord.align.base import Aligner
    from accord.claims.base import ClaimExtractor
    from accord.scale.bounded import BoundedPool
    from accord.settings import Settings
    from accord.verify.base import Verifier

logger = logging.getLogger(__name__)

__all__ = [
    "Alignment",
    "DocumentOutcome",
    "DocumentStage",
    "SubjectOutcome",
    "SubjectStage",
    "SubjectWork",
    "close_workers",
    "runs_bounded",
]


@dataclass(frozen=True, slots=True, kw_only=True)
class DocumentOutcome:
    """What the document stage made of one passage.

    ``document`` and ``claims`` are set for a new document; ``known`` marks one already
    stored (identified by its id after ingest, nothing extracted); ``failure`` one that could
    not be read or extracted.
    """

    source: str
    doc_id: str = ""
    subject_key: str = ""
    subject_name: str = ""
    document: Document | None = None
    claims: tuple[Claim, ...] = ()
    known: bool = False
    failure: Failure | None = None


@dataclass(frozen=True, slots=True)
class DocumentStage:
    """Ingest a passage, find its subject and extract its claims.

    A passage over ``accord.per_document.IN_PROCESS_MAX_BYTES`` (16 KiB) is read and
    extracted in a worker process of this process's ``BoundedPool``, killed at the
    per-document time limit and limited to the memory limit, as ``accord check`` does with
    such a document; a smaller one runs here, with the deadline checked between steps.

    Attributes:
        extractor: the claim extractor (its models load in ``warm_up``).
        settings: limits and encoding.
        subject: file every document under this subject (``--subject``); else a passage's
            own ``subject`` field, else the subject the document names.
        known: ids of documents already stored, whose claims are not extracted again.
    """

    extractor: ClaimExtractor
    settings: Settings
    subject: str | None = None
    known: frozenset[str] = frozenset()

    def warm_up(self) -> None:
        """Nothing to do yet: the extractor's models load with the first passage that runs
        in this process (a worker process loads its own), outside any deadline."""

    def run(self, batch: Sequence[Passage]) -> list[DocumentOutcome]:
        """One outcome per passage, in order."""
        bounded = [i for i, passage in enumerate(batch) if runs_bounded(passage, self.settings)]
        outcomes = dict(zip(bounded, self._run_bounded([batch[i] for i in bounded]), strict=True))
        if len(outcomes) < len(batch):
            self._load_extractor()
        return [outcomes[i] if i in outcomes else self._one(p) for i, p in enumerate(batch)]

    def _load_extractor(self) -> None:
        warm_up = getattr(self.extractor, "warm_up", None)
        if callable(warm_up):
            warm_up()  # loads once: later calls return at once

    def _one(self, passage: Passage) -> DocumentOutcome:
        settings = self.settings
        limit = settings.max_seconds_per_document
        started = time.monotonic()
        try:
            with time_limit(limit, passage.source):
                document = _read(passage, settings)
            name = subject_for(document, self.subject or passage.subject)
            if document.id in self.known:
                return _known(document, name.key, name.name)
            spent = time.monotonic() - started
            with time_limit(limit, document.source, spent_s=spent):
                claims = self.extractor.extract([document])
        except Exception as exc:  # one document's failure is an outcome; the batch goes on
            return _failed(passage, exc)
        return _extracted(document, name.key, name.name, claims)

    def _run_bounded(self, passages: Sequence[Passage]) -> list[DocumentOutcome]:
        """Read ``passages`` and extract their claims in worker processes killed at the
        per-document limits (``accord.per_document`` does the same for ``accord check``)."""
        if not passages:
            return []
        from accord.per_document import extract_in_workers, warm_up_reader
        from accord.scale.bounded import Call

        settings = replace(self.settings, workers=1)  # the executor runs batches in parallel
        pool = _bounded_pool(settings.max_memory_per_document)
        limit = settings.max_seconds_per_document or None
        calls = [
            Call(_read_bounded, (p, settings), p.source, seconds_left=limit, limit_s=limit)
            for p in passages
        ]
        read = pool.run(calls, warm_up=Call(warm_up_reader, (), "the readers"))
        outcomes: dict[int, DocumentOutcome] = {}
        todo: list[tuple[int, Document, float, str, str]] = []
        for index, (passage, outcome) in enumerate(zip(passages, read, strict=True)):
            if outcome.error is not None:
                outcomes[index] = _failed(passage, outcome.error)
                continue
            document, spent = outcome.value
            try:
                name = subject_for(document, self.subject or passage.subject)
            except Exception as exc:
                outcomes[index] = _failed(passage, exc)
                continue
            if document.id in self.known:
                outcomes[index] = _known(document, name.key, name.name)
            else:
                todo.append((index, document, spent, name.key, name.name))
        if todo:
            found = extract_in_workers(
                self.extractor, [(item[1], item[2]) for item in todo], settings, pool
            )
            for (index, document, _, key, title), (claims, error) in zip(todo, found, strict=True):
                if error is not None:
                    outcomes[index] = _failed(passages[index], error)
                else:
                    outcomes[index] = _extracted(document, key, title, claims)
        return [outcomes[index] for index in range(len(passages))]


def runs_bounded(passage: Passage, settings: Settings) -> bool:
    """Whether ``passage`` is read and extracted in a worker process killed at the
    per-document limits: it is over ``IN_PROCESS_MAX_BYTES`` (characters of a text, bytes of
    raw data), a limit is set, and worker processes can start here."""
    from accord.per_document import IN_PROCESS_MAX_BYTES
    from accord.scale.bounded import is_supported

    if not settings.max_seconds_per_document and not settings.max_memory_per_document:
        return False
    size = len(passage.text) if passage.text is not None else len(passage.data or b"")
    return size > IN_PROCESS_MAX_BYTES and is_supported()


# The worker processes of this process (the batch's own, or an engine's worker), by memory
# limit: started with the first large passage, reused for the rest, stopped at exit.
_POOLS: dict[int | None, BoundedPool] = {}


def _bounded_pool(max_memory: int | None) -> BoundedPool:
    from accord.scale.bounded import BoundedPool

    pool = _POOLS.get(max_memory)
    if pool is None:
        pool = _POOLS[max_memory] = BoundedPool(max_memory)
    return pool


def close_workers() -> None:
    """Stop the worker processes this process started for large passages, if any (their
    memory is free for the subjects pass; the next large passage starts new ones)."""
    while _POOLS:
        _, pool = _POOLS.popitem()
        pool.close()


atexit.register(close_workers)  # an engine's worker process exits with its workers stopped


def _read(passage: Passage, settings: Settings) -> Document:
    return read_passage(
        passage,
        encoding=settings.encoding,
        max_bytes=settings.max_bytes,
        max_html_depth=settings.max_html_depth,
    )


def _read_bounded(passage: Passage, settings: Settings) -> tuple[Document, float]:
    """Read one passage in a worker: the document and the seconds its ingest took."""
    started = time.monotonic()
    with time_limit(settings.max_seconds_per_document, passage.source):
        document = _read(passage, settings)
    return document, time.monotonic() - started


def _failed(passage: Passage, exc: BaseException) -> DocumentOutcome:
    return DocumentOutcome(source=passage.source, failure=to_failure(passage.source, exc))


def _known(document: Document, key: str, name: str) -> DocumentOutcome:
    return DocumentOutcome(
        source=document.source, doc_id=document.id, subject_key=key, subject_name=name, known=True
    )


def _extracted(document: Document, key: str, name: str, claims: Sequence[Claim]) -> DocumentOutcome:
    return DocumentOutcome(
        source=document.source,
        doc_id=document.id,
        subject_key=key,
        subject_name=name,
        document=document,
        claims=tuple(claims),
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class SubjectWork:
    """A subject's stored documents and claims, with the document pairs still to align
    (``todo``, left: the document stored first) and the claim pairs already verified."""

    key: str
    name: str
    documents: tuple[Document, ...]
    claims: tuple[Claim, ...]
    todo: tuple[tuple[str, str], ...]
    verified: frozenset[tuple[str, str]] = frozenset()


@dataclass(frozen=True, slots=True, kw_only=True)
class Alignment:
    """The new verdicts between two documents (``save_alignment``'s unit of work)."""

    left: str
    right: str
    verdicts: tuple[Verdict, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class SubjectOutcome:
    """A subject's new alignments, or why it could not be verified."""

    key: str
    alignments: tuple[Alignment, ...] = ()
    failure: Failure | None = None


@dataclass(frozen=True, slots=True)
class SubjectStage:
    """Align and verify the new document pairs of a subject, as ``check_store`` does.

    Each document pair is aligned on its own and only claim pairs not verified before are
    verified; the aligner's candidates between two documents depend only on those two, so
    this finds what ``accord check --store`` finds.
    """

    aligner: Aligner
    verifier: Verifier
    min_confidence: float = MIN_CONFIDENCE

    def warm_up(self) -> None:
        """Load the aligner's and verifier's models, if they have any (once per worker)."""
        for part in (self.aligner, self.verifier):
            warm_up = getattr(part, "warm_up", None)
            if callable(warm_up):
                warm_up()

    def run(self, batch: Sequence[SubjectWork]) -> list[SubjectOutcome]:
        """One outcome per subject, in order."""
        return [self._one(work) for work in batch]

    def _one(self, work: SubjectWork) -> SubjectOutcome:
        by_doc: dict[str, list[Claim]] = defaultdict(list)
        for claim in unify_subjects(work.claims, work.documents):
            by_doc[claim.doc_id].append(claim)
        alignments: list[Alignment] = []
        try:
            # the LLM judge checks quotes; slot comparison reads the documents' names
            bind_documents(self.verifier, with_shared_names(work.documents))
            for left, right in work.todo:
                pairs = self.aligner.align([*by_doc[left], *by_doc[right]])
                pairs = [p for p in pairs if (p.left.id, p.right.id) not in work.verified]
                verdicts = self.verifier.verify(pairs) if pairs else []
                verdicts = informative(mark_possible(verdicts, self.min_confidence))
                alignments.append(Alignment(left=left, right=right, verdicts=tuple(verdicts)))
        except Exception as exc:  # one subject's failure is an outcome; the batch goes on
            return SubjectOutcome(key=work.key, failure=to_failure(f"subject {work.name!r}", exc))
        return SubjectOutcome(key=work.key, alignments=tuple(alignments))
