"""Export (GDPR article 15) and erasure (article 17) of one person's data, in every store.

Both find the person's conversations the same way (subjects.py), read the bot's
database through one list of stores (holdings.py), and reach Rasa's tracker store
(tracker.py). The erasure runs the database's part in one transaction and leaves
an audit record that says who erased how much on which request, and nothing about
whom. Gaps are the editors' work, not the customer's: a gap whose representative
question was one of theirs takes another customer's phrasing, or, with none left,
is deleted while open and keeps "[erased]" once answered or dismissed.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from bot.privacy import tracker
from bot.privacy.holdings import holdings, rows
from bot.privacy.models import Erasure
from bot.privacy.subjects import Subject, resolve
from bot.privacy.tables import changed
from bot.storage import Database
from bot.storage.models import Gap, GapOccurrence
from bot.text import normalize

logger = logging.getLogger(__name__)
ERASED = "[erased]"
REFERENCE = re.compile(r"T[0-9A-F]{10}")  # a ticket id: the audit holds nothing else


def export(
    db: Database, store: tracker.TrackerStore, kind: str, subject_id: str, now: datetime
) -> dict[str, Any]:
    """Everything held about the subject, as one JSON document."""
    with store.begin(dry_run=True) as connection, db.session() as session:
        subject = resolve(session, connection, kind, subject_id)
        stores: dict[str, Any] = {h.store: rows(session, h) for h in holdings(session, subject)}
        stores["conversations"] = (
            tracker.events_of(connection, subject.senders) if connection is not None else {}
        )
    return {
        "subject": {"kind": subject.kind, "id": subject.id, "sender_ids": sorted(subject.senders)},
        "generated_at": now.isoformat(),
        "stores": stores,
    }


def erase(
    db: Database,
    store: tracker.TrackerStore,
    kind: str,
    subject_id: str,
    actor: str,
    reference: str | None,
    now: datetime,
) -> dict[str, int]:
    """Remove the subject from every store; return the rows removed per store."""
    if reference is not None and not REFERENCE.fullmatch(reference):
        reference = None  # free text could carry the very data being erased
    counts: Counter[str] = Counter()
    with store.begin() as connection:
        with db.session() as session:
            subject = resolve(session, connection, kind, subject_id)
            _release_gaps(session, subject, counts)
            for holding in holdings(session, subject):
                result = session.execute(delete(holding.table).where(holding.where))
                counts[holding.store] += changed(result)
            audit = Erasure(
                at=now, actor=actor[:64], subject=kind, reference=reference, counts=dict(counts)
            )
            session.add(audit)
            session.flush()
            audit_id = audit.id
        if connection is not None:
            counts["conversation_events"] = tracker.erase(connection, subject.senders)
    with db.session() as session:  # the store's count, once Rasa's side is done too
        done = session.get(Erasure, audit_id)
        if done is not None:
            done.counts = dict(counts)
    logger.info("privacy: erasure by %s on request %s: %s", actor, reference, dict(counts))
    return dict(counts)


def _release_gaps(session: Session, subject: Subject, counts: Counter[str]) -> None:
    """Gaps whose representative question is the subject's get another, or go."""
    theirs = session.execute(
        select(GapOccurrence.gap_id, GapOccurrence.question).where(
            GapOccurrence.sender_id.in_(sorted(subject.senders))
        )
    ).all()
    words: dict[int, set[str]] = {}
    for gap_id, question in theirs:
        words.setdefault(gap_id, set()).add(question)
    for gap_id, questions in words.items():
        gap = session.get(Gap, gap_id)
        if gap is None or gap.question not in questions:
            continue
        other = session.scalars(
            select(GapOccurrence.question)
            .where(
                GapOccurrence.gap_id == gap_id,
                GapOccurrence.sender_id.not_in(sorted(subject.senders)),
            )
            .order_by(GapOccurrence.id.desc())
            .limit(1)
        ).first()
        if other is not None:
            gap.question, gap.normalized = other, normalize(other)
            counts["gaps_rephrased"] += 1
        elif gap.status == "open":  # every occurrence is theirs
            deleted = session.execute(delete(GapOccurrence).where(GapOccurrence.gap_id == gap_id))
            counts["gap_occurrences"] += changed(deleted)
            session.expunge(gap)
            session.execute(delete(Gap).where(Gap.id == gap_id))
            counts["gaps"] += 1
        else:
            gap.question, gap.normalized = ERASED, ERASED
            counts["gaps_rephrased"] += 1
    session.flush()
