"""Wall time of the claims stage on the bundled seed pair: median of 5 runs and peak RSS.

Run: ``.venv/bin/python benchmarks/claims_seed.py``. The model load (``warm_up``) is timed
apart from extraction, which is what a run over many documents repeats.
"""

from __future__ import annotations

import resource
import statistics
import sys
import time
from pathlib import Path

from accord.claims import extractors
from accord.ingest import expand_paths, read_document

RUNS = 5  # enough for a stable median on a quiet machine


def main() -> int:
    """Time the claims stage and write the figures to stdout."""
    root = Path(__file__).resolve().parent.parent
    documents = [read_document(p) for p in expand_paths([root / "examples"])]
    extractor = extractors.get("accord.spacy.v1")()
    started = time.perf_counter()
    extractor.warm_up()  # type: ignore[attr-defined]
    load_s = time.perf_counter() - started
    times = []
    claims = 0
    for _ in range(RUNS):
        started = time.perf_counter()
        claims = len(extractor.extract(documents))
        times.append(time.perf_counter() - started)
    rss_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    sys.stdout.write(
        f"documents={len(documents)} claims={claims} warm_up_s={load_s:.3f} "
        f"claims_median_s={statistics.median(times):.3f} (of {RUNS}) "
        f"peak_rss_mib={rss_mib:.0f}\n"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
