"""The drafts API through Sanic's test client: the real app over a real SQLite database."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from sanic import Sanic

from bot.gaps import GapRecord, record_gap
from bot.settings import Settings
from bot.settings.staff import parse_api_tokens
from bot.storage import Database
from bot.storage.models import Ticket, TicketMessage, utcnow
from bot.web import create_app

EDITOR = {"authorization": "Bearer cms-token-0123456789abc"}


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = Database(f"sqlite:///{tmp_path / 'svar.db'}")
    database.migrate()
    yield database
    database.dispose()


def make_app(db: Database) -> Sanic:
    Sanic.test_mode = True
    base = Settings.from_env({})
    settings = replace(
        base,
        database_url=db.url,
        api_tokens=parse_api_tokens("cms:cms-token-0123456789abc:editor"),
        retention=replace(base.retention, purge_every_hours=0),
    )
    return create_app(settings, SimpleNamespace(db=db, settings=settings))  # type: ignore[arg-type]


def gap_with_resolved_ticket(db: Database) -> int:
    gap_id = record_gap(db, GapRecord("no_answer", "Can I bring my dog?", "s1", "en"))
    assert gap_id is not None
    with db.session() as session:
        ticket = Ticket(
            id="TDOG",
            sender_id="s1",
            channel="socketio",
            lang="en",
            reason="requested",
            evidence=[],
            queue="stores",
            priority="normal",
            status="resolved",
            summary="",
            topics=[],
            answers=[],
            details={},
            created_at=utcnow(),
        )
        session.add(ticket)
        session.add(
            TicketMessage(
                ticket=ticket,
                role="agent",
                author="per",
                text="Hi! Dogs on a leash are welcome. Per",
            )
        )
    return gap_id


async def get(app: Sanic, path: str, **headers: str) -> Any:
    _, response = await app.asgi_client.get(path, headers=headers)
    return response


async def post(app: Sanic, path: str, body: Any) -> Any:
    _, response = await app.asgi_client.post(path, json=body, headers=EDITOR)
    return response


async def test_drafts_listed_for_editors_only(db: Database) -> None:
    gap_id = gap_with_resolved_ticket(db)
    app = make_app(db)
    assert (await get(app, f"/api/gaps/{gap_id}/drafts")).status == 401
    response = await get(app, f"/api/gaps/{gap_id}/drafts", **EDITOR)
    [draft] = response.json["drafts"]
    assert (draft["answer"], draft["team"], draft["status"]) == (
        "Dogs on a leash are welcome.",
        "stores",
        "proposed",
    )


async def test_approval_needs_a_question_and_an_answer_and_a_real_draft(db: Database) -> None:
    gap_id = gap_with_resolved_ticket(db)
    app = make_app(db)
    [draft] = (await get(app, f"/api/gaps/{gap_id}/drafts", **EDITOR)).json["drafts"]
    base = f"/api/gaps/{gap_id}/drafts"
    missing = await post(app, f"{base}/{draft['id']}/approve", {"id": "dogs", "question": "x"})
    assert missing.status == 400 and "answer" in missing.json["error"]
    not_text = {"id": "dogs", "question": "Dogs?", "answer": "Yes.", "team": ["not", "text"]}
    assert (await post(app, f"{base}/{draft['id']}/approve", not_text)).json["fields"] == ["team"]
    unknown = {**not_text, "team": "stores"}
    assert (await post(app, f"{base}/999/approve", unknown)).status == 404
    assert (await post(app, f"{base}/{draft['id']}/reject", {})).json["status"] == "rejected"
    [after] = (await get(app, base, **EDITOR)).json["drafts"]
    assert after["status"] == "rejected"
