"""The call the handoff feature makes when a conversation that tried the KB goes to a person.

Kept here so the turn needs one line and no knowledge of grouping:
`record_handoff_gap(db, embed, sender_id, question, lang, channel, faq_id)`.
"""

from __future__ import annotations

import logging

from bot.errors import StorageError
from bot.gaps.collect import GapRecord, record_gap
from bot.gaps.vectors import Embedder
from bot.storage import Database
from svar_privacy import log_id

logger = logging.getLogger(__name__)


def record_handoff_gap(
    db: Database,
    embed: Embedder,
    sender_id: str,
    question: str,
    lang: str | None = None,
    channel: str | None = None,
    faq_id: str | None = None,
) -> int | None:
    """Record a handoff after a KB attempt; return the gap id (None when not a gap or on error).

    `faq_id`: the entry the bot answered with before the handoff (the gap is then
    "answer not helping" for it); None when the bot had no answer (grouped by meaning).
    """
    try:
        return record_gap(
            db,
            GapRecord(
                kind="handoff_after_answer",
                question=question,
                sender_id=sender_id,
                lang=lang,
                channel=channel,
                faq_id=faq_id,
            ),
            embed,
        )
    except StorageError:
        logger.exception("could not record handoff gap for sender %s", log_id(sender_id))
        return None
