"""`bot handoff eval`: replay labelled dialogues and messages through the real turn.

Each customer turn is masked as Rasa's channels mask it before anything stores or
reads it (svar_privacy: a phone number becomes "[phone]"), then goes where Rasa's
rules would send it: a button payload
(`/feedback_not_helpful`) to the feedback path, anything else to the KB turn
with its handoff checks. Rasa's NLU is not in the loop, so `requested` and
`complaint` are measured on the keyword detectors alone (NLU only adds recall).
The data, the scores and their tables live in bot/handoff/evaluation.py; this
module sits above the turn it replays.

The whole report: every dialogue set by split, then the public set. The dev set
is what words, weights and thresholds were chosen on; the test sets only measure.
handoff_test_dialogues.yml (split test) was written before the first tuning but has
since been read while tuning; handoff_test2_dialogues.yml (split test2) was written
blind before the next tuning and is the untouched one. Reading them side by side
shows how much of the dev score is tuning.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

from bot.handoff.evaluation import (
    START,
    Dialogue,
    Message,
    MessageOutcome,
    Outcome,
    load_dialogues,
    load_messages,
    load_split,
    message_report,
    report,
    requests_report,
    score,
)
from bot.handoff.meaning import reader
from bot.handoff.public_eval import public_report
from bot.handoff.reach import reach_report
from bot.runtime import Runtime
from bot.turn import Conversation, Turn, after_feedback, read_here, take_turn
from svar_privacy import mask_text


def replay(rt: Runtime, dialogue: Dialogue) -> Outcome:
    """Play one dialogue turn by turn until a handoff or the end; the outcome says which trigger
    fired and at which turn.
    """
    turns: list[Turn] = []
    offered = False
    for number, written in enumerate(dialogue.turns, start=1):
        at = START + timedelta(minutes=number)
        intent = written[1:] if written.startswith("/") else None
        text = written if intent else mask_text(written)  # as Rasa's channels pass it on
        turns.append(Turn("customer", text, at, intent=intent))
        conv = Conversation(
            sender_id=f"eval-{dialogue.id}",
            turns=tuple(turns),
            channel="eval",
            lang=dialogue.lang,
            customer_id=dialogue.metadata.get("customer_id"),
            tier=dialogue.metadata.get("tier"),
            started_at=START,
        )
        if intent in ("feedback_not_helpful", "feedback_helpful"):
            handoff = after_feedback(rt, conv) if intent == "feedback_not_helpful" else None
            if handoff is not None:
                return Outcome(dialogue, handoff.reason, number, offered)
            turns.append(Turn("bot", "(feedback noted)", at))
            continue
        question = read_here(text, conv.sender_id, rt.settings, "eval", dialogue.lang)
        result = take_turn(rt, conv, question)
        if result.handoff is not None:
            return Outcome(dialogue, result.handoff.reason, number, offered)
        assert result.reply is not None
        offered = offered or (result.trigger is not None and result.trigger.offer_only)
        reply = result.reply
        turns.append(
            Turn(
                "bot",
                reply.text,
                at,
                kind=reply.kind,
                faq_id=reply.entry.id if reply.entry else None,
                score=reply.score,
            )
        )
    return Outcome(dialogue, None, None, offered)


def evaluate(
    rt: Runtime, dialogues: list[Dialogue], progress: Callable[[int], Any] | None = None
) -> list[Outcome]:
    """Replay every dialogue; `progress` is called once per dialogue."""
    outcomes = []
    for dialogue in dialogues:
        outcomes.append(replay(rt, dialogue))
        if progress:
            progress(1)
    return outcomes


def sweep(rt: Runtime, dialogues: list[Dialogue], values: list[float]) -> str:
    """Frustration precision/recall for several handoff thresholds (how the default was set)."""
    lines = [
        "| frustration handoff at | precision | recall | calm handed off |",
        "|---|---|---|---|",
    ]
    for value in values:
        config = replace(rt.settings.handoff, frustration_handoff=value)
        trial = replace(rt, settings=replace(rt.settings, handoff=config))
        outcomes = evaluate(trial, dialogues)
        row = next((r for r in score(outcomes) if r.reason == "frustration"), None)
        calm = sum(1 for o in outcomes if o.dialogue.label == "calm" and o.reason)
        p = "—" if row is None or row.precision is None else f"{row.precision:.0%}"
        r = "—" if row is None or row.recall is None else f"{row.recall:.0%}"
        lines.append(f"| {value} | {p} | {r} | {calm} |")
    return "\n".join(lines)


def replay_message(rt: Runtime, number: int, message: Message) -> MessageOutcome:
    """The message as the first turn of its own conversation, through the whole turn."""
    sender = f"eval-message-{number}"
    text = mask_text(message.text)  # as Rasa's channels pass it on
    conv = Conversation(
        sender_id=sender,
        turns=(Turn("customer", text, START),),
        channel="eval",
        lang=message.lang,
        started_at=START,
    )
    result = take_turn(rt, conv, read_here(text, sender, rt.settings, "eval", message.lang))
    if result.handoff is None or result.trigger is None:
        return MessageOutcome(message, None, ())
    return MessageOutcome(message, result.handoff.reason, result.trigger.evidence)


def evaluate_messages(
    rt: Runtime, messages: list[Message], progress: Callable[[int], Any] | None = None
) -> list[MessageOutcome]:
    """Replay every single message as its own conversation;
    `progress` is called once per message.
    """
    outcomes = []
    for number, message in enumerate(messages):
        outcomes.append(replay_message(rt, number, message))
        if progress:
            progress(1)
    return outcomes


def messages_report(rt: Runtime, paths: list[Path]) -> str:
    """`bot handoff eval --messages FILE...`: one table per file."""
    return "\n\n".join(
        message_report(evaluate_messages(rt, load_messages(path)), path.name) for path in paths
    )


def full_report(rt: Runtime, paths: list[Path], with_sweep: bool = False) -> str:
    """One section per dialogue file (dev first), then the public graded set."""
    config = rt.settings.handoff
    # The public set is English: its turns are read with the English centroid.
    meaning = reader(rt.index.searcher().encoder, "en", config.models) if config.meaning else None
    used = "words and meaning" if meaning is not None else "words only"
    sections = [f"signals: {used}"]
    by_split = sorted(paths, key=lambda p: (load_split(p) != "dev", load_split(p), p.name))
    for path in by_split:
        dialogues = load_dialogues(path)
        started = time.perf_counter()
        outcomes = evaluate(rt, dialogues)
        per_turn = (time.perf_counter() - started) / max(sum(len(d.turns) for d in dialogues), 1)
        text = [
            f"## {path.name} (split: {load_split(path)})",
            "",
            report(outcomes, config),
            "",
            reach_report(outcomes),
            "",
            f"mean time per customer turn: {per_turn * 1000:.0f} ms (shared machine: noisy)",
        ]
        if with_sweep and load_split(path) == "dev":
            text += ["", sweep(rt, dialogues, [2.0, 3.0, 3.5, 4.0, 4.5, 5.0, 6.0])]
        sections.append("\n".join(text))
    sections.append("## public graded set\n\n" + public_report(meaning, config.frustration_offer))
    sections.append("## explicit requests (dev words)\n\n" + requests_report())
    return "\n\n".join(sections)


def words_only(rt: Runtime) -> Runtime:
    """The same runtime with the meaning models switched off (the signals before issue 16)."""
    config = replace(rt.settings.handoff, meaning=False)
    return replace(rt, settings=replace(rt.settings, handoff=config))
