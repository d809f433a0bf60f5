"""Who may use the console and the staff APIs, as configured: integration tokens, seeded accounts.

- `BOT_API_TOKENS`: `name:token:role+role;...`, one bearer token per integration.
- `BOT_CONSOLE_USERS`: `name:password:role+role;...`, accounts seeded at start (development and
  tests; production uses `bot users`). The password may be an argon2 hash (`$argon2id$...`).

Both are read once at start by `Settings.from_env`: a bad item stops start-up with a
`SettingsError` naming the variable and the item's name, never its token or password.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.errors import SettingsError

# admin: the privacy API (export and erase one person's data); never implied by the others.
ROLES = ("agent", "editor", "admin")
MIN_TOKEN = 16


@dataclass(frozen=True)
class ApiToken:
    """One integration's bearer token and the roles it carries."""

    name: str
    token: str = field(repr=False)
    roles: frozenset[str]


@dataclass(frozen=True)
class ConsoleUser:
    """An account `BOT_CONSOLE_USERS` seeds: a plain password or an argon2 hash."""

    name: str
    password: str = field(repr=False)
    roles: frozenset[str]


def parse_api_tokens(spec: str) -> tuple[ApiToken, ...]:
    """`name:token:role+role;...` → tokens; a short token or unknown role raises SettingsError."""
    found = []
    for name, secret, roles in _items(spec):
        if len(secret) < MIN_TOKEN or not roles or not roles <= set(ROLES):
            raise SettingsError(
                "BOT_API_TOKENS", name, f"needs a {MIN_TOKEN}+ character token and roles"
            )
        found.append(ApiToken(name, secret, roles))
    return tuple(found)


def parse_console_users(spec: str) -> tuple[ConsoleUser, ...]:
    """`name:password:role+role;...` → accounts; no name, an empty password or an unknown
    role raises SettingsError."""
    found = []
    for name, password, roles in _items(spec):
        if not name:
            raise SettingsError("BOT_CONSOLE_USERS", name, "an account needs a name")
        if not password:
            raise SettingsError("BOT_CONSOLE_USERS", name, "an empty password is not accepted")
        if not roles or not roles <= set(ROLES):
            raise SettingsError("BOT_CONSOLE_USERS", name, f"roles must be some of {ROLES}")
        found.append(ConsoleUser(name, password, roles))
    return tuple(found)


def _items(spec: str) -> list[tuple[str, str, frozenset[str]]]:
    """`name:secret:role+role;...` → (name, secret, roles); the secret may contain colons."""
    items = []
    for item in filter(None, (part.strip() for part in spec.split(";"))):
        name, _, rest = item.partition(":")
        secret, _, roles = rest.rpartition(":")
        items.append(
            (name.strip(), secret, frozenset(r.strip() for r in roles.split("+") if r.strip()))
        )
    return items
