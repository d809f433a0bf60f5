"""A five-second summary for the agent: the customer's own most telling sentences.

Extractive on purpose: the agent reads what the customer wrote, not a paraphrase
that might be wrong. Sentences score for carrying a question, an account detail
or a reference number, and for length; the best few are kept in their order.
"""

from __future__ import annotations

import re

from bot.handoff import signals
from bot.handoff.conversation import Conversation
from bot.handoff.triggers import Trigger

MAX_SENTENCES = 3
MAX_CHARS = 160
_SENTENCE = re.compile(r"[^.!?\n]+[.!?]*")


def summarize(conv: Conversation, trigger: Trigger, queue: str) -> str:
    """The ticket's one-line summary for the agent: reason, queue, the bot's last answered topics
    and the customer's key sentences.
    """
    head = f"{trigger.reason} → {queue}"
    if conv.answered_topics():
        head += f"; bot answered: {', '.join(conv.answered_topics()[-3:])}"
    picked = key_sentences(conv)
    body = " … ".join(f"“{s}”" for s in picked) if picked else "(no customer text)"
    return f"{head}. Customer: {body}"


def key_sentences(conv: Conversation) -> list[str]:
    """At most MAX_SENTENCES of the customer's sentences, in the order said, preferring questions,
    account problems and reference numbers; button payloads, sentences under three words and near-
    repeats of a kept one are skipped.
    """
    scored: list[tuple[float, int, str]] = []
    position = 0
    for turn in conv.customer_turns:
        if turn.text.startswith("/"):
            continue
        for raw in _SENTENCE.findall(turn.text):
            sentence = raw.strip()
            if len(signals.words(sentence)) < 3:
                continue
            scored.append((_score(sentence), position, sentence[:MAX_CHARS]))
            position += 1
    best = sorted(scored, key=lambda s: (-s[0], s[1]))
    chosen: list[tuple[int, str]] = []
    for _, pos, sentence in best:
        if any(signals.same_question(sentence, kept) for _, kept in chosen):
            continue
        chosen.append((pos, sentence))
        if len(chosen) == MAX_SENTENCES:
            break
    return [s for _, s in sorted(chosen)]


def _score(sentence: str) -> float:
    score = min(len(signals.words(sentence)) / 12, 1.0)
    if "?" in sentence:
        score += 1.0
    if signals.states_case(sentence):
        score += 2.0
    if signals.find(signals.ACCOUNT_REFERENCE, sentence):
        score += 1.0
    return score
