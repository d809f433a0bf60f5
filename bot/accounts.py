"""Staff accounts and their sessions, kept in the database.

Passwords are stored only as argon2id hashes (argon2-cffi, its recommended
parameters). A session is a random token in the browser's cookie and its SHA-256 in
`staff_sessions`; a request's roles are read from the account on every request, so
that a role change applies at once. Logout deletes the session; a password change, a
role change and removing the account delete all of the account's sessions.

`bot users add|passwd|remove|list` manage accounts (bot/cli.py). `BOT_CONSOLE_USERS`
(`name:password:role+role;...`) still seeds accounts at start-up, for development and
tests: the password may be an argon2 hash (`$argon2id$...`), and a plain one is hashed
on the way in, with a warning; an empty one refuses to start. What the seeding creates
or changes is in the audit log as done by `env:BOT_CONSOLE_USERS` (never a password).
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from bot.audit import Action, record
from bot.errors import BotError
from bot.settings.staff import ROLES, ConsoleUser
from bot.storage import Database
from bot.storage.locks import named_lock
from bot.storage.models import utcnow
from bot.storage.security_models import StaffSession, StaffUser

logger = logging.getLogger(__name__)

MIN_PASSWORD = 8
# The audit log's actor for accounts made or changed from BOT_CONSOLE_USERS at start-up.
SEEDED_BY = "env:BOT_CONSOLE_USERS"
SESSION_HOURS = 12
_hasher = PasswordHasher()
# Verified against when the name is unknown, so that a wrong name costs as long as a
# wrong password and the timing does not tell which accounts exist.
_DUMMY_HASH = _hasher.hash(secrets.token_hex(16))


class AccountError(BotError):
    """A refused account change: the name, and why."""

    def __init__(self, name: str, reason: str) -> None:
        self.name = name
        self.reason = reason
        super().__init__(f"user {name!r}: {reason}")


@dataclass(frozen=True)
class User:
    """A signed-in staff member; roles are read from the account on every request."""

    name: str
    roles: frozenset[str]


def hash_password(name: str, password: str) -> str:
    """An argon2id hash; refuses passwords shorter than MIN_PASSWORD with AccountError."""
    if len(password) < MIN_PASSWORD:
        raise AccountError(name, f"a password needs at least {MIN_PASSWORD} characters")
    return _hasher.hash(password)


def parse_roles(name: str, roles: str | list[str] | tuple[str, ...]) -> str:
    """Roles as stored ("agent+editor", sorted, no repeats);
    unknown or no roles raise AccountError.
    """
    found = roles.split("+") if isinstance(roles, str) else list(roles)
    found = [r.strip() for r in found if r.strip()]
    unknown = [r for r in found if r not in ROLES]
    if unknown or not found:
        raise AccountError(name, f"roles must be some of {', '.join(ROLES)} (got {found})")
    return "+".join(sorted(set(found)))


def add_user(db: Database, name: str, password: str, roles: str | list[str]) -> None:
    """Create an account; a bad name, short password, unknown role or existing name raises
    AccountError.
    """
    if not name or len(name) > 64 or not name.replace("-", "").replace(".", "").isalnum():
        raise AccountError(name, "a name is 1-64 letters, digits, '-' or '.'")
    encoded, hashed = parse_roles(name, roles), hash_password(name, password)
    with db.session() as session:
        if session.get(StaffUser, name) is not None:
            raise AccountError(name, "exists already")
        session.add(StaffUser(name=name, password_hash=hashed, roles=encoded))


def set_password(db: Database, name: str, password: str) -> None:
    """Set a new password and end all of the account's sessions."""
    hashed = hash_password(name, password)
    with db.session() as session:
        user = _load(session, name)
        user.password_hash, user.updated_at = hashed, utcnow()
        _revoke(session, name)


def set_roles(db: Database, name: str, roles: str | list[str]) -> None:
    """Set the roles; a real change ends all of the account's sessions."""
    encoded = parse_roles(name, roles)
    with db.session() as session:
        user = _load(session, name)
        if user.roles != encoded:
            user.roles, user.updated_at = encoded, utcnow()
            _revoke(session, name)


def remove_user(db: Database, name: str) -> None:
    """Delete the account and its sessions."""
    with db.session() as session:
        user = _load(session, name)
        _revoke(session, name)
        session.delete(user)


def list_users(db: Database) -> list[User]:
    """Every account with its roles, by name."""
    with db.session() as session:
        rows = session.scalars(select(StaffUser).order_by(StaffUser.name)).all()
        return [User(u.name, frozenset(u.roles.split("+"))) for u in rows]


