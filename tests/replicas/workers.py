"""What the racing processes run (importable by module path; JSON in, JSON out)."""

from __future__ import annotations

from bot.storage import Database


def migrate(url: str) -> str:
    db = Database(url)
    db.migrate()
    db.dispose()
    return "ok"


def claim(url: str, ticket_id: str, agent: str) -> str:
    """One agent on one replica claims the ticket: "ok" or the refusal."""
    from datetime import UTC, datetime

    from bot.handoff import tickets

    db = Database(url)
    try:
        tickets.claim(db, ticket_id, agent, datetime.now(UTC))
        return "ok"
    except tickets.TicketStateError as exc:
        return f"refused: {exc}"
    finally:
        db.dispose()


def sync_paused(url: str, ticket_id: str, times: list[float]) -> int:
    """A replica adds the customer's paused messages it read from Rasa; how many it added."""
    from bot.handoff import tickets

    db = Database(url)
    try:
        return tickets.add_paused_messages(db, ticket_id, [(t, f"message at {t}") for t in times])
    finally:
        db.dispose()


def record_gaps(url: str, question: str, count: int, sender: str) -> list[int | None]:
    """A replica records `count` no-answer turns of the same question, as fast as it can."""
    from bot.gaps import GapRecord, record_gap

    db = Database(url)
    try:
        return [
            record_gap(db, GapRecord("no_answer", question, sender, "en", "rest"))
            for _ in range(count)
        ]
    finally:
        db.dispose()


def seed_users(url: str, spec: str) -> str:
    """A replica starting up seeds the accounts BOT_CONSOLE_USERS names."""
    from bot import accounts
    from bot.settings.staff import parse_console_users

    db = Database(url)
    try:
        accounts.seed_from_env(db, parse_console_users(spec))
        return "ok"
    finally:
        db.dispose()


def add_phrasings(faq_dir: str, prefix: str, count: int) -> str:
    """An editor on one replica adds `count` phrasings to one entry, one save each."""
    from pathlib import Path

    from bot.kb.editing import add_alternatives

    for i in range(count):
        add_alternatives(Path(faq_dir), "shipping_time", "en", [f"{prefix} shipping question {i}"])
    return "ok"


def build(faq_dir: str, index_dir: str) -> str:
    """A replica publishes an index for the KB; returns the version it published."""
    from pathlib import Path

    from bot.kb.format import load_kb
    from bot.kb.index import build_index
    from tests.helpers import HashingEncoder

    manifest = build_index(load_kb(Path(faq_dir)), HashingEncoder(), Path(index_dir))
    return str(manifest["version"])


def deliver_outbox(url: str, secret: str) -> int:
    """A replica's outbox worker makes one pass; how many messages it saw due."""
    import asyncio

    from bot.handoff import webhook

    db = Database(url)
    try:
        return asyncio.run(webhook.deliver_due(db, secret, first_delay=0.0))
    finally:
        db.dispose()
