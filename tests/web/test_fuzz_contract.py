"""Generated bodies and query values against every staff route that takes one, in process:
never a 5xx, and an error body never quotes what was sent."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sanic import Sanic

from bot.web.openapi import operations
from tests.web.conftest import auth

MARKER = "zq-echo-7731"
texts = st.text(max_size=60) | st.just(MARKER) | st.just(f"<b>{MARKER}</b>")
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | texts,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.text(max_size=8) | texts, inner, max_size=4)
    ),
    max_leaves=12,
)
DEEP = b'{"a":[' * 100_000 + b'"x"' + b"]}" * 100_000


def takers(app: Sanic) -> list[tuple[str, str, str]]:
    """(method, concrete path, role) of each route with a body or a query."""
    found = []
    for (path, method), doc in sorted(operations(app).items()):
        if doc is None or not doc.role or doc.content_type != "application/json":
            continue
        if doc.body is not None or doc.query is not None:
            concrete = path.replace("{ticket_id}", "TNOPE")
            for name in ("gap_id", "draft_id", "notice_id"):
                concrete = concrete.replace("{" + name + "}", "999999")
            found.append((method, concrete, doc.role))
    return found


async def test_generated_input_never_breaks_or_is_echoed(app: Sanic) -> None:
    routes = takers(app)
    assert len(routes) >= 10
    drawn: list[Any] = []

    @settings(
        max_examples=60,
        deadline=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(index=st.integers(0, len(routes) - 1), body=json_values, arg=texts)
    def one(index: int, body: Any, arg: str) -> None:
        drawn.append((routes[index], body, arg))

    one()  # hypothesis draws synchronously; the requests are sent below
    for (method, path, role), body, arg in drawn:
        value = quote(arg, safe="")
        query = "&".join(f"{n}={value}" for n in ("limit", "weeks", "status", "queue", "lang"))
        url = f"{path}?{query}" if method == "GET" else path
        content = json.dumps(body).encode() if method == "POST" else None
        send = getattr(app.asgi_client, method.lower())
        headers = {**auth(role), "content-type": "application/json"}
        _, response = await (
            send(url, content=content, headers=headers) if content else send(url, headers=headers)
        )
        assert response.status < 500, (method, url, body, response.text[:300])
        if response.status >= 400:
            assert MARKER not in response.text, (method, url, response.text[:300])


async def test_a_deeply_nested_body_is_refused_not_a_500(app: Sanic) -> None:
    headers = {**auth("editor"), "content-type": "application/json"}
    _, response = await app.asgi_client.post("/api/notices", content=DEEP, headers=headers)
    assert 400 <= response.status < 500
