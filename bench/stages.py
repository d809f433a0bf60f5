"""Where a KB turn's time goes in the bot service: the turn's stages, timed in this process.

Uses the running stack's index and database with the same embedding model and runs
the whole turn (`take_turn`, as the KB action does) one message at a time, with a
clock around each stage of the real code path: the query embedding (the backend
itself; each message is new to the per-text memory), the search without it, the
decision, and storage (the notice lookup, the turn log, gap and contact records,
their reads and writes); "the rest" is what the turn does around them (triggers,
meaning models, wording). Each stage's time is its own, without the stages inside
it (a gap record's embedding counts as embedding), so the stages add up to the turn.
The language is read on the Rasa side, in NLU, for every message (a plain turn's
too); it is timed here on its own.
"""

from __future__ import annotations

import os
import statistics
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.clock import StageClock
from bench.stack import Stack
from bot.handoff import tickets
from bot.handoff.conversation import Conversation, Turn
from bot.language import detect_language
from bot.runtime import Runtime
from bot.settings import Settings
from bot.turn import core, reply, routing, take_turn
from bot.turn.reply import read_here

MESSAGES = 60
STAGES = ("embedding", "search", "decision", "storage", "rest")


@contextmanager
def clocked_turn(rt: Runtime, clock: StageClock) -> Iterator[None]:
    """Put the clock around the turn's stages (module attributes the turn calls by name)."""
    searcher = rt.index.searcher()
    encoder = getattr(searcher.encoder, "inner", searcher.encoder)
    patches: list[tuple[Any, str, str]] = [
        (encoder, "encode", "embedding"),
        (searcher, "search", "search"),
        (reply, "decide", "decision"),
        (reply, "notice_for", "storage"),
        (reply, "log_turn_safely", "storage"),
        (reply, "record_gap", "storage"),
        (core, "_remember", "storage"),
        (tickets, "earlier_contacts", "storage"),
        (core, "notify", "storage"),
        (routing, "hand_off", "storage"),
        (routing, "record_handoff_gap", "storage"),
    ]
    with clock.around(patches):
        yield


def _conversation(rt: Runtime, text: str) -> tuple[Conversation, Any]:
    sender = f"stages-{uuid.uuid4().hex[:8]}"
    question = read_here(text, sender, rt.settings, "rest")
    now = datetime.now(UTC)
    turn = Turn("customer", text, now)
    return Conversation(sender, (turn,), "rest", question.lang, started_at=now), question


def stages(rt: Runtime, texts: list[str]) -> dict[str, list[float]]:
    """Per stage, the ms each message's turn spent in it; `turn` is the whole turn."""
    out: dict[str, list[float]] = {"language (Rasa side)": []}
    for text in texts:
        started = time.perf_counter()
        detect_language(text, rt.settings)
        out["language (Rasa side)"].append((time.perf_counter() - started) * 1000)
    for name in (*STAGES, "turn"):
        out[name] = []
    for text in texts:
        conv, question = _conversation(rt, text)
        clock = StageClock()
        with clocked_turn(rt, clock):
            started = time.perf_counter()
            take_turn(rt, conv, question)
            total = time.perf_counter() - started
        clock.seconds["rest"] = total - sum(clock.seconds.values())
        for name in STAGES:
            out[name].append(clock.seconds.get(name, 0.0) * 1000)
        out["turn"].append(total * 1000)
    return out


def measure(
    stack: Stack, faq_dir: Path, model: str | None, kinds: dict[str, list[str]]
) -> dict[str, dict[str, list[float]]]:
    """The stages of each kind's messages, against the stack's index and database."""
    env = {
        "BOT_FAQ_DIR": str(faq_dir),
        "BOT_INDEX_DIR": str(stack.workdir / "kb_index"),
        "DATABASE_URL": stack.database_url,
        **({"BOT_EMBEDDING_MODEL": model} if model else {}),
    }
    rt = Runtime.start(Settings.from_env({**os.environ, **env}))
    try:
        return {name: stages(rt, texts[-MESSAGES:]) for name, texts in kinds.items()}
    finally:
        rt.close()


def print_stages(rows: dict[str, dict[str, list[float]]]) -> None:
    """Median and mean ms per stage and kind."""
    print("\nbot-side stages of a KB turn, in this process, one message at a time (ms)")
    print(f"{'stage':24}" + "".join(f"{kind + ' p50/mean':>30}" for kind in rows))
    for stage in next(iter(rows.values())):
        cells = [
            f"{statistics.median(row[stage]):.1f} / {statistics.fmean(row[stage]):.1f}"
            for row in rows.values()
        ]
        print(f"{stage:24}" + "".join(f"{cell:>30}" for cell in cells))
