"""Where a KB turn's time goes: the bot-side stages, timed in this process.

Uses the running stack's index and database with the same embedding model, one
message at a time: language choice, the query embedding (the backend itself,
no per-text memory), the search over the index (embedding remembered, so the
search alone), and the whole KB answer (search, decision, gap or turn records,
wording). What is left of a KB turn over a plain turn is Rasa's custom-action
round trip (HTTP, tracker, events) and the rest of the action.
"""

from __future__ import annotations

import os
import statistics
import time
import uuid
from collections.abc import Callable
from pathlib import Path

from bench.stack import Stack
from bot.kb.question import core_question
from bot.language import choose_language, detect_language
from bot.runtime import Runtime
from bot.settings import Settings
from bot.turn import TurnContext, answer_question, read_here
from bot.turn.reply import question_text

MESSAGES = 60


def _median_ms(texts: list[str], step: Callable[[str], object]) -> float:
    times = []
    for text in texts:
        started = time.perf_counter()
        step(text)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def stages(rt: Runtime, texts: list[str]) -> dict[str, float]:
    settings, searcher = rt.settings, rt.index.searcher()
    encoder = getattr(searcher.encoder, "inner", searcher.encoder)
    langs = {t: choose_language(detect_language(t, settings), settings) for t in texts}
    out = {
        "language": _median_ms(texts, lambda t: detect_language(t, settings)),
        "embedding": _median_ms(texts, lambda t: encoder.encode([t])),
    }
    for text in texts:  # the per-text memory now holds each question: the search alone
        searcher.encoder.encode([core_question(question_text(text))])
    out["search (no embedding)"] = _median_ms(texts, lambda t: searcher.search(t, lang=langs[t]))
    out["KB answer (no embedding)"] = _median_ms(
        texts,
        lambda t: answer_question(
            TurnContext.of(rt), read_here(t, f"stages-{uuid.uuid4().hex[:8]}", settings, "rest")
        ),
    )
    return out


def print_stages(
    stack: Stack, faq_dir: Path, model: str | None, kinds: dict[str, list[str]]
) -> None:
    """Time the stages against the stack's index and database, with its model."""
    env = {
        **os.environ,
        "BOT_FAQ_DIR": str(faq_dir),
        "BOT_INDEX_DIR": str(stack.workdir / "kb_index"),
        "DATABASE_URL": stack.database_url,
        **({"BOT_EMBEDDING_MODEL": model} if model else {}),
    }
    rt = Runtime.start(Settings.from_env(env))
    try:
        print("\nbot-side stages of a KB turn, one message at a time, median ms")
        rows = {name: stages(rt, texts[-MESSAGES:]) for name, texts in kinds.items()}
        print(f"{'stage':28}" + "".join(f"{kind:>18}" for kind in rows))
        for stage in next(iter(rows.values())):
            print(f"{stage:28}" + "".join(f"{row[stage]:>18.1f}" for row in rows.values()))
    finally:
        rt.close()
