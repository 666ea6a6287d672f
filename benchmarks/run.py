"""Benchmarks: start-up time, end-to-end time on the examples, stage throughput, alignment
growth, peak memory.

Run ``python benchmarks/run.py [--docs N] [--repeat R] [--scale 1000,10000,100000]
[--quick]``. Inputs are generated reproducibly from the bundled examples (documents) and
from a fixed vocabulary (claims) with seeded generators. Every figure is the median of ``R``
runs, printed with its min–max spread, and the stages are compared with naive baselines run
in the same process (all-pairs alignment; spaCy with every component enabled), so that the
ratios stay comparable across noisy machines. ``docs/performance.md`` explains each line.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from alignment_growth import all_pairs, synthetic_claims
from measure import Figure, command_time, line, peak_rss_mib, rate, ratio, timed

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
ACCORD = Path(sys.executable).parent / "accord"
FULL_SCALE = (1000, 10_000, 100_000)  # the sizes the growth target is stated for
QUICK_SCALE = (1000, 5000)  # a run of a minute or so
BASELINE_LIMIT = 1000  # all-pairs baseline only up to here: it is quadratic in claims
ALIGN_DOCUMENTS = 10  # synthetic claims are spread over this many documents
WORDS_PER_DOCUMENT = 1000  # the document size the throughput target is stated for


def synthetic_texts(count: int, seed: int = 13) -> list[str]:
    """Documents of shuffled example sentences (about 1,000 words each)."""
    from accord.ingest import expand_paths, read_document

    sentences: list[str] = []
    for path in expand_paths([EXAMPLES]):
        text = read_document(path).text
        sentences += [s.strip() + "." for s in text.replace("\n", " ").split(". ") if s.strip()]
    rng = random.Random(seed)
    texts = []
    for i in range(count):
        words, chosen = 0, []
        while words < WORDS_PER_DOCUMENT:
            sentence = rng.choice(sentences)
            chosen.append(sentence)
            words += len(sentence.split())
        texts.append(f"Synthetic Document {i}\n\n" + " ".join(chosen))
    return texts


def cold_start(repeat: int) -> list[str]:
    """Fresh-process times of ``accord --help`` and ``accord check examples/``, and the
    children's peak RSS."""
    help_time = command_time([str(ACCORD), "--help"], repeat)
    check_time = command_time([str(ACCORD), "check", str(EXAMPLES)], repeat)
    return [
        line("accord --help (cold)", help_time.show(2, "s")),
        line("accord check examples/ (cold)", check_time.show(2, "s")),
        line(
            "peak RSS (largest child)",
            f"{peak_rss_mib(resource.RUSAGE_CHILDREN):.0f} MiB",
        ),
    ]


def ingest_and_claims(texts: Sequence[str], repeat: int) -> tuple[list[str], list[Any]]:
    """Ingest and claims throughput, and the naive spaCy baseline on the same texts."""
    from accord.claims import extractors
    from accord.ingest import read_text

    extractor = extractors.get("accord.spacy.v1")()
    extractor.warm_up()
    ingest_s, documents = timed(
        lambda: [read_text(t, name=f"doc{i}.txt") for i, t in enumerate(texts)], repeat
    )
    claims_s, claims = timed(lambda: extractor.extract(documents), repeat)
    both = Figure(tuple(a + b for a, b in zip(ingest_s.values, claims_s.values, strict=True)))
    naive_s = naive_spacy(texts, repeat)
    lines = [
        line("ingest", rate(len(texts), ingest_s).show(1, "documents/s")),
        line("claims", rate(len(texts), claims_s).show(1, "documents/s")),
        line("claims (claims/s)", f"{rate(len(claims), claims_s).show(0, 'claims/s')}"),
        line("ingest+claims", rate(len(texts), both).show(1, "documents/s")),
        line("naive spaCy (all components)", rate(len(texts), naive_s).show(1, "documents/s")),
        line("claims / naive spaCy time", ratio(claims_s, naive_s).show(2, "x")),
    ]
    return lines, claims


def parallel_claims(texts: Sequence[str], repeat: int, workers: int) -> list[str]:
    """Ingest and claims of the same documents as ``accord check`` runs them with ``workers``
    worker processes, worker start-up (each loads the English model) included."""
    from accord.ingest import read_text
    from accord.per_document import Failures, extract_each
    from accord.pipeline import Settings, make_stages

    settings = Settings(workers=workers)
    extractor = make_stages(settings)[0]

    def run() -> int:
        read = [(read_text(t, name=f"doc{i}.txt"), 0.0) for i, t in enumerate(texts)]
        return len(extract_each(extractor, read, settings, Failures())[1])

    seconds, _ = timed(run, repeat)
    return [
        line(
            f"ingest+claims, {workers} processes",
            f"{rate(len(texts), seconds).show(1, 'documents/s')} "
            f"({len(texts)} documents, start-up included)",
        )
    ]


