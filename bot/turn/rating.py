"""The end of a conversation: the one satisfaction question, and the rating that answers it.

Whether to ask and whether a rating counts is bot/satisfaction.py's rule; this
words the question in the customer's language, with the buttons every channel
carries (quick replies on WhatsApp and Messenger), and stores the answer.
"""

from __future__ import annotations

import logging
from typing import Any

from bot.errors import StorageError
from bot.messages import message
from bot.runtime import Runtime
from bot.satisfaction import SCALE, RatingRecord, SessionSoFar, may_record, record_rating
from bot.turn.reply import Button
from svar_privacy import log_id

logger = logging.getLogger(__name__)
FACES = {1: "😞", 2: "🙁", 3: "😐", 4: "🙂", 5: "😀"}
RATE_INTENT = "rate_conversation"


def rating_buttons() -> tuple[Button, ...]:
    """One button per score; its payload carries the score as the `rating` entity."""
    return tuple(
        Button(f"{score} {FACES[score]}", f'/{RATE_INTENT}{{"rating":{score}}}') for score in SCALE
    )


def rating_question(lang: str) -> tuple[str, tuple[Button, ...], dict[str, Any]]:
    """The question, its buttons and the response contract's `rating` object."""
    custom = {"kind": "rating", "lang": lang, "scale": list(SCALE)}
    return message("rating_prompt", lang), rating_buttons(), custom


def take_rating(rt: Runtime, session: SessionSoFar, record: RatingRecord) -> str:
    """Store the rating when it counts (asked, first, bot-only); thank the customer either way."""
    if may_record(session, record.score):
        try:
            if not record_rating(rt.db, record):
                logger.info("sender %s rated this conversation already", log_id(record.sender_id))
        except StorageError:
            logger.exception("could not record rating for sender %s", log_id(record.sender_id))
    return message("rating_thanks", record.lang)
