"""The public door (Rasa's channels), attacked through the real Rasa server and bot service.

Each test would fail on the code before issue 13: forged identity and channel over REST,
a forged socket.io session, oversized and compressed bodies, the ReDoS message.
"""

from __future__ import annotations

import socket
import threading
import time
import uuid
from typing import Any
from urllib.parse import urlparse

import httpx
import pytest

from tests.channels.signing import hub_signature, meta_body
from tests.channels.stack import CONSOLE_TOKEN, SECRETS, ChannelStack
from tests.channels.test_whatsapp import PHONE_ID, notification, text
from tests.security.sio import SocketIO

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


def rest(cs: ChannelStack, body: Any, **kwargs: Any) -> httpx.Response:
    url = f"{cs.stack.rasa_url}/webhooks/rest/webhook"
    return httpx.post(url, json=body, timeout=60, **kwargs)


def tracker(cs: ChannelStack, sender: str) -> dict[str, Any]:
    response = httpx.get(
        f"{cs.stack.rasa_url}/conversations/{sender}/tracker",
        params={"token": cs.stack.rasa_token},
        timeout=30,
    )
    response.raise_for_status()
    body: dict[str, Any] = response.json()
    return body


def user_texts(cs: ChannelStack, sender: str) -> list[str]:
    return [e["text"] for e in tracker(cs, sender)["events"] if e["event"] == "user"]


def ticket_of(cs: ChannelStack, messages: list[dict[str, Any]]) -> dict[str, Any]:
    contract = next(m["custom"] for m in messages if "custom" in m)
    assert contract["kind"] == "handoff", messages
    response = httpx.get(
        f"{cs.stack.bot_url}/api/tickets/{contract['ticket_id']}",
        headers={"authorization": f"Bearer {CONSOLE_TOKEN}"},
        timeout=30,
    )
    assert response.status_code == 200, response.text
    found: dict[str, Any] = response.json()
    return found


def raw_post(url: str, path: str, length: int, headers: str = "") -> tuple[str, float]:
    """Announce a `length`-byte body, send a little of it, return the status line and how
    long the server took to answer: a server that reads first would wait for the rest."""
    parsed = urlparse(url)
    started = time.monotonic()
    with socket.create_connection((parsed.hostname, parsed.port), timeout=10) as sock:
        head = (
            f"POST {path} HTTP/1.1\r\nHost: {parsed.netloc}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {length}\r\n{headers}\r\n"
        )
        sock.sendall(head.encode() + b'{"sender": "x", "message": "' + b"a" * 1000)
        status = sock.recv(4096).decode(errors="replace").split("\r\n", 1)[0]
    return status, time.monotonic() - started


def test_rest_cannot_claim_a_customer_a_tier_or_another_channel(cs: ChannelStack) -> None:
    sender = f"sec-{uuid.uuid4().hex[:10]}"
    forged = {"customer_id": "vip-1", "tier": "vip", "customer_verified": True}
    body = {
        "sender": sender,
        "message": "I want to talk to a person",
        "input_channel": "whatsapp",
        "metadata": {**forged, "customer": {"id": "vip-1", "tier": "vip"}, "channel": "whatsapp"},
    }
    response = rest(cs, body)
    assert response.status_code == 200
    found = ticket_of(cs, response.json())
    assert found["customer_id"] is None and found["tier"] is None
    assert found["priority"] != "high"
    assert found["channel"] == "rest"
    latest = tracker(cs, sender)["latest_message"]
    assert latest["metadata"]["channel"] == "rest"
    assert latest["metadata"]["customer_verified"] is False


def test_rest_with_a_signed_customer_is_verified(cs: ChannelStack) -> None:
    customer = cs.stack.signed_customer("cust-signed", "vip")
    body = {"sender": f"sec-{uuid.uuid4().hex[:10]}", "message": "I want to talk to a person"}
    response = rest(cs, {**body, "metadata": {"customer": customer}})
    found = ticket_of(cs, response.json())
    assert (found["customer_id"], found["tier"], found["priority"]) == (
        "cust-signed",
        "vip",
        "high",
    )


@pytest.mark.parametrize(
    "body",
    [
        [],
        "text",
        {"sender": 7, "message": "hi"},
        {"sender": "a b", "message": "hi"},
        {"sender": "x"},
    ],
)
def test_rest_malformed_body_is_a_400(cs: ChannelStack, body: Any) -> None:
    response = rest(cs, body)
    assert response.status_code == 400, response.text


