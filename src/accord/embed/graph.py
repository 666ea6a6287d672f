"""Writes a BERT sentence encoder as an ONNX graph from its safetensors weights, without torch.

The graph computes what sentence-transformers computes for all-MiniLM-L6-v2: the BERT
encoder, mean pooling over the attention mask and L2 normalisation. It uses standard ONNX
operators only (opset 17), so onnxruntime's own graph optimiser can fuse layer norms, GELU
and attention as it does for an exported model.
"""

from __future__ import annotations

import json
import logging
import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from accord.errors import ConfigError

logger = logging.getLogger(__name__)

OPSET = 17  # the first opset with LayerNormalization
GRAPH_VERSION = 1  # bump when the graph changes, so cached graphs are rebuilt
# The additive attention bias for padding: exp() of it is exactly 0 in fp32, like the
# dtype-minimum mask transformers uses, without the overflow risk of adding two minima.
_MASK_BIAS = -1.0e9
_NORM_EPS = 1e-12  # torch.nn.functional.normalize's default, which sentence-transformers uses
_COUNT_EPS = 1e-9  # sentence-transformers' clamp on the token count in mean pooling


@dataclass(frozen=True, slots=True, kw_only=True)
class BertConfig:
    """The shape of a BERT encoder, read from its ``config.json``.

    Attributes:
        hidden_size: width of every token vector.
        num_layers: encoder layers.
        num_heads: attention heads per layer.
        layer_norm_eps: epsilon of every layer norm.
    """

    hidden_size: int
    num_layers: int
    num_heads: int
    layer_norm_eps: float

    @classmethod
    def from_file(cls, path: Path) -> BertConfig:
        """Read the fields from a Hugging Face ``config.json``.

        Raises:
            ConfigError: the file is missing, not JSON, not a BERT config, or uses an
                activation or position embedding this graph does not implement.
        """
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            config = cls(
                hidden_size=int(data["hidden_size"]),
                num_layers=int(data["num_hidden_layers"]),
                num_heads=int(data["num_attention_heads"]),
                layer_norm_eps=float(data.get("layer_norm_eps", 1e-12)),
            )
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise ConfigError(f"cannot read the BERT config {path}: {exc}") from exc
        if data.get("hidden_act", "gelu") != "gelu":
            raise ConfigError(f"{path}: hidden_act {data['hidden_act']!r} is not supported (gelu)")
        if data.get("position_embedding_type", "absolute") != "absolute":
            raise ConfigError(f"{path}: only absolute position embeddings are supported")
        if config.hidden_size % config.num_heads:
            raise ConfigError(f"{path}: hidden_size is not a multiple of num_attention_heads")
        return config


class _Builder:
    """Accumulates nodes and initializers under unique names."""

    def __init__(self) -> None:
        from onnx import helper, numpy_helper

        self.helper = helper
        self.numpy_helper = numpy_helper
        self.nodes: list[Any] = []
        self.initializers: list[Any] = []
        self._count = 0

    def const(self, name: str, array: NDArray[Any]) -> str:
        self.initializers.append(self.numpy_helper.from_array(array, name=name))
        return name

    def op(self, op_type: str, inputs: list[str], **attrs: Any) -> str:
        self._count += 1
        out = f"{op_type.lower()}_{self._count}"
        self.nodes.append(self.helper.make_node(op_type, inputs, [out], **attrs))
        return out


def _f32(array: NDArray[Any]) -> NDArray[np.float32]:
    return np.ascontiguousarray(array, dtype=np.float32)


