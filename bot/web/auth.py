"""The staff door: who is asking, with which roles, and is the request their own.

- People sign in with an account (bot/accounts.py: argon2 hashes, `bot users`) and get a
  server-side session: a random token in an HttpOnly, SameSite=Strict cookie, `Secure`
  unless `BOT_INSECURE_COOKIES=1` (plain-http development on localhost only).
- Integrations send `Authorization: Bearer <token>`: one token per integration with its
  own roles in `BOT_API_TOKENS` (`name:token:role+role;...`). `BOT_CONSOLE_TOKEN`, the
  older single token, still works and carries both roles: prefer per-integration tokens.
- Login is throttled per account and per address (429 with Retry-After); failures are
  logged with the name and address, never the password.
- CSRF: a state-changing request on a session cookie must be JSON and come from the
  same origin (`Sec-Fetch-Site: same-origin`, or an `Origin` naming this host).

Nothing in the console is anonymous: handlers declare the role they need with `@requires`.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
import time
from collections import defaultdict, deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from functools import wraps
from typing import Any
from urllib.parse import urlsplit

from sanic import Request
from sanic.response import HTTPResponse, redirect

from bot import accounts
from bot.accounts import User
from bot.errors import BotError
from bot.settings import Settings
from bot.settings.staff import ApiToken

logger = logging.getLogger(__name__)

SESSION_COOKIE = "svar_session"
SESSION_SECONDS = accounts.SESSION_HOURS * 3600
# The older single token: the console's roles, never admin (give admins their own token).
CONSOLE_TOKEN_ROLES = frozenset(("agent", "editor"))
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

Handler = Callable[..., Awaitable[HTTPResponse]]

__all__ = [
    "SESSION_COOKIE",
    "SESSION_SECONDS",
    "ConsoleAuth",
    "CsrfRefused",
    "Forbidden",
    "NotAuthorised",
    "User",
    "requires",
]


class NotAuthorised(BotError):
    """No valid session cookie or bearer token."""

    http_status = 401
    public = "not authorised"

    def __init__(self, role: str) -> None:
        self.role = role
        super().__init__(f"{role} role required")


class Forbidden(NotAuthorised):
    """A known user or token without the role the route needs."""

    http_status = 403


class CsrfRefused(BotError):
    """A state-changing request on a session cookie that is not the console's own."""

    http_status = 403

    def public_message(self) -> str:
        """The reason is one of `csrf_refusal`'s fixed texts, safe to show."""
        return str(self)  # one of csrf_refusal's fixed reasons


@dataclass(frozen=True)
class TokenUser(User):
    """An integration, authenticated by its bearer token (no cookie: no CSRF to fear)."""


@dataclass
class LoginThrottle:
    """Failed logins per account and per address in a sliding window (per process)."""

    window: float = 900.0
    per_account: int = 5
    per_address: int = 20
    _failures: dict[str, deque[float]] = field(default_factory=lambda: defaultdict(deque))

    def retry_after(self, name: str, address: str, now: float | None = None) -> int:
        now = time.monotonic() if now is None else now
        waits = []
        for key, limit in ((f"u:{name}", self.per_account), (f"a:{address}", self.per_address)):
            times = self._recent(key, now)
            if len(times) >= limit:
                waits.append(int(times[0] + self.window - now) + 1)
        return max(waits, default=0)

    def failed(self, name: str, address: str, now: float | None = None) -> None:
        now = time.monotonic() if now is None else now
        for key in (f"u:{name}", f"a:{address}"):
            self._recent(key, now).append(now)

    def succeeded(self, name: str) -> None:
        self._failures.pop(f"u:{name}", None)

    def _recent(self, key: str, now: float) -> deque[float]:
        times = self._failures[key]
        while times and times[0] <= now - self.window:
            times.popleft()
        return times


@dataclass
class ConsoleAuth:
    """Who may use the console and the APIs, and how their sessions are kept."""

    tokens: tuple[ApiToken, ...]
    secure_cookies: bool = True
    throttle: LoginThrottle = field(default_factory=LoginThrottle)

    @classmethod
    def from_settings(cls, settings: Settings) -> ConsoleAuth:
        """Tokens from BOT_API_TOKENS, plus the older single
        console token with CONSOLE_TOKEN_ROLES.
        """
        tokens = list(settings.api_tokens)
        if settings.console_token:
            tokens.append(ApiToken("api", settings.console_token, CONSOLE_TOKEN_ROLES))
        return cls(tuple(tokens), secure_cookies=settings.secure_cookies)

    async def user_from(self, request: Request) -> User | None:
        """The caller from a bearer token or a session cookie; None when neither is valid. A bearer
        header that matches no token is refused, not retried as a cookie.
        """
        header = request.headers.get("authorization") or ""
        if header[:7].lower() == "bearer ":
            given = header[7:].strip().encode()
            for token in self.tokens:
                if hmac.compare_digest(given, token.token.encode()):
                    return TokenUser(token.name, token.roles)
            return None
        cookie = request.cookies.get(SESSION_COOKIE)
        if not cookie:
            return None
        db = request.app.ctx.runtime.db
        return await asyncio.to_thread(accounts.session_user, db, cookie)


def client_address(request: Request) -> str:
    return str(request.remote_addr or request.ip or "?")


def cross_site(request: Request) -> bool:
    """A browser says the request comes from another site (absent headers: not a browser)."""
    site = request.headers.get("sec-fetch-site")
    if site is not None and site not in ("same-origin", "none"):
        return True
    origin = request.headers.get("origin")
    return origin is not None and urlsplit(origin).netloc != request.headers.get("host")


def csrf_refusal(request: Request) -> str | None:
    """Why a state-changing request on a session cookie is refused, or None."""
    if request.method in SAFE_METHODS:
        return None
    if not (request.content_type or "").startswith("application/json"):
        return "a JSON body is required"
    if cross_site(request):
        return "cross-site request refused"
    if not request.headers.get("sec-fetch-site") and not request.headers.get("origin"):
        return "a same-origin Origin or Sec-Fetch-Site header is required"
    return None


def requires(role: str) -> Callable[[Handler], Handler]:
    """Refuse the request unless its user has `role`: 401 for APIs, the login page for pages.

    The handler gets the user as `request.ctx.user`.
    """

    def decorate(handler: Handler) -> Handler:
        @wraps(handler)
        async def guarded(request: Request, *args: Any, **kwargs: Any) -> HTTPResponse:
            auth: ConsoleAuth = request.app.ctx.auth
            user = await auth.user_from(request)
            if user is None or role not in user.roles:
                if request.path.startswith("/api/") or user is not None:
                    raise NotAuthorised(role) if user is None else Forbidden(role)
                return redirect(f"/console/login?next={request.path}")
            refusal = None if isinstance(user, TokenUser) else csrf_refusal(request)
            if refusal:
                logger.warning("csrf: %s %s by %s refused", request.method, request.path, user.name)
                raise CsrfRefused(refusal)
            request.ctx.user = user
            return await handler(request, *args, **kwargs)

        return guarded

    return decorate
