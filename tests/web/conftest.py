"""The staff APIs in process: the real app (Sanic's test client), a real SQLite database,
an index built from the fixture KB with a hashing encoder, and Rasa's HTTP API faked."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sanic import Sanic

from bot.handoff import tickets
from bot.handoff.conversation import Turn
from bot.handoff.rasa_client import RasaClient, RasaUnavailable
from bot.kb.format import load_kb
from bot.kb.index import build_index
from bot.runtime import LiveIndex, Runtime
from bot.settings import Settings
from bot.settings.staff import parse_api_tokens
from bot.storage import Database
from bot.web import create_app
from tests.conftest import FIXTURE_KB
from tests.helpers import HashingEncoder

TOKENS = {
    "agent": "agent-token-0123456789abc",
    "editor": "editor-token-0123456789ab",
    "admin": "admin-token-0123456789abcd",
}
NOW = datetime(2026, 3, 3, 10, 0, tzinfo=UTC)  # a Tuesday, open in every queue


def auth(role: str) -> dict[str, str]:
    return {"authorization": f"Bearer {TOKENS[role]}"}


@dataclass
class FakeRasa:
    """What the handoff API asks of Rasa's HTTP API, answered in memory."""

    up: bool = True
    said: list[tuple[str, str]] | None = None

    def install(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.said = []

        async def say(client: RasaClient, sender_id: str, text: str, agent: str) -> None:
            self._check(sender_id)
            assert self.said is not None
            self.said.append((sender_id, text))

        async def resume(client: RasaClient, sender_id: str, text: str) -> None:
            self._check(sender_id)

        async def user_messages(client: RasaClient, sender_id: str) -> list[Any]:
            self._check(sender_id)
            return []

        monkeypatch.setattr(RasaClient, "say", say)
        monkeypatch.setattr(RasaClient, "resume", resume)
        monkeypatch.setattr(RasaClient, "user_messages", user_messages)

    def _check(self, sender_id: str) -> None:
        if not self.up:
            raise RasaUnavailable(sender_id, "connection refused")


@pytest.fixture
def rasa(monkeypatch: pytest.MonkeyPatch) -> FakeRasa:
    fake = FakeRasa()
    fake.install(monkeypatch)
    return fake


@pytest.fixture(scope="session")
def built_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    index_dir = tmp_path_factory.mktemp("web") / "index"
    build_index(load_kb(FIXTURE_KB), HashingEncoder(), index_dir)
    return index_dir


@pytest.fixture
def runtime(tmp_path: Path, built_index: Path) -> Iterator[Runtime]:
    faq_dir = tmp_path / "faq"
    shutil.copytree(FIXTURE_KB, faq_dir)
    index_dir = tmp_path / "index"
    shutil.copytree(built_index, index_dir)
    base = Settings.from_env({"BOT_CLOCK": NOW.isoformat()})
    settings = replace(
        base,
        faq_dir=faq_dir,
        index_dir=index_dir,
        database_url=f"sqlite:///{tmp_path / 'svar.db'}",
        tracker_url=f"sqlite:///{tmp_path / 'tracker.db'}",
        api_tokens=parse_api_tokens(
            ";".join(f"{role}:{token}:{role}" for role, token in TOKENS.items())
        ),
        retention=replace(base.retention, purge_every_hours=0),
    )
    db = Database(settings.database_url)
    db.migrate()
    yield Runtime(settings, db, LiveIndex(settings, HashingEncoder()))
    db.dispose()


@pytest.fixture
def app(runtime: Runtime) -> Sanic:
    Sanic.test_mode = True
    return create_app(runtime.settings, runtime)


def open_ticket(db: Database, queue: str = "general", reason: str = "requested") -> str:
    turn = Turn("customer", "I want to talk to a person", NOW)
    new = tickets.NewTicket(
        sender_id="s-web-1",
        channel="socketio",
        lang="en",
        customer_id=None,
        tier=None,
        reason=reason,
        evidence=[],
        queue=queue,
        priority="normal",
        summary="I want to talk to a person",
        topics=[],
        answers=[],
        transcript=[turn],
    )
    ticket_id: str = tickets.open_ticket(db, new, NOW)["id"]
    return ticket_id


async def call(
    app: Sanic,
    method: str,
    path: str,
    role: str | None = None,
    json: Any = None,
    headers: dict[str, str] | None = None,
) -> Any:
    """One request through the ASGI test client; the response (status, json, text)."""
    sent = {**(auth(role) if role else {}), **(headers or {})}
    client = app.asgi_client
    send = getattr(client, method.lower())
    if method in ("POST", "PUT", "PATCH"):
        _, response = await send(path, json=json, headers=sent)
    else:
        _, response = await send(path, headers=sent)
    return response
