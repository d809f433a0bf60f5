"""Conversation ratings beside the resolution figures: the analytics API and page."""

from __future__ import annotations

from datetime import timedelta

from sanic import Sanic
from sqlalchemy import select

from bot.runtime import Runtime
from bot.satisfaction import RatingRecord, record_rating
from bot.storage.models import ConversationRating
from tests.web.conftest import NOW, call


async def test_ratings_in_the_weekly_analytics_and_page(app: Sanic, runtime: Runtime) -> None:
    started = NOW - timedelta(minutes=10)  # the app's fixed clock
    for sender, score, lang in (("s1", 5, "nb"), ("s2", 4, "nb"), ("s3", 1, "sv")):
        assert record_rating(runtime.db, RatingRecord(sender, started, score, lang, "rest"))
    with runtime.db.session() as session:  # given a minute before the clock's now
        for row in session.scalars(select(ConversationRating)):
            row.created_at = NOW - timedelta(minutes=1)

    found = (await call(app, "GET", "/api/analytics/weekly?weeks=1", "editor")).json
    assert found["weeks"][-1]["satisfaction"] == {
        "count": 2,
        "of": 3,
        "rate": 0.6667,
        "average": 3.33,
    }

    page = await call(app, "GET", "/editor/analytics?weeks=1", "editor")
    assert page.status == 200
    assert "Satisfied" in page.text and "2 of 3" in page.text and "avg 3.3" in page.text
