"""Opening hours per queue, closed on the queue's public holidays and the company's closures.

Three settings, parsed once at start by `OpeningHours.parse` (a bad value stops start-up
with a `SettingsError` naming the variable):

- `BOT_OPENING_HOURS`: `default=mon-fri 08:00-20:00,sat 10:00-16:00;complaints=mon-fri 09:00-16:00`
- `BOT_QUEUE_CALENDARS`: `default=NO;billing=SE;uk=GB-ENG`: whose public holidays close a queue.
  A queue served by teams in several countries may name one per customer language:
  `general@sv=SE` (Swedish-speaking customers of `general` reach the Stockholm team).
- `BOT_CLOSURES`: `Christmas Eve=12-24;New Year's Eve=12-31` (rules in `holidays.Closure`).

A queue not named falls back to `default`; the times are in `BOT_TIMEZONE`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from types import MappingProxyType
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.errors import SettingsError
from bot.settings.holidays import DAYS, Calendar, Closure, parse_closures

DEFAULT_HOURS = "default=mon-fri 08:00-20:00,sat 10:00-16:00"
DEFAULT_CALENDARS = "default=NO"
DEFAULT_CLOSURES = "Christmas Eve=12-24;New Year's Eve=12-31"
DEFAULT_TIMEZONE = "Europe/Oslo"

Week = Mapping[int, tuple[time, time]]


@dataclass(frozen=True)
class QueueState:
    """Whether a queue is open at a moment, and if not, why and until when."""

    queue: str
    calendar: str
    open: bool
    why_closed: str | None
    opens_at: datetime | None


@dataclass(frozen=True)
class OpeningHours:
    """Weekly hours and a holiday calendar per queue (each with a `default`), in one zone."""

    weeks: Mapping[str, Week]
    calendars: Mapping[str, Calendar]
    closures: tuple[Closure, ...]
    zone: ZoneInfo

    @classmethod
    def parse(
        cls,
        hours: str = DEFAULT_HOURS,
        calendars: str = DEFAULT_CALENDARS,
        closures: str = DEFAULT_CLOSURES,
        zone: str = DEFAULT_TIMEZONE,
    ) -> OpeningHours:
        """Read the four settings; each failure names its variable."""
        weeks = {queue: _parse_week(ranges, part) for queue, ranges, part in _pairs(hours)}
        weeks.setdefault("default", _parse_week(DEFAULT_HOURS.split("=", 1)[1], DEFAULT_HOURS))
        by_queue = {
            queue: Calendar.parse(spec or "?", "BOT_QUEUE_CALENDARS")
            for queue, spec, _ in _pairs(calendars)
        }
        by_queue.setdefault("default", Calendar.parse(DEFAULT_CALENDARS.split("=", 1)[1]))
        try:
            tz = ZoneInfo(zone)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise SettingsError("BOT_TIMEZONE", zone, "not an IANA time zone") from exc
        return cls(
            MappingProxyType(weeks), MappingProxyType(by_queue), parse_closures(closures), tz
        )

    def __hash__(self) -> int:  # Settings stays hashable: the mappings are read-only
        weeks = tuple((q, tuple(sorted(w.items()))) for q, w in sorted(self.weeks.items()))
        return hash((weeks, tuple(sorted(self.calendars.items())), self.closures, self.zone))

    def queues(self) -> list[str]:
        """The queues named in the configuration (not `default`, not language variants)."""
        named = {q.partition("@")[0] for q in [*self.weeks, *self.calendars]}
        return sorted(named - {"default"})

    def calendar(self, queue: str, lang: str | None = None) -> Calendar:
        """The queue's calendar for a customer language, else the queue's, else the default."""
        for key in (f"{queue}@{lang}", queue, f"default@{lang}", "default"):
            if key in self.calendars:
                return self.calendars[key]
        raise KeyError(queue)  # unreachable: parse always sets `default`

    def closed_because(self, queue: str, now: datetime, lang: str | None = None) -> str | None:
        """None when the queue is open at `now`; else why not (a holiday's name, 'closed')."""
        local = now.astimezone(self.zone)
        if name := self._closed_day(queue, lang, local):
            return name
        hours = self.weeks.get(queue, self.weeks["default"]).get(local.weekday())
        if hours is None or not hours[0] <= local.time() < hours[1]:
            return "closed"
        return None

    def next_opening(self, queue: str, now: datetime, lang: str | None = None) -> datetime:
        """The first moment from `now` at which the queue is open (searching two weeks)."""
        local = now.astimezone(self.zone)
        week = self.weeks.get(queue, self.weeks["default"])
        for offset in range(15):
            moment = local + timedelta(days=offset)
            hours = week.get(moment.weekday())
            if hours is None or self._closed_day(queue, lang, moment):
                continue
            opens = datetime.combine(moment.date(), hours[0], self.zone)
            closes = datetime.combine(moment.date(), hours[1], self.zone)
            if local < closes:
                return max(opens, local)
        return local

    def state(self, queue: str, now: datetime) -> QueueState:
        """The console's view of one queue: open now, or why not and when it opens."""
        why = self.closed_because(queue, now)
        opens = self.next_opening(queue, now) if why else None
        return QueueState(queue, str(self.calendar(queue)), why is None, why, opens)

    def _closed_day(self, queue: str, lang: str | None, local: datetime) -> str | None:
        day = local.date()
        if name := self.calendar(queue, lang).holiday(day):
            return name
        closures = (c for c in self.closures if c.queue in (None, queue))
        return next((c.name for c in closures if c.falls_on(day)), None)


def _pairs(spec: str) -> list[tuple[str, str, str]]:
    """`a=x;b=y` → [(a, x, 'a=x'), ...]: (queue, value, the part for error messages)."""
    pairs = []
    for part in filter(None, (p.strip() for p in spec.split(";"))):
        queue, _, value = part.partition("=")
        pairs.append((queue.strip(), value.strip(), part))
    return pairs


def _parse_week(ranges: str, context: str) -> Week:
    week: dict[int, tuple[time, time]] = {}
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
    return MappingProxyType(week)
