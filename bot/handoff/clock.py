"""Now, or the fixed time `BOT_CLOCK` names (tests of opening hours, demos)."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.errors import SettingsError
from bot.settings import Settings


def now(settings: Settings) -> datetime:
    """Always in UTC: SQLite keeps no offsets, so every stored time must share one."""
    if not settings.clock:
        return datetime.now(UTC)
    try:
        fixed = datetime.fromisoformat(settings.clock)
    except ValueError as exc:
        raise SettingsError("BOT_CLOCK", settings.clock, "not an ISO date-time") from exc
    return fixed.astimezone(UTC) if fixed.tzinfo else fixed.replace(tzinfo=UTC)
