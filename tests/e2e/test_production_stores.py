"""The production configuration, for real: Rasa's tracker in PostgreSQL, its lock store in
Redis, and the bot service's database in PostgreSQL."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from bench.stack import running_stack
from tests.conftest import FIXTURE_KB
from tests.e2e.conftest import custom_of, new_sender

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.postgres]


def test_postgres_tracker_redis_lock_store_and_postgres_bot_database(
    tmp_path: Path, postgres_url: str
) -> None:
    env = {
        "DATABASE_URL": postgres_url,
        "SVAR_TRACKER_DIALECT": "postgresql",
        "SVAR_TRACKER_URL": postgres_url.replace("+psycopg2", ""),
        "SVAR_LOCK_STORE": "redis",
        "SVAR_REDIS_HOST": "127.0.0.1",
        "SVAR_REDIS_PORT": "6379",
        "SVAR_REDIS_DB": "3",
    }
    with running_stack(FIXTURE_KB, tmp_path, extra_env=env) as stack:
        sender = new_sender()
        # Watch Redis: every message must take and release the conversation's lock there.
        monitor = subprocess.Popen(
            ["redis-cli", "-h", "127.0.0.1", "-p", "6379", "monitor"],
            stdout=subprocess.PIPE,
            text=True,
        )
        try:
            time.sleep(0.5)
            assert custom_of(stack.say(sender, "How much does shipping cost?"))["kind"] == "answer"
            # A question the KB lacks (general knowledge would be small talk, not a gap).
            gap = custom_of(stack.say(sender, "Do you sell green tea as well?"))
            assert gap["kind"] == "no_answer" and gap["gap_id"], gap
            time.sleep(0.5)
        finally:
            monitor.terminate()
        redis_commands = monitor.communicate(timeout=10)[0]
    engine = create_engine(postgres_url)
    with engine.connect() as connection:
        events = connection.execute(
            text("SELECT count(*) FROM events WHERE sender_id = :s"), {"s": sender}
        ).scalar_one()
        gaps = connection.execute(
            text("SELECT count(*) FROM gap_occurrences WHERE sender_id = :s"), {"s": sender}
        ).scalar_one()
    engine.dispose()
    assert f"lock:{sender}" in redis_commands
    assert events >= 6  # Rasa kept the conversation in PostgreSQL
    assert gaps == 1  # the bot service recorded the gap in PostgreSQL
