"""The internal door (the bot service's action endpoint) and the bot service's own limits,
attacked through the real stack."""

from __future__ import annotations

import json
import time
import zlib

import httpx
import pytest

from tests.channels.stack import CONSOLE_TOKEN, ChannelStack
from tests.security.test_public_door import raw_post

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

MARKER = "do-not-echo-0xC0FFEE"


def action_call(sender: str = "forged") -> dict[str, object]:
    """A forged action call: a made-up tracker asking for a handoff."""
    return {
        "next_action": "action_handoff",
        "sender_id": sender,
        "version": "3.6.21",
        "tracker": {
            "sender_id": sender,
            "slots": {},
            "latest_message": {"text": MARKER, "intent": {"name": "request_human"}},
            "events": [{"event": "user", "text": MARKER, "timestamp": time.time()}],
            "latest_input_channel": "whatsapp",
            "paused": False,
            "active_loop": {},
        },
        "domain": {},
    }


@pytest.mark.parametrize("authorization", [None, "Bearer wrong-token", "Basic abc"])
def test_action_call_without_the_token_is_refused(
    cs: ChannelStack, authorization: str | None
) -> None:
    headers = {"authorization": authorization} if authorization else {}
    response = httpx.post(
        f"{cs.stack.bot_url}/webhook", json=action_call(), headers=headers, timeout=30
    )
    assert response.status_code == 401
    assert MARKER not in response.text
    listing = httpx.get(f"{cs.stack.bot_url}/actions", headers=headers, timeout=30)
    assert listing.status_code == 401


def test_rasa_still_reaches_the_action_server_with_its_token(cs: ChannelStack) -> None:
    body = {"sender": "sec-token-ok", "message": "How much does shipping cost?"}
    messages = httpx.post(f"{cs.stack.rasa_url}/webhooks/rest/webhook", json=body, timeout=60)
    assert any("custom" in m for m in messages.json())


def test_compressed_action_call_refused(cs: ChannelStack) -> None:
    bomb = zlib.compress(json.dumps({"pad": "0" * 5_000_000}).encode(), 9)
    response = httpx.post(
        f"{cs.stack.bot_url}/webhook",
        content=bomb,
        headers={
            "Content-Type": "application/json",
            "Content-Encoding": "deflate",
            "Authorization": f"Bearer {cs.stack.action_token}",
        },
        timeout=30,
    )
    assert response.status_code == 415


@pytest.mark.parametrize(
    ("path", "length"), [("/webhook", 40_000_000), ("/api/notices", 5_000_000)]
)
def test_oversized_body_refused_before_it_is_read(cs: ChannelStack, path: str, length: int) -> None:
    token = cs.stack.action_token if path == "/webhook" else CONSOLE_TOKEN
    auth = f"Authorization: Bearer {token}\r\n"
    status, took = raw_post(cs.stack.bot_url, path, length, auth)
    assert " 413 " in status + " " and took < 2.0, (status, took)


def test_errors_never_echo_the_request_body(cs: ChannelStack) -> None:
    headers = {"authorization": f"Bearer {cs.stack.action_token}"}
    broken = {"next_action": "action_handoff", "tracker": MARKER, "version": "3.6.21"}
    response = httpx.post(f"{cs.stack.bot_url}/webhook", json=broken, headers=headers, timeout=30)
    assert response.status_code >= 400 and MARKER not in response.text
    missing = httpx.get(f"{cs.stack.bot_url}/no-such-page-{MARKER}", timeout=30)
    assert missing.status_code == 404 and MARKER not in missing.text
    assert missing.headers["content-type"].startswith("application/json")


def test_no_cors_for_other_origins(cs: ChannelStack) -> None:
    response = httpx.options(
        f"{cs.stack.bot_url}/api/tickets",
        headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "GET"},
        timeout=30,
    )
    assert "access-control-allow-origin" not in response.headers


def test_staff_pages_carry_security_headers(cs: ChannelStack) -> None:
    response = httpx.get(f"{cs.stack.bot_url}/console/login", timeout=30)
    csp = response.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in csp and "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"]
