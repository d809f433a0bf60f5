"""The conversation as the handoff logic sees it: customer and bot turns, with times."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

NEGATIVE_FEEDBACK = frozenset({"feedback_not_helpful"})
POSITIVE_FEEDBACK = frozenset({"feedback_helpful", "thanks"})


@dataclass(frozen=True)
class Turn:
    """One message. `kind`, `faq_id` and `score` are the bot's response contract, if any."""

    role: str  # customer | bot
    text: str
    at: datetime | None = None
    intent: str | None = None
    kind: str | None = None
    faq_id: str | None = None
    score: float | None = None
    # A customer's phone/e-mail as typed, kept by Rasa beside the masked text for the
    # handoff's callback field only (svar_rasa/channels/masking.py).
    contact: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Conversation:
    """Everything since the conversation started (or last came back from an agent)."""

    sender_id: str
    turns: tuple[Turn, ...]
    channel: str | None = None
    lang: str = "en"
    customer_id: str | None = None
    tier: str | None = None
    started_at: datetime | None = None
    topics: tuple[str, ...] = field(default=())

    @property
    def customer_turns(self) -> list[Turn]:
        """The customer's turns in order, without the bot's and agents'."""
        return [t for t in self.turns if t.role == "customer"]

    @property
    def latest(self) -> Turn | None:
        """The customer's newest turn, which the triggers judge; None before they have said
        anything.
        """
        customers = self.customer_turns
        return customers[-1] if customers else None

    def answered_topics(self) -> list[str]:
        """KB entries the bot answered, oldest first, without repeats."""
        seen: list[str] = []
        for turn in self.turns:
            if turn.role == "bot" and turn.kind == "answer" and turn.faq_id not in seen:
                seen.append(turn.faq_id or "")
        return [t for t in seen if t]

    def negative_feedback_after_answer(self) -> list[Turn]:
        """Customer turns that said an answer did not help (a 'no' right after one counts)."""
        found = []
        previous: Turn | None = None
        for turn in self.turns:
            if turn.role == "customer" and (
                turn.intent in NEGATIVE_FEEDBACK
                or (turn.intent == "deny" and previous is not None and previous.kind == "answer")
            ):
                found.append(turn)
            if turn.role == "bot" and turn.kind:
                previous = turn
            elif turn.role == "customer":
                previous = None if turn.intent not in NEGATIVE_FEEDBACK else previous
        return found
