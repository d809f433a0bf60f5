"""The staff audit log: what staff did is recorded (never what anyone wrote), admins read it,
and the login throttle is one count for every replica (the real app, Sanic's test client)."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from typing import Any

import pytest
from sanic import Sanic
from sqlalchemy import select

from bot import accounts
from bot.audit import entries
from bot.cli import main
from bot.privacy.purge import purge
from bot.settings import Settings
from bot.settings.retention import Retention
from bot.settings.staff import parse_api_tokens, parse_console_users
from bot.storage import Database
from bot.storage.audit_models import AuditEntry, LoginFailure
from bot.web import create_app
from bot.web.audit import rule_for
from bot.web.auth import SAFE_METHODS
from tests.privacy.conftest import ticket

PASSWORD = "correct horse battery"
SAME_ORIGIN = {"origin": "http://127.0.0.1:1234", "host": "127.0.0.1:1234"}
AGENT_TOKEN = "helpdesk-token-0123456789"
ADMIN_TOKEN = "dpo-token-0123456789abcdef"
REPLY = "Your refund of 499 kr is on its way to NO93 8601 1117 947"
CUSTOMER = "cust-4471"


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    database = Database(database_url)
    database.migrate()
    yield database
    database.dispose()


class FakeRasa:
    """Rasa as the ticket API sees it: the agent's reply is delivered, nothing was paused."""

    def __init__(self, settings: Any) -> None:
        pass

    async def say(self, *args: Any) -> None:
        return None

    async def resume(self, *args: Any) -> None:
        return None

    async def user_messages(self, sender_id: str) -> list[Any]:
        return []


