"""The login throttle, counted in the database every replica shares.

bot/web/auth.py's `LoginThrottle` counts failures in one process's memory: behind a
load balancer, a guesser spread over N replicas gets N times the attempts, and a
replica that restarts forgets them. This one keeps the same sliding window (per
account and per address, `Retry-After` until the oldest failure in the window
expires) in the `login_failures` table. Keys are SHA-256 digests of the account
name and the address: the table is only compared against, and holds neither.

`bot/web/audit.py` puts it in place of the in-memory one when the app is created.
The queries are a few indexed rows run on the event loop: the login handler calls
the throttle synchronously, and logins are rare.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import delete, func, select

from bot.storage import Database
from bot.storage.audit_models import LoginFailure
from bot.web.auth import LoginThrottle


@dataclass
class SharedLoginThrottle(LoginThrottle):
    """`LoginThrottle` with its failures in the database `database()` returns."""

    database: Callable[[], Database] = field(kw_only=True)

    def retry_after(self, name: str, address: str, now: float | None = None) -> int:
        """Seconds to wait before this account or address may try again; 0 when neither is over its
        limit in the window.
        """
        now = time.time() if now is None else now
        waits = []
        with self.database().session() as session:
            for key, limit in (
                (_key("u", name), self.per_account),
                (_key("a", address), self.per_address),
            ):
                count, oldest = session.execute(
                    select(func.count(), func.min(LoginFailure.at)).where(
                        LoginFailure.key == key, LoginFailure.at > now - self.window
                    )
                ).one()
                if count >= limit:
                    waits.append(int(oldest + self.window - now) + 1)
        return max(waits, default=0)

    def failed(self, name: str, address: str, now: float | None = None) -> None:
        """Count a failure against both the account and the address, dropping expired ones."""
        now = time.time() if now is None else now
        with self.database().session() as session:
            # Failures older than the window count for nothing: they go as new ones come.
            session.execute(delete(LoginFailure).where(LoginFailure.at <= now - self.window))
            session.add_all(
                [
                    LoginFailure(key=_key("u", name), at=now),
                    LoginFailure(key=_key("a", address), at=now),
                ]
            )

    def succeeded(self, name: str) -> None:
        """Forget the account's failures; the address's stay, so one right password does not reset a
        guesser spraying other accounts.
        """
        with self.database().session() as session:
            session.execute(delete(LoginFailure).where(LoginFailure.key == _key("u", name)))


def _key(kind: str, value: str) -> str:
    return hashlib.sha256(f"{kind}:{value}".encode()).hexdigest()
