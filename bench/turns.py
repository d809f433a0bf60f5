"""Latency and throughput of conversational turns over Rasa's REST channel.

Starts the real stack (bot service + Rasa) on free ports with the demo KB,
then drives, in one run: a plain turn (a greeting answered by a Rasa
response) and KB turns with customer-length messages, 5-10 words (held-out
and customer-style questions) and 25-40 words (customer-style messages from
data/eval/chat.yml), at each concurrency asked for (default 1, 4, 8 and 16
conversations). Prints the CPU, p50/p95 latency, throughput, the KB/plain
ratios, the memory (RSS, and PSS: shared pages split among the processes
that map them) of both services, and where a KB turn's time goes: the
bot-side stages (bench/stages.py, timed in this process on the same messages)
and, at one conversation, each layer of Rasa's custom-action round trip
(bench/roundtrip.py: Rasa times its action calls, the bot service its own).

`--encoders` compares where the query embedding runs, one stack for each,
all running at once and taking turns at every measurement: `0` in the
service's process, `2x1` in two worker processes of one intra-op thread each
(BOT_ENCODER_WORKERS, BOT_ENCODER_THREADS).

    make bench    # or: .venv/bin/python -m bench.turns --concurrency 1 4 8 16 --encoders 0 2x1
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Iterable
from contextlib import ExitStack
from pathlib import Path

import httpx

from bench import roundtrip
from bench.cpu import cpu_summary
from bench.stack import ROOT, Stack, running_stack
from bot.evaluation.dataset import load_questions

GREETINGS = ["Hello!", "Hei!", "Hej!", "Goedemorgen!", "Hi there", "God morgen", "Hallo"]
TURNS_PER_CONVERSATION = 6
EVAL = ROOT / "data" / "eval"
# Customers sign their messages (the search leaves the sign-off out: bot/kb/question.py).
SIGN_OFFS = ["Thanks, Kari", "Mvh Ola", "Hilsen Anna", "Tack, Erik", "Groeten, Piet", "Tak, Mette"]


def short_questions() -> list[str]:
    """4-8-word questions (6-10 with their reference): held-out and customer-style ones."""
    texts = [q.text for q in load_questions(EVAL / "questions.yml") if q.expected]
    chat = EVAL / "chat.yml"
    texts += [q.text for q in load_questions(chat) if q.expected] if chat.is_file() else []
    return _unique(t for t in texts if 4 <= len(t.split()) <= 8)


def long_questions() -> list[str]:
    """21-36-word customer messages (25-40 with reference and sign-off; chat.yml), else the
    held-out questions stitched."""
    chat = EVAL / "chat.yml"
    if chat.is_file():
        return [q.text for q in load_questions(chat) if q.expected and 21 <= q.words <= 36]
    from bench.messages import messages

    return messages(30, 200)


def _unique(texts: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(texts))


def referenced(text: str, serial: int, signed: bool) -> str:
    """`text` with a case reference and, for a long message, a sign-off: every turn is a
    question the service has not embedded before (its per-text memory would make a
    repeat free, and the search leaves greetings and sign-offs out)."""
    sign = f" {SIGN_OFFS[serial % len(SIGN_OFFS)]}" if signed else ""
    return f"{text} (ref. {serial}){sign}"


def outcome(messages: list[dict]) -> str:
    """What the bot did in a turn: the response contract's kind, else `text` (a Rasa
    response), or `none` (nothing: a paused, handed-off conversation)."""
    for message in messages:
        kind = (message.get("custom") or {}).get("kind")
        if kind:
            return str(kind)
    return "text" if messages else "none"


async def _turns(
    stack: Stack,
    texts: list[str],
    turns: int,
    concurrency: int,
    outcomes: Counter[str] | None = None,
) -> list[float]:
    latencies: list[float] = []
    url = f"{stack.rasa_url}/webhooks/rest/webhook"
    counter = iter(range(turns))

    async def conversation(client: httpx.AsyncClient) -> None:
        sender, position = "", 0
        for number in counter:
            # A customer's chat is a few turns; a handed-off one waits for its agent (the
            # bot is paused there and would answer nothing), so the next turn is a new chat.
            if position % TURNS_PER_CONVERSATION == 0:
                sender, position = f"bench-{uuid.uuid4().hex[:10]}", 0
            position += 1
            started = time.perf_counter()
            response = await client.post(
                url, json={"sender": sender, "message": texts[number % len(texts)]}
            )
            response.raise_for_status()
            latencies.append((time.perf_counter() - started) * 1000)
            kind = outcome(response.json())
            position = 0 if kind == "handoff" else position
            if outcomes is not None:
                outcomes[kind] += 1

    async with httpx.AsyncClient(timeout=120) as client:
        await asyncio.gather(*(conversation(client) for _ in range(concurrency)))
    return latencies


class Pool:
    """Hands out texts in order, each a new one (`referenced`) unless `plain`."""

    def __init__(self, texts: list[str], plain: bool = False, signed: bool = False) -> None:
        self.texts, self.next = texts, 0
        self.plain, self.signed = plain, signed

    def take(self, count: int) -> list[str]:
        serials = range(self.next, self.next + count)
        self.next += count
        texts = [self.texts[i % len(self.texts)] for i in serials]
        if self.plain:
            return texts
        return [referenced(t, i, self.signed) for t, i in zip(texts, serials, strict=True)]


def _measure(
    stack: Stack, warm_up: list[str], texts: list[str], concurrency: int
) -> dict[str, float]:
    asyncio.run(_turns(stack, warm_up, len(warm_up), concurrency))
    before = roundtrip.read(stack)
    outcomes: Counter[str] = Counter()
    started = time.perf_counter()
    latencies = asyncio.run(_turns(stack, texts, len(texts), concurrency, outcomes))
    elapsed = time.perf_counter() - started
    ordered = sorted(latencies)
    return {
        "p50": statistics.median(ordered),
        "p95": ordered[int(0.95 * (len(ordered) - 1))],
        "mean": statistics.fmean(ordered),
        "throughput": len(ordered) / elapsed,
        **roundtrip.per_turn(before, roundtrip.read(stack), len(ordered)),
        **{f"outcome {kind}": count / len(ordered) for kind, count in outcomes.items()},
    }


def _memory_mb(pid: int, field: str = "Rss") -> float:
    """Rss or Pss of a process and its children (Rasa runs under bash; encoder workers)."""
    total = 0.0
    for proc in [pid, *_children(pid)]:
        rollup = Path(f"/proc/{proc}/smaps_rollup")
        if rollup.exists():
            for line in rollup.read_text().splitlines():
                if line.startswith(f"{field}:"):
                    total += int(line.split()[1]) / 1024
    return total


def _memory(stack: Stack) -> str:
    bot, rasa = stack.bot.pid, stack.rasa.pid
    return (
        f"bot service {_memory_mb(bot):.0f} MB RSS / {_memory_mb(bot, 'Pss'):.0f} MB PSS "
        f"({len(_children(bot))} child processes), "
        f"Rasa {_memory_mb(rasa):.0f} MB RSS / {_memory_mb(rasa, 'Pss'):.0f} MB PSS"
    )


def _encoder_env(spec: str) -> dict[str, str]:
    """`0`: in-process; `WxT`: W worker processes of T intra-op threads; `auto` as settings."""
    workers, _, threads = spec.partition("x")
    env = {"BOT_ENCODER_WORKERS": workers}
    return {**env, "BOT_ENCODER_THREADS": threads} if threads else env


def _children(pid: int) -> list[int]:
    """Every descendant; a child is listed under the thread that started it (the encoder
    workers under one of the service's worker threads)."""
    kids = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        listing = task / "children"
        kids += [int(p) for p in listing.read_text().split()] if listing.exists() else []
    return kids + [grand for kid in kids for grand in _children(kid)]


def _run(
    stacks: dict[str, Stack], pools: dict[str, Pool], args: argparse.Namespace
) -> dict[tuple[str, str, int], dict[str, float]]:
    """Each measurement on every stack in turn, so that they share the machine's moods."""
    results: dict[tuple[str, str, int], dict[str, float]] = {}
    print(
        f"{'encoder':14} {'turn':34} {'conc':>4} {'p50 ms':>8} {'p95 ms':>8} {'turns/s':>8}"
        "   what the bot did"
    )
    for concurrency in args.concurrency:
        for name, pool in pools.items():
            # The same texts on every stack (each service has its own per-text memory).
            warm_up, texts = pool.take(max(10, args.turns // 10)), pool.take(args.turns)
            for label, stack in stacks.items():
                row = _measure(stack, warm_up, texts, concurrency)
                results[(label, name, concurrency)] = row
                kinds = ", ".join(
                    f"{key.removeprefix('outcome ')} {share:.0%}"
                    for key, share in sorted(row.items())
                    if key.startswith("outcome ")
                )
                print(
                    f"{label:14} {name:34} {concurrency:>4} {row['p50']:>8.1f} "
                    f"{row['p95']:>8.1f} {row['throughput']:>8.1f}   {kinds}",
                    flush=True,
                )
    return results


def _ratios(results: dict[tuple[str, str, int], dict[str, float]], kinds: list[str]) -> None:
    plain, *kb_kinds = kinds
    for label, _, concurrency in results:
        if _ != plain:
            continue
        p = results[(label, plain, concurrency)]
        for kb in kb_kinds:
            k = results[(label, kb, concurrency)]
            ratio = k["throughput"] / p["throughput"]
            print(
                f"[{label}] {kb} / plain at {concurrency}: p50 {k['p50'] / p['p50']:.2f}x, "
                f"p95 {k['p95'] / p['p95']:.2f}x, throughput {ratio:.2f}x"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--turns", type=int, default=150, help="turns per measurement")
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 4, 8, 16])
    parser.add_argument("--faq-dir", type=Path, default=ROOT / "data" / "faq")
    parser.add_argument("--model", help="BOT_EMBEDDING_MODEL for the bot service")
    parser.add_argument(
        "--encoders", nargs="+", default=[""], help="0 (in-process), WxT (workers x threads)"
    )
    parser.add_argument("--no-stages", action="store_true", help="skip the per-stage breakdown")
    args = parser.parse_args()
    model = args.model or os.environ.get("BOT_EMBEDDING_MODEL")
    extra = {"BOT_EMBEDDING_MODEL": model} if model else {}
    print(f"CPU: {cpu_summary()}")
    print(f"embedding model: {model or 'the default'}")
    kinds = {
        "plain (greeting, Rasa response)": Pool(GREETINGS, plain=True),
        "KB, 5-10 words": Pool(short_questions()),
        "KB, 25-40 words": Pool(long_questions(), signed=True),
    }
    with ExitStack() as running:
        stacks: dict[str, Stack] = {}
        for spec in args.encoders:
            workdir = Path(running.enter_context(tempfile.TemporaryDirectory()))
            if stacks:  # the first stack's index, which `bot kb build` finds up to date
                first = next(iter(stacks.values())).workdir / "kb_index"
                shutil.copytree(first, workdir / "kb_index")
            env = {
                **extra,
                **(_encoder_env(spec) if spec else {}),
                **roundtrip.timing_env(workdir),
            }
            stacks[spec or "as configured"] = running.enter_context(
                running_stack(args.faq_dir, workdir, env)
            )
        for label, stack in stacks.items():
            print(f"memory at start, {label}: {_memory(stack)}")
        results = _run(stacks, kinds, args)
        for label, stack in stacks.items():
            print(f"memory after the run, {label}: {_memory(stack)}")
        print()
        _ratios(results, list(kinds))
        label, stack = next(iter(stacks.items()))
        at_one = {name: results[(label, name, 1)] for name in kinds if (label, name, 1) in results}
        means = None
        if not args.no_stages:
            from bench import stages

            texts = {k: kinds[k].take(stages.MESSAGES) for k in list(kinds)[1:]}
            measured = stages.measure(stack, args.faq_dir, model, texts)
            stages.print_stages(measured)
            means = {
                kind: {stage: statistics.fmean(ms) for stage, ms in row.items()}
                for kind, row in measured.items()
            }
        if len(at_one) == len(kinds):
            roundtrip.print_breakdown(at_one, means)
    from bench import privacy  # what masking adds to a turn (issue 14: at most 1 ms p95)

    print()
    privacy.main()


if __name__ == "__main__":
    main()
