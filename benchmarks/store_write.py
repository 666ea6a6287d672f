"""Benchmark: the store's write rate, SQLite against PostgreSQL, in one run.

Writes generated documents (each with its claims, one transaction per document) and then
the verdicts of every document pair within a subject (one transaction per document pair),
with one writer process and with several at once, into a fresh SQLite file and a fresh
database on a throwaway PostgreSQL server (``accord.testing.postgres``, its default, durable
settings), that database also with ``synchronous_commit=off`` in its URL (which, like SQLite's
WAL with ``synchronous=NORMAL``, can lose the last commits to a power cut but never half of
one). Prints documents/s, document pairs/s and verdicts/s for each: the median of
``--repeat`` runs with the lowest and highest.

    python benchmarks/store_write.py [--documents 300] [--per-subject 6] [--writers 1,4]
                                     [--repeat 3]
"""

from __future__ import annotations

import argparse
import dataclasses
import multiprocessing
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
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


def _worker(
    task: str, location: str, mine: list[Any], args: argparse.Namespace, barrier: Any, results: Any
) -> None:
    write = _write_documents if task == "documents" else _write_pairs
    results.put(write(location, mine, args, barrier.wait))


def _timed(
    task: str, location: str, work: list[Any], writers: int, args: argparse.Namespace
) -> float:
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


def _measure(location: str, writers: int, args: argparse.Namespace) -> tuple[float, ...]:
    """Write the corpus into the empty store at ``location``; return documents/s, document
    pairs/s and verdicts/s, after checking that everything was stored once."""
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
        raise SystemExit(f"{location}: stored {stored}, expected {expected}")
    return len(documents) / docs_s, len(pairs) / pairs_s, len(pairs) * args.verdicts / pairs_s


def _summary(rates: list[float], unit: str) -> str:
    return (
        f"{statistics.median(rates):6.0f} {unit} "
        f"({min(rates):.0f}–{max(rates):.0f}, n={len(rates)})"
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
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure (the median)")
    args = parser.parse_args(argv)
    if args.verdicts > args.claims:
        parser.error("--verdicts cannot exceed --claims")
    writers = [int(w) for w in args.writers.split(",")]
    pairs = args.documents // args.per_subject * args.per_subject * (args.per_subject - 1) // 2
    print(
        f"{args.documents} documents ({args.claims} claims each, {args.per_subject} per "
        f"subject), {pairs} document pairs ({args.verdicts} verdicts each)"
    )
    backends = ("sqlite (WAL, synchronous=NORMAL)", "postgresql", f"postgresql, {ASYNC}")
    rates: dict[tuple[str, int], list[tuple[float, ...]]] = {}
    with (
        tempfile.TemporaryDirectory(prefix="accord-store-bench-") as temp,
        PostgresServer() as server,
    ):
        # The backends take turns in each round, so a change in the machine's load falls on
        # all of them alike.
        for run in range(args.repeat):
            for count in writers:
                locations = (
                    str(Path(temp) / f"w{count}_{run}.db"),
                    server.create_database(f"bench_{count}_{run}"),
                    _with_option(server.create_database(f"bench_{count}_{run}_async"), ASYNC),
                )
                for backend, location in zip(backends, locations, strict=True):
                    rates.setdefault((backend, count), []).append(_measure(location, count, args))
    for (backend, count), runs in rates.items():
        docs, pairs_, verdicts = ([run[i] for run in runs] for i in range(3))
        print(f"{backend}, {count} writer{'s' if count > 1 else ''}")
        print(f"  documents      {_summary(docs, 'documents/s')}")
        print(f"  document pairs {_summary(pairs_, 'pairs/s')}")
        print(f"  verdicts       {_summary(verdicts, 'verdicts/s')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
