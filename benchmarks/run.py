"""Benchmarks: start-up time, end-to-end time on the examples, stage throughput, peak memory.

Run ``python benchmarks/run.py [--docs N] [--repeat R]``. Inputs are generated reproducibly
from the bundled examples with a seeded generator. Every figure is the median of ``R`` runs,
and alignment is compared with a naive all-pairs baseline run in the same process, so that
ratios stay comparable across noisy machines.
"""

from __future__ import annotations

import argparse
import random
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
ACCORD = Path(sys.executable).parent / "accord"


def _median_time(run: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def _command_time(args: list[str], repeat: int) -> float:
    def run() -> None:
        subprocess.run(args, check=True, capture_output=True)

    return _median_time(run, repeat)[0]


def _synthetic_texts(count: int, seed: int = 13) -> list[str]:
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
        while words < 1000:
            sentence = rng.choice(sentences)
            chosen.append(sentence)
            words += len(sentence.split())
        texts.append(f"Synthetic Document {i}\n\n" + " ".join(chosen))
    return texts


def _all_pairs(claims: list[Any]) -> list[Any]:
    """The naive baseline: every claim against every claim of every other document."""
    from accord.model import Pair

    return [
        Pair(left=a, right=b, score=0.0, retriever="all-pairs")
        for i, a in enumerate(claims)
        for b in claims[i + 1 :]
        if a.doc_id != b.doc_id
    ]


def main() -> None:
    """Run the benchmarks and print one line per figure."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--docs", type=int, default=20, help="synthetic documents to process")
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure (median)")
    args = parser.parse_args()

    help_time = _command_time([str(ACCORD), "--help"], args.repeat)
    print(f"accord --help (cold)            {help_time:.2f} s")
    seed_time = _command_time([str(ACCORD), "check", str(EXAMPLES)], args.repeat)
    print(f"accord check examples/ (cold)   {seed_time:.2f} s")

    from accord.align import aligners
    from accord.claims import extractors
    from accord.ingest import read_text
    from accord.verify import verifiers

    texts = _synthetic_texts(args.docs)
    extractor = extractors.get("accord.spacy.v1")()
    extractor.warm_up()
    elapsed, documents = _median_time(
        lambda: [read_text(t, name=f"doc{i}.txt") for i, t in enumerate(texts)], args.repeat
    )
    print(f"ingest                          {len(texts) / elapsed:.1f} documents/s")
    elapsed, claims = _median_time(lambda: extractor.extract(documents), args.repeat)
    print(
        f"claims                          {len(documents) / elapsed:.1f} documents/s, "
        f"{len(claims) / elapsed:.0f} claims/s ({len(claims)} claims)"
    )

    aligner = aligners.get("accord.bm25.v1")(top_k=5)
    align_time, pairs = _median_time(lambda: aligner.align(claims), args.repeat)
    base_pairs = _all_pairs(claims)
    verifier = verifiers.get("accord.slots.v1")()
    verify_time, _ = _median_time(lambda: verifier.verify(pairs), args.repeat)
    base_verify, _ = _median_time(lambda: verifier.verify(base_pairs), 1)
    print(
        f"align (bm25 + slot keys)        {len(pairs)} pairs in {align_time:.2f} s; "
        f"all-pairs baseline {len(base_pairs)} pairs"
    )
    print(
        f"verify (slots)                  {len(pairs) / verify_time:.0f} verdicts/s; "
        f"align+verify vs all-pairs verify: {(align_time + verify_time) / base_verify:.2f}x "
        f"the time ({base_verify:.2f} s baseline)"
    )
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS (this process)         {peak_mib:.0f} MiB")


if __name__ == "__main__":
    main()
