"""Locks that hold across processes and replicas, kept by the database itself.

Every replica of the bot service shares one database, so that is where mutual
exclusion lives: no lock in one process's memory protects anything once there
are two processes. A lock is held until the session's transaction ends, so a
crashed replica never leaves one behind.
"""

from __future__ import annotations

import fcntl
import hashlib
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Connection, text
from sqlalchemy.orm import Session

logger = logging.getLogger(__name__)


def lock_key(name: str) -> int:
    """A signed 64-bit key for PostgreSQL's advisory locks, stable across processes."""
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)


def named_lock(session: Session, name: str) -> None:
    """Hold the lock `name` until the session commits or rolls back.

    PostgreSQL: a transaction-level advisory lock, so only holders of the same
    name wait. SQLite: the database's write lock (SQLite has one writer at a
    time anyway); taken before anything is read, so what the holder reads next
    cannot change under it. Call it first in the unit of work.
    """
    connection = session.connection()
    dialect = connection.dialect.name
    if dialect == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": lock_key(name)})
    elif dialect == "sqlite":
        _sqlite_write_lock(connection)
    else:  # pragma: no cover - the two databases Svar supports are handled above
        logger.warning("no cross-process lock for %s on %s", name, dialect)


def _sqlite_write_lock(connection: Connection) -> None:
    raw = connection.connection.dbapi_connection
    # pysqlite opens a transaction only before the first write; one already open
    # holds the write lock. Otherwise open it ourselves, taking the lock now.
    if raw is not None and not raw.in_transaction:
        raw.execute("BEGIN IMMEDIATE")


@contextmanager
def file_lock(path: Path) -> Iterator[None]:
    """An exclusive lock on `path` (created if missing), for every process on this host.

    POSIX locks belong to the process, so callers that may race within one
    process take a thread lock as well.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+b") as handle:
        fcntl.lockf(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.lockf(handle, fcntl.LOCK_UN)
