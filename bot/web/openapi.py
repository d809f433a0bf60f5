"""The OpenAPI 3.1 document, generated from the routes' `@api` declarations and models.

Nothing here is written per route: each route of the app that declares its contract
(bot/web/contract.py) appears with its parameters, body, responses, errors and role.
Routes that are not ours (rasa-sdk's) are declared in `FOREIGN`. A route with no
declaration is missing from the document, and tests/web/test_openapi.py fails.
"""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import BaseModel
from pydantic.json_schema import models_json_schema
from sanic import Sanic

from bot.web.contract import ErrorBody, RouteDoc, route_doc
from bot.web.models import (
    ActionCall,
    ActionError,
    ActionList,
    ActionRefusal,
    Liveness,
    OpenObject,
)

REF = "#/components/schemas/{model}"
Mode = Literal["validation", "serialization"]
Refs = dict[Any, dict[str, Any]]
_PARAM = re.compile(r"<(\w+)(?::(\w+))?>")
DESCRIPTION = (
    "Svar's staff APIs: handed-off conversations (tickets) for agents and helpdesks, the "
    "gap list and KB edits for editors, privacy requests for admins, and the service's "
    "status. Authenticate with `Authorization: Bearer <token>` (one token per integration, "
    "`BOT_API_TOKENS`) or a console session cookie; each operation names the role it needs "
    "(`x-role`). Errors are `{error, code, fields?}` and never quote the request (on "
    "the internal door, `/webhook`, rasa-sdk's own refusals keep rasa-sdk's shape, which "
    "Rasa reads). Staff pages send a browser that is not signed in to the login page "
    "(302). New tickets can also be pushed to a webhook, signed as Standard Webhooks "
    "sign (`webhook-id`, `webhook-timestamp`, `webhook-signature: v1,<base64 HMAC-SHA256>`)."
)

# rasa-sdk's routes: the internal door (Rasa's action protocol) and liveness.
FOREIGN: dict[tuple[str, str], RouteDoc] = {
    ("/health", "GET"): RouteDoc("Liveness: the process answers", None, Liveness),
    ("/webhook", "POST"): RouteDoc(
        "Rasa's action call (internal door: SVAR_ACTION_TOKEN)", None, OpenObject, body=ActionCall
    ),
    ("/actions", "GET"): RouteDoc(
        "The actions this service runs (internal door)", None, ActionList
    ),
}
Answers = tuple[tuple[int, str, type[BaseModel]], ...]
# What the internal door answers besides 200: our 401 without the action token, and
# rasa-sdk's own refusals in rasa-sdk's shape (Rasa's action client reads them).
_TOKEN = (401, "no or a wrong action token (SVAR_ACTION_TOKEN)", ErrorBody)
FOREIGN_ANSWERS: dict[tuple[str, str], Answers] = {
    ("/webhook", "POST"): (
        (400, "not an action call, or the action rejected its input", ActionError),
        _TOKEN,
        (404, "no such action", ActionRefusal),
        (449, "the action needs the domain, which the call did not carry", ActionRefusal),
    ),
    ("/actions", "GET"): (_TOKEN,),
}


def openapi_path(sanic_path: str) -> str:
    """`api/gaps/<gap_id:int>` → `/api/gaps/{gap_id}`."""
    return "/" + _PARAM.sub(r"{\1}", sanic_path.strip("/"))


def operations(app: Sanic[Any, Any]) -> dict[tuple[str, str], RouteDoc | None]:
    """Every (path, method) the app serves, with its declared contract or None."""
    found: dict[tuple[str, str], RouteDoc | None] = {}
    for route in app.router.routes:
        if route.extra.static:  # files (the widget, the pages' CSS and JS), not operations
            continue
        path = openapi_path(route.path)
        for method in sorted(route.methods - {"HEAD", "OPTIONS"}):
            found[(path, method)] = route_doc(route.handler) or FOREIGN.get((path, method))
    return found


def openapi_document(app: Sanic[Any, Any]) -> dict[str, Any]:
    """The whole document for `app` (cached on the app: routes do not change once started)."""
    cached: dict[str, Any] | None = getattr(app.ctx, "openapi", None)
    if cached is None:
        cached = _build(app)
        app.ctx.openapi = cached
    return cached


