"""Console authentication: a bearer token for integrations, users with roles for people.

Configuration (environment, read by Settings):
- `BOT_CONSOLE_TOKEN`: a bearer token that may call every console API (helpdesk integrations);
- `BOT_CONSOLE_USERS`: `name:password:role+role;...`, roles `agent` and `editor`;
- `BOT_SECRET_KEY`: signs session cookies (a random key per process when unset, so sessions end
  at restart).

Nothing in the console is anonymous: handlers declare the role they need with `@requires`.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from sanic import Request
from sanic.response import HTTPResponse, redirect
from sanic.response import json as json_response

SESSION_COOKIE = "svar_session"
SESSION_SECONDS = 12 * 3600
ROLES = ("agent", "editor")

Handler = Callable[..., Awaitable[HTTPResponse]]


@dataclass(frozen=True)
class User:
    name: str
    roles: frozenset[str]


@dataclass(frozen=True)
class ConsoleAuth:
    """Who may use the console, and how sessions are signed."""

    token: str | None
    users: dict[str, tuple[str, frozenset[str]]]  # name -> (password, roles)
    secret: bytes

    @classmethod
    def parse_users(cls, spec: str) -> dict[str, tuple[str, frozenset[str]]]:
        users = {}
        for item in filter(None, (part.strip() for part in spec.split(";"))):
            name, password, roles = item.split(":", 2)
            users[name] = (password, frozenset(r for r in roles.split("+") if r in ROLES))
        return users

    def login(self, name: str, password: str) -> User | None:
        known = self.users.get(name)
        if known is None or not hmac.compare_digest(known[0].encode(), password.encode()):
            return None
        return User(name, known[1])

    def session_cookie(self, user: User, now: float | None = None) -> str:
        payload = {
            "u": user.name,
            "r": sorted(user.roles),
            "x": int((now or time.time()) + SESSION_SECONDS),
        }
        body = base64.urlsafe_b64encode(json.dumps(payload).encode()).decode()
        return f"{body}.{self._sign(body)}"

    def user_from(self, request: Request) -> User | None:
        header = request.headers.get("authorization", "")
        if self.token and header.startswith("Bearer "):
            if hmac.compare_digest(header[7:].encode(), self.token.encode()):
                return User("api", frozenset(ROLES))
            return None
        cookie = request.cookies.get(SESSION_COOKIE)
        return self._read_cookie(cookie) if cookie else None

    def _read_cookie(self, cookie: str) -> User | None:
        body, _, signature = cookie.partition(".")
        if not hmac.compare_digest(signature.encode(), self._sign(body).encode()):
            return None
        try:
            payload: dict[str, Any] = json.loads(base64.urlsafe_b64decode(body))
        except ValueError:
            return None
        if payload.get("x", 0) < time.time() or payload.get("u") not in self.users:
            return None
        return User(str(payload["u"]), frozenset(payload.get("r", [])))

    def _sign(self, body: str) -> str:
        return hmac.new(self.secret, body.encode(), hashlib.sha256).hexdigest()


def requires(role: str) -> Callable[[Handler], Handler]:
    """Refuse the request unless its user has `role`: 401 for APIs, the login page for pages.

    The handler gets the user as `request.ctx.user`.
    """

    def decorate(handler: Handler) -> Handler:
        @wraps(handler)
        async def guarded(request: Request, *args: Any, **kwargs: Any) -> HTTPResponse:
            auth: ConsoleAuth = request.app.ctx.auth
            user = auth.user_from(request)
            if user is None or role not in user.roles:
                if request.path.startswith("/api/") or user is not None:
                    status = 401 if user is None else 403
                    return json_response({"error": "not authorised", "role": role}, status=status)
                return redirect(f"/console/login?next={request.path}")
            request.ctx.user = user
            return await handler(request, *args, **kwargs)

        return guarded

    return decorate