def naive_spacy(texts: Sequence[str], repeat: int) -> Figure:
    """``nlp.pipe`` over the texts with every component of the model enabled, no accord."""
    from accord.claims.spacy_extractor import MODEL_PACKAGE

    model = __import__(MODEL_PACKAGE)
    nlp = model.load()
    for name in list(nlp.disabled):
        nlp.enable_pipe(name)
    return timed(lambda: list(nlp.pipe(texts)), repeat)[0]


def align_and_verify(claims: Sequence[Any], repeat: int) -> list[str]:
    """Aligned pairs/s and verdicts/s on the claims of the synthetic documents."""
    from accord.align import aligners
    from accord.verify import verifiers

    aligner = aligners.get("accord.bm25.v1")(top_k=5)
    align_s, pairs = timed(lambda: aligner.align(claims), repeat)
    verifier = verifiers.get("accord.slots.v1")()
    verify_s, _ = timed(lambda: verifier.verify(pairs), repeat)
    return [
        line("align (bm25 + slot keys)", rate(len(pairs), align_s).show(0, "pairs/s")),
        line("verify (slots)", rate(len(pairs), verify_s).show(0, "verdicts/s")),
    ]


def alignment_growth(sizes: Sequence[int], repeat: int) -> list[str]:
    """``BM25Aligner.align`` time on synthetic claims at each size, the growth factor between
    consecutive sizes, and the all-pairs baseline at the smallest size only."""
    from accord.align import aligners

    aligner = aligners.get("accord.bm25.v1")(top_k=5)
    lines, times = [], []
    for size in sizes:
        claims = synthetic_claims(size, ALIGN_DOCUMENTS)
        seconds, pairs = timed(lambda claims=claims: aligner.align(claims), repeat)
        times.append(seconds)
        lines.append(line(f"align {size} claims", f"{seconds.show(2, 's')}, {len(pairs)} pairs"))
    for (small, a), (large, b) in zip(
        zip(sizes, times, strict=True), zip(sizes[1:], times[1:], strict=True), strict=False
    ):
        lines.append(line(f"growth {small}→{large}", ratio(b, a).show(1, "x")))
    smallest = min(sizes)
    if smallest <= BASELINE_LIMIT:
        claims = synthetic_claims(smallest, ALIGN_DOCUMENTS)
        base_s, base_pairs = timed(lambda: all_pairs(claims), repeat)
        lines.append(
            line(
                f"all-pairs baseline {smallest}",
                f"{base_s.show(2, 's')}, {len(base_pairs)} pairs (only at {smallest} claims)",
            )
        )
        lines.append(line(f"bm25 / all-pairs {smallest}", ratio(times[0], base_s).show(2, "x")))
    else:
        lines.append(line("all-pairs baseline", f"not run (only at ≤ {BASELINE_LIMIT} claims)"))
    return lines


def parse_scale(text: str) -> tuple[int, ...]:
    """``"1000,10000"`` -> ``(1000, 10000)``, sorted."""
    return tuple(sorted(int(part) for part in text.split(",") if part.strip()))


def main(argv: Sequence[str] | None = None) -> None:
    """Run the benchmarks and print one line per figure."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=20, help="synthetic documents to process")
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure (median)")
    parser.add_argument(
        "--scale",
        type=parse_scale,
        default=None,
        help="alignment-growth sizes in claims, comma-separated (default 1000,10000,100000)",
    )
    parser.add_argument(
        "--parallel-docs",
        type=int,
        default=200,
        help="synthetic documents for the multi-process line, so that worker start-up "
        "(about a second each) weighs as it does on a real corpus (default 200)",
    )
    parser.add_argument("--quick", action="store_true", help="alignment growth at 1k/5k only")
    args = parser.parse_args(argv)
    sizes = args.scale or (QUICK_SCALE if args.quick else FULL_SCALE)

    out = cold_start(args.repeat)
    texts = synthetic_texts(args.docs)
    stage_lines, claims = ingest_and_claims(texts, args.repeat)
    workers = os.cpu_count() or 1
    if workers > 1:
        stage_lines += parallel_claims(synthetic_texts(args.parallel_docs), args.repeat, workers)
    out += stage_lines + align_and_verify(claims, args.repeat)
    for text in out:
        print(text, flush=True)
    for text in alignment_growth(sizes, args.repeat):
        print(text, flush=True)
    print(line("peak RSS (this process)", f"{peak_rss_mib():.0f} MiB"))


if __name__ == "__main__":
    main()
