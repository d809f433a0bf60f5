"""The rest of the staff door route by route: privacy, status and health, login, pages."""

from __future__ import annotations

from dataclasses import replace

from sanic import Sanic

from bot import accounts
from bot.runtime import Runtime
from bot.settings.hours import OpeningHours
from bot.web import create_app
from bot.web.models import Readiness, ServiceStatus
from tests.web.conftest import call, open_ticket

SAME_ORIGIN = {"sec-fetch-site": "same-origin"}


async def test_privacy_status_export_and_erase(app: Sanic, runtime: Runtime) -> None:
    open_ticket(runtime.db)
    status = await call(app, "GET", "/api/privacy/status", "admin")
    assert status.status == 200 and "retention" in status.json
    exported = await call(app, "POST", "/api/privacy/export", "admin", {"sender_id": "s-web-1"})
    assert exported.status == 200, exported.text
    erased = await call(
        app, "POST", "/api/privacy/erase", "admin", {"sender_id": "s-web-1", "request": "R-1"}
    )
    assert erased.status == 200 and erased.json["erased"]["tickets"] == 1
    neither = await call(app, "POST", "/api/privacy/export", "admin", {})
    assert neither.status == 400
    both = {"sender_id": "s-web-1", "customer_id": "c1"}
    assert (await call(app, "POST", "/api/privacy/erase", "admin", both)).status == 400
    typed = await call(app, "POST", "/api/privacy/export", "admin", {"sender_id": 5})
    assert typed.status == 400 and typed.json["fields"] == ["sender_id"]


async def test_status_ready_health_and_metrics(app: Sanic) -> None:
    status = await call(app, "GET", "/status")
    assert status.status == 200 and ServiceStatus.model_validate(status.json).entries > 0
    ready = await call(app, "GET", "/ready")
    assert ready.status == 200 and Readiness.model_validate(ready.json).status == "ready"
    alive = await call(app, "GET", "/health")
    assert alive.status == 200 and alive.json == {"status": "ok"}
    proxied = {"x-forwarded-for": "203.0.113.9"}
    metrics = await call(app, "GET", "/metrics", headers=proxied)
    assert metrics.status == 401 and metrics.json == {"error": "not authorised", "code": 401}


async def test_metrics_with_their_token(runtime: Runtime) -> None:
    settings = replace(runtime.settings, metrics_token="metrics-token-0123456789")
    Sanic.test_mode = True
    app = create_app(settings, replace(runtime, settings=settings))
    headers = {"x-forwarded-for": "203.0.113.9", "authorization": "Bearer metrics-token-0123456789"}
    metrics = await call(app, "GET", "/metrics", headers=headers)
    assert metrics.status == 200 and metrics.headers["content-type"].startswith("text/plain")


async def test_login_pages_and_logout(app: Sanic, runtime: Runtime) -> None:
    accounts.add_user(runtime.db, "kari", "a-long-password-1", ["agent", "editor"])
    assert (await call(app, "GET", "/console/login")).status == 200
    _, wrong = await app.asgi_client.post(
        "/console/login", data={"name": "kari", "password": "nope-nope-nope"}, headers=SAME_ORIGIN
    )
    assert wrong.status == 401
    _, cross = await app.asgi_client.post(
        "/console/login",
        data={"name": "kari", "password": "x"},
        headers={"sec-fetch-site": "cross-site"},
    )
    assert cross.status == 403 and cross.json["code"] == 403
    _, signed_in = await app.asgi_client.post(
        "/console/login",
        data={"name": "kari", "password": "a-long-password-1", "next": "/editor/gaps"},
        headers=SAME_ORIGIN,
        follow_redirects=False,
    )
    assert signed_in.status == 302 and signed_in.headers["location"] == "/editor/gaps"
    cookie = signed_in.cookies["svar_session"]
    session = {"cookie": f"svar_session={cookie}"}
    for page in ("/console", "/console/followups", "/editor/gaps", "/editor/notices"):
        response = await call(app, "GET", page, headers=session)
        assert response.status == 200, page
        assert response.headers["content-type"].startswith("text/html")
    missing = await call(app, "GET", "/console/tickets/TNOPE", headers=session)
    assert missing.status == 404
    assert (await call(app, "GET", "/editor/gaps/424242", headers=session)).status == 404
    _, out = await app.asgi_client.get("/console/logout", headers=session, follow_redirects=False)
    assert out.status == 302
    after = await call(app, "GET", "/api/tickets", headers=session)
    assert after.status == 401


async def test_the_widget_demo_page(app: Sanic) -> None:
    response = await call(app, "GET", "/demo?lang=nb")
    assert response.status == 200 and response.headers["content-type"].startswith("text/html")


async def test_console_shows_each_queue_open_or_closed_by_its_own_calendar(
    runtime: Runtime,
) -> None:
    hours = OpeningHours.parse(calendars="default=NO;stockholm=SE")
    settings = replace(runtime.settings, clock="2028-06-06T10:00:00+02:00", opening_hours=hours)
    open_ticket(runtime.db, queue="stockholm")
    open_ticket(runtime.db, queue="general")
    Sanic.test_mode = True
    app = create_app(settings, replace(runtime, settings=settings))
    queues = (await call(app, "GET", "/api/queues", "agent")).json["queues"]
    assert [(q["queue"], q["open_now"], q["closed_because"]) for q in queues] == [
        ("general", True, None),
        ("stockholm", False, "Nationaldagen"),
    ]
    assert queues[1]["calendar"] == "SE" and queues[1]["opens_at"].startswith("2028-06-07T08:00")
    page = (await call(app, "GET", "/console", "agent")).text
    assert "closed now (Nationaldagen) · opens 2028-06-07 08:00" in page
    assert page.count("open now") == 1
