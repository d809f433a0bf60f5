"""The outgoing webhook: Standard Webhooks signatures, a durable outbox, sensible retries."""

from __future__ import annotations

import base64
import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from sqlalchemy import select

from bot.errors import SettingsError
from bot.handoff import webhook
from bot.settings import Settings
from bot.storage import Database
from bot.storage.security_models import WebhookDelivery

SECRET = "whsec_" + base64.b64encode(b"a-secret-of-the-helpdesk-32bytes").decode()


class Receiver:
    """Answers each POST with the next status of `statuses` (then 204), recording it."""

    def __init__(self, statuses: list[int]) -> None:
        self.seen: list[tuple[int, dict[str, str], bytes]] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["content-length"]))
                status = statuses[len(outer.seen)] if len(outer.seen) < len(statuses) else 204
                outer.seen.append((status, dict(self.headers), body))
                self.send_response(status)
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def db(tmp_path: Any) -> Iterator[Database]:
    database = Database(f"sqlite:///{tmp_path / 'svar.db'}")
    database.migrate()
    yield database
    database.dispose()


async def drain(db: Database, rounds: int = 10) -> None:
    for _ in range(rounds):
        await webhook.deliver_due(db, SECRET, first_delay=0.0)
        time.sleep(0.01)


def rows(db: Database) -> list[WebhookDelivery]:
    with db.session() as session:
        return list(session.scalars(select(WebhookDelivery)).all())


def test_signature_matches_the_standard_webhooks_test_vector() -> None:
    # The scheme's published example (standard-webhooks spec, "Signature scheme").
    secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    body = b'{"test": 2432232314}'
    signature = webhook.sign(secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, body)
    assert signature == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="


async def test_retried_after_5xx_and_429_with_the_same_id_then_delivered(db: Database) -> None:
    receiver = Receiver([503, 429])
    payload = {"event": "ticket.created", "ticket": {"id": "T1", "summary": "æøå"}}
    msg_id = webhook.enqueue(db, receiver.url, payload)
    await drain(db)
    receiver.server.shutdown()
    assert [s for s, _, _ in receiver.seen] == [503, 429, 204]
    assert {h["webhook-id"] for _, h, _ in receiver.seen} == {msg_id}
    _, headers, body = receiver.seen[-1]
    assert webhook.verify(SECRET, headers, body) and json.loads(body) == payload
    (row,) = rows(db)
    assert (row.status, row.attempts) == ("delivered", 3)


async def test_4xx_is_not_retried(db: Database) -> None:
    receiver = Receiver([400])
    webhook.enqueue(db, receiver.url, {"x": 1})
    await drain(db)
    receiver.server.shutdown()
    assert len(receiver.seen) == 1
    assert rows(db)[0].status == "failed"


async def test_gives_up_after_its_attempts(db: Database) -> None:
    receiver = Receiver([500] * 50)
    webhook.enqueue(db, receiver.url, {"x": 1})
    await drain(db, rounds=webhook.ATTEMPTS + 3)
    receiver.server.shutdown()
    assert len(receiver.seen) == webhook.ATTEMPTS and rows(db)[0].status == "failed"


async def test_outbox_survives_a_restart(tmp_path: Any) -> None:
    url = f"sqlite:///{tmp_path / 'svar.db'}"
    first = Database(url)
    first.migrate()
    receiver = Receiver([])
    webhook.enqueue(first, receiver.url, {"event": "ticket.created"})
    first.dispose()  # the service stops before delivering
    second = Database(url)
    await drain(second, rounds=1)
    receiver.server.shutdown()
    assert len(receiver.seen) == 1 and rows(second)[0].status == "delivered"
    second.dispose()


def test_replayed_or_tampered_delivery_fails_verification() -> None:
    body = b'{"event": "ticket.created"}'
    old = webhook.headers(SECRET, "msg_1", body, timestamp=int(time.time()) - 3600)
    assert not webhook.verify(SECRET, old, body)  # a replay an hour later
    fresh = webhook.headers(SECRET, "msg_1", body)
    assert webhook.verify(SECRET, fresh, body)
    assert not webhook.verify(SECRET, fresh, body + b" ")
    assert not webhook.verify("whsec_" + base64.b64encode(b"other").decode(), fresh, body)


def test_backoff_has_jitter_and_grows() -> None:
    early = {round(webhook.backoff(1, 1.0), 6) for _ in range(20)}
    assert len(early) > 1 and max(early) <= 1.0
    assert max(webhook.backoff(6, 1.0) for _ in range(200)) > 1.0


def test_a_url_without_a_secret_refuses_to_start() -> None:
    with pytest.raises(SettingsError):
        Settings.from_env({"BOT_HANDOFF_WEBHOOK_URL": "https://helpdesk.example/hook"})
