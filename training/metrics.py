"""Scores for the verifier: per-label precision/recall/F1, confusion matrix, thresholds.

Shared by ``train.py`` (held-out slice after each epoch) and ``evaluate.py`` (unseen splits).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

LABELS = ("SUPPORTS", "CONTRADICTS", "NOT_MENTIONED")
THRESHOLDS = (0.5, 0.6, 0.7, 0.8, 0.9, 0.95)


def label_of(probs: Sequence[float], labels: Sequence[str], threshold: float = 0.0) -> str:
    """The arg-max label; a SUPPORTS/CONTRADICTS under ``threshold`` becomes NOT_MENTIONED."""
    best = max(range(len(probs)), key=probs.__getitem__)
    label = labels[best]
    if label != "NOT_MENTIONED" and probs[best] < threshold:
        return "NOT_MENTIONED"
    return label


def score(gold: Sequence[str], given: Sequence[str]) -> dict[str, Any]:
    """Accuracy, per-label precision/recall/F1 and the confusion matrix (gold -> given).

    Precision is ``None`` for a label never given, recall ``None`` for one never gold.
    Macro-F1 averages the labels that occur in ``gold``.
    """
    confusion = {g: dict.fromkeys(LABELS, 0) for g in LABELS}
    for g, p in zip(gold, given, strict=True):
        confusion[g][p] += 1
    per_label: dict[str, dict[str, Any]] = {}
    f1s = []
    for label in LABELS:
        tp = confusion[label][label]
        n_given = sum(confusion[g][label] for g in LABELS)
        n_gold = sum(confusion[label].values())
        precision = tp / n_given if n_given else None
        recall = tp / n_gold if n_gold else None
        f1 = (
            2 * precision * recall / (precision + recall)
            if precision is not None and recall is not None and precision + recall > 0
            else (0.0 if n_gold else None)
        )
        per_label[label] = {
            "precision": _round(precision),
            "recall": _round(recall),
            "f1": _round(f1),
            "given": n_given,
            "gold": n_gold,
        }
        if n_gold:
            f1s.append(f1 or 0.0)
    right = sum(confusion[label][label] for label in LABELS)
    return {
        "items": len(gold),
        "accuracy": _round(right / len(gold)) if gold else None,
        "macro_f1": _round(sum(f1s) / len(f1s)) if f1s else None,
        "labels": per_label,
        "confusion": confusion,
    }


def contradiction_curve(
    gold: Sequence[str], probs: Sequence[Sequence[float]], labels: Sequence[str]
) -> list[dict[str, Any]]:
    """CONTRADICTS precision and recall when it is given only at or above each threshold."""
    at = labels.index("CONTRADICTS")
    n_gold = sum(1 for g in gold if g == "CONTRADICTS")
    rows = []
    for threshold in THRESHOLDS:
        given = [
            g
            for g, p in zip(gold, probs, strict=True)
            if p[at] >= threshold and max(range(len(p)), key=p.__getitem__) == at
        ]
        right = sum(1 for g in given if g == "CONTRADICTS")
        rows.append(
            {
                "threshold": threshold,
                "given": len(given),
                "precision": _round(right / len(given)) if given else None,
                "recall": _round(right / n_gold) if n_gold else None,
            }
        )
    return rows


def heldout_report(
    rows: Sequence[dict[str, str]], probs: Sequence[Sequence[float]], labels: Sequence[str]
) -> dict[str, Any]:
    """Scores of the held-out slice: all pairs, real pairs, and each source apart."""
    given = [label_of(p, labels) for p in probs]
    gold = [r["label"] for r in rows]
    parts: dict[str, list[int]] = {}
    for i, r in enumerate(rows):
        parts.setdefault(r["source"], []).append(i)
    real = [i for i, r in enumerate(rows) if r["kind"] == "real"]
    out: dict[str, Any] = {"all": score(gold, given)}
    out["real"] = score([gold[i] for i in real], [given[i] for i in real])
    out["real_contradiction_curve"] = contradiction_curve(
        [gold[i] for i in real], [probs[i] for i in real], labels
    )
    for name, index in sorted(parts.items()):
        out[name] = score([gold[i] for i in index], [given[i] for i in index])
    out["summary"] = {
        "accuracy": out["all"]["accuracy"],
        "real_accuracy": out["real"]["accuracy"],
        "real_macro_f1": out["real"]["macro_f1"] or 0.0,
        "real_contradicts_precision": out["real"]["labels"]["CONTRADICTS"]["precision"],
        "real_contradicts_recall": out["real"]["labels"]["CONTRADICTS"]["recall"],
        **{f"{name}_accuracy": out[name]["accuracy"] for name in sorted(parts)},
    }
    return out


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 3)
