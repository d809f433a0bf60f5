"""The one error handler: each BotError's own status, 400 naming fields, 503 for storage,
404 for unknown resources, a logged generic 500; no error body ever quotes the request."""

from __future__ import annotations

import logging
from dataclasses import replace

import pytest
from sanic import Request, Sanic
from sanic.response import HTTPResponse

from bot.errors import BotError, StorageError
from bot.gaps.resolve import GapNotFound
from bot.handoff.rasa_client import RasaUnavailable
from bot.handoff.tickets import TicketNotFound, TicketStateError
from bot.runtime import Runtime
from bot.storage import Database
from bot.web import create_app
from bot.web.contract import ErrorBody
from tests.web.conftest import call, open_ticket

MARKER = "zq-echo-7731"


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (TicketNotFound("T1"), 404),
        (TicketStateError("T1", "resolved", "reply"), 409),
        (GapNotFound(1), 404),
        (RasaUnavailable("s1", "down"), 502),
        (StorageError("database error"), 503),
        (BotError("refused"), 400),
    ],
)
def test_each_error_carries_its_status(error: BotError, status: int) -> None:
    assert error.http_status == status
    assert error.public and MARKER not in error.public_message()


async def test_unknown_route_is_a_json_404_without_the_path(app: Sanic) -> None:
    response = await call(app, "GET", f"/api/no-such-{MARKER}", "agent")
    assert response.status == 404 and MARKER not in response.text
    assert ErrorBody.model_validate(response.json).code == 404


async def test_wrong_method_is_405(app: Sanic) -> None:
    assert (await call(app, "DELETE", "/api/tickets", "agent")).status == 405


async def test_unknown_resources_are_404(app: Sanic) -> None:
    assert (await call(app, "GET", f"/api/tickets/{MARKER}", "agent")).status == 404
    assert (await call(app, "GET", "/api/gaps/424242", "editor")).status == 404
    assert (await call(app, "POST", "/api/notices/424242/end", "editor", {})).status == 404


async def test_a_bad_body_is_a_400_naming_the_field_not_the_value(
    app: Sanic, runtime: Runtime
) -> None:
    ticket_id = open_ticket(runtime.db)
    response = await call(app, "POST", f"/api/tickets/{ticket_id}/reply", "agent", {"text": 5})
    assert response.status == 400 and response.json["fields"] == ["text"]
    bad = {"faq_id": "x", "phrasings": [{"text": ["nested", MARKER]}]}
    response = await call(app, "POST", "/api/gaps/1/alternatives", "editor", bad)
    assert response.status == 400 and MARKER not in response.text
    assert response.json["fields"] == ["phrasings[0].text"]
    response = await call(app, "GET", f"/api/analytics/weekly?weeks={MARKER}", "editor")
    assert response.status == 400 and MARKER not in response.text and "weeks" in response.text


async def test_a_body_that_is_not_an_object_is_refused(app: Sanic) -> None:
    response = await call(app, "POST", "/api/notices", "editor", [MARKER])
    assert response.status == 400 and MARKER not in response.text
    raw = await app.asgi_client.post(
        "/api/notices",
        content=f"{{{MARKER}",
        headers={"authorization": "Bearer editor-token-0123456789ab"},
    )
    assert raw[1].status == 400 and MARKER not in raw[1].text


async def test_storage_failure_is_503_not_400(runtime: Runtime) -> None:
    gone = Database("postgresql+psycopg2://postgres@127.0.0.1:1/none")
    Sanic.test_mode = True
    app = create_app(runtime.settings, replace(runtime, db=gone))
    try:
        response = await call(app, "GET", "/api/tickets", "agent")
        assert response.status == 503, response.text
        assert response.json["error"] == "storage unavailable"
        response = await call(app, "GET", "/api/notices", "editor")
        assert response.status == 503
    finally:
        gone.dispose()


async def test_unexpected_errors_are_a_logged_generic_500(
    app: Sanic, caplog: pytest.LogCaptureFixture
) -> None:
    @app.get("/api/boom-for-tests")
    async def boom(request: Request) -> HTTPResponse:
        raise RuntimeError(f"secret detail {MARKER}")

    with caplog.at_level(logging.ERROR, logger="bot.web.contract"):
        response = await call(app, "GET", "/api/boom-for-tests")
    assert response.status == 500 and response.json == {"error": "internal error", "code": 500}
    assert any(r.exc_info and MARKER in str(r.exc_info[1]) for r in caplog.records)


async def test_an_id_no_row_can_have_is_404_not_a_database_error(app: Sanic) -> None:
    huge = "9" * 30
    assert (await call(app, "GET", f"/api/gaps/{huge}", "editor")).status == 404
    response = await call(app, "POST", f"/api/notices/{huge}/end", "editor", {})
    assert response.status == 404 and response.json == {"error": "no such resource", "code": 404}


async def test_a_response_that_drifts_from_its_model_is_our_500_not_a_400(
    app: Sanic, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        "bot.handoff.tickets.list_tickets", lambda *args, **kwargs: [{"id": "T1", "new": 1}]
    )
    response = await call(app, "GET", "/api/tickets", "agent")
    assert response.status == 500 and response.json == {"error": "internal error", "code": 500}
