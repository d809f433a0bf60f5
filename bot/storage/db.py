"""Engine, sessions and schema migration for one database URL."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from bot.errors import StorageError
from bot.metrics import STORE_ERRORS
from bot.storage.locks import file_lock, lock_key

logger = logging.getLogger(__name__)
MIGRATIONS = Path(__file__).parent / "migrations"
MIGRATION_LOCK = "svar:migrations"


class Database:
    """Owns the engine; `session()` is a unit of work that commits or rolls back."""

    def __init__(self, url: str) -> None:
        self.url = url
        if url.startswith("sqlite:///"):
            Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        # hide_parameters: a failing statement's error never prints customers' words.
        self.engine: Engine = create_engine(url, pool_pre_ping=True, hide_parameters=True)
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine, "connect", _sqlite_pragmas)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        from bot.storage import masking  # imports the models, which import this package

        masking.install()

    def migrate(self) -> None:
        """Bring the schema to the newest migration (creates it on an empty database).

        Every replica calls this at start: one migrates under a database-wide lock
        while the others wait, then find nothing left to do.
        """
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        try:
            with self._migration_lock(), self.engine.begin() as connection:
                if connection.dialect.name == "postgresql":
                    # Held until this transaction commits; PostgreSQL's DDL is
                    # transactional, so a waiting replica sees the finished schema.
                    connection.execute(
                        text("SELECT pg_advisory_xact_lock(:key)"),
                        {"key": lock_key(MIGRATION_LOCK)},
                    )
                config.attributes["connection"] = connection
                # "heads": a branch added in parallel still migrates; tests/storage
                # insists on one head, so `alembic revision` keeps working.
                command.upgrade(config, "heads")
        except SQLAlchemyError as exc:
            raise StorageError(f"cannot migrate {self.engine.url!r}: {exc}") from exc

    def _migration_lock(self) -> AbstractContextManager[None]:
        """SQLite: a lock file beside the database file (PostgreSQL locks in `migrate`)."""
        database = self.engine.url.database
        if self.engine.dialect.name != "sqlite" or not database or database == ":memory:":
            return nullcontext()
        return file_lock(Path(database).with_name(Path(database).name + ".migrate-lock"))

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One transaction: committed when the block ends, rolled back on any error. Database errors
        come out as StorageError (counted in STORE_ERRORS) naming only the error's class.
        """
        session = self._sessions()
        try:
            yield session
            session.commit()
        except SQLAlchemyError as exc:
            session.rollback()
            STORE_ERRORS.labels(exc.__class__.__name__).inc()
            raise StorageError(f"database error: {exc.__class__.__name__}") from exc
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def dispose(self) -> None:
        """Close the pooled connections; the runtime calls it at shutdown."""
        self.engine.dispose()


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    # WAL lets the CLI read reports while the service writes; the busy timeout
    # makes concurrent writers wait instead of failing.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    # With WAL, NORMAL stays consistent after a crash and only risks the last
    # commits on power loss; it saves an fsync on every customer turn.
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()
