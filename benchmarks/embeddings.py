"""Sentence embeddings: onnxruntime (accord.minilm-onnx.v1) against sentence-transformers/torch
(accord.minilm-torch.v1) on the same sentences in the same run, then alignment with them
(accord.hybrid.v1) against BM25 alone (accord.bm25.v1).

Each runtime runs in a child process of its own, so that its load time and peak RSS are its
own; the parent compares the vectors (cosine per sentence, the minimum and the mean).

Alignment is measured on the example documents' claims and on a set built from FM2 test
(``../shared/data/fm2/test.jsonl``, skipped when absent): one document holds ``--fm2`` claims,
the other every gold and retrieved evidence sentence of those claims (the retrieved ones are
from the same Wikipedia page: hard distractors). A claim is found when a gold evidence
sentence of it is among its candidate pairs.

    python benchmarks/embeddings.py [--sentences 2000] [--repeat 3] [--batch-size 64]
                                    [--fm2 400] [--no-align]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from measure import Figure, line, rate, timed

ROOT = Path(__file__).resolve().parents[1]
FM2 = ROOT.parent / "shared" / "data" / "fm2" / "test.jsonl"
RUNTIMES = {"onnxruntime": "accord.minilm-onnx.v1", "torch": "accord.minilm-torch.v1"}


def make_sentences(count: int, seed: int = 11) -> list[str]:
    """The example documents' sentences, then sentences of their words in random order and
    length (3 to 80 words), up to ``count``."""
    text = " ".join(
        p.read_text(encoding="utf-8") for p in sorted((ROOT / "examples").glob("*.txt"))
    )
    real = [s.strip() for s in re.split(r"(?<=[.!?])\s+|\n+", text) if len(s.split()) >= 3]
    words = text.split()
    rng = random.Random(seed)
    sentences = real[:count]
    while len(sentences) < count:
        sentences.append(" ".join(rng.choices(words, k=rng.randint(3, 80))))
    return sentences


def worker(runtime: str, sentences_file: Path, out: Path, repeat: int, batch_size: int) -> None:
    """Load one runtime, encode the sentences ``repeat`` times, save the vectors, print JSON."""
    from accord.embed import encoders

    sentences = json.loads(sentences_file.read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as cache:
        encoder = encoders.get(RUNTIMES[runtime])(batch_size=batch_size, cache_dir=cache)
        started = time.perf_counter()
        encoder.warm_up()
        cold_load = time.perf_counter() - started
        if runtime == "onnxruntime":  # a second load finds the graph in the cache
            again = encoders.get(RUNTIMES[runtime])(batch_size=batch_size, cache_dir=cache)
            started = time.perf_counter()
            again.warm_up()
            warm_load = time.perf_counter() - started
        else:
            warm_load = cold_load
        encoder.encode(sentences[:batch_size])  # first-call allocations out of the timing
        rates = []
        for _ in range(repeat):
            started = time.perf_counter()
            vectors = encoder.encode(sentences)
            rates.append(len(sentences) / (time.perf_counter() - started))
    np.save(out, vectors)
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        json.dumps(
            {
                "describe": encoder.describe(),
                "rates": rates,
                "cold_load_s": cold_load,
                "warm_load_s": warm_load,
                "peak_rss_mib": peak_kib / 1024,
                "torch_imported": "torch" in sys.modules,
            }
        )
    )


def _claim(doc_id: str, index: int, text: str) -> Any:
    from accord.claims.terms import text_terms
    from accord.model import Claim, Span

    return Claim(id=f"{doc_id}:{index}", doc_id=doc_id, span=Span(doc_id=doc_id, start=index,
                 end=index + 1), text=text, subject=None, predicate="be",
                 terms=tuple(text_terms(text)))  # fmt: skip


def fm2_set(path: Path, count: int) -> tuple[list[Any], dict[str, set[str]]]:
    """Claims of two documents (FM2 claims; their evidence sentences) and, per claim id, the
    ids of its gold evidence sentences."""
    items = [json.loads(row) for row in path.read_text(encoding="utf-8").splitlines()[:count]]
    sentences: dict[str, int] = {}
    for item in items:
        for evidence in item["gold_evidence"] + item.get("retrieved_evidence", []):
            sentences.setdefault(evidence["text"], len(sentences))
    claims = [_claim("claims", i, item["text"]) for i, item in enumerate(items)]
    evidence_claims = [_claim("evidence", i, text) for text, i in sentences.items()]
    gold = {
        f"claims:{i}": {f"evidence:{sentences[e['text']]}" for e in item["gold_evidence"]}
        for i, item in enumerate(items)
    }
    return claims + evidence_claims, gold


def seed_claims() -> list[Any]:
    """The claims accord extracts from the example documents."""
    from accord.pipeline import Settings, load_documents, make_stages

    settings = Settings()
    documents = load_documents([str(ROOT / "examples")], settings)
    extractor = make_stages(settings)[0]
    return list(extractor.extract(documents))


def compare_aligners(label: str, claims: list[Any], gold: dict[str, set[str]] | None,
                     repeat: int) -> None:  # fmt: skip
    """Pairs of BM25 alone and of the hybrid, the pairs only the hybrid has, claims/s."""
    from accord.align import aligners

    with tempfile.TemporaryDirectory() as cache:
        bm25 = aligners.get("accord.bm25.v1")(top_k=5)
        hybrid = aligners.get("accord.hybrid.v1")(top_k=5, cache_dir=cache)
        hybrid.warm_up()  # model load out of the timing; encoding stays in the cold run
        started = time.perf_counter()
        hybrid_pairs = hybrid.align(claims)
        cold = time.perf_counter() - started
        warm_s, hybrid_pairs = timed(lambda: hybrid.align(claims), repeat)
        bm25_s, bm25_pairs = timed(lambda: bm25.align(claims), repeat)
    keys = {(p.left.id, p.right.id) for p in bm25_pairs}
    only = [p for p in hybrid_pairs if (p.left.id, p.right.id) not in keys]
    print(f"{label}: {len(claims)} claims")
    hybrid_keys = {(p.left.id, p.right.id) for p in hybrid_pairs}
    dropped = sum(1 for key in keys if key not in hybrid_keys)
    print(line("  pairs bm25 / hybrid", f"{len(bm25_pairs)} / {len(hybrid_pairs)}: "
               f"{len(only)} only in hybrid, {dropped} only in bm25"))  # fmt: skip
    print(line("  bm25 (claims/s)", rate(len(claims), bm25_s).show(0, "claims/s")))
    print(line("  hybrid, cached (claims/s)", rate(len(claims), warm_s).show(0, "claims/s")))
    print(line("  hybrid, encoding (claims/s)", f"{len(claims) / cold:.0f} claims/s (n=1)"))
    if gold is None:
        return
    deeper = aligners.get("accord.bm25.v1")(top_k=10).align(claims)
    found = {}
    for name, pairs in (("bm25", bm25_pairs), ("hybrid", hybrid_pairs), ("bm25 k=10", deeper)):
        paired = {(p.left.id, p.right.id) for p in pairs}
        found[name] = {c for c, ev in gold.items() if any((c, e) in paired for e in ev)}
        print(line(f"  gold evidence found, {name}", f"{len(found[name])} / {len(gold)} "
                   f"({len(found[name]) / len(gold):.1%}), {len(pairs)} pairs"))  # fmt: skip
    print(line("  gold found by hybrid, not bm25", str(len(found["hybrid"] - found["bm25"]))))
    print(line("  gold found by bm25, not hybrid", str(len(found["bm25"] - found["hybrid"]))))


def main() -> None:
    """Run both runtimes in child processes and print the comparison."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sentences", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--fm2", type=int, default=400, help="FM2 test claims to align")
    parser.add_argument("--no-align", action="store_true", help="skip the alignment figures")
    parser.add_argument("--worker", choices=sorted(RUNTIMES), help=argparse.SUPPRESS)
    parser.add_argument("--input", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--output", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.worker, args.input, args.output, args.repeat, args.batch_size)
        return

    sentences = make_sentences(args.sentences)
    results, vectors = {}, {}
    with tempfile.TemporaryDirectory() as work:
        sentences_file = Path(work) / "sentences.json"
        sentences_file.write_text(json.dumps(sentences), encoding="utf-8")
        for runtime in RUNTIMES:
            out = Path(work) / f"{runtime}.npy"
            command = [sys.executable, __file__, "--worker", runtime, "--input",
                       str(sentences_file), "--output", str(out), "--repeat", str(args.repeat),
                       "--batch-size", str(args.batch_size)]  # fmt: skip
            done = subprocess.run(command, capture_output=True, text=True, check=False)
            if done.returncode != 0:
                raise SystemExit(f"{runtime} failed:\n{done.stderr}")
            results[runtime] = json.loads(done.stdout.strip().splitlines()[-1])
            vectors[runtime] = np.load(out)

    lengths = [len(s.split()) for s in sentences]
    print(f"{len(sentences)} sentences, {min(lengths)}–{max(lengths)} words, "
          f"batch {args.batch_size}, {args.repeat} runs each")  # fmt: skip
    for runtime, result in results.items():
        rates = Figure(tuple(result["rates"]))
        print(f"[{runtime}] {result['describe']}")
        print(line(f"  {runtime} (sentences/s)", rates.show(1, "sentences/s")))
        print(line(f"  {runtime} load (s)", f"{result['cold_load_s']:.2f} s cold, "
                   f"{result['warm_load_s']:.2f} s with the graph cached"))  # fmt: skip
        print(line(f"  {runtime} peak RSS", f"{result['peak_rss_mib']:.0f} MiB"))
        print(line(f"  {runtime} imported torch", str(result["torch_imported"])))
    cosines = np.sum(vectors["onnxruntime"] * vectors["torch"], axis=1)
    print(
        line("cosine onnxruntime vs torch", f"min {cosines.min():.7f}, mean {cosines.mean():.7f}")
    )
    speedup = (
        Figure(tuple(results["onnxruntime"]["rates"])).median
        / Figure(tuple(results["torch"]["rates"])).median
    )
    print(line("speed-up onnxruntime / torch", f"{speedup:.2f}x"))
    if args.no_align:
        return
    compare_aligners("seed documents (examples/)", seed_claims(), None, args.repeat)
    if FM2.is_file():
        claims, gold = fm2_set(FM2, args.fm2)
        compare_aligners(f"FM2 test, first {args.fm2} claims vs their evidence", claims, gold,
                         args.repeat)  # fmt: skip


if __name__ == "__main__":
    main()
