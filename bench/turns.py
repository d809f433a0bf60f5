"""Latency and throughput of conversational turns over Rasa's REST channel.

Starts the real stack (bot service + Rasa) on free ports with the demo KB,
then drives, in one run: a plain turn (a greeting answered by a Rasa
response) and KB turns with customer-length messages, 5-10 words (held-out
and customer-style questions) and 25-40 words (customer-style messages from
data/eval/chat.yml), at each concurrency asked for (default 1 and 8
conversations). Prints the CPU, p50/p95 latency, throughput, the KB/plain
ratios, the memory (RSS) of both processes, and where a KB turn's time goes
(the bot-side stages, timed in this process on the same messages).

    make bench            # or: .venv/bin/python -m bench.turns --concurrency 1 4 8 16
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import tempfile
import time
import uuid
from collections.abc import Iterable
from pathlib import Path

import httpx

from bench.cpu import cpu_summary
from bench.stack import ROOT, Stack, running_stack
from bot.evaluation.dataset import load_questions

GREETINGS = ["Hello!", "Hei!", "Hej!", "Goedemorgen!", "Hi there", "God morgen", "Hallo"]
TURNS_PER_CONVERSATION = 6
EVAL = ROOT / "data" / "eval"
# Customers sign their messages; rotating sign-offs keeps every long turn a text the
# bot service has not embedded before (its per-text memory would make repeats free).
SIGN_OFFS = ["Thanks, Kari", "Mvh Ola", "Hilsen Anna", "Tack, Erik", "Groeten, Piet", "Tak, Mette"]


def short_questions() -> list[str]:
    """5-10-word questions: held-out eval questions and customer-style ones."""
    texts = [q.text for q in load_questions(EVAL / "questions.yml") if q.expected]
    chat = EVAL / "chat.yml"
    texts += [q.text for q in load_questions(chat) if q.expected] if chat.is_file() else []
    return _unique(t for t in texts if 5 <= len(t.split()) <= 10)


def long_questions() -> list[str]:
    """25-40-word customer messages (chat.yml, signed), else the held-out questions stitched."""
    chat = EVAL / "chat.yml"
    if chat.is_file():
        base = [q.text for q in load_questions(chat) if q.expected and 23 <= q.words <= 38]
        return _unique(f"{text} {sign}" for sign in SIGN_OFFS for text in base)
    from bench.messages import messages

    return messages(32, 200)


def _unique(texts: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(texts))


async def _turns(
    stack: Stack, texts: list[str], turns: int, concurrency: int, start: int = 0
) -> list[float]:
    latencies: list[float] = []
    url = f"{stack.rasa_url}/webhooks/rest/webhook"
    counter = iter(range(turns))

    async def conversation(client: httpx.AsyncClient) -> None:
        sender = ""
        for position, number in enumerate(counter):
            if position % TURNS_PER_CONVERSATION == 0:  # a customer's chat is a few turns
                sender = f"bench-{uuid.uuid4().hex[:10]}"
            started = time.perf_counter()
            response = await client.post(
                url, json={"sender": sender, "message": texts[(start + number) % len(texts)]}
            )
            response.raise_for_status()
            latencies.append((time.perf_counter() - started) * 1000)

    async with httpx.AsyncClient(timeout=120) as client:
        await asyncio.gather(*(conversation(client) for _ in range(concurrency)))
    return latencies


class Pool:
    """Hands out texts in order, so that no measurement repeats another's texts."""

    def __init__(self, texts: list[str]) -> None:
        self.texts, self.next = texts, 0

    def take(self, count: int) -> list[str]:
        taken = [self.texts[(self.next + i) % len(self.texts)] for i in range(count)]
        self.next += count
        return taken


def _measure(stack: Stack, pool: Pool, turns: int, concurrency: int) -> dict[str, float]:
    warm_up = max(10, turns // 10)
    asyncio.run(_turns(stack, pool.take(warm_up), warm_up, concurrency))
    texts = pool.take(turns)
    started = time.perf_counter()
    latencies = asyncio.run(_turns(stack, texts, turns, concurrency))
    elapsed = time.perf_counter() - started
    ordered = sorted(latencies)
    return {
        "p50": statistics.median(ordered),
        "p95": ordered[int(0.95 * (len(ordered) - 1))],
        "throughput": len(ordered) / elapsed,
    }


def _rss_mb(pid: int) -> float:
    """Resident memory of a process and its children (Rasa runs under bash)."""
    total = 0.0
    for proc in [pid, *_children(pid)]:
        status = Path(f"/proc/{proc}/status")
        if status.exists():
            for line in status.read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) / 1024
    return total


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    kids = [int(p) for p in path.read_text().split()] if path.exists() else []
    return kids + [grand for kid in kids for grand in _children(kid)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--turns", type=int, default=150, help="turns per measurement")
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 8])
    parser.add_argument("--faq-dir", type=Path, default=ROOT / "data" / "faq")
    parser.add_argument("--model", help="BOT_EMBEDDING_MODEL for the bot service")
    parser.add_argument("--no-stages", action="store_true", help="skip the per-stage breakdown")
    args = parser.parse_args()
    model = args.model or os.environ.get("BOT_EMBEDDING_MODEL")
    extra = {"BOT_EMBEDDING_MODEL": model} if model else {}
    print(f"CPU: {cpu_summary()}")
    kinds = {
        "plain (greeting, Rasa response)": Pool(GREETINGS),
        "KB, 5-10 words": Pool(short_questions()),
        "KB, 25-40 words": Pool(long_questions()),
    }
    with (
        tempfile.TemporaryDirectory() as workdir,
        running_stack(args.faq_dir, Path(workdir), extra) as stack,
    ):
        print(f"embedding model: {model or 'the default'}")
        results: dict[tuple[str, int], dict[str, float]] = {}
        print(f"{'turn':34} {'conc':>4} {'p50 ms':>8} {'p95 ms':>8} {'turns/s':>8}")
        for concurrency in args.concurrency:
            for name, pool in kinds.items():
                row = _measure(stack, pool, args.turns, concurrency)
                results[(name, concurrency)] = row
                print(
                    f"{name:34} {concurrency:>4} {row['p50']:>8.1f} {row['p95']:>8.1f} "
                    f"{row['throughput']:>8.1f}",
                    flush=True,
                )
        plain, *kb_kinds = kinds
        for concurrency in args.concurrency:
            p = results[(plain, concurrency)]
            for kb in kb_kinds:
                k = results[(kb, concurrency)]
                ratio = k["throughput"] / p["throughput"]
                print(
                    f"{kb} / plain at {concurrency}: p50 {k['p50'] / p['p50']:.2f}x, "
                    f"p95 {k['p95'] / p['p95']:.2f}x, throughput {ratio:.2f}x"
                )
        print(
            f"RSS: bot service {_rss_mb(stack.bot.pid):.0f} MB, "
            f"Rasa {_rss_mb(stack.rasa.pid):.0f} MB"
        )
        if not args.no_stages:
            from bench.stages import print_stages

            print_stages(stack, args.faq_dir, model, {k: kinds[k].texts for k in kb_kinds})
    from bench import privacy  # what masking adds to a turn (issue 14: at most 1 ms p95)

    print()
    privacy.main()


if __name__ == "__main__":
    main()
