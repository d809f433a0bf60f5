"""The bot service's locks that apply to every route (DESIGN.md, "Trust boundaries").

- The internal door: `/webhook` and `/actions` (Rasa's action protocol) need
  `Authorization: Bearer <SVAR_ACTION_TOKEN>`, compared in constant time. Without a
  configured token they are open only when the service listens on a loopback address.
- Request bodies: `Content-Encoding` other than identity is refused (415) before
  anything is read (rasa-sdk would inflate deflate without a limit); a body over its
  route's limit is refused (413) from its Content-Length, before it is read.
- The action call must fit `ActionCall` (rasa-sdk would answer a malformed one with a 500).
- One JSON error handler (bot/web/contract.py), replacing rasa-sdk's, which answered any
  error with a 500 that echoed the request body: a status and a short reason, never the request.
- Security headers on every response (CSP without inline script for staff pages).
"""

from __future__ import annotations

import hmac
import ipaddress
import logging
from functools import wraps
from typing import Any

from sanic import Request, Sanic
from sanic.exceptions import SanicException
from sanic.response import HTTPResponse

from bot.errors import SettingsError
from bot.settings import Settings
from bot.web.contract import body, error_response
from bot.web.models import ActionCall

logger = logging.getLogger(__name__)

ACTION_PATHS = frozenset({"/webhook", "/actions"})

HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}
# Staff pages and APIs: no inline script, no framing, nothing from elsewhere.
STAFF_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'"
)
STAFF_PREFIXES = ("/console", "/editor", "/api")


class ActionUnauthorized(SanicException):
    """The action protocol was called without the action token (401)."""

    svar_reason = True  # the message is a fixed text: the error handler may show it
    status_code = 401
    message = "a valid bearer token is required"
    quiet = True


class EncodedBody(SanicException):
    """A compressed body, refused (415) before it is read."""

    svar_reason = True  # the message is a fixed text: the error handler may show it
    status_code = 415
    message = "compressed request bodies are not accepted"
    quiet = True


class BodyTooLarge(SanicException):
    """A body over its route's limit, refused (413) from its Content-Length."""

    svar_reason = True  # the message is a fixed text: the error handler may show it
    status_code = 413
    message = "request body too large"
    quiet = True


def is_loopback(host: str) -> bool:
    """Whether `host` (a name or an address) is this machine; unparsable hosts are not."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_settings(settings: Settings) -> None:
    """Refuse to serve the action endpoint off loopback without its token."""
    if not settings.action_token and not is_loopback(settings.host):
        raise SettingsError(
            "SVAR_ACTION_TOKEN", "", f"required when the service listens on {settings.host}"
        )


def bearer_matches(request: Request, token: str) -> bool:
    """Whether the request carries `token` as a bearer token, compared in constant time."""
    scheme, _, credential = (request.headers.get("authorization") or "").partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(
        credential.strip().encode(), token.encode()
    )


def _check_action_calls(app: Sanic[Any, Any]) -> None:
    """Validate Rasa's call before rasa-sdk's `/webhook` handler reads it as it comes (an
    array, a call without an action, a tracker without a sender were its 500 or a 200
    `null`): 400 naming the field. The handler is wrapped, not preceded by middleware:
    Sanic runs request middleware on error answers too, where it would replace them.
    """
    for route in app.router.routes:
        if route.path.strip("/") == "webhook" and "POST" in route.methods:
            route.handler = _checking_call(route.handler)


def _checking_call(handler: Any) -> Any:
    @wraps(handler)
    async def checked(request: Request, *args: Any, **kwargs: Any) -> HTTPResponse:
        body(request, ActionCall)
        response: HTTPResponse = await handler(request, *args, **kwargs)
        return response

    return checked


def install(app: Sanic[Any, Any], settings: Settings) -> None:
    """Add the limits, the action token, the error handler and the headers to `app`."""
    check_settings(settings)
    app.config.REQUEST_MAX_SIZE = max(settings.action_max_bytes, settings.request_max_bytes)

    @app.signal("http.routing.after")
    async def admit(request: Request, **_: Any) -> None:
        encoding = (request.headers.get("content-encoding") or "identity").strip().lower()
        if encoding != "identity":
            raise EncodedBody()
        is_action = request.path in ACTION_PATHS
        if (
            is_action
            and settings.action_token
            and not bearer_matches(request, settings.action_token)
        ):
            logger.warning("action endpoint: request without the right token refused")
            raise ActionUnauthorized()
        limit = settings.action_max_bytes if is_action else settings.request_max_bytes
        length = request.headers.get("content-length")
        if length and length.isdigit() and int(length) > limit:
            raise BodyTooLarge()
        if request.stream is not None:  # chunked bodies stop at the same limit
            request.stream.request_max_size = limit

    _check_action_calls(app)

    # rasa-sdk registered its echoing handler for Exception; Sanic refuses a second
    # registration for the same key, so ours takes its place in the handler table.
    app.error_handler.cached_handlers[(Exception, None)] = error_response  # bot/web/contract.py

    @app.on_response
    async def security_headers(request: Request, response: HTTPResponse) -> None:
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        if request.path.startswith(STAFF_PREFIXES):
            response.headers.setdefault("Content-Security-Policy", STAFF_CSP)
            response.headers.setdefault("X-Frame-Options", "DENY")
            response.headers.setdefault("Cache-Control", "no-store")
