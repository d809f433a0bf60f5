"""Would a partly int8 e5 be faithful? Which MatMuls to quantise, against what it costs.

ONNX Runtime's int8 (`e5-onnx-int8`, every MatMul weight) is 2-3x faster than
fp32 on a CPU with VNNI but does not rank like the bundled model. This
quantises subsets of the exported fp32 graph's weighted MatMuls (attention
projections, the feed-forward up and down projections), each with
`quantize_dynamic` per output channel as `onnx_export` does, and measures each
against the bundled engine with the parity test's own comparison (cosine, top-1
agreement on the eval questions against every KB phrasing) and its speed: median
ms per query on one core for 5- and 40-word messages, fp32 beside it.

    .venv/bin/python -m bench.quantization [--questions data/eval/questions.yml]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np

from bench.cpu import cpu_summary
from bench.e5_parity import compare, load_texts
from bench.messages import messages
from bot.kb.encoders import create_encoder
from bot.kb.encoders.factory import BUNDLED_E5
from bot.kb.encoders.onnx_e5 import OnnxE5Encoder
from bot.kb.encoders.onnx_export import exported, model_file
from bot.settings import ROOT

# A weighted MatMul's role in a BERT layer, by its weight's shape (384 wide, 1536 inside).
ROLES = {(384, 384): "attention", (384, 1536): "ffn-up", (1536, 384): "ffn-down"}
VARIANTS = {
    "every MatMul (e5-onnx-int8)": ("attention", "ffn-up", "ffn-down"),
    "feed-forward only": ("ffn-up", "ffn-down"),
    "all but ffn-down": ("attention", "ffn-up"),
    "ffn-up only": ("ffn-up",),
    "attention only": ("attention",),
}


def named_graph(source: Path, target: Path) -> dict[str, str]:
    """The fp32 graph with every node named (the export leaves them blank); MatMul name -> role."""
    import onnx

    model = onnx.load(str(source))
    weights = {t.name: tuple(t.dims) for t in model.graph.initializer}
    roles = {}
    for number, node in enumerate(model.graph.node):
        node.name = node.name or f"{node.op_type}_{number}"
        shape = next((weights[i] for i in node.input if i in weights), None)
        if node.op_type == "MatMul" and shape in ROLES:
            roles[node.name] = ROLES[shape]
    onnx.save(model, str(target), save_as_external_data=True, location=target.name + ".data")
    return roles


def quantised(graph: Path, nodes: list[str], target: Path) -> Path:
    from onnxruntime.quantization import QuantType, quantize_dynamic

    quantize_dynamic(
        graph,
        target,
        op_types_to_quantize=["MatMul"],
        nodes_to_quantize=nodes,
        weight_type=QuantType.QInt8,
        per_channel=True,
        use_external_data_format=True,
    )
    return target


def encoder_for(path: Path) -> OnnxE5Encoder:
    """`e5-onnx`'s tokenizer, prefixes and pooling around another graph, on one thread."""
    import onnxruntime as ort

    encoder = OnnxE5Encoder("e5-onnx", "fp32", threads=1)
    options = ort.SessionOptions()
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    options.intra_op_num_threads = 1
    encoder._session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
    return encoder


def median_ms(encoder: OnnxE5Encoder, texts: list[str]) -> float:
    times = []
    for text in texts:
        started = time.perf_counter()
        encoder.encode([text])
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=Path, default=ROOT / "data" / "eval" / "questions.yml")
    parser.add_argument("--faq-dir", type=Path, default=ROOT / "data" / "faq")
    args = parser.parse_args()
    print(cpu_summary())
    questions, phrasings = load_texts(args.faq_dir, args.questions)
    bundled = create_encoder(BUNDLED_E5)
    reference = (
        np.vstack([bundled.encode([q]) for q in questions]),
        bundled.encode(phrasings),
    )
    timing = {words: messages(words, 20) for words in (5, 40)}
    fp32 = encoder_for(model_file(exported("fp32"), "fp32"))
    print(f"{len(questions)} questions against {len(phrasings)} KB phrasings; one core")
    print(
        f"{'quantised MatMuls':30} {'cos mean':>9} {'cos min':>9} {'top-1':>7}"
        f" {'5 words ms':>14} {'40 words ms':>14}"
    )
    with tempfile.TemporaryDirectory() as work:
        graph = Path(work) / "named.onnx"
        roles = named_graph(model_file(exported("fp32"), "fp32"), graph)
        rows = {"none (e5-onnx, fp32)": fp32}
        for number, (label, kinds) in enumerate(VARIANTS.items()):
            nodes = [name for name, role in roles.items() if role in kinds]
            rows[label] = encoder_for(quantised(graph, nodes, Path(work) / f"v{number}.onnx"))
        for label, encoder in rows.items():
            vectors = (
                np.vstack([encoder.encode([q]) for q in questions]),
                encoder.encode(phrasings),
            )
            parity = compare(questions, phrasings, vectors, reference)
            speeds = [
                f"{median_ms(encoder, texts):5.1f} / {median_ms(fp32, texts):5.1f}"
                for texts in timing.values()
            ]
            print(
                f"{label:30} {parity.cosines.mean():9.5f} {parity.cosines.min():9.5f}"
                f" {parity.top1_agreement:7.3f} {speeds[0]:>14} {speeds[1]:>14}",
                flush=True,
            )
    print("(ms: the variant / fp32, in turn; the parity test asks top-1 >= 0.98, cosine >= 0.995)")


if __name__ == "__main__":
    main()
