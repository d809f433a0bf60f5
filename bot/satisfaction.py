"""Satisfaction with a conversation the bot handled alone: one question at its end, 1 to 5.

When it is asked: the customer says goodbye or thanks (Rasa's `goodbye` and `thanks`
intents) in a conversation, meaning one Rasa session of one sender, in which the bot
gave at least one answer from the knowledge base. Never when a person took part in
that session (a handoff: the agent side owns the rating of that conversation), never
a second time in the same session. A "helpful" verdict followed by silence is not
asked: there is no later turn to ask it in, and a question out of the blue would
reopen a chat the customer has left.

The scale is 1-5, the one behind CSAT as support teams report it (the share of 4s
and 5s of all ratings) and the one agents' tools ask after a human conversation,
so that the bot's figure sits beside theirs. The answer-level "did this help?"
already asks yes/no about one answer; a second yes/no would read as the same
question. A rating is stored only where it was asked, once per conversation (the
table's unique key is the sender and the session's start).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from bot.errors import StorageError
from bot.storage import Database
from bot.storage.models import RATING_SCALE, ConversationRating

logger = logging.getLogger(__name__)
SCALE = RATING_SCALE
ENDINGS = frozenset({"goodbye", "thanks"})


@dataclass(frozen=True)
class SessionSoFar:
    """What the current session (one conversation) held before this message."""

    started_at: datetime
    answered: bool  # the bot gave at least one KB answer
    handed_off: bool  # a person took over at some point
    asked: bool  # the rating question was already put
    rated: bool  # a rating already came back


def should_ask(session: SessionSoFar, intent: str | None) -> bool:
    """Ask when the customer ends a conversation the bot answered alone, once."""
    return intent in ENDINGS and session.answered and not session.handed_off and not session.asked


def may_record(session: SessionSoFar, score: int | None) -> bool:
    """A rating counts when it answers the question asked in this session, the first time."""
    return score in SCALE and session.asked and not session.rated and not session.handed_off


@dataclass(frozen=True)
class RatingRecord:
    """One customer's rating of one conversation."""

    sender_id: str
    session_started_at: datetime
    score: int
    lang: str | None = None
    channel: str | None = None


def record_rating(db: Database, record: RatingRecord) -> bool:
    """Store the rating; False when this conversation was rated already."""
    try:
        with db.session() as session:
            exists = session.scalar(
                select(ConversationRating.id).where(
                    ConversationRating.sender_id == record.sender_id,
                    ConversationRating.session_started_at == record.session_started_at,
                )
            )
            if exists is not None:
                return False
            session.add(
                ConversationRating(
                    sender_id=record.sender_id,
                    session_started_at=record.session_started_at,
                    score=record.score,
                    lang=record.lang,
                    channel=record.channel,
                )
            )
    except StorageError as exc:
        if isinstance(exc.__cause__, IntegrityError):  # rated through another replica just now
            return False
        raise
    return True
