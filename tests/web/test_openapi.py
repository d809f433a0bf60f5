"""The OpenAPI document is generated for every route, and the roles it names are enforced."""

from __future__ import annotations

import re
from typing import Any

import pytest
from sanic import Sanic

from bot.web.openapi import openapi_document, operations
from tests.web.conftest import TOKENS, call

ROLES = tuple(TOKENS)


def refs(node: Any) -> set[str]:
    if isinstance(node, dict):
        found = {node["$ref"]} if isinstance(node.get("$ref"), str) else set()
        return found.union(*(refs(v) for v in node.values()))
    if isinstance(node, list):
        return set().union(*(refs(v) for v in node))
    return set()


def test_every_route_is_documented(app: Sanic) -> None:
    undocumented = [key for key, doc in operations(app).items() if doc is None]
    assert undocumented == [], f"add @api(...) to {undocumented}"


def test_the_document_covers_the_staff_apis(app: Sanic) -> None:
    paths = openapi_document(app)["paths"]
    for path in (
        "/api/tickets/{ticket_id}/reply",
        "/api/queues",
        "/api/gaps/{gap_id}/drafts/{draft_id}/approve",
        "/api/notices/{notice_id}/end",
        "/api/privacy/status",
        "/api/privacy/export",
        "/api/privacy/erase",
        "/status",
        "/ready",
        "/health",
        "/console/login",
    ):
        assert path in paths, path
    assert paths["/api/privacy/erase"]["post"]["x-role"] == "admin"
    assert paths["/api/tickets/{ticket_id}/reply"]["post"]["responses"]["409"]
    assert "requestBody" in paths["/api/tickets/{ticket_id}/reply"]["post"]
    [gap_id] = paths["/api/gaps/{gap_id}"]["get"]["parameters"]
    assert (gap_id["name"], gap_id["schema"]) == ("gap_id", {"type": "integer"})


def test_every_reference_resolves(app: Sanic) -> None:
    document = openapi_document(app)
    names = set(document["components"]["schemas"])
    missing = {ref for ref in refs(document) if ref.rsplit("/", 1)[-1] not in names}
    assert missing == set()


async def test_the_document_is_served_without_a_login(app: Sanic) -> None:
    response = await call(app, "GET", "/api/openapi.json")
    assert response.status == 200 and response.json["openapi"] == "3.1.0"


def protected(app: Sanic) -> list[tuple[str, str, str]]:
    return [
        (method, path, doc.role)
        for (path, method), doc in sorted(operations(app).items())
        if doc is not None and doc.role
    ]


def concrete(path: str) -> str:
    return re.sub(r"{(\w+)}", lambda m: "7" if m.group(1).endswith("_id") else "x", path)


async def test_every_protected_route_refuses_anonymous_and_other_roles(app: Sanic) -> None:
    routes = protected(app)
    assert len(routes) > 30
    for method, path, role in routes:
        url = concrete(path)
        anonymous = await call(app, method, url, json={})
        if path.startswith("/api/"):
            assert anonymous.status == 401, (method, path)
            assert anonymous.json == {"error": "not authorised", "code": 401}
        else:  # a page sends the browser to the login form
            assert anonymous.status == 302, (method, path)
        for other in ROLES:
            if other != role:
                refused = await call(app, method, url, other, json={})
                assert refused.status == 403, (method, path, other)


@pytest.mark.parametrize("role", ROLES)
async def test_a_role_reaches_its_routes(app: Sanic, role: str) -> None:
    """Past the lock: whatever the handler answers, it is not 401 or 403."""
    for method, path, needed in protected(app):
        if needed == role and method == "GET":
            response = await call(app, method, concrete(path), role)
            assert response.status not in (401, 403), (method, path, response.text)
