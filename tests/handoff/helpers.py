"""Build conversations for trigger tests without Rasa."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.handoff.conversation import Conversation, Turn

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def conversation(*turns: Turn | str, **facts: object) -> Conversation:
    """Strings are customer turns; times advance a minute per turn."""
    built = []
    for i, turn in enumerate(turns):
        at = START + timedelta(minutes=i)
        built.append(Turn("customer", turn, at) if isinstance(turn, str) else turn)
    return Conversation(
        sender_id="s1",
        turns=tuple(built),
        started_at=START,
        **facts,  # type: ignore[arg-type]
    )


def bot(kind: str, faq_id: str | None = None) -> Turn:
    return Turn("bot", f"({kind})", START, kind=kind, faq_id=faq_id, score=0.8)


def said(text: str, intent: str) -> Turn:
    return Turn("customer", text, START, intent=intent)
