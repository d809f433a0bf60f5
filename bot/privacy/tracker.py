"""Rasa's SQL tracker store, as the purge, the export and the erasure reach it.

Rasa keeps every conversation as rows of one table, `events` (sender_id, type_name,
timestamp, intent_name, action_name, data = the event as JSON), on SQLite or
PostgreSQL, at the URL endpoints.yml gives it (Settings.tracker_url reads the same
variables). Rasa loads a conversation from its latest `session_started` event on,
so events before that are history it never reads again: the purge may delete old
sessions of a conversation that is still going, and whole conversations whose
last event is past the limit, without Rasa noticing.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Column,
    Connection,
    Float,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    inspect,
    select,
    text,
)
from sqlalchemy.exc import SQLAlchemyError

from bot.errors import StorageError

logger = logging.getLogger(__name__)

# Rasa 3.6's SQLTrackerStore.SQLEvent, the columns read and deleted here.
EVENTS = Table(
    "events",
    MetaData(),
    Column("id", Integer, primary_key=True),
    Column("sender_id", String(255), nullable=False, index=True),
    Column("type_name", String(255), nullable=False),
    Column("timestamp", Float),
    Column("intent_name", String(255)),
    Column("action_name", String(255)),
    Column("data", Text),
)

# Whole conversations past the limit, and the sessions before a conversation's latest one.
_PURGE = text(
    """
    DELETE FROM events WHERE timestamp < :cutoff AND (
        sender_id IN (
            SELECT sender_id FROM events GROUP BY sender_id HAVING MAX(timestamp) < :cutoff
        )
        OR timestamp < (
            SELECT MAX(s.timestamp) FROM events s
            WHERE s.sender_id = events.sender_id AND s.type_name = 'session_started'
        )
    )
    """
)


class TrackerStore:
    """The `events` table of Rasa's SQL tracker store."""

    def __init__(self, url: str) -> None:
        self.url = url
        if url.startswith("sqlite:///") and not Path(url.removeprefix("sqlite:///")).exists():
            self.engine = None  # Rasa has not created it yet: nothing is held
        else:
            self.engine = create_engine(with_driver(url), hide_parameters=True, pool_pre_ping=True)

    def exists(self) -> bool:
        """Whether Rasa has created its `events` table; an
        unreachable database raises StorageError.
        """
        try:
            return self.engine is not None and inspect(self.engine).has_table("events")
        except SQLAlchemyError as exc:
            raise StorageError(f"cannot reach the tracker store: {exc.__class__.__name__}") from exc

    @contextmanager
    def begin(self, dry_run: bool = False) -> Iterator[Connection | None]:
        """A transaction on the store (None when it holds nothing); rolled back on a dry run."""
        if not self.exists():
            yield None
            return
        assert self.engine is not None
        try:
            with self.engine.connect() as connection:
                transaction = connection.begin()
                try:
                    yield connection
                finally:
                    if dry_run:
                        transaction.rollback()
                    else:
                        transaction.commit()
        except SQLAlchemyError as exc:
            raise StorageError(f"tracker store error: {exc.__class__.__name__}") from exc

    def dispose(self) -> None:
        """Close the engine's connections; safe when there is no engine."""
        if self.engine is not None:
            self.engine.dispose()


def with_driver(url: str) -> str:
    """Rasa's `postgresql://` means psycopg2 (SQLAlchemy 1.4); this side's SQLAlchemy would
    pick psycopg 3, which is not installed: name the driver Rasa uses."""
    for scheme in ("postgresql://", "postgres://"):
        if url.startswith(scheme):
            return "postgresql+psycopg2://" + url.removeprefix(scheme)
    return url


def purge(connection: Connection, cutoff: float) -> int:
    """Delete events before `cutoff` (epoch seconds) that Rasa will never load again."""
    return int(connection.execute(_PURGE, {"cutoff": cutoff}).rowcount or 0)


def senders_of_customer(connection: Connection, customer_id: str) -> set[str]:
    """Conversations in which a channel proved this customer (the widget's signed id)."""
    rows = connection.execute(
        select(EVENTS.c.sender_id, EVENTS.c.data).where(
            EVENTS.c.type_name == "user", EVENTS.c.data.contains(customer_id, autoescape=True)
        )
    )
    found = set()
    for sender_id, data in rows:
        metadata = _json(data).get("metadata") or {}
        if isinstance(metadata, dict) and str(metadata.get("customer_id")) == customer_id:
            found.add(str(sender_id))
    return found


def events_of(connection: Connection, senders: Iterable[str]) -> dict[str, list[dict[str, Any]]]:
    """Every stored event of these conversations, oldest first, as Rasa wrote them."""
    wanted = sorted(set(senders))
    if not wanted:
        return {}
    rows = connection.execute(
        select(EVENTS.c.sender_id, EVENTS.c.data)
        .where(EVENTS.c.sender_id.in_(wanted))
        .order_by(EVENTS.c.id)
    )
    found: dict[str, list[dict[str, Any]]] = {}
    for sender_id, data in rows:
        found.setdefault(str(sender_id), []).append(_json(data))
    return found


def drop_contacts(connection: Connection, senders: Iterable[str]) -> int:
    """Remove the callback details kept in these conversations' message metadata."""
    wanted = sorted(set(senders))
    if not wanted:
        return 0
    rows = connection.execute(
        select(EVENTS.c.id, EVENTS.c.data).where(
            EVENTS.c.sender_id.in_(wanted),
            EVENTS.c.type_name == "user",
            EVENTS.c.data.contains('"contact"'),
        )
    ).all()
    dropped = 0
    for event_id, data in rows:
        event = _json(data)
        metadata = event.get("metadata")
        if isinstance(metadata, dict) and metadata.pop("contact", None) is not None:
            connection.execute(
                EVENTS.update().where(EVENTS.c.id == event_id).values(data=json.dumps(event))
            )
            dropped += 1
    return dropped


def erase(connection: Connection, senders: Iterable[str]) -> int:
    """Delete every tracker event of these senders; the number of rows deleted."""
    wanted = sorted(set(senders))
    if not wanted:
        return 0
    result = connection.execute(EVENTS.delete().where(EVENTS.c.sender_id.in_(wanted)))
    return int(result.rowcount or 0)


def _json(data: str | None) -> dict[str, Any]:
    try:
        parsed = json.loads(data or "{}")
    except ValueError:
        return {}
    return parsed if isinstance(parsed, dict) else {}
