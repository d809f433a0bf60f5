"""Latency and throughput of conversational turns over Rasa's REST channel.

Starts the real stack (bot service + Rasa) on free ports with the demo KB,
then drives, in one run, a plain turn (a greeting answered by a Rasa
response) and a KB answer turn (a question answered by the KB action), at 1
and 8 concurrent conversations, and prints p50/p95 latency, throughput, the
KB/plain ratio and the memory (RSS) of both processes.

    make bench            # or: .venv/bin/python -m bench.turns --turns 200
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
import uuid
from pathlib import Path

import httpx

from bench.stack import ROOT, Stack, running_stack
from bot.evaluation.dataset import load_questions

GREETINGS = ["Hello!", "Hei!", "Hej!", "Goedemorgen!", "Hi there", "God morgen", "Hallo"]
TURNS_PER_CONVERSATION = 6
# Distinct questions (the held-out eval set), so that no turn repeats an earlier one.
QUESTIONS = [q.text for q in load_questions(ROOT / "data" / "eval" / "questions.yml") if q.expected]


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

    async with httpx.AsyncClient(timeout=60) as client:
        await asyncio.gather(*(conversation(client) for _ in range(concurrency)))
    return latencies


def _measure(stack: Stack, texts: list[str], turns: int, concurrency: int) -> dict[str, float]:
    warm_up = max(10, turns // 10)
    asyncio.run(_turns(stack, texts, warm_up, concurrency, start=len(texts) - warm_up))
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
    parser.add_argument("--turns", type=int, default=200, help="turns per measurement")
    parser.add_argument("--faq-dir", type=Path, default=ROOT / "data" / "faq")
    args = parser.parse_args()
    with (
        tempfile.TemporaryDirectory() as workdir,
        running_stack(args.faq_dir, Path(workdir)) as stack,
    ):
        kinds = {
            "plain (greeting, Rasa response)": GREETINGS,
            "KB answer (custom action)": QUESTIONS,
        }
        results: dict[tuple[str, int], dict[str, float]] = {}
        print(f"{'turn':34} {'conc':>4} {'p50 ms':>8} {'p95 ms':>8} {'turns/s':>8}")
        for concurrency in (1, 8):
            for name, texts in kinds.items():
                row = _measure(stack, texts, args.turns, concurrency)
                results[(name, concurrency)] = row
                print(
                    f"{name:34} {concurrency:>4} {row['p50']:>8.1f} {row['p95']:>8.1f} "
                    f"{row['throughput']:>8.1f}"
                )
        plain, kb = kinds
        for concurrency in (1, 8):
            p, k = results[(plain, concurrency)], results[(kb, concurrency)]
            ratio = k["throughput"] / p["throughput"]
            print(
                f"KB / plain at {concurrency}: p50 {k['p50'] / p['p50']:.2f}x, "
                f"p95 {k['p95'] / p['p95']:.2f}x, throughput {ratio:.2f}x"
            )
        print(
            f"RSS: bot service {_rss_mb(stack.bot.pid):.0f} MB, "
            f"Rasa {_rss_mb(stack.rasa.pid):.0f} MB"
        )


if __name__ == "__main__":
    main()
