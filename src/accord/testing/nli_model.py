"""A tiny NLI checkpoint built on the spot, for testing ``accord.nli.v1`` without downloads.

The model is a 2-layer BERT with random weights: it tests loading, batching, label mapping
and truncation, never quality. ``favour`` forces one class by its classifier bias.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

__all__ = ["TINY_VOCABULARY", "save_tiny_nli_model"]

TINY_VOCABULARY = (
    "the treaty agreement was signed in on by moscow london july june 1939 1941 not "
    "it a and of to ratified parliament soviet union kingdom two articles never alliance"
).split()
_SPECIALS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]


def save_tiny_nli_model(
    directory: Path,
    id2label: Mapping[int, str],
    *,
    favour: int | None = None,
    max_length: int = 32,
) -> Path:
    """Build a 2-layer BERT classifier and its word-level tokenizer, and save both.

    Args:
        directory: where to save (created).
        id2label: the class names the config declares.
        favour: a class id the model always predicts (``None``: random weights decide).
        max_length: the tokenizer's ``model_max_length``.

    Returns:
        ``directory``.
    """
    import torch
    import transformers
    from tokenizers import Tokenizer, models, pre_tokenizers, processors

    hf: Any = transformers  # its lazy module hides these names from type checkers

    vocab = {token: i for i, token in enumerate([*_SPECIALS, *TINY_VOCABULARY, ".", ","])}
    core = Tokenizer(models.WordLevel(vocab=vocab, unk_token="[UNK]"))
    core.pre_tokenizer = pre_tokenizers.Sequence(
        [pre_tokenizers.Whitespace(), pre_tokenizers.Punctuation()]
    )
    core.normalizer = None
    cls_id, sep_id = vocab["[CLS]"], vocab["[SEP]"]
    core.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]",
        pair="[CLS] $A [SEP] $B:1 [SEP]:1",
        special_tokens=[("[CLS]", cls_id), ("[SEP]", sep_id)],
    )
    tokenizer = hf.BertTokenizerFast(
        tokenizer_object=core,
        unk_token="[UNK]",
        sep_token="[SEP]",
        pad_token="[PAD]",
        cls_token="[CLS]",
        mask_token="[MASK]",
        do_lower_case=True,
        model_max_length=max_length,
    )
    labels = {int(k): v for k, v in id2label.items()}
    config = hf.BertConfig(
        vocab_size=len(vocab),
        hidden_size=32,
        num_hidden_layers=2,
        num_attention_heads=2,
        intermediate_size=64,
        max_position_embeddings=64,
        num_labels=len(labels),
        id2label=labels,
        label2id={v: k for k, v in labels.items()},
    )
    torch.manual_seed(0)
    model = hf.BertForSequenceClassification(config)
    if favour is not None:
        with torch.no_grad():
            model.classifier.weight.zero_()
            model.classifier.bias.zero_()
            model.classifier.bias[favour] = 5.0
    directory.mkdir(parents=True, exist_ok=True)
    tokenizer.save_pretrained(str(directory))
    model.save_pretrained(str(directory))
    return directory
