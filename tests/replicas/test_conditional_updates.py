"""Replicas change the same rows at the same instant: no double claim, no lost count."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from bot import accounts
from bot.handoff import tickets, webhook
from bot.handoff.conversation import Turn
from bot.storage import Database
from bot.storage.models import Gap, GapOccurrence, TicketMessage
from tests.replicas.racing import race
from tests.security.test_webhook import SECRET, Receiver

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    database = Database(database_url)
    database.migrate()
    yield database
    database.dispose()


def _ticket(db: Database) -> str:
    new = tickets.NewTicket(
        sender_id="s1",
        channel="rest",
        lang="en",
        customer_id=None,
        tier=None,
        reason="requested",
        evidence=[],
        queue="general",
        priority="normal",
        summary="asked for a person",
        topics=[],
        answers=[],
        transcript=[Turn("customer", "agent please", NOW)],
        paused_after=NOW.timestamp(),
    )
    return str(tickets.open_ticket(db, new, NOW)["id"])


def test_two_agents_on_two_replicas_cannot_both_claim_a_ticket(db: Database) -> None:
    ticket_id = _ticket(db)
    agents = ["kari", "ola", "siri", "nils"]
    results = race("tests.replicas.workers:claim", [[db.url, ticket_id, a] for a in agents])
    winners = [a for a, r in zip(agents, results, strict=True) if r == "ok"]
    assert len(winners) == 1, results
    assert tickets.get_ticket(db, ticket_id)["assignee"] == winners[0]
    assert all("assigned to" in str(r) for r in results if r != "ok")


def test_claiming_ones_own_ticket_again_is_no_error(db: Database) -> None:
    ticket_id = _ticket(db)
    first = tickets.claim(db, ticket_id, "kari", NOW)
    assert tickets.claim(db, ticket_id, "kari", NOW) == first
    with pytest.raises(tickets.TicketStateError, match="assigned to kari"):
        tickets.claim(db, ticket_id, "ola", NOW)


def test_replicas_syncing_paused_messages_add_each_once(db: Database) -> None:
    ticket_id = _ticket(db)
    times = [NOW.timestamp() + i for i in range(1, 6)]
    added = race("tests.replicas.workers:sync_paused", [[db.url, ticket_id, times]] * 3)
    assert sorted(added) == [0, 0, 5]  # type: ignore[type-var]
    with db.session() as session:
        paused = session.scalar(
            select(func.count(TicketMessage.id)).where(TicketMessage.paused.is_(True))
        )
    assert paused == 5


def test_replicas_recording_one_gap_lose_no_count(db: Database) -> None:
    """Three replicas record 15 turns each of one unanswered question at the same time."""
    question = "Do you rent kayaks by the hour?"
    results = race(
        "tests.replicas.workers:record_gaps", [[db.url, question, 15, f"s{i}"] for i in range(3)]
    )
    gap_ids = {g for per_replica in results for g in per_replica}  # type: ignore[attr-defined]
    assert len(gap_ids) == 1, f"one question opened {len(gap_ids)} gaps"
    with db.session() as session:
        gap = session.get(Gap, gap_ids.pop())
        assert gap is not None
        occurrences = session.scalar(select(func.count(GapOccurrence.id)))
        assert (gap.occurrence_count, occurrences) == (45, 45)


def test_replicas_seeding_the_same_accounts_all_start(db: Database) -> None:
    # Hashed already, as production gives them: nothing slow before the insert.
    names = ["kari", "ola", "siri", "nils", "ida"]
    spec = ";".join(f"{n}:{accounts.hash_password(n, n + '-horse-1')}:agent" for n in names)
    assert race("tests.replicas.workers:seed_users", [[db.url, spec]] * 3) == ["ok"] * 3
    assert [u.name for u in accounts.list_users(db)] == sorted(names)


def test_outbox_workers_on_three_replicas_deliver_each_message_once(db: Database) -> None:
    receiver = Receiver([])
    ids = {webhook.enqueue(db, receiver.url, {"event": "ticket.created", "n": n}) for n in range(8)}
    race("tests.replicas.workers:deliver_outbox", [[db.url, SECRET]] * 3)
    delivered = [headers["webhook-id"] for _, headers, _ in receiver.seen]
    assert sorted(delivered) == sorted(ids)  # every one, none twice
