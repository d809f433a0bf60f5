"""The KB turn log, and the clarify questions customers abandon.

A clarify offers two or three entries as buttons. When the customer's next
KB turn is not one of them, or no turn follows within `ABANDON_AFTER`, the
question becomes a `clarify_abandoned` gap: the KB had no entry that was
clearly right.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.errors import StorageError
from bot.gaps.collect import GapRecord, record_gap
from bot.gaps.models import KbTurn
from bot.gaps.vectors import Embedder
from bot.metrics import TURNS
from bot.storage import Database
from bot.storage.models import utcnow
from svar_privacy import log_id

logger = logging.getLogger(__name__)
ABANDON_AFTER = timedelta(minutes=30)


@dataclass(frozen=True)
class Turn:
    """One KB turn for `log_turn`; `question` is kept only for a clarify, to make a gap if
    abandoned.
    """

    sender_id: str
    outcome: str  # answer | clarify | no_answer | notice
    channel: str | None = None
    lang: str | None = None
    faq_id: str | None = None
    score: float | None = None
    question: str | None = None
    chose_option: bool = False  # the customer pressed one of the clarify buttons


def log_turn(db: Database, turn: Turn, embed: Embedder | None = None) -> None:
    """Store the turn; turn the sender's pending clarify into a gap if they moved on."""
    TURNS.labels(turn.outcome, turn.lang or "unknown").inc()
    abandoned: KbTurn | None = None
    with db.session() as session:
        pending = _pending_clarify(session, turn.sender_id)
        if pending is not None:
            pending.outcome = "clarify_chosen" if turn.chose_option else "clarify_abandoned"
            if not turn.chose_option:
                abandoned = KbTurn(
                    sender_id=pending.sender_id,
                    channel=pending.channel,
                    lang=pending.lang,
                    outcome=pending.outcome,
                    question=pending.question,
                )
            pending.question = None
        session.add(
            KbTurn(
                sender_id=turn.sender_id,
                channel=turn.channel,
                lang=turn.lang,
                outcome=turn.outcome,
                faq_id=turn.faq_id,
                score=turn.score,
                question=turn.question if turn.outcome == "clarify" else None,
                created_at=utcnow(),
            )
        )
    if abandoned is not None and abandoned.question:
        _record_abandoned(db, abandoned, embed)


def sweep_abandoned(db: Database, embed: Embedder | None = None) -> int:
    """Clarify turns nobody followed up within `ABANDON_AFTER` become gaps; return how many."""
    cutoff = utcnow() - ABANDON_AFTER
    with db.session() as session:
        stale = session.scalars(
            select(KbTurn).where(KbTurn.outcome == "clarify", KbTurn.created_at < cutoff)
        ).all()
        found = [
            KbTurn(sender_id=t.sender_id, channel=t.channel, lang=t.lang, question=t.question)
            for t in stale
        ]
        for t in stale:
            t.outcome, t.question = "clarify_abandoned", None
    for turn in found:
        _record_abandoned(db, turn, embed)
    return len(found)


def _pending_clarify(session: Session, sender_id: str) -> KbTurn | None:
    return session.scalars(
        select(KbTurn)
        .where(KbTurn.sender_id == sender_id, KbTurn.outcome == "clarify")
        .order_by(KbTurn.id.desc())
        .limit(1)
    ).first()


def _record_abandoned(db: Database, turn: KbTurn, embed: Embedder | None) -> None:
    record_gap(
        db,
        GapRecord(
            kind="clarify_abandoned",
            question=turn.question or "",
            sender_id=turn.sender_id,
            lang=turn.lang,
            channel=turn.channel,
        ),
        embed,
    )


def log_turn_safely(db: Database, turn: Turn, embed: Embedder | None = None) -> None:
    """`log_turn` for the answering path: analytics must never stop an answer."""
    try:
        log_turn(db, turn, embed)
    except StorageError:
        logger.exception("could not log turn for sender %s", log_id(turn.sender_id))
