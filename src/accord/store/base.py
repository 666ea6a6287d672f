"""The store's interface: what a corpus backend keeps and gives back.

A store holds documents (content-addressed by ``Document.id``) grouped by subject, their
claims, the pairs aligned between them with their verdicts, which document pairs have been
aligned, a log of runs, and the web app's runs (so that every server process sees them).
Every write method is one transaction: after a crash the store
holds all of it or none of it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar, Protocol

from accord.model import Claim, Document, Verdict

__all__ = ["RunRow", "Store", "SubjectRow", "WebRunRow"]


@dataclass(frozen=True, slots=True, kw_only=True)
class SubjectRow:
    """A subject in the store with how many documents it holds."""

    key: str
    name: str
    documents: int


@dataclass(frozen=True, slots=True, kw_only=True)
class RunRow:
    """One logged run: the command, its subject, its times and what it did."""

    id: int
    command: str
    subject: str | None
    started_at: float
    finished_at: float | None
    stats: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True, kw_only=True)
class WebRunRow:
    """One run of the web app (``accord serve``), as every server process reads it.

    ``state`` holds what the app shows of the run (documents, stage, error, subjects…) as
    JSON-able data; ``report`` the finished report as ``accord.store.codec`` encodes it, or
    ``None`` (not finished, failed, or left out of a listing).
    """

    id: str
    status: str
    created_at: float
    updated_at: float
    state: dict[str, Any] = field(default_factory=dict)
    report: dict[str, Any] | None = None


class Store(Protocol):
    """A persistent corpus. Backends: ``accord.store.sqlite.SQLiteStore`` and
    ``accord.store.postgres.PostgresStore`` (``accord.store.open_store`` picks one)."""

    name: ClassVar[str]
    """The backend's name, as a report's run names it (``accord.sqlite.v1``)."""

    def close(self) -> None:
        """Release the connection."""
        ...

    def has_document(self, doc_id: str) -> bool:
        """Whether a document with this id is stored."""
        ...

    def document_ids(self) -> set[str]:
        """The ids of every stored document (to skip work already done, without the texts)."""
        ...

    def add_document(
        self,
        document: Document,
        *,
        subject_key: str,
        subject_name: str,
        claims: Sequence[Claim],
        extractor: str,
        run_id: int | None = None,
    ) -> bool:
        """Store a document, its subject and its claims in one transaction.

        Returns:
            ``True`` when stored, ``False`` when a document with the same id was there
            already (nothing changes then).
        """
        ...

    def subjects(self) -> list[SubjectRow]:
        """Every subject with its document count, by key."""
        ...

    def find_subject(self, name: str) -> SubjectRow | None:
        """The subject whose key or display name matches ``name``, if any."""
        ...

    def subject_of(self, doc_id: str) -> SubjectRow | None:
        """The subject a stored document is filed under, or ``None`` when it is not stored."""
        ...

    def documents(self, subject_key: str | None = None) -> list[Document]:
        """Stored documents (of one subject when given), in the order they were added."""
        ...

    def claims(self, doc_ids: Sequence[str]) -> list[Claim]:
        """The claims of these documents, in document order then text order."""
        ...

    def aligned(self, doc_ids: Sequence[str]) -> set[tuple[str, str]]:
        """The (left, right) document pairs among ``doc_ids`` already aligned and verified."""
        ...

    def verified_pairs(self, doc_ids: Sequence[str]) -> set[tuple[str, str]]:
        """The (left, right) claim-id pairs with a verdict, among these documents' claims."""
        ...

    def save_alignment(
        self,
        left_doc: str,
        right_doc: str,
        verdicts: Sequence[Verdict],
        run_id: int | None = None,
    ) -> int:
        """Store the verdicts (with their pairs) of two documents and mark them aligned, in
        one transaction. Verdicts on pairs already stored are ignored.

        Returns:
            How many verdicts were new.
        """
        ...

    def verdicts(self, doc_ids: Sequence[str]) -> list[Verdict]:
        """Verdicts whose two claims are both in these documents, with their claims."""
        ...

    def start_run(self, command: str, subject: str | None = None) -> int:
        """Log the start of a run; return its id."""
        ...

    def finish_run(self, run_id: int, stats: dict[str, Any]) -> None:
        """Log the end of a run with what it did."""
        ...

    def runs(self) -> list[RunRow]:
        """Every logged run, oldest first."""
        ...

    def save_web_run(self, row: WebRunRow) -> None:
        """Store a web run's latest state (and report), replacing what its id held, in one
        transaction."""
        ...

    def web_run(self, run_id: str) -> WebRunRow | None:
        """The web run with this id, with its report, or ``None``."""
        ...

    def web_runs(self, limit: int) -> list[WebRunRow]:
        """The ``limit`` newest web runs, newest first, without their reports."""
        ...
