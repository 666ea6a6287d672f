"""The two stages ``accord batch`` runs in its workers, the same on every engine.

``DocumentStage``: a passage in, its ``Document``, subject and claims out (ingest and claims
under the per-document time limit; a document already stored is recognised after ingest and
not extracted again). ``SubjectStage``: a subject's documents and claims in, its new verdicts
out, document pair by document pair, exactly as ``accord check --store`` aligns and verifies
a stored subject (``accord.corpus.check_store``). Both are picklable and cheap to build;
models load in ``warm_up``, once per worker process. Neither raises for one input: a failure
is an output.
"""

from __future__ import annotations

import logging
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
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
        """Load the extractor's models (once per worker process)."""
        warm_up = getattr(self.extractor, "warm_up", None)
        if callable(warm_up):
            warm_up()

    def run(self, batch: Sequence[Passage]) -> list[DocumentOutcome]:
        """One outcome per passage, in order."""
        return [self._one(passage) for passage in batch]

    def _one(self, passage: Passage) -> DocumentOutcome:
        settings = self.settings
        limit = settings.max_seconds_per_document
        started = time.monotonic()
        try:
            with time_limit(limit, passage.source):
                document = read_passage(
                    passage,
                    encoding=settings.encoding,
                    max_bytes=settings.max_bytes,
                    max_html_depth=settings.max_html_depth,
                )
            name = subject_for(document, self.subject or passage.subject)
            if document.id in self.known:
                return DocumentOutcome(
                    source=document.source,
                    doc_id=document.id,
                    subject_key=name.key,
                    subject_name=name.name,
                    known=True,
                )
            spent = time.monotonic() - started
            with time_limit(limit, document.source, spent_s=spent):
                claims = self.extractor.extract([document])
        except Exception as exc:  # one document's failure is an outcome; the batch goes on
            return DocumentOutcome(source=passage.source, failure=to_failure(passage.source, exc))
        return DocumentOutcome(
            source=document.source,
            doc_id=document.id,
            subject_key=name.key,
            subject_name=name.name,
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
