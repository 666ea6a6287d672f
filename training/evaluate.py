"""Score the exported verifier item by item (claim vs evidence text) on labelled sets.

For each set: 3-way accuracy, per-label precision/recall/F1 and the confusion matrix, first
for the arg-max label and then for the label the runtime gives (a CONTRADICTS only at or
above the config's threshold); CONTRADICTS precision/recall at several thresholds; and
pairs per second (each pair is read in both orders, as at run time). Sets are FM2,
FEVER-Symmetric or VitaminC ``.jsonl`` files (read with ``accord.evaluate.load_items``) or
the held-out slice written by ``build_data.py``.

With ``--pipeline`` it instead runs accord's own evaluation harness (claims extracted from
both texts, every claim pair verified, ``accord.evaluate.evaluate_set``) twice per set: slot
comparison alone, and the ensemble with this model as its judge (``minilm=True``).

Usage: ``python training/evaluate.py --model src/accord/models/verifier
--heldout training/data/heldout.jsonl SET.jsonl... --json training/results/v1.json``
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import metrics

logger = logging.getLogger("evaluate")

TARGET_PRECISION = 0.8  # the CONTRADICTS precision the chosen threshold must reach held out
MIN_GIVEN = 10  # a precision over fewer contradictions than this says too little to choose by


def _items(path: Path) -> tuple[list[tuple[str, str]], list[str]]:
    """(claim, evidence) texts and gold labels of a set file."""
    from accord.evaluate import load_items

    items = list(load_items(path))
    gold = [item.gold.name for item in items]
    return [(item.claim, item.evidence) for item in items], gold


def _heldout(path: Path, real_only: bool) -> tuple[list[tuple[str, str]], list[str]]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    rows = [r for r in rows if r["kind"] == "real" or not real_only]
    return [(r["hypothesis"], r["premise"]) for r in rows], [r["label"] for r in rows]


def score_set(
    verifier: Any, texts: Sequence[tuple[str, str]], gold: Sequence[str], threshold: float
) -> dict[str, Any]:
    """All figures for one set."""
    labels = [label.name for label in verifier.config.labels]
    started = time.perf_counter()
    probs: list[list[float]] = []
    for at in range(0, len(texts), verifier.batch_size):
        probs += verifier.probabilities(texts[at : at + verifier.batch_size])
    seconds = time.perf_counter() - started
    argmax = [metrics.label_of(p, labels) for p in probs]
    at_c = labels.index("CONTRADICTS")
    runtime = [  # what the verifier returns: a weak CONTRADICTS becomes NOT_MENTIONED
        "NOT_MENTIONED" if label == "CONTRADICTS" and p[at_c] < threshold else label
        for label, p in zip(argmax, probs, strict=True)
    ]
    return {
        "items": len(texts),
        "pairs_per_s": round(len(texts) / seconds, 1) if seconds else None,
        "argmax": metrics.score(gold, argmax),
        "at_threshold": {"threshold": threshold, **metrics.score(gold, runtime)},
        "contradiction_curve": metrics.contradiction_curve(gold, probs, labels),
    }


def choose_threshold(curve: Sequence[dict[str, Any]], target: float) -> float | None:
    """The lowest threshold whose CONTRADICTS precision reaches ``target`` over at least
    ``MIN_GIVEN`` contradictions; failing that, the one with the best such precision."""
    counted = [r for r in curve if r["precision"] is not None and r["given"] >= MIN_GIVEN]
    for row in counted:
        if row["precision"] >= target:
            return float(row["threshold"])
    if not counted:
        return None
    return float(max(counted, key=lambda r: (r["precision"], -r["threshold"]))["threshold"])


def render(results: dict[str, Any]) -> str:
    """A Markdown summary of the results."""
    lines = [
        "| set | items | acc | S P/R/F1 | C P/R/F1 | NM P/R/F1 | C P/R at threshold | pairs/s |",
        "|---|---:|---:|---|---|---|---|---:|",
    ]
    for name, res in results["sets"].items():
        arg, thr = res["argmax"], res["at_threshold"]

        def prf(label: str, part: dict[str, Any]) -> str:
            m = part["labels"][label]
            return "/".join(
                "-" if m[k] is None else f"{m[k]:.2f}" for k in ("precision", "recall", "f1")
            )

        c = thr["labels"]["CONTRADICTS"]
        at = "/".join("-" if c[k] is None else f"{c[k]:.2f}" for k in ("precision", "recall"))
        lines.append(
            f"| {name} | {res['items']} | {arg['accuracy']:.3f} | {prf('SUPPORTS', arg)} | "
            f"{prf('CONTRADICTS', arg)} | {prf('NOT_MENTIONED', arg)} | {at} "
            f"(≥{thr['threshold']:g}, {c['given']} given) | {res['pairs_per_s']} |"
        )
    return "\n".join(lines)


def pipeline(paths: Sequence[Path], limit: int | None) -> dict[str, Any]:
    """Slot comparison alone, then the ensemble with the model, through ``accord eval``'s
    harness; rows as ``SetScore.as_row`` gives them."""
    from accord.evaluate import evaluate_set, load_items, set_name
    from accord.pipeline import Settings, make_stages
    from accord.verify.ensemble import EnsembleVerifier
    from accord.verify.slots import SlotVerifier

    extractor, _, _ = make_stages(Settings())
    runs: dict[str, Any] = {}
    for name, verifier in (
        ("accord.slots.v1", SlotVerifier()),
        ("accord.ensemble.v1 (minilm=True)", EnsembleVerifier(minilm=True)),
    ):
        rows = []
        for path in paths:
            items = list(load_items(path))[:limit]
            rows.append(evaluate_set(set_name(path), items, extractor, verifier).as_row())
            logger.info("%s: scored %s", name, rows[-1]["set"])
        runs[name] = {"backends": {"verify": name}, "sets": rows}
    return runs


def main(argv: list[str] | None = None) -> None:
    """Command line: score the model on each set; print Markdown, write JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sets", nargs="*", type=Path)
    parser.add_argument("--model", type=Path, default=None, help="exported model directory")
    parser.add_argument("--heldout", type=Path, default=None)
    parser.add_argument("--threshold", type=float, default=None, help="default: the config's")
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--pipeline", action="store_true", help="slots vs ensemble+model")
    parser.add_argument("--limit", type=int, default=None, help="with --pipeline: N items/set")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    if args.pipeline:
        from accord.evaluate import render as render_harness

        runs = pipeline(args.sets, args.limit)
        for name, scores in runs.items():
            print(f"== {name}\n{render_harness(scores)}")
        if args.json is not None:
            args.json.parent.mkdir(parents=True, exist_ok=True)
            args.json.write_text(json.dumps(runs, indent=2) + "\n", encoding="utf-8")
        return

    from accord.verify.minilm import MiniLMVerifier

    verifier = MiniLMVerifier(model_dir=args.model, threads=args.threads)
    verifier.warm_up()
    threshold = (
        args.threshold if args.threshold is not None else verifier.config.contradiction_threshold
    )
    results: dict[str, Any] = {"model": verifier.method, "sets": {}}
    if args.heldout is not None:
        for name, real_only in (("heldout/real", True), ("heldout/all", False)):
            texts, gold = _heldout(args.heldout, real_only)
            results["sets"][name] = score_set(verifier, texts, gold, threshold)
            logger.info("scored %s", name)
        curve = results["sets"]["heldout/real"]["contradiction_curve"]
        results["suggested_threshold"] = choose_threshold(curve, TARGET_PRECISION)
        logger.info(
            "threshold chosen on held-out real pairs (precision target %.2f): %s",
            TARGET_PRECISION,
            results["suggested_threshold"],
        )
    for path in args.sets:
        texts, gold = _items(path)
        name = f"{path.parent.name}/{path.stem}"
        results["sets"][name] = score_set(verifier, texts, gold, threshold)
        logger.info("scored %s", name)
    print(render(results))
    if args.json is not None:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
