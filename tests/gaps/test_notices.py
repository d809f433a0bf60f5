from __future__ import annotations

from datetime import timedelta

import pytest

from bot.notices import NoticeDraft, NoticeError, active_notice, create_notice
from bot.notices.store import end_notice
from bot.storage import Database
from bot.storage.models import utcnow


def test_notice_matches_keywords_and_entries_only_while_valid(db: Database) -> None:
    now = utcnow()
    notice_id = create_notice(
        db,
        NoticeDraft(
            "Deliveries in Northern Norway are delayed by the storm.",
            ends_at=now + timedelta(hours=2),
            keywords=("storm", "Tromsø"),
            faq_ids=("delivery_time",),
        ),
    )
    hit = active_notice(db, "Kommer pakken til tromsø i dag?")
    assert hit is not None and hit.id == notice_id
    assert active_notice(db, "Stormen, kommer pakken?") is not None  # word prefix
    assert active_notice(db, "whatever", faq_ids=["delivery_time"]) is not None
    assert active_notice(db, "Do you sell skis?") is None
    assert active_notice(db, "storm?", now=now + timedelta(hours=3)) is None
    assert end_notice(db, notice_id)
    assert active_notice(db, "storm?") is None


def test_notice_needs_something_to_match_and_a_window(db: Database) -> None:
    with pytest.raises(NoticeError):
        create_notice(db, NoticeDraft("x", ends_at=utcnow() + timedelta(hours=1)))
    with pytest.raises(NoticeError):
        create_notice(db, NoticeDraft("x", ends_at=utcnow() - timedelta(hours=1), keywords=("a",)))
