"""Opening hours per queue, closed on the public holidays of the customer's country.

Configured as `BOT_OPENING_HOURS`, e.g.
`default=mon-fri 08:00-20:00,sat 10:00-16:00;complaints=mon-fri 09:00-16:00`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.errors import SettingsError
from bot.handoff.holidays import COUNTRY_OF_LANGUAGE, holiday_name

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DEFAULT_HOURS = "default=mon-fri 08:00-20:00,sat 10:00-16:00"

Week = dict[int, tuple[time, time]]


@dataclass(frozen=True)
class OpeningHours:
    """Weekly hours per queue (with a `default`), in one time zone."""

    weeks: dict[str, Week]
    zone: ZoneInfo

    @classmethod
    def parse(cls, spec: str, zone: str = "Europe/Oslo") -> OpeningHours:
        weeks: dict[str, Week] = {}
        for part in filter(None, (p.strip() for p in spec.split(";"))):
            queue, _, ranges = part.partition("=")
            weeks[queue.strip()] = _parse_week(ranges, part)
        weeks.setdefault("default", _parse_week(DEFAULT_HOURS.split("=", 1)[1], DEFAULT_HOURS))
        return cls(weeks, ZoneInfo(zone))

    def closed_because(self, queue: str, lang: str, now: datetime) -> str | None:
        """None when the queue is open at `now`; else why not (a holiday's name, 'closed')."""
        local = now.astimezone(self.zone)
        country = COUNTRY_OF_LANGUAGE.get(lang, "UK")
        if name := holiday_name(country, local.date()):
            return name
        hours = self.weeks.get(queue, self.weeks["default"]).get(local.weekday())
        if hours is None or not hours[0] <= local.time() < hours[1]:
            return "closed"
        return None

    def next_opening(self, queue: str, lang: str, now: datetime) -> datetime:
        """The first moment from `now` at which the queue is open (searching two weeks)."""
        local = now.astimezone(self.zone)
        week = self.weeks.get(queue, self.weeks["default"])
        country = COUNTRY_OF_LANGUAGE.get(lang, "UK")
        for offset in range(15):
            day = (local + timedelta(days=offset)).date()
            hours = week.get(day.weekday())
            if hours is None or holiday_name(country, day):
                continue
            opens = datetime.combine(day, hours[0], self.zone)
            closes = datetime.combine(day, hours[1], self.zone)
            if local < closes:
                return max(opens, local)
        return local


def _parse_week(ranges: str, context: str) -> Week:
    week: Week = {}
    try:
        for item in filter(None, (r.strip() for r in ranges.split(","))):
            days, span = item.split()
            start, end = (time.fromisoformat(t) for t in span.split("-"))
            first, _, last = days.partition("-")
            i, j = DAYS.index(first), DAYS.index(last or first)
            for day in range(i, j + 1):
                week[day] = (start, end)
    except ValueError as exc:
        raise SettingsError("BOT_OPENING_HOURS", context, f"cannot read: {exc}") from exc
    return week