def build_bert_graph(weights: Mapping[str, NDArray[Any]], config: BertConfig) -> bytes:
    """Return the serialised ONNX model of a BERT encoder with mean pooling and L2 norm.

    Inputs are ``input_ids`` and ``attention_mask`` (int64, batch x tokens); the output
    ``embeddings`` is float32, batch x hidden, each row of unit length (or zero). Token type
    ids are taken to be 0, as they are for single sentences.

    Args:
        weights: the checkpoint's tensors by their Hugging Face ``BertModel`` names (an
            optional ``bert.`` prefix is accepted).
        config: the encoder's shape.

    Raises:
        ConfigError: a tensor the encoder needs is missing.
    """
    from onnx import TensorProto

    def w(name: str) -> NDArray[Any]:
        for key in (name, f"bert.{name}"):
            if key in weights:
                return np.asarray(weights[key])
        raise ConfigError(f"the checkpoint has no tensor {name!r}; is it a BERT model?")

    b = _Builder()
    hidden, heads = config.hidden_size, config.num_heads
    head_dim = hidden // heads
    eps = config.layer_norm_eps

    def layer_norm(x: str, prefix: str) -> str:
        scale = b.const(f"{prefix}.weight", _f32(w(f"{prefix}.weight")))
        bias = b.const(f"{prefix}.bias", _f32(w(f"{prefix}.bias")))
        return b.op("LayerNormalization", [x, scale, bias], axis=-1, epsilon=eps)

    def dense(x: str, prefix: str) -> str:
        # torch's Linear stores (out, in); MatMul wants (in, out)
        weight = b.const(f"{prefix}.weight_t", _f32(w(f"{prefix}.weight").T))
        bias = b.const(f"{prefix}.bias", _f32(w(f"{prefix}.bias")))
        return b.op("Add", [b.op("MatMul", [x, weight]), bias])

    split_heads = b.const("shape.split_heads", np.array([0, 0, heads, head_dim], np.int64))
    merge_heads = b.const("shape.merge_heads", np.array([0, 0, hidden], np.int64))
    scale = b.const("attention.scale", np.array(1.0 / math.sqrt(head_dim), np.float32))
    half = b.const("const.half", np.array(0.5, np.float32))
    one = b.const("const.one", np.array(1.0, np.float32))
    sqrt2 = b.const("const.sqrt2", np.array(math.sqrt(2.0), np.float32))

    # Embeddings: words + positions + token type 0, then a layer norm.
    words = b.const("embeddings.word", _f32(w("embeddings.word_embeddings.weight")))
    type0 = w("embeddings.token_type_embeddings.weight")[0]
    positions = b.const("embeddings.position", _f32(w("embeddings.position_embeddings.weight")))
    type_vec = b.const("embeddings.type0", _f32(type0))
    shape = b.op("Shape", ["input_ids"])
    length = b.op("Gather", [shape, b.const("const.index1", np.array(1, np.int64))], axis=0)
    zero_i = b.const("const.zero_i", np.array(0, np.int64))
    one_i = b.const("const.one_i", np.array(1, np.int64))
    position_ids = b.op("Range", [zero_i, length, one_i])
    x = b.op("Gather", [words, "input_ids"], axis=0)
    x = b.op("Add", [x, b.op("Gather", [positions, position_ids], axis=0)])
    x = b.op("Add", [x, type_vec])
    x = layer_norm(x, "embeddings.LayerNorm")

    # Attention bias: 0 where a token is real, a large negative where it is padding.
    mask_f = b.op("Cast", ["attention_mask"], to=TensorProto.FLOAT)
    axes_12 = b.const("const.axes12", np.array([1, 2], np.int64))
    mask_4d = b.op("Unsqueeze", [mask_f, axes_12])  # batch x 1 x 1 x tokens
    bias_scale = b.const("const.mask_bias", np.array(_MASK_BIAS, np.float32))
    attn_bias = b.op("Mul", [b.op("Sub", [one, mask_4d]), bias_scale])

    for i in range(config.num_layers):
        p = f"encoder.layer.{i}"

        def heads_of(t: str) -> str:
            return b.op("Transpose", [b.op("Reshape", [t, split_heads])], perm=[0, 2, 1, 3])

        q = heads_of(dense(x, f"{p}.attention.self.query"))
        k_t = b.op(
            "Transpose",
            [b.op("Reshape", [dense(x, f"{p}.attention.self.key"), split_heads])],
            perm=[0, 2, 3, 1],
        )
        v = heads_of(dense(x, f"{p}.attention.self.value"))
        scores = b.op("Add", [b.op("Mul", [b.op("MatMul", [q, k_t]), scale]), attn_bias])
        probs = b.op("Softmax", [scores], axis=-1)
        context = b.op("Transpose", [b.op("MatMul", [probs, v])], perm=[0, 2, 1, 3])
        context = b.op("Reshape", [context, merge_heads])
        attended = dense(context, f"{p}.attention.output.dense")
        x = layer_norm(b.op("Add", [attended, x]), f"{p}.attention.output.LayerNorm")
        inner = dense(x, f"{p}.intermediate.dense")
        # exact GELU, 0.5 * x * (1 + erf(x / sqrt 2)), as BERT's "gelu" computes it
        erf = b.op("Erf", [b.op("Div", [inner, sqrt2])])
        inner = b.op("Mul", [b.op("Mul", [inner, half]), b.op("Add", [erf, one])])
        out = dense(inner, f"{p}.output.dense")
        x = layer_norm(b.op("Add", [out, x]), f"{p}.output.LayerNorm")

    # Mean pooling over real tokens, then L2 normalisation.
    axes_2 = b.const("const.axes2", np.array([2], np.int64))
    axes_1 = b.const("const.axes1", np.array([1], np.int64))
    mask_3d = b.op("Unsqueeze", [mask_f, axes_2])  # batch x tokens x 1
    summed = b.op("ReduceSum", [b.op("Mul", [x, mask_3d]), axes_1], keepdims=0)
    count = b.op("ReduceSum", [mask_3d, axes_1], keepdims=0)
    count_eps = b.const("const.count_eps", np.array(_COUNT_EPS, np.float32))
    count = b.op("Max", [count, count_eps])
    pooled = b.op("Div", [summed, count])
    norm = b.op("ReduceL2", [pooled], axes=[1], keepdims=1)  # axes is an attribute in opset 17
    norm_eps = b.const("const.norm_eps", np.array(_NORM_EPS, np.float32))
    norm = b.op("Max", [norm, norm_eps])
    b.nodes.append(b.helper.make_node("Div", [pooled, norm], ["embeddings"]))

    graph = b.helper.make_graph(
        b.nodes,
        "accord_bert_mean_pool",
        [
            b.helper.make_tensor_value_info("input_ids", TensorProto.INT64, ["batch", "tokens"]),
            b.helper.make_tensor_value_info(
                "attention_mask", TensorProto.INT64, ["batch", "tokens"]
            ),
        ],
        [b.helper.make_tensor_value_info("embeddings", TensorProto.FLOAT, ["batch", hidden])],
        b.initializers,
    )
    model = b.helper.make_model(
        graph,
        opset_imports=[b.helper.make_opsetid("", OPSET)],
        producer_name="accord",
        producer_version=str(GRAPH_VERSION),
    )
    model.ir_version = 8  # readable by every onnxruntime that knows opset 17
    data: bytes = model.SerializeToString()
    logger.debug("built a %d-layer BERT graph, %d bytes", config.num_layers, len(data))
    return data