_seeded: set[tuple[str, str]] = set()


def seed_from_env(db: Database, users: tuple[ConsoleUser, ...]) -> None:
    """Create or update the accounts `BOT_CONSOLE_USERS` names (development, tests)."""
    named = repr(sorted((u.name, u.password, sorted(u.roles)) for u in users))
    key = (str(getattr(db, "url", "")), hashlib.sha256(named.encode()).hexdigest())
    if key in _seeded:  # hashing is slow on purpose: once per process and database
        return
    _seed(db, users)
    _seeded.add(key)


def _seed(db: Database, users: tuple[ConsoleUser, ...]) -> None:
    for account in users:
        name, password = account.name, account.password
        if password.startswith("$argon2"):
            hashed = password
        else:
            logger.warning("BOT_CONSOLE_USERS holds a plain password for %s: use `bot users`", name)
            hashed = _hasher.hash(password)
        for action, target in _seed_one(
            db, name, password, hashed, parse_roles(name, sorted(account.roles))
        ):
            # Done by the environment the service started with, not by a person.
            record(db, Action(SEEDED_BY, "env", action, target))


def _seed_one(
    db: Database, name: str, password: str, hashed: str, roles: str
) -> list[tuple[str, str]]:
    """Create or update one account; the changes made, as (audit action, target)."""
    with db.session() as session:
        named_lock(session, "staff_users")  # replicas seed at the same start
        user = session.get(StaffUser, name)
        if user is None:
            session.add(StaffUser(name=name, password_hash=hashed, roles=roles))
            return [("user.add", f"{name}:{roles}")]
        changes = []
        if not _matches(user.password_hash, password, hashed):
            user.password_hash = hashed
            changes.append(("user.passwd", name))
        if user.roles != roles:
            user.roles = roles
            changes.append(("user.roles", f"{name}:{roles}"))
        if changes:
            user.updated_at = utcnow()
            _revoke(session, name)
        return changes


def authenticate(db: Database, name: str, password: str) -> User | None:
    """The user when name and password match, else None; an unknown name costs the same time as a
    wrong password. An outdated hash is upgraded on the way.
    """
    with db.session() as session:
        user = session.get(StaffUser, name[:64])
        stored = user.password_hash if user is not None else _DUMMY_HASH
        try:
            _hasher.verify(stored, password)
        except (VerificationError, InvalidHashError):
            return None
        if user is None:
            return None
        if _hasher.check_needs_rehash(stored):
            user.password_hash = _hasher.hash(password)
        return User(user.name, frozenset(user.roles.split("+")))


def open_session(db: Database, user: User, now: datetime | None = None) -> str:
    """Start a SESSION_HOURS session and return its token for the cookie (only its digest is
    stored); expired sessions are deleted on the way.
    """
    token = secrets.token_urlsafe(32)
    started = now or utcnow()
    with db.session() as session:
        session.execute(delete(StaffSession).where(StaffSession.expires_at < started))
        session.add(
            StaffSession(
                token_hash=_digest(token),
                user_name=user.name,
                created_at=started,
                expires_at=started + timedelta(hours=SESSION_HOURS),
            )
        )
    return token


def session_user(db: Database, token: str) -> User | None:
    """The account behind a session cookie, with its roles as they are now."""
    with db.session() as session:
        found = session.get(StaffSession, _digest(token))
        if found is None or _aware(found.expires_at) < utcnow():
            return None
        user = session.get(StaffUser, found.user_name)
        return None if user is None else User(user.name, frozenset(user.roles.split("+")))


def close_session(db: Database, token: str) -> None:
    """End the session of this cookie token; an unknown token is ignored."""
    with db.session() as session:
        session.execute(delete(StaffSession).where(StaffSession.token_hash == _digest(token)))


def _load(session: Session, name: str) -> StaffUser:
    user = session.get(StaffUser, name)
    if user is None:
        raise AccountError(name, "no such user")
    return user


def _revoke(session: Session, name: str) -> None:
    session.execute(delete(StaffSession).where(StaffSession.user_name == name))


def _matches(stored: str, password: str, hashed: str) -> bool:
    if stored == hashed:
        return True
    try:
        return bool(_hasher.verify(stored, password))
    except (VerificationError, InvalidHashError):
        return False


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _aware(when: datetime) -> datetime:
    return when if when.tzinfo else when.replace(tzinfo=UTC)
