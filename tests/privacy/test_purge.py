"""The purge at a fixed clock: exactly what is past its limit goes, the anonymous rest stays."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
from sqlalchemy import func, select

from bot.errors import SettingsError
from bot.gaps.cluster import recluster
from bot.gaps.models import KbTurn
from bot.privacy.models import GapWeek, Lease
from bot.privacy.purge import purge
from bot.privacy.schedule import purge_once, release_lease, run_purges, status, take_lease
from bot.privacy.tracker import EVENTS, TrackerStore
from bot.settings import Settings
from bot.settings.retention import Retention
from bot.storage import Database
from bot.storage.models import (
    Contact,
    ConversationRating,
    Feedback,
    Gap,
    GapOccurrence,
    Ticket,
    TicketMessage,
)
from bot.storage.security_models import WebhookDelivery
from tests.privacy.conftest import (
    NOW,
    add_events,
    ago,
    contact,
    gap_with,
    outbox,
    rating,
    session_start,
    ticket,
    turn,
    user,
    verdict,
)

RETENTION = Retention()  # the defaults: 30 days of chats, 90 after resolution, 7 for callbacks


def _seed(db: Database, store: TrackerStore) -> int:
    add_events(store, "gone", [*session_start(40), user(40, "hei"), user(31, "hallo?")])
    add_events(
        store,
        "going-on",
        [*session_start(45), user(45, "old words"), *session_start(1), user(1, "new")],
    )
    add_events(store, "long", [*session_start(40), user(40, "first"), user(29, "still here")])
    for sender in ("a", "b", "c"):  # callback numbers kept beside handed-off messages
        add_events(store, sender, [*session_start(9), user(9, "[phone]", contact={"phone": "9"})])
    with db.session() as session:
        session.add_all(
            [
                *ticket("T0000000001", "gone", created=120, resolved=91),
                *ticket(
                    "T0000000002",
                    "a",
                    created=60,
                    resolved=8,
                    details={"callback": {"phone": "912 34 567"}, "wait": {}},
                ),
                *ticket(
                    "T0000000003",
                    "b",
                    created=10,
                    resolved=6,
                    details={"callback": {"phone": "913 00 000"}},
                ),
                *ticket("T0000000004", "c", created=150, resolved=None),  # open, not abandoned
                outbox("w1", "T0000000001", 3),
                outbox("w2", "T0000000003", 8),
                outbox("w3", "T0000000004", 1),
                turn("gone", 91),
                turn("a", 89),
                verdict("gone", 90.5),
                verdict("a", 10),
                rating("gone", 90.5),
                rating("a", 10),
                contact("cust-1", "gone", 31),
                contact("cust-1", "a", 29),
            ]
        )
        gap = gap_with(
            [
                ("gone", 120, "nb", "kan jeg betale med [card]?"),
                ("x", 95, "nb", "betale med kort"),
                ("y", 94, "", "pay by card"),
                ("a", 10, "en", "pay with card"),
            ]
        )
        session.add(gap)
        session.flush()
        return gap.id


def test_purge_removes_exactly_what_is_past_its_limit(db: Database, store: TrackerStore) -> None:
    gap_id = _seed(db, store)

    result = purge(db, store, RETENTION, NOW)

    counts = result.as_json()["counts"]
    for other_features_table in ("conversation_facts_anonymized", "answer_drafts"):
        assert counts.pop(other_features_table, 0) == 0  # the analytics' tables, where they exist
    assert counts == {
        "callback_details": 1,  # T2, resolved 8 days ago; T3's (6 days) stays
        "tickets": 1,  # T1, resolved 91 days ago
        "abandoned_tickets": 0,  # T4 is unresolved, untouched for 150 days: under 180
        "ticket_messages": 1,
        "webhook_outbox": 2,  # w1 carries T1; w2 is 8 days old
        "gap_occurrences": 3,
        "turns": 1,
        "feedback": 1,
        "conversation_ratings": 1,  # a rating is kept as long as a verdict
        "contacts": 1,
        "conversation_events": 2 + 3 + 2,  # all of "gone"; the old session of "going-on"
        "conversation_contacts": 1,  # a's: its only ticket was resolved 8 days ago
        "staff_audit": 0,  # tests/web/test_audit.py ages the audit log
        "login_failures": 0,
    }
    with db.session() as session:
        assert set(session.scalars(select(Ticket.id))) == {
            "T0000000002",
            "T0000000003",
            "T0000000004",
        }
        assert session.scalar(select(func.count()).select_from(TicketMessage)) == 3
        details = {t.id: t.details for t in session.scalars(select(Ticket))}
        assert details["T0000000002"] == {"wait": {}}
        assert details["T0000000003"] == {"callback": {"phone": "913 00 000"}}
        assert set(session.scalars(select(WebhookDelivery.id))) == {"w3"}
        assert list(session.scalars(select(KbTurn.sender_id))) == ["a"]
        assert list(session.scalars(select(Feedback.sender_id))) == ["a"]
        assert list(session.scalars(select(ConversationRating.sender_id))) == ["a"]
        assert list(session.scalars(select(Contact.sender_id))) == ["a"]
        assert list(session.scalars(select(GapOccurrence.sender_id))) == ["a"]
        gap = session.get(Gap, gap_id)
        assert gap is not None
        # What outlives it: the masked question, the status, the counts per week and language.
        assert (gap.question, gap.status) == ("kan jeg betale med [card]?", "open")
        weeks = {(w.week, w.lang): w.count for w in session.scalars(select(GapWeek))}
    assert weeks == {("2026-W05", "nb"): 1, ("2026-W09", "nb"): 1, ("2026-W09", ""): 1}
    with store.begin() as connection:
        assert connection is not None
        left = connection.execute(
            select(EVENTS.c.sender_id, EVENTS.c.data).order_by(EVENTS.c.id)
        ).all()
    assert {s for s, _ in left} == {"going-on", "long", "a", "b", "c"}
    contacts = {s: '"contact"' in data for s, data in left if s in ("a", "b", "c")}
    assert contacts == {"a": False, "b": True, "c": True}
    assert not any("old words" in data for _, data in left)
    assert sum(s == "long" for s, _ in left) == 4  # its last message is 29 days old


def test_purge_twice_adds_to_the_weekly_counts_and_finds_nothing_more(
    db: Database, store: TrackerStore
) -> None:
    _seed(db, store)
    purge(db, store, RETENTION, NOW)
    later = purge(db, store, RETENTION, NOW + timedelta(days=90))
    assert later.counts["gap_occurrences"] == 1
    assert later.counts["tickets"] == 2  # T2 and T3 are now 90+ days past resolution
    with db.session() as session:
        assert session.scalar(select(func.sum(GapWeek.count))) == 4
        assert session.scalar(select(func.count()).select_from(Gap)) == 1


def test_dry_run_counts_the_same_and_changes_nothing(db: Database, store: TrackerStore) -> None:
    _seed(db, store)
    dry = purge(db, store, RETENTION, NOW, dry_run=True)
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(Ticket)) == 4
        assert session.scalar(select(func.count()).select_from(GapWeek)) == 0
    real = purge(db, store, RETENTION, NOW)
    assert dry.counts == real.counts and dry.dry_run and not real.dry_run


def test_unresolved_tickets_untouched_past_their_limit_are_purged(
    db: Database, store: TrackerStore
) -> None:
    """An abandoned ticket goes 180 days after its last activity; a claim, a message or a
    follow-up is activity."""
    quiet, *_ = ticket("A0000000001", "q", created=200, resolved=None)
    written, *_ = ticket("A0000000002", "w", created=400, resolved=None)
    claimed, *_ = ticket("A0000000003", "c", created=300, resolved=None)
    claimed.status, claimed.assigned_at = "assigned", ago(100)
    followed, *_ = ticket("A0000000004", "f", created=250, resolved=None)
    followed.followed_up_at = ago(170)
    with db.session() as session:
        for row in (quiet, written, claimed, followed):
            session.add(row)
            session.add(
                TicketMessage(
                    ticket_id=row.id, role="customer", text="hjelp", sent_at=row.created_at
                )
            )
        session.add(
            TicketMessage(ticket_id="A0000000002", role="customer", text="hallo?", sent_at=ago(20))
        )
        session.add_all([outbox("w1", "A0000000001", 1), outbox("w2", "A0000000002", 1)])

    first = purge(db, store, RETENTION, NOW)

    assert first.counts["abandoned_tickets"] == 1
    assert first.counts["ticket_messages"] == 1
    assert first.counts["webhook_outbox"] == 1  # w1 carried the abandoned ticket
    with db.session() as session:
        left = set(session.scalars(select(Ticket.id)))
        assert left == {"A0000000002", "A0000000003", "A0000000004"}
        assert set(session.scalars(select(TicketMessage.ticket_id))) == left
    later = purge(db, store, RETENTION, NOW + timedelta(days=90))
    assert later.counts["abandoned_tickets"] == 2  # claimed 190, followed up 260 days before
    with db.session() as session:
        assert set(session.scalars(select(Ticket.id))) == {"A0000000002"}  # written 110 days


def test_open_tickets_are_not_kept_shorter_than_resolved_ones() -> None:
    assert Retention.from_env({"BOT_RETAIN_OPEN_TICKETS_DAYS": "365"}).open_tickets == 365
    with pytest.raises(SettingsError):
        Retention.from_env({"BOT_RETAIN_OPEN_TICKETS_DAYS": "30"})


def test_one_replica_holds_the_lease_until_it_releases_or_it_expires(db: Database) -> None:
    assert take_lease(db, "replica-a", NOW)
    assert not take_lease(db, "replica-b", NOW + timedelta(minutes=5))
    assert take_lease(db, "replica-a", NOW + timedelta(minutes=5))  # its own, renewed
    assert take_lease(db, "replica-b", NOW + timedelta(hours=2))  # a's expired
    release_lease(db, "replica-a", NOW, None)  # not a's any more: nothing happens
    assert not take_lease(db, "replica-a", NOW + timedelta(hours=2))
    release_lease(db, "replica-b", NOW, None)
    assert take_lease(db, "replica-a", NOW + timedelta(hours=2))


def test_a_store_rasa_never_created_holds_nothing(db: Database, tmp_path) -> None:  # type: ignore[no-untyped-def]
    missing = TrackerStore(f"sqlite:///{tmp_path / 'none.db'}")
    assert "conversation_events" not in purge(db, missing, RETENTION, NOW).counts
    assert not (tmp_path / "none.db").exists()


def test_purge_once_runs_under_the_lease_and_records_the_run(
    db: Database, store: TrackerStore
) -> None:
    _seed(db, store)
    settings = replace(Settings.from_env({}), tracker_url=store.url, database_url=db.url)
    assert take_lease(db, "replica-a", NOW)
    assert purge_once(db, settings, "replica-b", NOW) is None  # a is purging
    release_lease(db, "replica-a", NOW, None)
    result = purge_once(db, settings, "replica-b", NOW)
    assert result is not None and result.counts["tickets"] == 1
    with db.session() as session:
        lease = session.get(Lease, "purge")
        assert lease is not None and lease.holder is None
        assert lease.last_result == result.as_json()
    assert status(db, settings)["last_purge"]["result"] == result.as_json()


def test_a_gap_whose_occurrences_were_purged_survives_reclustering(
    db: Database, store: TrackerStore
) -> None:
    gap_id = _seed(db, store)
    purge(db, store, RETENTION, NOW + timedelta(days=90))  # every occurrence is past 90 days
    with db.session() as session:
        session.add(gap_with([("z", -89, "en", "where is my parcel")]))

    def embed(texts: Sequence[str], langs: Sequence[str | None]) -> np.ndarray:
        return np.ones((len(texts), 4), dtype=np.float32)

    assert recluster(db, embed) == 1
    with db.session() as session:
        kept = session.get(Gap, gap_id)
        assert kept is not None and kept.question == "kan jeg betale med [card]?"
        assert session.scalar(select(func.count()).select_from(Gap)) == 2


async def test_the_service_purges_on_its_schedule_by_the_real_clock(
    db: Database, store: TrackerStore
) -> None:
    """A stack that pins BOT_CLOCK years ahead (demos, tests) must not purge today's data."""
    today = (NOW - datetime.now(UTC)).total_seconds() / 86400  # days before NOW: negative
    add_events(store, "today", [*session_start(today), user(today, "hei")])
    add_events(store, "old", [*session_start(today + 40), user(today + 40, "old")])
    settings = replace(
        Settings.from_env({}),
        tracker_url=store.url,
        clock="2031-01-01T00:00:00+00:00",
        retention=replace(RETENTION, purge_every_hours=0.0001),  # every 0.36 s
    )
    with pytest.raises(TimeoutError):
        await asyncio.wait_for(run_purges(db, settings, "replica-a"), timeout=3.0)
    with db.session() as session:
        lease = session.get(Lease, "purge")
        assert lease is not None and lease.last_run_at is not None
    with store.begin() as connection:
        assert connection is not None
        left = {s for (s,) in connection.execute(select(EVENTS.c.sender_id))}
    assert left == {"today"}