@pytest.fixture(autouse=True)
def fake_rasa(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("bot.web.handoff_api.RasaClient", FakeRasa)


def make_app(db: Database) -> Sanic:
    Sanic.test_mode = True
    settings = replace(
        Settings.from_env({}),
        database_url=db.url,
        tracker_url=f"{db.url}",
        console_users=parse_console_users(f"edith:{PASSWORD}:editor+agent;ada:{PASSWORD}:admin"),
        api_tokens=parse_api_tokens(f"helpdesk:{AGENT_TOKEN}:agent;dpo:{ADMIN_TOKEN}:admin"),
        secure_cookies=False,
    )
    return create_app(settings, SimpleNamespace(db=db, settings=settings))  # type: ignore[arg-type]


async def login(app: Sanic, name: str = "edith", password: str = PASSWORD) -> Any:
    _, response = await app.asgi_client.post(
        "/console/login",
        data={"name": name, "password": password, "next": "/console"},
        follow_redirects=False,
    )
    return response


def bearer(token: str) -> dict[str, str]:
    return {"authorization": f"Bearer {token}"}


def audit_rows(db: Database, seeded: bool = False) -> list[AuditEntry]:
    """The log in order; without the accounts make_app's start seeded, unless `seeded`."""
    with db.session() as session:
        rows = list(session.scalars(select(AuditEntry).order_by(AuditEntry.id)))
        session.expunge_all()
    return [r for r in rows if seeded or r.via != "env"]


async def test_logins_failed_logins_and_throttling_are_recorded_without_the_password(
    db: Database,
) -> None:
    app = make_app(db)
    assert (await login(app, password="guess-1")).status == 401
    assert (await login(app)).status == 302
    for _ in range(5):
        await login(app, "ada", "guess-2")
    assert (await login(app, "ada")).status == 429
    cookie = (await login(app)).cookies["svar_session"]
    await app.asgi_client.get("/console/logout", cookies={"svar_session": cookie})
    await login(app, "4111 1111 1111 1111", "pasted into the wrong field")
    actions = [(r.actor, r.via, r.action, r.status) for r in audit_rows(db)]
    assert actions == [
        ("edith", "login", "login.failed", 401),
        ("edith", "login", "login", 302),
        *[("ada", "login", "login.failed", 401)] * 5,
        ("ada", "login", "login.throttled", 429),
        ("edith", "login", "login", 302),
        ("edith", "session", "logout", 302),
        ("[card]", "login", "login.failed", 401),
    ]
    assert all(r.address for r in audit_rows(db))
    assert not re.search("guess|correct horse|4111|pasted", _everything(db))


async def test_ticket_actions_record_who_and_which_ticket_never_the_reply(db: Database) -> None:
    with db.session() as session:
        session.add_all(ticket("T00000000A1", "wa-4791234567", 1, None, customer_id=CUSTOMER))
    app = make_app(db)
    cookie = (await login(app)).cookies["svar_session"]
    _, claimed = await app.asgi_client.post(
        "/api/tickets/T00000000A1/claim",
        json={},
        cookies={"svar_session": cookie},
        headers=SAME_ORIGIN,
    )
    assert claimed.status == 200, claimed.text
    _, replied = await app.asgi_client.post(
        "/api/tickets/T00000000A1/reply", json={"text": REPLY}, headers=bearer(AGENT_TOKEN)
    )
    assert replied.status == 200, replied.text
    _, resolved = await app.asgi_client.post(
        "/api/tickets/T00000000A1/resolve",
        json={},
        cookies={"svar_session": cookie},
        headers=SAME_ORIGIN,
    )
    assert resolved.status == 200, resolved.text
    _, again = await app.asgi_client.post(
        "/api/tickets/T00000000A1/resolve",
        json={},
        cookies={"svar_session": cookie},
        headers=SAME_ORIGIN,
    )
    assert again.status == 409
    staff = [(r.actor, r.via, r.action, r.target, r.status) for r in audit_rows(db)[1:]]
    assert staff == [
        ("edith", "session", "ticket.claim", "T00000000A1", 200),
        ("helpdesk", "token", "ticket.reply", "T00000000A1", 200),
        ("edith", "session", "ticket.resolve", "T00000000A1", 200),
        ("edith", "session", "ticket.resolve", "T00000000A1", 409),
    ]
    assert not re.search("refund|NO93|8601|wa-479|cust-4471", _everything(db))


async def test_notice_and_privacy_erasure_are_recorded_without_the_person(db: Database) -> None:
    app = make_app(db)
    cookie = (await login(app)).cookies["svar_session"]
    notice = {"text": "Storm delays", "ends_at": "2030-01-01T00:00:00+00:00", "keywords": "x"}
    _, made = await app.asgi_client.post(
        "/api/notices", json=notice, cookies={"svar_session": cookie}, headers=SAME_ORIGIN
    )
    assert made.status == 201, made.text
    _, erased = await app.asgi_client.post(
        "/api/privacy/erase", json={"customer_id": CUSTOMER}, headers=bearer(ADMIN_TOKEN)
    )
    assert erased.status == 200, erased.text
    _, refused = await app.asgi_client.post(
        "/api/privacy/erase", json={"customer_id": CUSTOMER}, headers=bearer(AGENT_TOKEN)
    )
    assert refused.status == 403
    staff = [(r.actor, r.via, r.action, r.target, r.status) for r in audit_rows(db)[1:]]
    assert staff == [
        ("edith", "session", "notice.add", None, 201),
        ("dpo", "token", "privacy.erase", None, 200),
        ("helpdesk", "token", "privacy.erase", None, 403),  # tried without the role
    ]
    assert not re.search("Storm|cust-4471", _everything(db))


async def test_only_admins_read_the_log_newest_first_in_pages(db: Database) -> None:
    app = make_app(db)
    _, anonymous = await app.asgi_client.get("/api/audit")
    _, agent = await app.asgi_client.get("/api/audit", headers=bearer(AGENT_TOKEN))
    assert (anonymous.status, agent.status) == (401, 403)
    for _ in range(3):
        await login(app, password="guess")
    await login(app)
    _, page = await app.asgi_client.get("/api/audit?limit=2", headers=bearer(ADMIN_TOKEN))
    assert page.status == 200
    first = page.json["entries"]
    assert [e["action"] for e in first] == ["login", "login.failed"]
    _, rest = await app.asgi_client.get(
        f"/api/audit?limit=2&before={page.json['before']}", headers=bearer(ADMIN_TOKEN)
    )
    assert [e["action"] for e in rest.json["entries"]] == ["login.failed", "login.failed"]
    _, failed = await app.asgi_client.get(
        "/api/audit?action=login.failed&actor=edith", headers=bearer(ADMIN_TOKEN)
    )
    assert len(failed.json["entries"]) == 3
    _, wrong = await app.asgi_client.get("/api/audit?limit=many", headers=bearer(ADMIN_TOKEN))
    assert wrong.status == 400 and "limit" in wrong.json["error"]


async def test_the_audit_page_is_for_admins(db: Database) -> None:
    app = make_app(db)  # the test client keeps the cookie of the latest login
    assert (await login(app)).status == 302
    _, refused = await app.asgi_client.get("/console/audit")
    assert refused.status == 403
    assert (await login(app, "ada")).status == 302
    _, page = await app.asgi_client.get("/console/audit?action=login")
    assert page.status == 200
    assert "login" in page.text and "edith" in page.text and "ada" in page.text
    assert "content-security-policy" in page.headers


def test_every_state_changing_staff_route_is_audited(tmp_path: Any) -> None:
    """A new console or API route that changes something needs a rule in bot/web/audit.py."""
    database = Database(f"sqlite:///{tmp_path / 'svar.db'}")
    app = make_app(database)
    missing = []
    for route in app.router.routes:
        path = "/" + re.sub(r"<[^>]+>", "1", route.path)
        if not path.startswith(("/api/", "/console", "/editor")):
            continue
        for method in set(route.methods) - SAFE_METHODS:
            if rule_for(method, path) is None:
                missing.append(f"{method} {path}")
    assert missing == []
    database.dispose()


def test_user_management_from_the_command_line_is_recorded(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATABASE_URL", db.url)
    monkeypatch.setattr("sys.stdin", io.StringIO(f"{PASSWORD}\n"))
    assert main(["users", "add", "kari", "--role", "agent", "--password-stdin"]) == 0
    assert main(["users", "roles", "kari", "--role", "agent", "--role", "editor"]) == 0
    assert main(["users", "remove", "kari"]) == 0
    rows = [(r.via, r.action, r.target) for r in audit_rows(db)]
    assert rows == [
        ("cli", "user.add", "kari:agent"),
        ("cli", "user.roles", "kari:agent+editor"),
        ("cli", "user.remove", "kari"),
    ]
    assert all(r.actor.startswith("cli:") for r in audit_rows(db))


def test_privacy_export_and_erase_from_the_command_line_are_recorded_without_the_person(
    db: Database, monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    monkeypatch.setenv("DATABASE_URL", db.url)
    monkeypatch.setenv("SVAR_TRACKER_URL", f"sqlite:///{tmp_path / 'no-tracker.db'}")
    out = tmp_path / "export.json"
    assert main(["privacy", "export", "--sender", "wa-4791234567", "--out", str(out)]) == 0
    assert main(["privacy", "erase", "--sender", "wa-4791234567", "--yes"]) == 0
    assert [(r.via, r.action, r.target) for r in audit_rows(db)] == [
        ("cli", "privacy.export", None),
        ("cli", "privacy.erase", None),
    ]
    assert "4791234567" not in _everything(db)


async def test_two_replicas_share_the_login_throttle(db: Database, database_url: str) -> None:
    """Five wrong passwords spread over two app instances (two engines on one database,
    as two replicas behind the load balancer) lock the account on both."""
    other = Database(database_url)
    first, second = make_app(db), make_app(other)
    statuses = [
        (await login((first, second)[i % 2], password=f"guess-{i}")).status for i in range(5)
    ]
    assert statuses == [401] * 5
    for app in (first, second):
        blocked = await login(app)
        assert blocked.status == 429 and int(blocked.headers["retry-after"]) > 0
    with db.session() as session:
        keys = list(session.scalars(select(LoginFailure.key)))
    assert keys and not any("edith" in key or "127.0.0.1" in key for key in keys)
    other.dispose()


def test_the_purge_keeps_the_audit_log_a_year(db: Database) -> None:
    now = datetime(2027, 6, 1, tzinfo=UTC)
    with db.session() as session:
        for days in (400, 366, 200):
            session.add(
                AuditEntry(at=now - timedelta(days=days), actor="edith", via="session", action="x")
            )
    result = purge(db, None, Retention(), now)
    assert result.counts["staff_audit"] == 2
    assert [e["at"][:10] for e in entries(db)] == ["2026-11-13"]


def _everything(db: Database) -> str:
    """Every value of the audit table and the throttle's, as one text."""
    with db.session() as session:
        audit = session.scalars(select(AuditEntry)).all()
        failures = session.scalars(select(LoginFailure)).all()
        values = [str(v) for row in audit for v in vars(row).values()]
        values += [str(v) for row in failures for v in vars(row).values()]
    return " ".join(values)


async def test_accounts_seeded_at_start_are_recorded_without_the_password(db: Database) -> None:
    app = make_app(db)  # BOT_CONSOLE_USERS: edith (editor+agent) and ada (admin)
    _, log = await app.asgi_client.get(
        "/api/audit?actor=env:BOT_CONSOLE_USERS", headers=bearer(ADMIN_TOKEN)
    )
    assert [(e["via"], e["action"], e["target"]) for e in reversed(log.json["entries"])] == [
        ("env", "user.add", "edith:agent+editor"),
        ("env", "user.add", "ada:admin"),
    ]
    # The same environment at the next start changes nothing, so records nothing.
    accounts.seed_from_env(
        db, parse_console_users(f"edith:{PASSWORD}:editor+agent;ada:{PASSWORD}:admin ")
    )
    assert len(audit_rows(db, seeded=True)) == 2
    accounts.seed_from_env(
        db, parse_console_users(f"edith:{PASSWORD}:editor;ada:a new password 1:admin")
    )
    assert [(r.actor, r.action, r.target) for r in audit_rows(db, seeded=True)[2:]] == [
        ("env:BOT_CONSOLE_USERS", "user.roles", "edith:editor"),
        ("env:BOT_CONSOLE_USERS", "user.passwd", "ada"),
    ]
    assert PASSWORD not in _everything(db) and "a new password" not in _everything(db)
