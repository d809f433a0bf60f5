"""Posting, listing and matching incident notices.

A notice matches a question when one of its keywords occurs in it (case- and
punctuation-insensitive, as a word prefix, so "storm" matches "stormen") or
when the question's best KB candidate is one of its linked entries. While a
notice is active, matching questions are not gaps: the editors already know.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import select

from bot.errors import BotError
from bot.notices.models import Notice
from bot.storage import Database
from bot.storage.models import utcnow
from bot.text import normalize


class NoticeError(BotError):
    """A notice the editor posted cannot be used as it is (the reasons are fixed texts)."""

    def __init__(self, field_name: str, reason: str) -> None:
        self.field_name = field_name
        super().__init__(f"notice {field_name}: {reason}")

    def public_message(self) -> str:
        """The reasons are fixed texts, never the editor's input, so the whole message is safe to
        show.
        """
        return str(self)


@dataclass(frozen=True)
class NoticeDraft:
    """A notice as an editor posts it, checked by `create_notice`; no `starts_at` means now, no
    `lang` means every language.
    """

    text: str
    ends_at: datetime
    starts_at: datetime | None = None
    keywords: tuple[str, ...] = ()
    faq_ids: tuple[str, ...] = ()
    lang: str | None = None
    created_by: str | None = None


@dataclass(frozen=True)
class ActiveNotice:
    """The notice a question matched, as the turn needs it to answer and to skip the gap list."""

    id: int
    text: str
    keywords: tuple[str, ...] = field(default=())


def _aware(moment: datetime) -> datetime:
    """In UTC, as every time in the database is (naive times are taken as UTC)."""
    return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)


def create_notice(db: Database, draft: NoticeDraft) -> int:
    """Store a notice after checking it can ever match and has a sane window."""
    if not draft.text.strip():
        raise NoticeError("text", "must not be empty")
    keywords = tuple(k for k in (normalize(k) for k in draft.keywords) if k)
    if not keywords and not draft.faq_ids:
        raise NoticeError("keywords", "give keywords or linked entries, or it matches nothing")
    starts = _aware(draft.starts_at or utcnow())
    ends = _aware(draft.ends_at)
    if ends <= starts:
        raise NoticeError("ends_at", "must be after the start")
    with db.session() as session:
        notice = Notice(
            text=draft.text.strip(),
            lang=draft.lang or None,
            keywords=list(keywords),
            faq_ids=list(draft.faq_ids),
            starts_at=starts,
            ends_at=ends,
            created_by=draft.created_by,
            created_at=utcnow(),
        )
        session.add(notice)
        session.flush()
        return notice.id


def end_notice(db: Database, notice_id: int) -> bool:
    """End a notice now (kept for the record); False when there is no such notice."""
    with db.session() as session:
        notice = session.get(Notice, notice_id)
        if notice is None:
            return False
        notice.ends_at = min(_aware(notice.ends_at), utcnow())
        return True


def list_notices(db: Database) -> list[Notice]:
    """Every notice, past, present and future, latest end first (the editor's list)."""
    with db.session() as session:
        return list(session.scalars(select(Notice).order_by(Notice.ends_at.desc())).all())


def active_notice(
    db: Database,
    question: str,
    faq_ids: Sequence[str] = (),
    lang: str | None = None,
    now: datetime | None = None,
) -> ActiveNotice | None:
    """The newest active notice that matches the question, if any."""
    moment = now or utcnow()
    with db.session() as session:
        notices = session.scalars(
            select(Notice)
            .where(Notice.starts_at <= moment, Notice.ends_at > moment)
            .order_by(Notice.starts_at.desc())
        ).all()
    if not notices:
        return None
    words = normalize(question).split()
    for notice in notices:
        if notice.lang and lang and notice.lang != lang:
            continue
        if _keyword_hit(notice.keywords, words) or set(notice.faq_ids) & set(faq_ids):
            return ActiveNotice(notice.id, notice.text, tuple(notice.keywords))
    return None


def _keyword_hit(keywords: Sequence[str], words: list[str]) -> bool:
    text = " " + " ".join(words)
    return any(re.search(r"(?<= )" + re.escape(k), text) for k in keywords)
