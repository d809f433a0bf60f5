"""/api/privacy/: admins only (not agents, editors or the console token), the person in the
body, export then erase through the real app (Sanic's test client) on a real database."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from sanic import Sanic
from sqlalchemy import func, select

from bot.privacy.models import Erasure
from bot.privacy.tracker import TrackerStore
from bot.settings import Settings
from bot.settings.staff import parse_api_tokens
from bot.storage import Database
from bot.storage.models import Ticket
from bot.web import create_app
from tests.privacy.conftest import add_events, session_start, ticket, user

ADMIN = {"authorization": "Bearer dpo-token-0123456789abcdef"}
AGENT = {"authorization": "Bearer helpdesk-token-0123456789"}
CONSOLE = {"authorization": "Bearer console-token-0123456789"}


def make_app(db: Database, store: TrackerStore) -> Sanic:
    Sanic.test_mode = True
    settings = replace(
        Settings.from_env({}),
        database_url=db.url,
        tracker_url=store.url,
        console_token=CONSOLE["authorization"][7:],
        api_tokens=parse_api_tokens(
            "helpdesk:helpdesk-token-0123456789:agent+editor;dpo:dpo-token-0123456789abcdef:admin"
        ),
    )
    return create_app(settings, SimpleNamespace(db=db, settings=settings))  # type: ignore[arg-type]


async def post(app: Sanic, path: str, body: Any, headers: dict[str, str]) -> Any:
    _, response = await app.asgi_client.post(path, json=body, headers=headers)
    return response


async def test_only_admins_export_and_erase(
    db: Database, store: TrackerStore, tmp_path: Path
) -> None:
    app = make_app(db, store)
    for path in ("/api/privacy/export", "/api/privacy/erase"):
        assert (await post(app, path, {"sender_id": "s1"}, {})).status == 401
        for headers in (AGENT, CONSOLE):
            assert (await post(app, path, {"sender_id": "s1"}, headers)).status == 403
    assert (await post(app, "/api/privacy/export", {}, ADMIN)).status == 400
    _, agent_status = await app.asgi_client.get("/api/privacy/status", headers=AGENT)
    _, admin_status = await app.asgi_client.get("/api/privacy/status", headers=ADMIN)
    assert agent_status.status == 403 and admin_status.status == 200
    assert admin_status.json["retention"]["conversations"] == 30
    assert admin_status.json["last_purge"] == {"at": None, "result": None, "running": False}
    assert (await post(app, "/api/privacy/export", {"sender_id": 5}, ADMIN)).status == 400


async def test_admin_exports_then_erases_a_customer(db: Database, store: TrackerStore) -> None:
    add_events(store, "wa-1", [*session_start(1), user(1, "my order is late", customer_id="c9")])
    with db.session() as session:
        session.add_all(ticket("T0000000009", "wa-1", 1, None, "c9"))
    app = make_app(db, store)

    exported = await post(app, "/api/privacy/export", {"customer_id": "c9"}, ADMIN)
    assert exported.status == 200
    assert exported.json["subject"]["sender_ids"] == ["wa-1"]
    assert exported.json["stores"]["tickets"][0]["id"] == "T0000000009"
    assert exported.json["stores"]["conversations"]["wa-1"][-1]["text"] == "my order is late"

    erased = await post(
        app, "/api/privacy/erase", {"customer_id": "c9", "request": "T0000000009"}, ADMIN
    )
    assert erased.status == 200
    assert erased.json["erased"]["tickets"] == 1
    assert erased.json["erased"]["conversation_events"] == 3
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(Ticket)) == 0
        audit = session.scalars(select(Erasure)).one()
    assert (audit.actor, audit.reference) == ("dpo", "T0000000009")
    again = await post(app, "/api/privacy/export", {"customer_id": "c9"}, ADMIN)
    assert again.json["subject"]["sender_ids"] == []
