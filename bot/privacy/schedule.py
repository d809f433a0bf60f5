"""The purge inside the bot service: every few hours, one replica at a time.

Every replica runs the loop; a lease row in the shared database (`privacy_leases`)
decides who purges. Taking it is one conditional UPDATE, atomic on SQLite and on
PostgreSQL: the row is free, expired, or already ours. A replica that dies while
holding it blocks the others only until the lease expires.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import or_, update

from bot.errors import BotError
from bot.privacy.models import Lease
from bot.privacy.purge import PurgeResult, purge
from bot.privacy.tables import changed
from bot.privacy.tracker import TrackerStore
from bot.settings import Settings
from bot.storage import Database

logger = logging.getLogger(__name__)
LEASE = "purge"
LEASE_TTL = timedelta(hours=1)
FIRST_RUN_SECONDS = 60.0


def holder_name() -> str:
    """Who holds the lease: host and process id, unique per replica process."""
    return f"{socket.gethostname()[:48]}:{os.getpid()}"


def take_lease(db: Database, holder: str, now: datetime, ttl: timedelta = LEASE_TTL) -> bool:
    """Take the purge lease unless another holder's lease is still running."""
    with db.session() as session:
        taken = session.execute(
            update(Lease)
            .where(
                Lease.name == LEASE,
                or_(Lease.holder.is_(None), Lease.expires_at < now, Lease.holder == holder),
            )
            .values(holder=holder, expires_at=now + ttl)
        )
        return changed(taken) == 1


def release_lease(db: Database, holder: str, now: datetime, result: PurgeResult | None) -> None:
    """Free the lease and record the run's result; does nothing if another holder has it now."""
    with db.session() as session:
        lease = session.get(Lease, LEASE)
        if lease is None or lease.holder != holder:
            return
        lease.holder, lease.expires_at = None, None
        if result is not None:
            lease.last_run_at, lease.last_result = now, result.as_json()


def status(db: Database, settings: Settings) -> dict[str, Any]:
    """The limits in force and how the last purge went (for a DPO, or a health check)."""
    with db.session() as session:
        lease = session.get(Lease, LEASE)
        last = {
            "at": lease.last_run_at.isoformat() if lease and lease.last_run_at else None,
            "result": lease.last_result if lease else None,
            "running": bool(lease and lease.holder),
        }
    return {"retention": settings.retention.as_json(), "last_purge": last}


def purge_once(db: Database, settings: Settings, holder: str, now: datetime) -> PurgeResult | None:
    """One run under the lease (the service's schedule, `bot privacy purge`): None when
    another replica holds it."""
    if not take_lease(db, holder, now):
        logger.info("privacy purge: another replica holds the lease")
        return None
    result = None
    store = TrackerStore(settings.tracker_url)
    try:
        result = purge(db, store, settings.retention, now)
    finally:
        store.dispose()
        release_lease(db, holder, now, result)
    return result


async def run_purges(db: Database, settings: Settings, holder: str | None = None) -> None:
    """The service's background task: purge every `purge_every_hours`, forever."""
    every = settings.retention.purge_every_hours * 3600
    holder = holder or holder_name()
    await asyncio.sleep(min(FIRST_RUN_SECONDS, every))
    while True:
        try:
            # The real clock, never BOT_CLOCK: a demo or a test stack that pins the clock
            # years ahead must not purge today's conversations as ancient.
            now = datetime.now(UTC)
            await asyncio.to_thread(purge_once, db, settings, holder, now)
        except BotError as exc:
            logger.warning("privacy purge failed: %s", exc.__class__.__name__)
        await asyncio.sleep(every)
