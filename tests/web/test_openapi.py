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


# Answers schemathesis found undeclared (tests/security/test_schema_fuzz.py): each is now in
# the document, with the media type it comes in.
FOUND = [
    ("GET", "/api/gaps/999999/drafts", "/api/gaps/{gap_id}/drafts", "editor", 404),
    ("GET", "/api/gaps/null,null/drafts", "/api/gaps/{gap_id}/drafts", "editor", 404),
    ("GET", "/api/tickets/TNOPE", "/api/tickets/{ticket_id}", "agent", 404),
    ("GET", "/editor/gaps/999999", "/editor/gaps/{gap_id}", "editor", 404),
    ("GET", "/editor/gaps/null,null", "/editor/gaps/{gap_id}", "editor", 404),
    ("GET", "/console/tickets/TNOPE", "/console/tickets/{ticket_id}", "agent", 404),
    ("GET", "/console", "/console", None, 302),
    ("GET", "/editor/gaps", "/editor/gaps", None, 302),
    ("GET", "/console/audit?limit=many", "/console/audit", "admin", 400),
    ("POST", "/webhook", "/webhook", None, 400),
]


@pytest.mark.parametrize(("method", "url", "path", "role", "status"), FOUND)
async def test_what_the_service_answers_is_declared(
    app: Sanic, method: str, url: str, path: str, role: str | None, status: int
) -> None:
    response = await call(app, method, url, role, json=[None, None])
    assert response.status == status, response.text[:200]
    declared = openapi_document(app)["paths"][path][method.lower()]["responses"]
    assert str(status) in declared, (method, path, sorted(declared))
    if status >= 400:
        media = response.headers["content-type"].split(";")[0]
        assert media in declared[str(status)]["content"], (method, path, media)


async def test_a_failed_or_throttled_login_is_declared_as_the_form_again(app: Sanic) -> None:
    declared = openapi_document(app)["paths"]["/console/login"]["post"]["responses"]
    statuses = []
    for _ in range(6):  # the sixth failure for one account is throttled
        _, response = await app.asgi_client.post(
            "/console/login", data={"name": "nobody", "password": "not the password"}
        )
        statuses.append(response.status)
        assert "text/html" in declared[str(response.status)]["content"]
        assert response.headers["content-type"].startswith("text/html")
    assert statuses == [401] * 5 + [429]


async def test_an_action_call_that_does_not_fit_is_refused_naming_the_field(app: Sanic) -> None:
    """rasa-sdk answered an array with a 500 and a call without an action with 200 `null`."""
    refused: list[tuple[Any, list[str] | None]] = [
        ([1, 2], None),
        ({}, ["next_action", "tracker"]),
        (
            {"next_action": "action_x", "tracker": {"slots": []}},
            ["tracker.sender_id", "tracker.slots"],
        ),
    ]
    for sent, fields in refused:
        response = await call(app, "POST", "/webhook", json=sent)
        assert response.status == 400, (sent, response.text)
        assert response.json["code"] == 400
        assert response.json.get("fields") == fields
    unknown = {"next_action": "action_nope", "tracker": {"sender_id": "s1"}}
    response = await call(app, "POST", "/webhook", json=unknown)
    assert response.status == 404 and response.json["action_name"] == "action_nope"
