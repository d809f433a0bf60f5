"""/health, /ready and /metrics of the bot service (the real app, Sanic's test client)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from sanic import Sanic

from bot.gaps.turns import Turn, log_turn
from bot.kb.format import load_kb
from bot.kb.index import build_index
from bot.runtime import LiveIndex, Runtime
from bot.settings import Settings
from bot.storage import Database
from bot.web import create_app
from tests.conftest import FIXTURE_KB
from tests.helpers import HashingEncoder

TOKEN = "metrics-token-0123456789"


@pytest.fixture
def runtime(tmp_path: Path) -> Iterator[Runtime]:
    settings = replace(
        Settings.from_env({}),
        database_url=f"sqlite:///{tmp_path / 'svar.db'}",
        index_dir=tmp_path / "index",
        metrics_token=TOKEN,
    )
    encoder = HashingEncoder()
    build_index(load_kb(FIXTURE_KB), encoder, settings.index_dir)
    db = Database(settings.database_url)
    db.migrate()
    yield Runtime(settings, db, LiveIndex(settings, encoder))
    db.dispose()


def app_for(rt: Runtime) -> Sanic:
    Sanic.test_mode = True
    return create_app(rt.settings, rt)


async def test_health_and_ready_when_all_is_well(runtime: Runtime) -> None:
    app = app_for(runtime)
    _, alive = await app.asgi_client.get("/health")
    _, ready = await app.asgi_client.get("/ready")
    assert alive.status == 200 and alive.json == {"status": "ok"}
    assert ready.status == 200, ready.json
    assert ready.json["checks"] == {"database": True, "index": True}


async def test_not_ready_when_the_database_is_gone(runtime: Runtime) -> None:
    gone = Database("postgresql+psycopg2://postgres@127.0.0.1:1/none")
    app = app_for(replace(runtime, db=gone))
    _, ready = await app.asgi_client.get("/ready")
    _, alive = await app.asgi_client.get("/health")
    assert ready.status == 503 and ready.json["checks"]["database"] is False
    assert alive.status == 200  # alive: a load balancer stops sending, nobody restarts it
    gone.dispose()


async def test_metrics_need_the_token_through_a_proxy(runtime: Runtime) -> None:
    app = app_for(runtime)
    proxied = {"x-forwarded-for": "203.0.113.9"}
    _, refused = await app.asgi_client.get("/metrics", headers=proxied)
    assert refused.status == 401
    _, wrong = await app.asgi_client.get(
        "/metrics", headers={**proxied, "authorization": "Bearer nope"}
    )
    assert wrong.status == 401
    _, allowed = await app.asgi_client.get(
        "/metrics", headers={**proxied, "authorization": f"Bearer {TOKEN}"}
    )
    assert allowed.status == 200
    assert allowed.headers["content-type"].startswith("text/plain")


async def test_metrics_count_turns_and_name_the_index(runtime: Runtime) -> None:
    app = app_for(runtime)
    auth = {"authorization": f"Bearer {TOKEN}"}

    def turns(text: str) -> float:
        line = 'svar_kb_turns_total{lang="sv",outcome="no_answer"} '
        found = [row for row in text.splitlines() if row.startswith(line)]
        return float(found[0].split()[-1]) if found else 0.0

    _, before = await app.asgi_client.get("/metrics", headers=auth)
    log_turn(runtime.db, Turn("s1", "no_answer", "rest", "sv", question="Har ni kajaker?"))
    _, after = await app.asgi_client.get("/metrics", headers=auth)
    assert turns(after.text) == turns(before.text) + 1
    version = runtime.index.searcher().index.version
    assert f'svar_index_info{{model="test:hashing",version="{version}"}} 1.0' in after.text
