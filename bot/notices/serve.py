"""The notice lookup the answering path makes, failing soft: a broken notice table must
never stop the bot from answering."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from bot.errors import StorageError
from bot.notices.store import ActiveNotice, active_notice
from bot.storage import Database

logger = logging.getLogger(__name__)


def notice_for(
    db: Database, text: str, faq_ids: Sequence[str], lang: str | None
) -> ActiveNotice | None:
    """The active notice matching this question, or None (also when storage fails)."""
    try:
        return active_notice(db, text, faq_ids, lang)
    except StorageError:
        logger.exception("could not read notices")
        return None
