"""Faults a replica meets: a hung action server (the customer hears something within 5 s);
Redis and PostgreSQL restarting under a conversation (refused with 503, stored once)."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import create_engine, text

from bench.stack import running_stack
from tests.channels.fake_platform import fake_platform
from tests.channels.signing import hub_signature, meta_body
from tests.channels.stack import SECRETS
from tests.channels.test_whatsapp import new_sender as new_whatsapp_sender
from tests.channels.test_whatsapp import notification
from tests.channels.test_whatsapp import text as wa_text
from tests.conftest import FIXTURE_KB
from tests.e2e.conftest import new_sender
from tests.replicas.throwaway import ThrowawayPostgres, ThrowawayRedis
from tests.security.sio import SocketIO

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


@pytest.fixture
def hung_server() -> Iterator[str]:
    """Accepts connections and never answers (a bot-service replica stuck in a long GC,
    a half-dead container)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(server.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.getsockname()[1]}/webhook"
    stop.set()
    thread.join(timeout=2)
    for connection in held:
        connection.close()
    server.close()


def test_a_hung_action_server_gets_the_customer_an_apology_within_5_seconds(
    tmp_path: Path, hung_server: str
) -> None:
    with running_stack(FIXTURE_KB, tmp_path, {"SVAR_ACTION_URL": hung_server}) as stack:
        started = time.monotonic()
        messages = stack.say(new_sender(), "How long does shipping take?")
        elapsed = time.monotonic() - started
    assert elapsed < 5.0, f"the customer waited {elapsed:.1f} s"
    assert any("try again in a moment" in m.get("text", "") for m in messages), messages


def _whatsapp(stack_url: str, payload: dict[str, Any]) -> int:
    body = meta_body(payload)
    headers = {
        "Content-Type": "application/json",
        "X-Hub-Signature-256": hub_signature(SECRETS["WHATSAPP_APP_SECRET"], body),
    }
    url = f"{stack_url}/webhooks/whatsapp/webhook"
    return httpx.post(url, content=body, headers=headers, timeout=30).status_code


def _redeliver(stack_url: str, payload: dict[str, Any], within: float = 20.0) -> int:
    """Meta's retries: the same notification until it gets a 2xx."""
    deadline = time.monotonic() + within
    while True:
        status = _whatsapp(stack_url, payload)
        if status == 200 or time.monotonic() > deadline:
            return status
        assert status == 503, status
        time.sleep(1.0)


def _widget_retry(widget: SocketIO, data: dict[str, Any], within: float = 20.0) -> Any:
    """Send again, as the widget's "Try again" does, until stored or `within` seconds pass."""
    deadline = time.monotonic() + within
    while True:
        ack = widget.call("user_uttered", data)
        if ack.get("ok") or time.monotonic() > deadline:
            return ack
        time.sleep(0.5)


def _user_texts(tracker_url: str, sender: str) -> list[str]:
    engine = create_engine(tracker_url)
    with engine.connect() as connection:
        rows = connection.execute(
            text("SELECT data FROM events WHERE sender_id = :s AND type_name = 'user' ORDER BY id"),
            {"s": sender},
        ).scalars()
        texts = [json.loads(row)["text"] for row in rows]
    engine.dispose()
    return texts


@pytest.mark.postgres
def test_stores_down_refuse_with_503_and_the_redelivery_is_stored_once(tmp_path: Path) -> None:
    """Restart Redis, then PostgreSQL, under a live conversation on WhatsApp."""
    postgres, redis = ThrowawayPostgres(), ThrowawayRedis()
    try:
        postgres.start()
        redis.start()
        tracker_url = postgres.create("rasa")
        env = {
            **SECRETS,
            "DATABASE_URL": postgres.create("svar"),
            "SVAR_TRACKER_DIALECT": "postgresql",
            "SVAR_TRACKER_URL": tracker_url.replace("+psycopg2", ""),
            "SVAR_LOCK_STORE": "redis",
            "SVAR_REDIS_PORT": str(redis.port),
            "SVAR_CHANNEL_STATE_URL": f"redis://127.0.0.1:{redis.port}/2",
        }
        with fake_platform() as platform:
            env.update(SVAR_GRAPH_URL=platform.url, SVAR_GRAPH_VERSION="v24.0")
            with running_stack(FIXTURE_KB, tmp_path, env) as stack:
                sender = new_whatsapp_sender()
                first = notification(sender, wa_text("How long does shipping take?"))
                assert _whatsapp(stack.rasa_url, first) == 200
                platform.take("/messages", 1)

                widget = SocketIO(stack.rasa_url)
                session = widget.session()
                widget_text = {"message": "Do you ship to Iceland?", "session_id": session}

                redis.stop()  # lock store and channel state gone
                second = notification(sender, wa_text("Which payment options do you offer?"))
                assert _whatsapp(stack.rasa_url, second) == 503
                # The widget hears that its message was not stored (and offers a retry).
                assert widget.call("user_uttered", widget_text) == {
                    "ok": False,
                    "error": "not_stored",
                }
                redis.start()
                assert _redeliver(stack.rasa_url, second) == 200
                platform.take("/messages", 1)
                assert _widget_retry(widget, widget_text) == {"ok": True}
                widget.close()

                postgres.stop()  # the tracker store gone
                third = notification(sender, wa_text("How much does shipping cost?"))
                assert _whatsapp(stack.rasa_url, third) == 503
                postgres.start()
                assert _redeliver(stack.rasa_url, third) == 200
                platform.take("/messages", 1)
                assert _whatsapp(stack.rasa_url, third) == 200  # a late duplicate: ignored
                time.sleep(1.0)
                assert not [c for c in platform.calls if "/messages" in c.path]

        assert _user_texts(tracker_url, sender) == [
            "How long does shipping take?",
            "Which payment options do you offer?",
            "How much does shipping cost?",
        ]
        assert _user_texts(tracker_url, session) == ["Do you ship to Iceland?"]
    finally:
        redis.stop()
        postgres.remove()
