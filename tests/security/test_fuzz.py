"""Property-based fuzzing of the public and staff doors through the real stack.

Generated hostile input (long, binary and invalid UTF-8, control, bidi and zero-width
characters, lone surrogates, deep JSON, wrong types, YAML/HTML/SQL payloads) goes through
the REST channel, socket.io, the signed WhatsApp webhook and the staff APIs. Properties: no
500, no crash (the servers answer a normal turn afterwards), nothing longer than the cap
stored, each customer input answered within `SVAR_FUZZ_MAX_SECONDS`.

`make test` runs a short session (`SVAR_FUZZ_EXAMPLES`, default 25 per door); `make fuzz`
runs the long one (400 per door, 1,600 inputs in all).
"""

from __future__ import annotations

import json
import os
import time
import uuid
from typing import Any
from urllib.parse import quote

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.channels.signing import hub_signature
from tests.channels.stack import CONSOLE_TOKEN, SECRETS, ChannelStack
from tests.channels.test_whatsapp import notification
from tests.security.sio import SocketIO

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

EXAMPLES = int(os.environ.get("SVAR_FUZZ_EXAMPLES", "25"))
MAX_SECONDS = float(os.environ.get("SVAR_FUZZ_MAX_SECONDS", "3.0"))
CAP = 2000
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=EXAMPLES < 100,  # the short run is the same every time
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

