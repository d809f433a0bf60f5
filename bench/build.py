"""How long `bot kb build` takes on a large KB, and where the time goes.

Generates a KB of public data (bench/large_kb.py) in a temporary directory and
runs the real build on it (bot.kb.build.build: validation, embedding, language
centroids, the adapter and the examples it scores, calibration, FAISS and the
files), with the configured embedding model. The stages are timed by wrapping
the build's own functions, each stage's time exclusive of the stages it calls:
the embedding of the chat-style copies inside `learn` counts as embedding, not
as learning.

    .venv/bin/python -m bench.build [--entries 10000] [--adapter auto]

The corpus centroids and the out-of-scope bank's embeddings come from the
project's cache (var/cache) as in `bot kb build`; `--cold` uses an empty one.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from unittest import mock

from bench.clock import StageClock
from bench.cpu import cpu_summary
from bench.large_kb import generate, write_kb
from bot.kb.encoders import create_encoder
from bot.settings import ROOT, Settings

BENCH_DATA = ROOT.parent / "shared" / "bench"
EMBEDDING = "embedding"
LARGE_CALL = 1000  # texts; bot kb build's own calls are at most 512 (index.BATCH)


class BuildClock(StageClock):
    """The stage clock, and how many texts the build embedded."""

    def __init__(self) -> None:
        super().__init__()
        self.texts = 0

    def timed_encoder(self, encoder: Any) -> Any:
        """The encoder with `encode` counted as embedding and its texts counted."""
        encode = encoder.encode

        def counted(texts: Any, *args: Any, **kwargs: Any) -> Any:
            self.texts += len(texts)
            if len(texts) > LARGE_CALL:  # the chat-style copies: minutes without a bar of their own
                print(f"embedding {len(texts)} texts ({time.strftime('%H:%M:%S')})", flush=True)
            with self.stage(EMBEDDING):
                return encode(texts, *args, **kwargs)

        encoder.encode = counted
        return encoder


def timed_build(settings: Settings) -> BuildClock:
    """Run `bot kb build --force` with its stages wrapped by a `BuildClock`."""
    import bot.kb.build as build
    import bot.kb.examples as examples
    import bot.kb.index as index

    clock = BuildClock()
    patches = [
        (build, "load_kb", "load and validate"),
        (build, "build_index", "faiss, files, the rest"),
        (index, "language_centroids", "language centroids"),
        (index, "learn", "learn: scoring examples"),
        (examples, "cross_fitted_adapters", "adapter training"),
        (examples, "train_adapter", "adapter training"),
        (index, "calibrate", "calibration"),
    ]
    loader = clock.wrap("model load", lambda name: clock.timed_encoder(create_encoder(name)))
    with (
        clock.around(patches),
        mock.patch.object(build, "create_encoder", loader),
        clock.stage("other"),
    ):
        build.build(settings, force=True)
    return clock


def report(clock: BuildClock, wall: float, entries: int, phrasings: int) -> None:
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\nCPU: {cpu_summary()}")
    print(f"entries {entries}, phrasings {phrasings}, texts embedded {clock.texts}")
    print(f"{'stage':28}{'seconds':>10}{'share':>8}")
    for stage, seconds in sorted(clock.seconds.items(), key=lambda kv: -kv[1]):
        print(f"{stage:28}{seconds:>10.1f}{seconds / wall:>8.0%}")
    print(f"{'wall':28}{wall:>10.1f}")
    embedding = clock.seconds.get(EMBEDDING, 0.0)
    print(f"texts/s {clock.texts / max(embedding, 1e-9):.0f} (embedding only), ", end="")
    print(f"phrasings/s {phrasings / wall:.0f} (whole build); peak RSS {peak_mb:.0f} MB")
    print("load average (1, 5, 15 min): " + ", ".join(f"{x:.2f}" for x in os.getloadavg()))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--data", type=Path, default=BENCH_DATA)
    parser.add_argument("--adapter", choices=("auto", "always", "off"), default="auto")
    parser.add_argument("--cold", action="store_true", help="an empty embedding cache")
    parser.add_argument("--keep", type=Path, help="write the KB and index here, and keep them")
    args = parser.parse_args(argv)
    if not (args.data / "clinc150").is_dir():
        parser.error(f"{args.data} has no public data sets: point --data at shared/bench")
    with tempfile.TemporaryDirectory(prefix="svar-build-") as tmp:
        work = args.keep or Path(tmp)
        entries = generate(args.data, args.entries, args.seed)
        write_kb(entries, work / "faq")
        phrasings = sum(1 + len(e.get("alternatives", ())) for e in entries)
        env = {
            **os.environ,
            "BOT_FAQ_DIR": str(work / "faq"),
            "BOT_INDEX_DIR": str(work / "kb_index"),
            "BOT_KB_ADAPTER": args.adapter,
            **({"BOT_CACHE_DIR": str(work / "cache")} if args.cold else {}),
        }
        settings = Settings.from_env(env)
        langs = sorted({e["lang"] for e in entries})
        print(f"model {settings.embedding_model}, adapter {args.adapter}, languages {langs}")
        print("load average before: " + ", ".join(f"{x:.2f}" for x in os.getloadavg()))
        started = time.perf_counter()
        clock = timed_build(settings)
        report(clock, time.perf_counter() - started, len(entries), phrasings)
    return 0


if __name__ == "__main__":
    sys.exit(main())
