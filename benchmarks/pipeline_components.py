"""Time each component of the English pipeline, as spaCy loads it and as accord loads it.

    .venv/bin/python benchmarks/pipeline_components.py [--docs 20] [--repeat 3]

Prints, per component, the median seconds over the synthetic ~1,000-word documents of
``benchmarks/run.py`` for the stock pipeline and for accord's (numpy's BLAS, the attribute
ruler as a table), and the single-threaded GFLOPS of one matrix product of the model's
shapes through BLIS and through numpy. Set ``OPENBLAS_NUM_THREADS=1`` to compare one core.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import synthetic_texts  # the script's own directory, added above


def component_times(nlp: Any, texts: Sequence[str], repeat: int) -> dict[str, float]:
    """Median seconds of each enabled component over ``texts``, fed as the pipeline would."""
    runs: dict[str, list[float]] = {}
    for _ in range(repeat):
        start = time.perf_counter()
        docs = [nlp.make_doc(text) for text in texts]
        runs.setdefault("tokenizer", []).append(time.perf_counter() - start)
        for name, component in nlp.pipeline:
            start = time.perf_counter()
            if hasattr(component, "pipe"):
                docs = list(component.pipe(docs, batch_size=64))
            else:
                docs = [component(doc) for doc in docs]
            runs.setdefault(name, []).append(time.perf_counter() - start)
    return {name: statistics.median(values) for name, values in runs.items()}


def gemm_gflops(multiply: Callable[[Any, Any], Any], repeat: int = 50) -> float:
    """GFLOPS of a (2048 x 288) @ (288 x 288) float32 product, the size of tok2vec's layers."""
    import numpy

    rng = numpy.random.default_rng(0)
    x = rng.random((2048, 288), dtype=numpy.float32)
    w = rng.random((288, 288), dtype=numpy.float32)
    multiply(x, w)
    start = time.perf_counter()
    for _ in range(repeat):
        multiply(x, w)
    seconds = (time.perf_counter() - start) / repeat
    return 2 * 2048 * 288 * 288 / seconds / 1e9


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=20, help="synthetic documents")
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure (median)")
    args = parser.parse_args(argv)

    from thinc.api import NumpyOps

    from accord.claims.spacy_extractor import _import_model, _load_pipeline

    blis_ops, numpy_ops = NumpyOps(), NumpyOps(use_blis=False)
    print(f"{'matrix product, BLIS':34s}{gemm_gflops(blis_ops.gemm):.1f} GFLOPS")
    print(f"{'matrix product, numpy':34s}{gemm_gflops(numpy_ops.gemm):.1f} GFLOPS")

    texts = synthetic_texts(args.docs)
    model = _import_model()
    stock = component_times(model.load(), texts, args.repeat)
    ours = component_times(_load_pipeline(model), texts, args.repeat)
    print(f"{'component':34s}{'spaCy':>9s}{'accord':>9s}")
    names = list(dict.fromkeys([*stock, *ours]))
    for name in names:
        theirs, mine = stock.get(name), ours.get(name)
        cells = [f"{v:8.3f}s" if v is not None else f"{'-':>9s}" for v in (theirs, mine)]
        print(f"{name:34s}{''.join(cells)}")
    total_stock, total_ours = sum(stock.values()), sum(ours.values())
    print(f"{'total':34s}{total_stock:8.3f}s{total_ours:8.3f}s")
    print(f"{'documents/s':34s}{args.docs / total_stock:9.1f}{args.docs / total_ours:9.1f}")


if __name__ == "__main__":
    main()
