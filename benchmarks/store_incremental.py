"""Benchmark: a full check of a stored corpus against the incremental check after one new
document.

Generates reproducible reports (seeded, from templates) about a few invented treaties, adds
them to a fresh store, runs a full ``check``, adds one new report and runs the incremental
``check``. Prints both times, their ratio, the pairs verified in each, peak RSS, and whether
the incremental run verified only pairs that involve the new document.

    python benchmarks/store_incremental.py [--documents 200] [--subjects 4] [--seed 7]
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

from accord.corpus import add_sources, check_store, resolve_subject
from accord.pipeline import Settings
from accord.store import SQLiteStore

PLACES = ["Castelmar", "Ostrheim", "Lennbruck", "Valdoria", "Marisca", "Tollen", "Brevik"]
MONTHS = ["January", "March", "May", "June", "September", "November"]
TEMPLATES = [
    "The treaty was signed on {day} {month} {year} in {place}.",
    "It was signed by {party1} and {party2}.",
    "The treaty ended the war between {party1} and {party2}.",
    "Envoys from {party1} met in {place} in the spring of {year}.",
    "The treaty set the river Lenne as the border between {party1} and {party2}.",
    "Trade between {party1} and {party2} resumed after the signing.",
    "Historians still debate who drafted the first articles of the treaty.",
    "The agreement was ratified by {party2} in {ratified}.",
]


def _subjects(rng: random.Random, count: int) -> list[dict[str, object]]:
    subjects = []
    for i in range(count):
        party1, party2 = rng.sample(PLACES, 2)
        subjects.append(
            {
                "title": f"Treaty of {PLACES[i % len(PLACES)]} ({1800 + 7 * i})",
                "year": 1800 + 7 * i,
                "day": rng.randint(1, 28),
                "month": rng.choice(MONTHS),
                "place": rng.choice(PLACES),
                "party1": party1,
                "party2": party2,
            }
        )
    return subjects


def _report(rng: random.Random, subject: dict[str, object], n: int) -> str:
    facts = dict(subject)
    if rng.random() < 0.2:  # an outlier gets the date wrong
        facts["day"] = rng.randint(1, 28)
    facts["ratified"] = int(str(facts["year"])) + rng.randint(0, 1)
    lines = rng.sample(TEMPLATES, k=rng.randint(3, len(TEMPLATES)))
    body = " ".join(line.format(**facts) for line in lines)
    return f"{facts['title']}\n\n{body}\nReport {n}.\n"


def generate(directory: Path, documents: int, subjects: int, seed: int) -> list[Path]:
    """Write ``documents`` reports spread over ``subjects`` subjects; return their paths."""
    rng = random.Random(seed)
    topics = _subjects(rng, subjects)
    paths = []
    for n in range(documents):
        path = directory / f"report_{n:04d}.txt"
        path.write_text(_report(rng, topics[n % subjects], n), encoding="utf-8")
        paths.append(path)
    return paths


def _check_all(store: SQLiteStore, settings: Settings) -> tuple[float, float, int, int]:
    """Check every subject; return total seconds, seconds of new work (load, align, verify,
    store), pairs verified and document pairs aligned."""
    started = time.perf_counter()
    verified = aligned = 0
    work_s = 0.0
    for row in resolve_subject(store, None):
        result = check_store(store, settings, row)
        verified += result.pairs_verified
        aligned += result.document_pairs_aligned
        timings = result.report.run.timings_s
        work_s += sum(timings[k] for k in ("load", "align", "verify", "store"))
    return time.perf_counter() - started, work_s, verified, aligned


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=200)
    parser.add_argument("--subjects", type=int, default=4)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--extractor", default="accord.spacy.v1")
    args = parser.parse_args(argv)
    settings = Settings(extractor=args.extractor)
    with tempfile.TemporaryDirectory() as temp:
        root = Path(temp)
        (root / "corpus").mkdir()
        (root / "new").mkdir()
        generate(root / "corpus", args.documents, args.subjects, args.seed)
        (new_path,) = generate(root / "new", 1, 1, args.seed + 1)
        new_path = new_path.rename(root / "new" / "report_new.txt")
        with SQLiteStore(root / "corpus.db") as store:
            started = time.perf_counter()
            add_sources(store, [root / "corpus"], settings)
            add_s = time.perf_counter() - started
            full_s, full_work_s, full_pairs, full_docs = _check_all(store, settings)
            ids = [d.id for d in store.documents()]
            before = store.verified_pairs(ids)
            (added,) = add_sources(store, [new_path], settings).documents
            incr_s, incr_work_s, incr_pairs, incr_docs = _check_all(store, settings)
            after = store.verified_pairs([*ids, added.doc_id])
            claims = {c.id: c.doc_id for c in store.claims([added.doc_id])}
            fresh = after - before
            only_new = all(left in claims or right in claims for left, right in fresh)
    rss_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    print(f"documents: {args.documents} in {args.subjects} subjects (seed {args.seed})")
    print(f"add (ingest + claims): {add_s:.2f} s")
    print(
        f"full check: {full_s:.3f} s ({full_work_s:.3f} s aligning and verifying), "
        f"{full_docs} document pairs, {full_pairs} pairs verified"
    )
    print(
        f"incremental check after 1 new document ({added.subject!r}): {incr_s:.3f} s "
        f"({incr_work_s:.3f} s aligning and verifying), {incr_docs} document pairs, "
        f"{incr_pairs} pairs verified"
    )
    print(f"incremental / full time: {incr_s / full_s:.4f} (whole check, reports included)")
    print(f"incremental / full aligning and verifying: {incr_work_s / full_work_s:.4f}")
    print("(each check rebuilds its subjects' full reports from the store: the rest of the time)")
    print(f"incremental run verified only pairs involving the new document: {only_new}")
    print(f"peak RSS: {rss_kib / 1024:.1f} MiB")
    return 0 if only_new and len(fresh) == incr_pairs else 1


if __name__ == "__main__":
    sys.exit(main())
