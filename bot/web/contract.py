"""The staff APIs' web contract: typed bodies in, typed bodies out, errors in one place.

- A route declares what it takes and gives with `@api(...)`: the role it needs (the
  check is done here, so the document and the lock cannot disagree), its query and
  body models, its response model and the errors it may raise. `bot/web/openapi.py`
  builds the OpenAPI document from these declarations and nothing else.
- `body(request, Model)` and `query(request, Model)` validate with pydantic; a bad
  value is an `InvalidRequest`, answered 400 naming the field, never quoting the value.
  (A response that does not fit its model is our fault: a logged 500.)
- `error_response` is the app's only error handler (installed by `bot/web/security.py`):
  a `BotError` answers its class's `status` and public sentence; a database that does
  not answer is 503; Sanic's own errors keep their status with a fixed reason; anything
  else is a logged 500 with a generic body. No body ever echoes the request.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from functools import wraps
from http import HTTPStatus
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError
from sanic import Request
from sanic.exceptions import SanicException
from sanic.response import HTTPResponse, json
from sqlalchemy.exc import DBAPIError

from bot.errors import BotError
from bot.web.auth import requires

logger = logging.getLogger(__name__)

Handler = Callable[..., Awaitable[HTTPResponse]]
M = TypeVar("M", bound=BaseModel)


class Body(BaseModel):
    """A request body: unknown keys are ignored, known ones must have the declared type."""

    model_config = ConfigDict(extra="ignore", str_max_length=100_000)


class Out(BaseModel):
    """A response body: exactly the declared fields, so the document is the truth."""

    model_config = ConfigDict(extra="forbid")


class ErrorBody(Out):
    """Every error answer: a fixed reason, and for a bad request the fields at fault."""

    error: str
    code: int
    fields: list[str] | None = None


@dataclass(frozen=True)
class RouteDoc:
    """What one route takes and gives, as `@api` declared it."""

    summary: str
    role: str | None
    response: type[BaseModel] | None
    status: int = 200
    body: type[BaseModel] | None = None
    query: type[BaseModel] | None = None
    errors: tuple[type[BotError], ...] = ()
    content_type: str = "application/json"
    # Other statuses answered in the route's own content type (a page's form shown again):
    # (status, why).
    answers: tuple[tuple[int, str], ...] = ()


def api(
    summary: str,
    *,
    role: str | None,
    response: type[BaseModel] | None,
    status: int = 200,
    body: type[BaseModel] | None = None,
    query: type[BaseModel] | None = None,
    errors: tuple[type[BotError], ...] = (),
    content_type: str = "application/json",
    answers: tuple[tuple[int, str], ...] = (),
) -> Callable[[Handler], Handler]:
    """Declare a route's contract (and require `role` when given); see the module doc."""
    doc = RouteDoc(summary, role, response, status, body, query, errors, content_type, answers)

    def declare(handler: Handler) -> Handler:
        @wraps(handler)
        async def bounded(request: Request, *args: Any, **kwargs: Any) -> HTTPResponse:
            if any(isinstance(v, int) and not 0 <= v <= MAX_ID for v in kwargs.values()):
                raise UnknownId()  # no row has it: 404, not the database's overflow
            return await handler(request, *args, **kwargs)

        guarded = requires(role)(bounded) if role else bounded
        guarded.__dict__["svar_api"] = doc
        return guarded

    return declare


def route_doc(handler: Any) -> RouteDoc | None:
    """The contract declared on a handler, looking through decorators."""
    while handler is not None:
        doc = getattr(handler, "svar_api", None)
        if isinstance(doc, RouteDoc):
            return doc
        handler = getattr(handler, "__wrapped__", None)
    return None


def body(request: Request, model: type[M]) -> M:
    """The JSON body as `model`; 400 when it is not a JSON object or does not fit."""
    data = request.json if request.body else {}
    if not isinstance(data, dict):
        raise BadBody()
    return _validated(model, data)


def query(request: Request, model: type[M]) -> M:
    """The query string as `model` (the first value of each argument)."""
    return _validated(model, {name: request.args.get(name) for name in request.args})


def _validated(model: type[M], data: dict[str, Any]) -> M:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise InvalidRequest(exc) from None


def reply(model: BaseModel, status: int = 200) -> HTTPResponse:
    """A response model as JSON; fields never set are left out, even those with a default."""
    return json(model.model_dump(mode="json", exclude_unset=True), status=status)


MAX_ID = 2**63 - 1  # the largest integer key a database column holds


class UnknownId(BotError):
    """A numeric id in the path that no row can have."""

    http_status = 404
    public = "no such resource"


class InvalidRequest(BotError):
    """A body or query that does not fit its model: the fields at fault and pydantic's
    reasons (which name the expected form, never the value sent)."""

    http_status = 400

    def __init__(self, exc: ValidationError) -> None:
        self.fields: list[str] = []
        reasons = []
        for problem in exc.errors(include_input=False, include_url=False):
            where = _where(problem["loc"])
            self.fields.append(where)
            reasons.append(f"{where}: {problem['msg']}")
        super().__init__("; ".join(reasons[:5]))
        self.fields = self.fields[:5]

    def public_message(self) -> str:
        """Field names and pydantic's reasons, never the values sent, so it is safe to show."""
        return str(self)


class BadBody(BotError):
    """The request body is not a JSON object."""

    http_status = 400
    public = "expected a JSON object"


async def error_response(request: Request, exception: Exception) -> HTTPResponse:
    """The only error answer: a status and a fixed reason; the request is never echoed."""
    if isinstance(exception, BotError):
        if exception.http_status >= 500:
            logger.error("%s %s: %s", request.method, request.path, type(exception).__name__)
        fields = exception.fields if isinstance(exception, InvalidRequest) else None
        return _error(exception.http_status, exception.public_message(), fields)
    if isinstance(exception, DBAPIError):
        logger.error("%s %s: database error %s", request.method, request.path, exception.code)
        return _error(503, "storage unavailable")
    if isinstance(exception, SanicException):
        status = int(exception.status_code)
        headers = dict(getattr(exception, "headers", None) or {})
        own = getattr(exception, "svar_reason", False)
        reason = str(exception.message) if own else _reason(status)
        return json({"error": reason, "code": status}, status=status, headers=headers)
    logger.error("unhandled error in %s %s", request.method, request.path, exc_info=exception)
    return _error(500, "internal error")


def _error(status: int, reason: str, fields: list[str] | None = None) -> HTTPResponse:
    found = ErrorBody(error=reason, code=status, fields=fields) if fields else None
    return reply(found or ErrorBody(error=reason, code=status), status)


_NAME = re.compile(r"[a-z_][a-z0-9_]{0,63}")


def _where(loc: tuple[int | str, ...]) -> str:
    """`('phrasings', 0, 'text')` → `phrasings[0].text`; a part that is not one of our
    names (a key the caller made up) is left out."""
    where = "".join(
        f"[{part}]" if isinstance(part, int) else f".{part}"
        for part in loc
        if isinstance(part, int) or _NAME.fullmatch(str(part))
    ).lstrip(".")
    return where or "body"


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase.lower()
    except ValueError:
        return "error"
