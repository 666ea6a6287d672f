"""Contract suites every implementation of an interface must pass.

A backend's tests inherit the suite and say how to make one::

    class TestSQLiteStore(StoreContract):
        def make_store(self, path: Path) -> Store:
            return SQLiteStore(path / "corpus.db")
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

from accord.model import (
    SUBJECT_KEY,
    Claim,
    DateValue,
    DocKind,
    Document,
    EntityKind,
    EntityRef,
    Label,
    Pair,
    Precision,
    Quantity,
    Removed,
    Section,
    Slot,
    Span,
    TextValue,
    Value,
    Verdict,
    content_id,
)
from accord.store.base import Store, WebRunRow

__all__ = [
    "StoreContract",
    "sample_claims",
    "sample_document",
    "sample_possible_conflict",
    "sample_verdicts",
]


def sample_document(text: str, *, title: str = "Treaty of Valdoria") -> Document:
    """A document with sections, removed spans and aliases, for round trips."""
    return Document(
        id=content_id(text),
        source=f"reports/{content_id(text)}.txt",
        title=title,
        kind=DocKind.NEWS,
        format="text",
        text=text,
        sections=(
            Section(title=title, level=1, start=0, end=len(title), kind="title", heading_end=9),
            Section(title="", level=0, start=len(title) + 1, end=len(text)),
        ),
        removed=(
            Removed(text="Subscribe now", reason="advertisement", at=3),
            Removed(text="Share this", reason="navigation", at=0),
        ),
        encoding="cp1252",
        aliases=("Valdoria treaty", "Tratado de Valdoria"),
        source_id=f"valdoria-{content_id(text)[:4]}",
        url="https://example.org/valdoria",
        published="1852-03-01",
        metadata=(("desk", "history"), ("lang", "en")),
        kind_origin="declared",
    )


def sample_claims(document: Document) -> list[Claim]:
    """Two claims of ``document`` whose slots hold every value type."""
    span = Span(doc_id=document.id, start=0, end=min(10, len(document.text)))
    inferred = Span(doc_id=document.id, start=1, end=2)
    values: list[Value] = [
        DateValue(year=1852, month=5, day=3, precision=Precision.DAY, inferred_from=inferred),
        DateValue(year=1850, precision=Precision.DECADE, year_end=1859, approximate=True),
        Quantity(amount=Decimal("3.50"), unit="km", approximate=True),
        EntityRef(name="Castelmar", kind=EntityKind.PLACE, kb_id="Q1", part_of=("Valdoria",)),
        TextValue(text="border war — ended"),
    ]
    slots = tuple(
        Slot(
            role=f"role{i}",
            value=value,
            event="sign",
            surface=f"surface {i}",
            span=span,
            about=SUBJECT_KEY if i % 2 == 0 else None,
            negated=i == 3,
        )
        for i, value in enumerate(values)
    )
    return [
        Claim(
            id=content_id(document.id, 0, "first"),
            doc_id=document.id,
            span=span,
            text="first claim",
            subject="Treaty of Valdoria",
            predicate="sign",
            slots=slots,
            terms=("treaty", "sign"),
            extractor="test.v1",
        ),
        Claim(
            id=content_id(document.id, 1, "second"),
            doc_id=document.id,
            span=span,
            text="second claim",
            subject=None,
            predicate="state",
            negated=True,
            hedged=True,
            section="Terms",
            kind="infobox",
            extractor="test.v1",
        ),
    ]


def sample_verdicts(left: Sequence[Claim], right: Sequence[Claim]) -> list[Verdict]:
    """A verdict of each label between claims of two documents."""
    labels = [Label.CONTRADICTS, Label.SUPPORTS]
    return [
        Verdict(
            pair=Pair(left=a, right=b, score=1.5, retriever="bm25+slots"),
            label=label,
            confidence=0.9,
            method="slots:date",
            reason="signed on 1852-05-03 vs 1849-06-09",
            evidence=(a.span, b.span),
            field="signed on" if label is Label.CONTRADICTS else None,
        )
        for a, b, label in zip(left, right, labels, strict=False)
    ]


def sample_possible_conflict(left: Claim, right: Claim) -> Verdict:
    """A possible conflict between two claims: a clash under the contradiction threshold,
    labelled NOT_MENTIONED with the clash's confidence, as a run marks it."""
    return Verdict(
        pair=Pair(left=left, right=right, score=0.75, retriever="bm25+slots"),
        label=Label.NOT_MENTIONED,
        confidence=0.55,
        method="slots:place",
        reason="signed at Castelmar vs Valdor (confidence 0.55, under the contradiction "
        "threshold 0.7: a possible conflict)",
        evidence=(left.span, right.span),
        field="signed at",
        possible_conflict=True,
    )


