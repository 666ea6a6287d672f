"""Corpora: documents kept in a store, grouped by subject, checked only where they are new.

``add_sources`` ingests and extracts each source and stores it in its own transaction, so a
killed run keeps every document it finished and a rerun skips them (documents are keyed by
the hash of their text). ``check_store`` aligns and verifies only the document pairs of a
subject not yet verified — a new document against each stored one of its subject — and
builds the same ``Report`` a plain check of those documents gives, from the store.
"""

from __future__ import annotations

import logging
import time
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from accord.claims.subject import unify_subjects, with_shared_names
from accord.errors import UnknownSubjectError
from accord.model import Claim, Document, Failure, Report, RunInfo
from accord.pipeline import (
    ProgressCallback,
    Settings,
    describe_components,
    describe_run,
    informative,
    make_stages,
)
from accord.store import Store, SubjectRow
from accord.subjects import SubjectName, subject_for, subject_key, subject_name
from accord.verify.base import bind_documents, describe_verifier, mark_possible
from accord.version import __version__

if TYPE_CHECKING:
    from accord.claims.base import ClaimExtractor
    from accord.per_document import Failures
    from accord.scale.bounded import BoundedPool
    from accord.sources import Source

logger = logging.getLogger(__name__)
T = TypeVar("T")

__all__ = [
    "AddResult",
    "AddedDocument",
    "CheckResult",
    "add_sources",
    "check_store",
    "resolve_subject",
    "stored_report",
]


@dataclass(frozen=True, slots=True, kw_only=True)
class AddedDocument:
    """One source ``accord add`` read: where it went and whether it was new."""

    doc_id: str
    source: str
    subject: str
    claims: int
    new: bool