def _build(app: Sanic[Any, Any]) -> dict[str, Any]:
    ops = {key: doc for key, doc in operations(app).items() if doc is not None}
    wanted: set[tuple[type[BaseModel], Mode]] = {
        (model, "serialization") for answers in FOREIGN_ANSWERS.values() for *_, model in answers
    }
    wanted.add((ErrorBody, "serialization"))
    for doc in ops.values():
        wanted.update((m, "validation") for m in (doc.body, doc.query) if m is not None)
        if doc.response is not None:
            wanted.add((doc.response, "serialization"))
    ordered = sorted(wanted, key=lambda pair: (pair[0].__name__, pair[1]))
    refs, schemas = models_json_schema(ordered, ref_template=REF)
    kinds = {openapi_path(r.path): dict(_PARAM.findall(r.path)) for r in app.router.routes}
    paths: dict[str, dict[str, Any]] = {}
    for (path, method), doc in sorted(ops.items()):
        operation = _operation(path, doc, refs, kinds.get(path, {}))
        for status, why, model in FOREIGN_ANSWERS.get((path, method), ()):
            content = {"application/json": {"schema": refs[(model, "serialization")]}}
            operation["responses"][str(status)] = {"description": why, "content": content}
        paths.setdefault(path, {})[method.lower()] = operation
    return {
        "openapi": "3.1.0",
        "info": {"title": "Svar staff API", "version": "2", "description": DESCRIPTION},
        "components": {
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer"},
                "session": {"type": "apiKey", "in": "cookie", "name": "svar_session"},
            },
            "schemas": schemas.get("$defs", {}),
        },
        "paths": paths,
    }


def _operation(path: str, doc: RouteDoc, refs: Refs, kinds: dict[str, str]) -> dict[str, Any]:
    op: dict[str, Any] = {"summary": doc.summary, "parameters": _path_params(path, kinds)}
    if doc.query is not None:
        fields = doc.query.model_json_schema()["properties"]
        op["parameters"] += [
            {"name": name, "in": "query", "required": False, "schema": field}
            for name, field in fields.items()
        ]
    if doc.body is not None:
        form = doc.content_type == "text/html"  # a page's form
        media = "application/x-www-form-urlencoded" if form else "application/json"
        body = {"schema": refs[(doc.body, "validation")]}
        op["requestBody"] = {"required": True, "content": {media: body}}
    ok: dict[str, Any] = {"description": "OK" if doc.status < 300 else "see Location"}
    if doc.response is not None:
        ok["content"] = {doc.content_type: {"schema": refs[(doc.response, "serialization")]}}
    elif doc.status < 300:
        ok["content"] = {doc.content_type: {"schema": {"type": "string"}}}
    error = {"application/json": {"schema": refs[(ErrorBody, "serialization")]}}
    own = {doc.content_type: {"schema": {"type": "string"}}}
    responses: dict[str, Any] = {str(doc.status): ok}
    for status, why in _errors(doc, has_params=bool(kinds)):
        _declare(responses, status, why, error)
    for status, why in doc.answers:
        _declare(responses, status, why, own)
    op["responses"] = responses
    op["security"] = [{"bearer": []}, {"session": []}] if doc.role else []
    if doc.role:
        op["x-role"] = doc.role
    return op


def _path_params(path: str, kinds: dict[str, str]) -> list[dict[str, Any]]:
    """The path's parameters, typed as Sanic matches them (`<gap_id:int>`: an integer)."""
    return [
        {
            "name": name,
            "in": "path",
            "required": True,
            "schema": {"type": "integer" if kinds.get(name) == "int" else "string"},
        }
        for name in re.findall(r"{(\w+)}", path)
    ]


def _declare(responses: dict[str, Any], status: int, why: str, content: dict[str, Any]) -> None:
    """Add a response; a status already declared keeps its text and gains the media type."""
    found = responses.setdefault(str(status), {"description": why})
    if status >= 400:  # a redirect's body is not described
        found.setdefault("content", {}).update(content)


def _errors(doc: RouteDoc, has_params: bool) -> list[tuple[int, str]]:
    found: list[tuple[int, str]] = []
    if doc.body is not None or doc.query is not None:
        found.append((400, "the body or query does not fit the schema (the fields are named)"))
    if doc.role and doc.content_type == "text/html":  # a page sends the browser to sign in
        found.append((302, "not signed in: to the login page"))
    elif doc.role:
        found.append((401, "no valid session cookie or bearer token"))
    if doc.role:
        found.append((403, f"the user lacks the {doc.role} role, or a cross-site request"))
    found += [(error.http_status, error.public) for error in doc.errors]
    if has_params:  # an id no row can have (contract.UnknownId), or a path no route matches
        found.append((404, "no such resource"))
    found.append((500, "internal error (logged; the body is generic)"))
    return found
