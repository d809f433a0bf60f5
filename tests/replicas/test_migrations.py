"""Every replica migrates at start: once, under a lock, to one head, with complete metadata."""

from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text

from bot.storage import Database
from bot.storage.db import MIGRATIONS
from bot.storage.models import Base
from tests.replicas.racing import race


def _config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def _versions(db: Database) -> set[str]:
    with db.engine.connect() as connection:
        return {
            row[0] for row in connection.execute(text("SELECT version_num FROM alembic_version"))
        }


def test_migrations_have_one_head() -> None:
    heads = ScriptDirectory.from_config(_config()).get_heads()
    assert len(heads) == 1, f"several heads {heads}: add a merge revision"


def test_metadata_knows_every_migrated_table(database_url: str) -> None:
    db = Database(database_url)
    db.migrate()  # env.py imports every models module, filling Base.metadata
    with db.engine.connect() as connection:
        diffs = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    tables = [d for d in diffs if isinstance(d, tuple) and d[0] in ("add_table", "remove_table")]
    assert tables == [], "env.py's metadata and the migrations disagree on tables"
    migrated = set(inspect(db.engine).get_table_names()) - {"alembic_version"}
    assert migrated == set(Base.metadata.tables)
    db.dispose()


def test_database_on_the_old_branches_upgrades_to_the_head(database_url: str) -> None:
    """A database migrated before the merge (three branch heads) moves to the one head."""
    db = Database(database_url)
    config = _config()
    with db.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0002_handoff")
        command.upgrade(config, "0003_gaps")
        command.upgrade(config, "0004_security")
    assert _versions(db) == {"0002_handoff", "0003_gaps", "0004_security"}
    db.migrate()
    assert _versions(db) == set(ScriptDirectory.from_config(config).get_heads())
    db.dispose()


def test_replicas_starting_together_migrate_once(database_url: str) -> None:
    """Three processes migrate one empty database at the same instant; all start."""
    assert race("tests.replicas.workers:migrate", [[database_url]] * 3) == ["ok"] * 3
    db = Database(database_url)
    assert _versions(db) == set(ScriptDirectory.from_config(_config()).get_heads())
    db.dispose()