@dataclass(frozen=True, slots=True, kw_only=True)
class AddResult:
    """What ``add_sources`` did: each document read, and the sources that failed."""

    documents: tuple[AddedDocument, ...]
    failures: tuple[Failure, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class CheckResult:
    """What ``check_store`` did for one subject, and the report it built."""

    subject: str
    report: Report
    pairs_verified: int
    document_pairs_aligned: int
    stats: dict[str, Any] = field(default_factory=dict)


def _noop(stage: str, done: int, total: int) -> None:
    return None


def add_sources(
    store: Store,
    sources: Sequence[str | Path | Source],
    settings: Settings,
    *,
    subject: str | None = None,
    together: bool = False,
    on_progress: ProgressCallback | None = None,
    labels: Mapping[str, str] | None = None,
) -> AddResult:
    """Ingest ``sources``, extract their claims and store each document with its subject.

    A document whose text is stored already is not extracted again (``new=False``) and
    stays under the subject it was filed under.

    Args:
        store: where to keep them.
        sources: file or directory paths (or texts with ``settings.sources_are_text``).
        settings: the run's settings (extractor, limits, encoding).
        subject: put every document under this subject instead of the one it names; it is
            also the subject's name in every document, as in ``accord check --subject``.
        together: put every document under one subject, named by what the documents share
            (``accord.subjects.subject_name``), as one check of them is about one subject;
            otherwise, without ``subject``, each document goes under the one it names.
        on_progress: optional callback for progress events.
        labels: the name to record as a document's source instead of its path (keyed by
            the path as read), for files written under generated names (the web app).

    Raises:
        AccordError: every source failed (the first one's error).
    """
    from accord.scale.bounded import BoundedPool

    # the worker processes that read each document and extract its claims under its limits,
    # shared by every source (each loads the English model once)
    with BoundedPool(settings.max_memory_per_document) as workers:
        return _add(store, sources, settings, subject, together, on_progress, labels, workers)


def _add(
    store: Store,
    sources: Sequence[str | Path | Source],
    settings: Settings,
    subject: str | None,
    together: bool,
    on_progress: ProgressCallback | None,
    labels: Mapping[str, str] | None,
    workers: BoundedPool,
) -> AddResult:
    from accord.per_document import Failures

    progress = on_progress or _noop
    given = subject.strip() if subject and subject.strip() else None
    run_id = store.start_run("add", subject_key(given) if given else None)
    failures = Failures()
    items = _expand(sources, settings, failures)
    extractor = None
    added: list[AddedDocument] = []

    def _store(document: Document, named: Document, spent: float, name: SubjectName) -> None:
        nonlocal extractor
        stored = store.subject_of(document.id)
        if stored is not None:  # it stays where it was filed
            added.append(_added(document, stored.name, 0, new=False))
            return
        extractor = extractor or make_stages(settings)[0]
        for _, claims in _guarded(
            failures, _extract_one, extractor, named, spent, settings, workers
        ):
            new = store.add_document(
                document,  # as its source gives it: ``named`` is for extraction only
                subject_key=name.key,
                subject_name=name.name,
                claims=claims,
                extractor=settings.extractor,
                run_id=run_id,
            )
            added.append(_added(document, name.name, len(claims), new=new))

    if together or given:
        # Every document is read first: the subject's name comes from all of them, and
        # each is extracted knowing the names the others use for it (as ``pipeline.run``).
        read = [
            (_labelled(document, labels), spent)
            for item in items
            for document, spent in _guarded(failures, _read_one, item, settings, workers)
        ]
        documents = [document for document, _ in read]
        name = subject_name(documents, given)
        one = SubjectName(key=subject_key(name), name=name)
        named = with_shared_names(documents, given)
        for done, ((document, spent), copy) in enumerate(zip(read, named, strict=True), 1):
            _store(document, copy, spent, one)
            progress("add", done, len(read))
    else:
        # One source at a time, read to stored, so a killed run keeps all it finished.
        for done, item in enumerate(items, start=1):
            for read_one, spent in _guarded(failures, _read_one, item, settings, workers):
                document = _labelled(read_one, labels)
                _store(document, document, spent, subject_for(document))
            progress("add", done, len(items))
    if not added:
        failures.raise_first()
    stats = {
        "read": len(added),
        "added": sum(1 for a in added if a.new),
        "already_stored": sum(1 for a in added if not a.new),
        "failed": len(failures.items),
    }
    store.finish_run(run_id, stats)
    logger.info("added %(added)d documents, %(already_stored)d already stored", stats)
    return AddResult(documents=tuple(added), failures=tuple(failures.items))


def _labelled(document: Document, labels: Mapping[str, str] | None) -> Document:
    """``document`` with the source name ``labels`` gives its path, if any."""
    label = (labels or {}).get(document.source)
    return replace(document, source=label) if label else document


def _expand(
    sources: Sequence[str | Path | Source], settings: Settings, failures: Failures
) -> list[Any]:
    """The sources one by one: each file of the given paths, or each text."""
    from accord.errors import TooManyDocumentsError
    from accord.per_document import expand_sources

    if settings.sources_are_text:
        return list(sources)
    items: list[Any] = list(expand_sources(sources, failures))
    if len(items) > settings.max_documents:
        raise TooManyDocumentsError(
            f"{len(items):,} documents given, over the limit of {settings.max_documents:,} "
            "per run; add fewer at a time or raise the limit"
        )
    return items


def _read_one(
    item: Any, settings: Settings, workers: BoundedPool, failures: Failures
) -> list[tuple[Document, float]]:
    from accord.per_document import read_each

    return read_each([item], settings, failures, workers=workers)


def _extract_one(
    extractor: ClaimExtractor,
    document: Document,
    spent: float,
    settings: Settings,
    workers: BoundedPool,
    failures: Failures,
) -> list[tuple[Document, list[Claim]]]:
    from accord.per_document import extract_each

    kept, claims = extract_each(extractor, [(document, spent)], settings, failures, workers=workers)
    return [(doc, claims) for doc in kept]


def _guarded(failures: Failures, step: Callable[..., list[T]], *args: Any) -> list[T]:
    """Run one source's step; a failure is recorded and gives nothing, the others go on."""
    from accord.per_document import Failures

    local = Failures()
    try:
        return step(*args, local)
    except Exception:  # the step recorded it in ``local`` before raising
        return []
    finally:
        failures.items.extend(local.items)
        failures.first = failures.first or local.first


def _added(document: Document, subject: str, claims: int, *, new: bool) -> AddedDocument:
    return AddedDocument(
        doc_id=document.id, source=document.source, subject=subject, claims=claims, new=new
    )


def resolve_subject(store: Store, subject: str | None) -> list[SubjectRow]:
    """The subjects a command works on: the one named, or all of them.

    Raises:
        UnknownSubjectError: the named subject is not in the store (the message lists them).
    """
    rows = store.subjects()
    if subject is None:
        if not rows:
            raise UnknownSubjectError("the store holds no documents; add some with accord add")
        return rows
    row = store.find_subject(subject)
    if row is None:
        listed = ", ".join(repr(r.name) for r in rows) or "none"
        raise UnknownSubjectError(f"no subject {subject!r} in the store; subjects: {listed}")
    return [row]


def check_store(
    store: Store,
    settings: Settings,
    subject: SubjectRow,
    *,
    on_progress: ProgressCallback | None = None,
) -> CheckResult:
    """Align and verify what is new in one subject, then report on the whole subject.

    Each pair of the subject's documents not aligned before is aligned on its own (left:
    the document added first) and its new pairs verified and stored in one transaction; the
    aligner's candidates between two documents depend only on those two (true of
    ``accord.bm25.v1``), so this finds what a check of all the documents at once finds.

    Args:
        store: the corpus.
        settings: aligner, verifier and priors to use.
        subject: the subject to check (from :func:`resolve_subject`).
        on_progress: optional callback for progress events.
    """
    from accord.verify.judges import reach_judge

    settings = reach_judge(settings)
    progress = on_progress or _noop
    timings: dict[str, float] = {}
    run_id = store.start_run("check", subject.key)
    started = time.perf_counter()
    documents = store.documents(subject.key)
    ids = [doc.id for doc in documents]
    claims = unify_subjects(store.claims(ids), documents)
    by_doc: dict[str, list[Claim]] = defaultdict(list)
    for claim in claims:
        by_doc[claim.doc_id].append(claim)
    done = store.aligned(ids)
    todo = [(a, b) for i, a in enumerate(ids) for b in ids[i + 1 :] if (a, b) not in done]
    verified = store.verified_pairs(ids) if todo else set()
    timings["load"] = time.perf_counter() - started

    _, aligner, verifier = make_stages(settings)
    # the LLM judge checks its quotes against them; slot comparison reads their names
    bind_documents(verifier, with_shared_names(documents))
    align_s = verify_s = store_s = 0.0
    new_verdicts = 0
    for step, (left, right) in enumerate(todo, start=1):
        started = time.perf_counter()
        pairs = aligner.align([*by_doc[left], *by_doc[right]])
        pairs = [p for p in pairs if (p.left.id, p.right.id) not in verified]
        align_s += time.perf_counter() - started
        started = time.perf_counter()
        verdicts = (
            informative(mark_possible(verifier.verify(pairs), settings.min_confidence))
            if pairs
            else []
        )
        verify_s += time.perf_counter() - started
        started = time.perf_counter()
        new_verdicts += store.save_alignment(left, right, verdicts, run_id)
        store_s += time.perf_counter() - started
        progress("verify", step, len(todo))
    timings.update(align=align_s, verify=verify_s, store=store_s)

    started = time.perf_counter()
    report = stored_report(store, settings, subject, documents=documents, claims=claims)
    timings["report"] = time.perf_counter() - started  # load verdicts, reconcile
    backends = {
        **report.run.backends,
        "claims": settings.extractor,
        "align": f"{settings.aligner} ({aligner.describe()})",
        "verify": describe_verifier(settings, verifier),
    }
    report = replace(report, run=replace(report.run, backends=backends, timings_s=timings))
    stats = {
        "documents": len(documents),
        "document_pairs_aligned": len(todo),
        "pairs_verified": new_verdicts,
        "verdicts_total": len(report.verdicts),
    }
    store.finish_run(run_id, stats)
    logger.info(
        "subject %s: aligned %d new document pairs, verified %d new claim pairs",
        subject.name,
        len(todo),
        new_verdicts,
    )
    return CheckResult(
        subject=subject.name,
        report=report,
        pairs_verified=new_verdicts,
        document_pairs_aligned=len(todo),
        stats=stats,
    )


def stored_report(
    store: Store,
    settings: Settings,
    subject: SubjectRow,
    *,
    documents: Sequence[Document] | None = None,
    claims: Sequence[Claim] | None = None,
) -> Report:
    """The report of one subject from what the store holds, with no new work."""
    from accord.language import with_languages
    from accord.reconcile import reconcile

    documents = list(documents) if documents is not None else store.documents(subject.key)
    ids = [doc.id for doc in documents]
    claims = list(claims) if claims is not None else store.claims(ids)
    # Verdicts stored by an older accord, or under a lower threshold, are marked here as a
    # check of the same documents would mark them now.
    verdicts = informative(mark_possible(store.verdicts(ids), settings.min_confidence))
    record = reconcile(documents, claims, verdicts, priors=settings.priors, subject=subject.name)
    documents, warnings, unchecked = with_languages(documents)
    backends, skipped = describe_run(
        documents,
        settings,
        claims=settings.extractor,
        align=settings.aligner,
        verify=settings.verifier,
        store=store.name,
    )
    info = RunInfo(
        version=__version__,
        backends=backends,
        components=describe_components(settings),
        settings=settings.to_dict(),
        skipped=(*skipped, *unchecked),
        min_confidence=settings.min_confidence,
        warnings=warnings,
    )
    return Report(
        documents=tuple(documents),
        claims=tuple(claims),
        verdicts=tuple(verdicts),
        record=record,
        run=info,
    )