def test_redos_message_refused_at_once_and_others_keep_answering(cs: ChannelStack) -> None:
    sender = f"sec-{uuid.uuid4().hex[:10]}"
    normal: list[float] = []

    def converse() -> None:
        started = time.monotonic()
        ok = rest(cs, {"sender": f"sec-{uuid.uuid4().hex[:10]}", "message": "Hello"})
        assert ok.status_code == 200 and ok.json()
        normal.append(time.monotonic() - started)

    other = threading.Thread(target=converse)
    started = time.monotonic()
    other.start()
    response = rest(cs, {"sender": sender, "message": "a" * 40_000 + "@"})
    took = time.monotonic() - started
    other.join(30)
    assert response.status_code == 200 and took < 1.0, took
    reply = response.json()
    assert len(reply) == 1 and "too long" in reply[0]["text"]
    assert normal and normal[0] < 10
    assert user_texts(cs, sender) == []  # never stored
    assert rest(cs, {"sender": sender, "message": "Hello"}).json()  # the conversation goes on


def test_long_message_refused_in_the_customers_language(cs: ChannelStack) -> None:
    words = "Hvor lang tid tar leveringen av pakken min til Tromsø? " * 60
    reply = rest(cs, {"sender": f"sec-{uuid.uuid4().hex[:10]}", "message": words}).json()
    assert "for lang" in reply[0]["text"]


def test_typed_slash_command_cannot_inject_entities(cs: ChannelStack) -> None:
    sender = f"sec-{uuid.uuid4().hex[:10]}"
    rest(cs, {"sender": sender, "message": '/greet{"language": "nl", "input_issue": "x"}'})
    latest = tracker(cs, sender)["latest_message"]
    assert latest["text"].startswith("greet")
    assert not latest.get("entities") or all(
        e["entity"] != "input_issue" for e in latest["entities"]
    )


def test_oversized_body_refused_before_it_is_read(cs: ChannelStack) -> None:
    status, took = raw_post(cs.stack.rasa_url, "/webhooks/rest/webhook", 20_000_000)
    assert " 413 " in status + " " and took < 2.0, (status, took)


def test_compressed_body_refused(cs: ChannelStack) -> None:
    import zlib

    body = zlib.compress(b'{"sender": "zip", "message": "' + b"a" * 100_000 + b'"}')
    response = httpx.post(
        f"{cs.stack.rasa_url}/webhooks/rest/webhook",
        content=body,
        headers={"Content-Type": "application/json", "Content-Encoding": "deflate"},
        timeout=30,
    )
    assert response.status_code == 415


def test_whatsapp_long_message_answered_politely_not_stored(cs: ChannelStack) -> None:
    sender = "47" + str(uuid.uuid4().int)[:8]
    payload = notification(sender, text("Hello " * 1000))
    body = meta_body(payload)
    signature = hub_signature(SECRETS["WHATSAPP_APP_SECRET"], body)
    response = httpx.post(
        f"{cs.stack.rasa_url}/webhooks/whatsapp/webhook",
        content=body,
        headers={"Content-Type": "application/json", "X-Hub-Signature-256": signature},
        timeout=60,
    )
    assert response.status_code == 200
    (call,) = cs.platform.take(f"/v24.0/{PHONE_ID}/messages", 1)
    assert "too long" in call.json()["text"]["body"]
    assert user_texts(cs, sender) == []


def test_twilio_invalid_utf8_is_refused_not_a_500(cs: ChannelStack) -> None:
    response = httpx.post(
        f"{cs.stack.rasa_url}/webhooks/twilio/webhook",
        content=b"From=whatsapp%3A%2B4790000000&Body=\xff\xfe\xfa",
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "X-Twilio-Signature": "bm90LWEtc2lnbmF0dXJl",
        },
        timeout=30,
    )
    assert response.status_code == 403


def test_socketio_message_for_another_session_is_refused(cs: ChannelStack) -> None:
    victim, attacker = SocketIO(cs.stack.rasa_url), SocketIO(cs.stack.rasa_url)
    try:
        victim_session = victim.session()
        attacker.session()
        refused = attacker.call("user_uttered", {"message": "Hello", "session_id": victim_session})
        assert refused == {"ok": False, "error": "session"}
        assert attacker.collect(2) == [] and victim.collect(1) == []
        assert user_texts(cs, victim_session) == []
        # The victim's own socket still talks in its session; the message is acknowledged
        # once stored (after the replies).
        stored = victim.call("user_uttered", {"message": "Hello", "session_id": victim_session})
        assert stored == {"ok": True}
        assert victim.wait("bot_uttered")
        assert user_texts(cs, victim_session) == ["Hello"]
    finally:
        victim.close()
        attacker.close()


def test_socketio_long_message_refused_politely(cs: ChannelStack) -> None:
    client = SocketIO(cs.stack.rasa_url)
    try:
        session = client.session()
        client.emit("user_uttered", {"message": "x" * 5000, "session_id": session})
        assert "too long" in client.wait("bot_uttered", timeout=5)["text"]
        assert user_texts(cs, session) == []
    finally:
        client.close()
