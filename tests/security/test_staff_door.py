"""The staff door: accounts, sessions, throttling, CSRF and headers (Sanic's test client,
the real app with a small runtime: only the database is needed)."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from sanic import Sanic
from sqlalchemy import select

from bot import accounts
from bot.cli import main
from bot.errors import SettingsError
from bot.settings import Settings
from bot.settings.staff import parse_api_tokens, parse_console_users
from bot.storage import Database
from bot.storage.security_models import StaffUser
from bot.web import create_app

PASSWORD = "correct horse battery"
NOTICE = {
    "text": "Storm delays deliveries",
    "ends_at": "2030-01-01T00:00:00+00:00",
    "keywords": "delivery",
}
SAME_ORIGIN = {"origin": "http://127.0.0.1:1234", "host": "127.0.0.1:1234"}


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = Database(f"sqlite:///{tmp_path / 'svar.db'}")
    database.migrate()
    yield database
    database.dispose()


def make_app(db: Database, **changes: Any) -> Sanic:
    Sanic.test_mode = True
    settings = replace(
        Settings.from_env({}),
        database_url=db.url,
        console_users=parse_console_users(f"edith:{PASSWORD}:editor+agent"),
        api_tokens=parse_api_tokens(
            "helpdesk:helpdesk-token-0123456789:agent;cms:cms-token-0123456789abc:editor"
        ),
        **changes,
    )
    return create_app(settings, SimpleNamespace(db=db, settings=settings))  # type: ignore[arg-type]


async def login(app: Sanic, password: str = PASSWORD, **headers: str) -> Any:
    _, response = await app.asgi_client.post(
        "/console/login",
        data={"name": "edith", "password": password, "next": "/console"},
        headers=headers,
        follow_redirects=False,
    )
    return response


async def post_notice(app: Sanic, cookie: str) -> int:
    _, response = await app.asgi_client.post(
        "/api/notices", json=NOTICE, cookies={"svar_session": cookie}, headers=SAME_ORIGIN
    )
    return int(response.status)


async def test_password_is_stored_as_an_argon2_hash(db: Database) -> None:
    app = make_app(db)
    assert (await login(app)).status == 302
    with db.session() as session:
        stored = session.scalars(select(StaffUser.password_hash)).one()
    assert stored.startswith("$argon2id$") and PASSWORD not in stored


def test_empty_password_refused() -> None:
    with pytest.raises(SettingsError, match="BOT_CONSOLE_USERS"):  # at start, before any seeding
        Settings.from_env({"BOT_CONSOLE_USERS": "edith::editor"})
    with pytest.raises(accounts.AccountError):
        accounts.hash_password("edith", "")


async def test_session_cookie_is_secure_httponly_strict(db: Database) -> None:
    header = (await login(make_app(db))).headers["set-cookie"].lower()
    assert "secure" in header and "httponly" in header and "samesite=strict" in header
    dev = (await login(make_app(db, secure_cookies=False))).headers["set-cookie"].lower()
    assert "secure" not in dev.replace("samesite", "")


async def test_logout_ends_the_session_on_the_server(db: Database) -> None:
    app = make_app(db)
    cookie = (await login(app)).cookies["svar_session"]
    assert await post_notice(app, cookie) == 201
    await app.asgi_client.get("/console/logout", cookies={"svar_session": cookie})
    assert await post_notice(app, cookie) == 401  # the stolen or kept cookie is dead


async def test_demoted_users_old_session_loses_the_role_at_once(db: Database) -> None:
    app = make_app(db)
    cookie = (await login(app)).cookies["svar_session"]
    accounts.set_roles(db, "edith", "agent")
    assert await post_notice(app, cookie) in (401, 403)


async def test_password_change_ends_sessions(db: Database) -> None:
    app = make_app(db)
    cookie = (await login(app)).cookies["svar_session"]
    accounts.set_password(db, "edith", "a brand new password")
    assert await post_notice(app, cookie) == 401


async def test_login_brute_force_is_throttled_and_logged_without_password(
    db: Database, caplog: pytest.LogCaptureFixture
) -> None:
    app = make_app(db)
    caplog.set_level(logging.INFO)
    statuses = [(await login(app, f"guess-{i}")).status for i in range(5)]
    assert statuses == [401] * 5
    blocked = await login(app)  # even the right password, while throttled
    assert blocked.status == 429 and int(blocked.headers["retry-after"]) > 0
    assert "guess-3" not in caplog.text and PASSWORD not in caplog.text
    assert "login for 'edith'" in caplog.text


@pytest.mark.parametrize(
    ("headers", "content_type"),
    [
        (SAME_ORIGIN, "text/plain"),  # JSON sent as text/plain, as a cross-site form can
        ({"origin": "https://shop.example", "host": "127.0.0.1:1234"}, "application/json"),
        ({"sec-fetch-site": "same-site"}, "application/json"),
        ({}, "application/json"),  # neither header: not provably same-origin
    ],
)
async def test_csrf_refused(db: Database, headers: dict[str, str], content_type: str) -> None:
    app = make_app(db)
    cookie = (await login(app)).cookies["svar_session"]
    _, response = await app.asgi_client.post(
        "/api/notices",
        content=b'{"text": "x", "ends_at": "2030-01-01T00:00:00+00:00"}',
        headers={**headers, "content-type": content_type},
        cookies={"svar_session": cookie},
    )
    assert response.status == 403


async def test_cross_site_login_refused(db: Database) -> None:
    response = await login(make_app(db), origin="https://evil.example")
    assert response.status == 403


async def test_integration_token_has_only_its_roles(db: Database) -> None:
    app = make_app(db)
    auth = {"authorization": "Bearer helpdesk-token-0123456789"}
    _, tickets_page = await app.asgi_client.get("/api/notices", headers=auth)
    assert tickets_page.status == 403  # an agent-only integration cannot touch the KB side
    _, wrong = await app.asgi_client.get("/api/notices", headers={"authorization": "Bearer x"})
    assert wrong.status == 401


async def test_staff_pages_have_security_headers(db: Database) -> None:
    _, response = await make_app(db).asgi_client.get("/console/login")
    csp = response.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in csp and "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "same-origin"


def test_staff_templates_have_no_inline_script() -> None:
    root = Path(__file__).resolve().parents[2] / "bot" / "web"
    for page in [*root.glob("console/templates/*.html"), *root.glob("editor/templates/*.html")]:
        text = page.read_text(encoding="utf-8")
        assert "<script>" not in text and " on" + "click=" not in text, page


def test_users_cli_add_passwd_remove(
    db: Database, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", db.url)
    monkeypatch.setattr("sys.stdin", io.StringIO("first password\n"))
    assert main(["users", "add", "kari", "--role", "agent", "--password-stdin"]) == 0
    assert accounts.authenticate(db, "kari", "first password") is not None
    monkeypatch.setattr("sys.stdin", io.StringIO("second password\n"))
    assert main(["users", "passwd", "kari", "--password-stdin"]) == 0
    assert accounts.authenticate(db, "kari", "first password") is None
    assert accounts.authenticate(db, "kari", "second password") is not None
    monkeypatch.setattr("sys.stdin", io.StringIO("\n"))
    assert main(["users", "passwd", "kari", "--password-stdin"]) == 2  # no empty password
    assert main(["users", "remove", "kari"]) == 0
    assert accounts.list_users(db) == []


EDITOR = {"authorization": "Bearer cms-token-0123456789abc"}


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        (
            "/api/gaps/1/alternatives",
            {"faq_id": "x", "phrasings": [{"txt": "a"}]},
            "phrasings[0].text",
        ),
        ("/api/gaps/1/alternatives", {"faq_id": "x", "phrasings": ["a"]}, "phrasings[0]"),
        ("/api/gaps/1/entry", {"id": "x", "translations": [{"lang": "en"}]}, "translations[0]"),
        ("/api/gaps/1/entry", {"id": "x", "translations": 5}, "translations"),
    ],
)
async def test_editor_api_bad_input_is_a_400_naming_the_field(
    db: Database, path: str, body: dict[str, Any], field: str
) -> None:
    _, response = await make_app(db).asgi_client.post(path, json=body, headers=EDITOR)
    assert response.status == 400 and field in response.json["error"]


@pytest.mark.parametrize("query", ["weeks=1000000", "weeks=-1", "weeks=abc"])
async def test_analytics_weeks_bounded(db: Database, query: str) -> None:
    _, response = await make_app(db).asgi_client.get(
        f"/api/analytics/weekly?{query}", headers=EDITOR
    )
    assert response.status == 400 and "weeks" in response.json["error"]


def test_gaps_csv_cannot_carry_a_spreadsheet_formula() -> None:
    from bot.gaps.report import spreadsheet_safe

    assert spreadsheet_safe('=HYPERLINK("http://x","click")').startswith("'=")
    assert spreadsheet_safe("+47 22 00 00 00") == "'+47 22 00 00 00"
    assert spreadsheet_safe("@SUM(A1)") == "'@SUM(A1)"
    assert spreadsheet_safe("How long is delivery?") == "How long is delivery?"
    assert spreadsheet_safe(3) == 3


def test_action_endpoint_needs_its_token_off_loopback() -> None:
    from bot.errors import SettingsError
    from bot.web import security

    base = Settings.from_env({})
    security.check_settings(base)  # loopback, no token: development
    with pytest.raises(SettingsError):
        security.check_settings(replace(base, host="0.0.0.0"))
    security.check_settings(replace(base, host="0.0.0.0", action_token="t" * 32))
