"""The per-conversation frustration score: a sum of signals, each one listed as evidence."""

from __future__ import annotations

from dataclasses import dataclass

from bot.handoff import signals
from bot.handoff.conversation import Conversation

WEIGHTS = {
    "swearing": 2.0,
    "useless": 1.5,
    "shouting": 1.5,
    "punctuation": 1.0,
    "sarcasm": 1.0,
    "repeated_question": 1.5,
    "negative_feedback": 1.0,
}


@dataclass(frozen=True)
class Score:
    total: float
    evidence: tuple[str, ...]


def frustration(conv: Conversation) -> Score:
    """Score every customer turn of the conversation; each signal counts once per turn."""
    total = 0.0
    evidence: list[str] = []
    earlier: list[str] = []

    def add(signal: str, detail: str) -> None:
        nonlocal total
        total += WEIGHTS[signal]
        evidence.append(f"{signal}: {detail}")

    for turn in conv.customer_turns:
        text = turn.text
        if text.startswith("/"):  # a button payload, not words
            continue
        if found := signals.find(signals.SWEARING, text):
            add("swearing", ", ".join(repr(w) for w in found[:3]))
        if found := signals.find(signals.USELESS, text):
            add("useless", ", ".join(repr(w) for w in found[:3]))
        if signals.shouting(text):
            add("shouting", repr(text[:40]))
        if runs := signals.punctuation_runs(text):
            add("punctuation", " ".join(runs[:3]))
        if found := signals.find(signals.SARCASM, text):
            add("sarcasm", repr(found[0]))
        if any(signals.same_question(text, before) for before in earlier):
            add("repeated_question", repr(text[:40]))
        earlier.append(text)
    for turn in conv.negative_feedback_after_answer():
        add("negative_feedback", f"{turn.intent or 'no'} on an answer")
    return Score(round(total, 2), tuple(evidence))