PAYLOADS = [
    "'; DROP TABLE tickets; --",
    '" OR 1=1 --',
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "{{7*7}}",
    "${jndi:ldap://x/a}",
    "!!python/object/apply:os.system ['id']",
    "key: &a [*a, *a, *a]",
    '=HYPERLINK("http://x")',
    "/restart",
    '/choose_faq{"faq_id": "../../etc/passwd"}',
    '/request_human{"customer_id": "vip", "tier": "vip"}',
    "\u202egnp.exe",
    "\u200b\u200c\u200d\ufeff",
    "a\x00b\x1b[31m",
]
CONTROL_BIDI_ZERO_WIDTH = "\x00\x01\x07\x1b\x7f\u202e\u202d\u2066\u200b\ufeff\ud800\udfff"
SPECIAL = st.sampled_from([*CONTROL_BIDI_ZERO_WIDTH, *"\U0001f600 \n\r\t/{}<>'\"&=@aøé"])
texts = st.one_of(
    st.text(max_size=300),
    st.text(SPECIAL, max_size=600),
    st.sampled_from(PAYLOADS),
    st.integers(CAP - 2, CAP + 2).map(lambda n: "x" * n),
    st.integers(CAP + 3, 60_000).map(lambda n: "ab@" * (n // 3)),
)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | texts,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)


def deep_json(depth: int) -> bytes:
    """JSON nested `depth` levels: deeper than any recursive parser's stack."""
    return b'{"a":[' * depth + b'"x"' + b"]}" * depth


DEEP = deep_json(100_000)


LATENCIES: list[float] = []  # customer inputs, for the summary at the end


def check_response(response: httpx.Response, took: float, what: str) -> None:
    LATENCIES.append(took)
    assert response.status_code < 500, (what, response.status_code, response.text[:300])
    assert took < MAX_SECONDS, (what, took)


def stored_texts(cs: ChannelStack, sender: str) -> list[str]:
    response = httpx.get(
        f"{cs.stack.rasa_url}/conversations/{sender}/tracker",
        params={"token": cs.stack.rasa_token},
        timeout=30,
    )
    response.raise_for_status()
    return [e.get("text") or "" for e in response.json()["events"] if e["event"] == "user"]


@FUZZ
@given(message=texts | json_values, metadata=json_values)
def test_fuzz_rest(cs: ChannelStack, message: Any, metadata: Any) -> None:
    sender = f"fuzz-{uuid.uuid4().hex[:10]}"
    # ASCII-escaped JSON: lone surrogates travel as \\ud800, as a hostile client sends them.
    body = json.dumps({"sender": sender, "message": message, "metadata": metadata}).encode()
    started = time.monotonic()
    response = httpx.post(
        f"{cs.stack.rasa_url}/webhooks/rest/webhook",
        content=body,
        headers={"Content-Type": "application/json"},
        timeout=60,
    )
    check_response(response, time.monotonic() - started, repr(message)[:80])
    assert all(len(t) <= CAP for t in stored_texts(cs, sender))


@FUZZ
@given(raw=st.binary(max_size=3000) | st.just(DEEP))
def test_fuzz_rest_raw_bodies(cs: ChannelStack, raw: bytes) -> None:
    started = time.monotonic()
    response = httpx.post(
        f"{cs.stack.rasa_url}/webhooks/rest/webhook",
        content=raw,
        headers={"Content-Type": "application/json"},
        timeout=60,
    )
    check_response(response, time.monotonic() - started, repr(raw[:40]))


@FUZZ
@given(message=texts | json_values)
def test_fuzz_socketio(cs: ChannelStack, message: Any) -> None:
    client = SocketIO(cs.stack.rasa_url)
    try:
        session = client.session()
        client.emit("user_uttered", {"message": message, "session_id": session})
        # Some inputs rightly get no reply (/restart, an empty message, a handoff that
        # pauses the bot): the server must go on answering a fresh session.
        client.collect(0.5)
        assert all(len(t) <= CAP for t in stored_texts(cs, session))
        fresh = client.session()
        started = time.monotonic()
        client.emit("user_uttered", {"message": "Hello", "session_id": fresh})
        client.wait("bot_uttered", timeout=MAX_SECONDS + 5)
        LATENCIES.append(time.monotonic() - started)
    finally:
        client.close()


@FUZZ
@given(message=texts)
def test_fuzz_signed_whatsapp(cs: ChannelStack, message: str) -> None:
    sender = "47" + str(uuid.uuid4().int)[:8]
    payload = notification(sender, {"type": "text", "text": {"body": message}})
    body = json.dumps(payload, ensure_ascii=True).encode()
    headers = {
        "Content-Type": "application/json",
        "X-Hub-Signature-256": hub_signature(SECRETS["WHATSAPP_APP_SECRET"], body),
    }
    started = time.monotonic()
    response = httpx.post(
        f"{cs.stack.rasa_url}/webhooks/whatsapp/webhook", content=body, headers=headers, timeout=60
    )
    check_response(response, time.monotonic() - started, repr(message)[:80])
    assert all(len(t) <= CAP for t in stored_texts(cs, sender))
    cs.platform.calls.clear()  # the fake Graph API's record is for the channel tests


STAFF_CALLS = [
    ("POST", "/api/notices"),
    ("POST", "/api/gaps/999999/status"),
    ("POST", "/api/gaps/999999/alternatives"),
    ("POST", "/api/gaps/999999/entry"),
    ("POST", "/api/tickets/no-such-ticket/reply"),
    ("GET", "/api/gaps"),
    ("GET", "/api/analytics/weekly"),
    ("GET", "/api/tickets"),
]


@FUZZ
@given(
    call=st.sampled_from(STAFF_CALLS),
    body=json_values | st.just(DEEP),
    arg=texts,
)
def test_fuzz_staff_api(cs: ChannelStack, call: tuple[str, str], body: Any, arg: str) -> None:
    method, path = call
    headers = {"authorization": f"Bearer {CONSOLE_TOKEN}"}
    # Lone surrogates travel as the invalid UTF-8 they would be.
    value = quote(arg[:50], safe="", errors="surrogatepass")
    query = "&".join(f"{name}={value}" for name in ("limit", "weeks", "status", "queue"))
    content = body if isinstance(body, bytes) else json.dumps(body).encode()
    response = httpx.request(
        method,
        f"{cs.stack.bot_url}{path}" + (f"?{query}" if method == "GET" else ""),
        content=content if method == "POST" else None,
        headers={**headers, "content-type": "application/json"},
        timeout=60,
    )
    assert response.status_code < 500, (path, response.status_code, response.text[:300])


def test_still_answering_after_the_fuzzing(cs: ChannelStack) -> None:
    body = {"sender": f"fuzz-{uuid.uuid4().hex[:10]}", "message": "How much does shipping cost?"}
    response = httpx.post(f"{cs.stack.rasa_url}/webhooks/rest/webhook", json=body, timeout=60)
    assert any("custom" in m for m in response.json())
    if LATENCIES:
        ordered = sorted(LATENCIES)
        p95 = ordered[int(0.95 * (len(ordered) - 1))]
        top = ordered[-1]
        print(f"\nfuzz: {len(ordered)} timed customer inputs, p95 {p95:.3f}s, max {top:.3f}s")