class StoreContract:
    """The behaviour every ``Store`` backend must have. Subclasses define ``make_store``."""

    def make_store(self, path: Path) -> Store:
        """Open (creating when missing) the store that lives under directory ``path``."""
        raise NotImplementedError

    def setup_method(self) -> None:
        """Start the test with no store open."""
        self._opened: list[Store] = []

    def teardown_method(self) -> None:
        """Close every store the test opened (closing one twice does nothing): a backend
        may warn of a connection left open."""
        for store in self._opened:
            store.close()

    def _open(self, path: Path) -> Store:
        """``make_store``, closed again after the test."""
        store = self.make_store(path)
        self._opened.append(store)
        return store

    def _filled(self, path: Path) -> tuple[Store, list[Document], list[list[Claim]]]:
        store = self._open(path)
        docs = [sample_document("Treaty of Valdoria\nsigned 1852."), sample_document("Other.")]
        claims = [sample_claims(doc) for doc in docs]
        for doc, doc_claims in zip(docs, claims, strict=True):
            store.add_document(
                doc,
                subject_key="treaty of valdoria",
                subject_name="Treaty of Valdoria",
                claims=doc_claims,
                extractor="test.v1",
            )
        return store, docs, claims

    def test_store_round_trips_documents_exactly(self, tmp_path: Path) -> None:
        store, docs, _ = self._filled(tmp_path)
        assert store.documents() == docs
        assert store.documents("treaty of valdoria") == docs
        assert store.documents("no such subject") == []
        assert all(store.has_document(doc.id) for doc in docs)
        assert store.document_ids() == {doc.id for doc in docs}

    def test_store_round_trips_claims_in_order(self, tmp_path: Path) -> None:
        store, docs, claims = self._filled(tmp_path)
        assert store.claims([d.id for d in docs]) == claims[0] + claims[1]
        assert store.claims([docs[1].id, docs[0].id]) == claims[1] + claims[0]

    def test_store_adding_a_document_twice_is_a_no_op(self, tmp_path: Path) -> None:
        store, docs, claims = self._filled(tmp_path)
        again = store.add_document(
            docs[0],
            subject_key="elsewhere",
            subject_name="Elsewhere",
            claims=claims[0],
            extractor="test.v1",
        )
        assert again is False
        assert [(s.key, s.documents) for s in store.subjects()] == [("treaty of valdoria", 2)]
        assert len(store.claims([docs[0].id])) == len(claims[0])

    def test_store_finds_subjects_by_key_or_name(self, tmp_path: Path) -> None:
        store, _, _ = self._filled(tmp_path)
        for name in ("treaty of valdoria", "Treaty of Valdoria", " TREATY OF VALDORIA "):
            found = store.find_subject(name)
            assert found is not None and found.documents == 2
        assert store.find_subject("Treaty of Paris") is None

    def test_store_says_which_subject_a_document_is_filed_under(self, tmp_path: Path) -> None:
        store, docs, _ = self._filled(tmp_path)
        found = store.subject_of(docs[0].id)
        assert found is not None and found.key == "treaty of valdoria"
        assert store.subject_of("0" * 16) is None

    def test_store_round_trips_verdicts_and_skips_known_pairs(self, tmp_path: Path) -> None:
        store, docs, claims = self._filled(tmp_path)
        ids = [d.id for d in docs]
        verdicts = sample_verdicts(claims[0], claims[1])
        assert store.aligned(ids) == set()
        assert store.save_alignment(ids[0], ids[1], verdicts) == len(verdicts)
        assert store.verdicts(ids) == verdicts
        assert store.aligned(ids) == {(ids[0], ids[1])}
        assert store.verified_pairs(ids) == {(v.pair.left.id, v.pair.right.id) for v in verdicts}
        assert store.save_alignment(ids[0], ids[1], verdicts) == 0
        assert store.verdicts(ids) == verdicts
        assert store.verdicts(ids[:1]) == []

    def test_store_round_trips_possible_conflicts(self, tmp_path: Path) -> None:
        store, docs, claims = self._filled(tmp_path)
        ids = [d.id for d in docs]
        possible = sample_possible_conflict(claims[0][1], claims[1][1])
        verdicts = [*sample_verdicts(claims[0][:1], claims[1][:1]), possible]
        assert store.save_alignment(ids[0], ids[1], verdicts) == 2
        store.close()
        reopened = self._open(tmp_path)
        back = reopened.verdicts(ids)
        reopened.close()
        assert back == verdicts
        assert [(v.label, v.possible_conflict) for v in back] == [
            (Label.CONTRADICTS, False),
            (Label.NOT_MENTIONED, True),
        ]
        assert back[1].confidence == 0.55

    def test_store_logs_runs(self, tmp_path: Path) -> None:
        store = self._open(tmp_path)
        run_id = store.start_run("add", "treaty of valdoria")
        store.finish_run(run_id, {"added": 2})
        (run,) = store.runs()
        assert (run.id, run.command, run.subject, run.stats) == (
            run_id,
            "add",
            "treaty of valdoria",
            {"added": 2},
        )
        assert run.finished_at is not None and run.finished_at >= run.started_at

    def test_store_keeps_everything_after_reopening(self, tmp_path: Path) -> None:
        store, docs, claims = self._filled(tmp_path)
        ids = [d.id for d in docs]
        verdicts = sample_verdicts(claims[0], claims[1])
        store.save_alignment(ids[0], ids[1], verdicts)
        store.close()
        reopened = self._open(tmp_path)
        assert reopened.documents() == docs
        assert reopened.verdicts(ids) == verdicts
        reopened.close()

    def test_store_marks_documents_aligned_without_verdicts(self, tmp_path: Path) -> None:
        store, docs, _ = self._filled(tmp_path)
        ids = [d.id for d in docs]
        assert store.save_alignment(ids[1], ids[0], []) == 0
        assert store.aligned(ids) == {(ids[1], ids[0])}
        assert store.verdicts(ids) == []

    def test_store_keeps_web_runs_for_every_process(self, tmp_path: Path) -> None:
        store = self._open(tmp_path)
        queued = WebRunRow(
            id="0123456789abcdef",
            status="queued",
            created_at=100.0,
            updated_at=100.0,
            state={"names": ["a.txt", "b.txt"], "stages_done": []},
        )
        store.save_web_run(queued)
        later = WebRunRow(
            id="fedcba9876543210", status="queued", created_at=200.0, updated_at=200.0
        )
        store.save_web_run(later)
        done = WebRunRow(
            id=queued.id,
            status="done",
            created_at=100.0,
            updated_at=150.5,
            state={"names": ["a.txt", "b.txt"], "stages_done": ["ingest", "claims"]},
            report={"$type": "Report", "documents": []},
        )
        store.save_web_run(done)
        store.close()
        other = self._open(tmp_path)  # as another server process would read it
        assert other.web_run(queued.id) == done
        assert other.web_run("0" * 16) is None
        listed = other.web_runs(10)
        assert [row.id for row in listed] == [later.id, queued.id]
        assert listed[1].report is None and listed[1].state == done.state
        assert [row.id for row in other.web_runs(1)] == [later.id]
