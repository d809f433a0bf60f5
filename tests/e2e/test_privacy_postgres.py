"""Masking, export, erase and purge on the production stores: Rasa's tracker store and the
bot's database both in PostgreSQL, written by the real servers, reached by `bot privacy`."""

from __future__ import annotations

import json
import os
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import MetaData, create_engine, select, text

from bench.stack import ROOT, running_stack
from tests.conftest import FIXTURE_KB
from tests.e2e.conftest import custom_of, new_sender

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.postgres]
FNR, CARD, IBAN = "150187 49391", "4111 1111 1111 1111", "NL91 ABNA 0417 1643 00"


def _bot(env: dict[str, str], *args: str) -> dict[str, Any]:
    done = subprocess.run(
        [str(ROOT / ".venv" / "bin" / "bot"), "--log-level", "warning", "privacy", *args],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def _values(url: str) -> list[str]:
    """Every cell of every table (the bot's and Rasa's share the database here)."""
    engine = create_engine(url)
    metadata = MetaData()
    metadata.reflect(engine)
    with engine.connect() as connection:
        found = [
            str(v)
            for table in metadata.sorted_tables
            for row in connection.execute(select(table))
            for v in row
            if v is not None and not isinstance(v, bytes)
        ]
    engine.dispose()
    return found


def test_export_erase_and_purge_with_postgres_stores(tmp_path: Path, postgres_url: str) -> None:
    env = {
        "DATABASE_URL": postgres_url,
        "SVAR_TRACKER_DIALECT": "postgresql",
        "SVAR_TRACKER_URL": postgres_url.replace("+psycopg2", ""),
    }
    gone, kept = new_sender(), new_sender()
    with running_stack(FIXTURE_KB, tmp_path, extra_env=env) as stack:
        assert custom_of(stack.say(gone, "Do you sell green tea as well? mvh Ola"))["kind"] == (
            "no_answer"
        )
        # Questions the KB lacks: gaps (general knowledge would be small talk, kept nowhere).
        said = f"Do you sell green tea, then? fnr {FNR}, kort {CARD}, IBAN {IBAN}"
        assert custom_of(stack.say(kept, said))["kind"] == "no_answer"
        assert custom_of(stack.say(gone, "can I talk to someone?"))["kind"] == "handoff"
    values = _values(postgres_url)
    assert any("[fødselsnummer]" in v for v in values)  # stored, masked, in both stores
    for raw in (FNR, CARD, IBAN):
        compact = raw.replace(" ", "")
        assert not [v for v in values if raw in v or compact in v.replace(" ", "")], raw
    for log in ("bot.log", "rasa.log"):
        lines = (tmp_path / log).read_text(encoding="utf-8", errors="replace")
        assert gone not in lines and kept not in lines and FNR not in lines, log
    exported = _bot(env, "export", "--sender", gone)
    assert len(exported["stores"]["conversations"][gone]) > 5
    assert exported["stores"]["tickets"] and exported["stores"]["gap_occurrences"]
    other = _bot(env, "export", "--sender", kept)

    erased = _bot(env, "erase", "--sender", gone, "--yes")

    assert erased["conversation_events"] == len(exported["stores"]["conversations"][gone])
    values = _values(postgres_url)
    assert not [v for v in values if gone in v or "mvh Ola" in v]
    assert _bot(env, "export", "--sender", kept)["stores"] == other["stores"]

    clock = (datetime.now(UTC) + timedelta(days=31)).isoformat()
    purged = _bot({**env, "BOT_CLOCK": clock}, "purge")
    assert purged["counts"]["conversation_events"] == len(other["stores"]["conversations"][kept])
    engine = create_engine(postgres_url)
    with engine.connect() as connection:
        events = connection.execute(text("SELECT count(*) FROM events")).scalar_one()
        occurrences = connection.execute(
            text("SELECT count(*) FROM gap_occurrences WHERE sender_id = :s"), {"s": kept}
        ).scalar_one()
    engine.dispose()
    assert events == 0  # every conversation is 31 days old at that clock
    assert occurrences == 1  # gap occurrences are kept 90 days
