"""Benchmark: the store's write rate, SQLite against PostgreSQL, in one run.

Writes generated documents (each with its claims, one transaction per document) and then
the verdicts of every document pair within a subject (one transaction per document pair),
with one writer process and with several at once, into a fresh SQLite file and a fresh
database on a throwaway PostgreSQL server (``accord.testing.postgres``, its default, durable
settings), that database also with ``synchronous_commit=off`` in its URL (which, like SQLite's
WAL with ``synchronous=NORMAL``, can lose the last commits to a power cut but never half of
one). Prints documents/s, document pairs/s and verdicts/s for each.

    python benchmarks/store_write.py [--documents 300] [--per-subject 6] [--writers 1,4]
"""

from __future__ import annotations

import argparse
import dataclasses
import multiprocessing
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

from accord.model import Claim, Document, Label, Pair, Verdict, content_id
from accord.store import Store, open_store
from accord.testing.contracts import sample_claims, sample_document
from accord.testing.postgres import PostgresServer

LABELS = (Label.SUPPORTS, Label.CONTRADICTS, Label.NOT_MENTIONED)
ASYNC = "synchronous_commit=off"


def _document(n: int) -> Document:
    return sample_document(f"Treaty of Valdoria, report {n}\nsigned in {1800 + n % 97}.")


def _claims(document: Document, count: int) -> list[Claim]:
    base = sample_claims(document)
    return [
        dataclasses.replace(base[j % 2], id=content_id(document.id, j), text=f"claim {j}")
        for j in range(count)
    ]


def _verdicts(left: list[Claim], right: list[Claim], count: int) -> list[Verdict]:
    return [
        Verdict(
            pair=Pair(left=left[j], right=right[j], score=1.0 + j, retriever="bm25+slots"),
            label=LABELS[j % 3],
            confidence=0.9,
            method="slots:date",
            reason=f"verdict {j}",
            evidence=(left[j].span, right[j].span),
        )
        for j in range(count)
    ]


def _subject(n: int, per_subject: int) -> int:
    return n // per_subject


def _write_documents(
    location: str, mine: list[int], args: argparse.Namespace, start: Callable[[], None]
) -> tuple[float, float]:
    docs = [(n, _document(n)) for n in mine]
    claims = {document.id: _claims(document, args.claims) for _, document in docs}
    store = open_store(location)
    start()
    began = time.time()
    for n, document in docs:
        key = f"subject {_subject(n, args.per_subject)}"
        store.add_document(
            document, subject_key=key, subject_name=key, claims=claims[document.id], extractor="x"
        )
    ended = time.time()
    store.close()
    return began, ended


def _write_pairs(
    location: str, mine: list[tuple[int, int]], args: argparse.Namespace, start: Callable[[], None]
) -> tuple[float, float]:
    docs = {n: _document(n) for pair in mine for n in pair}
    claims = {n: _claims(document, args.claims) for n, document in docs.items()}
    jobs = [
        (docs[a].id, docs[b].id, _verdicts(claims[a], claims[b], args.verdicts)) for a, b in mine
    ]
    store = open_store(location)
    start()
    began = time.time()
    for left, right, verdicts in jobs:
        store.save_alignment(left, right, verdicts)
    ended = time.time()
    store.close()
    return began, ended


def _worker(task: str, location: str, mine: list, args, barrier, results) -> None:  # type: ignore[no-untyped-def]
    write = _write_documents if task == "documents" else _write_pairs
    results.put(write(location, mine, args, barrier.wait))


def _timed(task: str, location: str, work: list, writers: int, args) -> float:  # type: ignore[no-untyped-def]
    """Seconds from the first writer's start to the last one's end, ``work`` shared out."""
    context = multiprocessing.get_context("spawn")
    barrier, results = context.Barrier(writers), context.Queue()
    procs = [
        context.Process(
            target=_worker, args=(task, location, work[i::writers], args, barrier, results)
        )
        for i in range(writers)
    ]
    for proc in procs:
        proc.start()
    spans = [results.get(timeout=600) for _ in procs]
    for proc in procs:
        proc.join()
        if proc.exitcode != 0:
            raise SystemExit(f"a writer failed (exit {proc.exitcode})")
    return max(end for _, end in spans) - min(begin for begin, _ in spans)


def _run(name: str, location: str, writers: int, args: argparse.Namespace) -> None:
    documents = list(range(args.documents))
    pairs = [
        (a, b)
        for a in documents
        for b in documents
        if a < b and _subject(a, args.per_subject) == _subject(b, args.per_subject)
    ]
    docs_s = _timed("documents", location, documents, writers, args)
    pairs_s = _timed("pairs", location, pairs, writers, args)
    check: Store = open_store(location, create=False)
    ids = [_document(n).id for n in documents]
    stored = (len(check.document_ids()), len(check.aligned(ids)), len(check.verified_pairs(ids)))
    check.close()
    expected = (len(documents), len(pairs), len(pairs) * args.verdicts)
    if stored != expected:
        raise SystemExit(f"{name}: stored {stored}, expected {expected}")
    print(
        f"{name:<38} {writers} writer{'s' if writers > 1 else ' '}  "
        f"{len(documents) / docs_s:8.0f} documents/s  {len(pairs) / pairs_s:7.0f} document "
        f"pairs/s  {len(pairs) * args.verdicts / pairs_s:8.0f} verdicts/s"
    )


def _with_option(url: str, option: str) -> str:
    joiner = "&" if "?" in url else "?"
    return f"{url}{joiner}options={quote(f'-c {option}', safe='')}"


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=300)
    parser.add_argument("--per-subject", type=int, default=6, help="documents per subject")
    parser.add_argument("--claims", type=int, default=8, help="claims per document")
    parser.add_argument("--verdicts", type=int, default=4, help="verdicts per document pair")
    parser.add_argument("--writers", default="1,4", help="writer processes, comma-separated")
    args = parser.parse_args(argv)
    if args.verdicts > args.claims:
        parser.error("--verdicts cannot exceed --claims")
    writers = [int(w) for w in args.writers.split(",")]
    pairs = args.documents // args.per_subject * args.per_subject * (args.per_subject - 1) // 2
    print(
        f"{args.documents} documents ({args.claims} claims each, {args.per_subject} per "
        f"subject), {pairs} document pairs ({args.verdicts} verdicts each)"
    )
    with tempfile.TemporaryDirectory(prefix="accord-store-bench-") as temp:
        root = Path(temp)
        with PostgresServer() as server:
            for count in writers:
                _run("sqlite (WAL, synchronous=NORMAL)", str(root / f"w{count}.db"), count, args)
                url = server.create_database(f"bench_{count}")
                _run("postgresql", url, count, args)
                url = _with_option(server.create_database(f"bench_{count}_async"), ASYNC)
                _run(f"postgresql, {ASYNC}", url, count, args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
