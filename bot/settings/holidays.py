"""The days a queue is closed: its country's public holidays and the company's own closures.

Public holidays come from the maintained `holidays` package (python-holidays), per
country and optional subdivision (`NO`, `SE`, `GB-ENG`, `DE-BY`), so that one-off
holidays and law changes arrive with an upgrade rather than an edit here. The
package lists a holiday on its own date and, where a country moves it off a weekend,
the observed day as well: New Year's Day on a Saturday (2022, 2028, 2033) closes the
Saturday and, in the UK, the Monday after.

Days that are not statutory but on which customer service is closed by custom
(Christmas Eve, New Year's Eve, Midsummer Eve) are the company's choice, so they are
configuration (`BOT_CLOSURES`), read by `Closure.parse`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from types import MappingProxyType

import holidays as python_holidays
from dateutil.easter import easter

from bot.errors import SettingsError

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
# Older configurations and the README say UK; the ISO code is GB.
COUNTRY_ALIASES = {"UK": "GB"}


@dataclass(frozen=True)
class Calendar:
    """A country's public holidays, optionally of one subdivision (a state, a nation)."""

    country: str
    subdivision: str | None = None

    @classmethod
    def parse(cls, spec: str, setting: str = "BOT_QUEUE_CALENDARS") -> Calendar:
        """`NO`, `GB-ENG` → a calendar; a country or region the package lacks names `setting`."""
        country, _, subdivision = spec.strip().upper().partition("-")
        country = COUNTRY_ALIASES.get(country, country)
        supported = python_holidays.list_supported_countries()
        if country not in supported:
            raise SettingsError(setting, spec, "not a country code the holidays package knows")
        if subdivision and subdivision not in supported[country]:
            known = ", ".join(supported[country]) or "none"
            raise SettingsError(setting, spec, f"unknown subdivision (known: {known})")
        return cls(country, subdivision or None)

    def __str__(self) -> str:
        return f"{self.country}-{self.subdivision}" if self.subdivision else self.country

    def holiday(self, day: date) -> str | None:
        """The holiday's name (in the country's own language) on `day`, else None."""
        return public_holidays(self.country, self.subdivision, day.year).get(day)


# Sweden's calendar counts every Sunday as a holiday unless told not to; a queue open
# on Sundays is the opening hours' business.
_OPTIONS: dict[str, dict[str, bool]] = {"SE": {"include_sundays": False}}


@lru_cache(maxsize=256)
def public_holidays(country: str, subdivision: str | None, year: int) -> Mapping[date, str]:
    """One year of a calendar, built once and read-only (shared by request threads).

    Names are in the country's own language, whatever the server's locale.
    """
    entity = getattr(python_holidays, country)
    found = entity(
        subdiv=subdivision,
        years=year,
        language=entity.default_language,
        **_OPTIONS.get(country, {}),
    )
    return MappingProxyType(dict(found))


_FIXED = re.compile(r"(?:(\d{4})-)?(\d{2})-(\d{2})")
_WINDOW = re.compile(r"([a-z]{3}) (\d{2})-(\d{2})\.\.(\d{2})-(\d{2})")
_EASTER = re.compile(r"easter([+-]\d{1,2})?")


@dataclass(frozen=True)
class Closure:
    """A day the company closes its queues, whatever the country's calendar says.

    Rules (`BOT_CLOSURES`, `name=rule;...`, or `name@queue=rule` for one queue):
    `12-24` every year; `2026-05-15` once; `fri 06-19..06-25` that weekday between two
    dates (Midsummer Eve); `easter-1` days from Easter Sunday (Holy Saturday).
    """

    name: str
    rule: str
    queue: str | None = None  # `Midsommarafton@stockholm=...`: one queue only

    @classmethod
    def parse(cls, item: str, setting: str = "BOT_CLOSURES") -> Closure:
        """Read one `BOT_CLOSURES` item; a malformed one raises SettingsError at start-up rather
        than at the first handoff.
        """
        named, sep, rule = item.partition("=")
        name, _, queue = named.partition("@")
        closure = cls(name.strip(), " ".join(rule.lower().split()), queue.strip() or None)
        if not sep or not closure.name:
            raise SettingsError(setting, item, "write name=rule or name@queue=rule")
        try:
            closure.falls_on(date(2024, 1, 1))  # every rule shape is checked at start
        except ValueError as exc:
            raise SettingsError(setting, item, f"cannot read the rule: {exc}") from exc
        return closure

    def falls_on(self, day: date) -> bool:
        """Whether the closure applies on `day`."""
        if fixed := _FIXED.fullmatch(self.rule):
            year, month, dom = fixed.groups()
            when = date(int(year or 2024), int(month), int(dom))  # 2024: 02-29 exists
            return (when.month, when.day) == (day.month, day.day) and (
                year is None or when.year == day.year
            )
        if window := _WINDOW.fullmatch(self.rule):
            weekday, m1, d1, m2, d2 = window.groups()
            if weekday not in DAYS:
                raise ValueError(f"{weekday!r} is not one of {', '.join(DAYS)}")
            first, last = date(day.year, int(m1), int(d1)), date(day.year, int(m2), int(d2))
            if last < first:
                raise ValueError("the window ends before it starts")
            return first <= day <= last and day.weekday() == DAYS.index(weekday)
        if shift := _EASTER.fullmatch(self.rule):
            offset = int(shift.group(1) or 0)
            return bool(easter(day.year) + timedelta(days=offset) == day)
        raise ValueError("use MM-DD, YYYY-MM-DD, 'fri MM-DD..MM-DD' or easter±N")


def parse_closures(spec: str, setting: str = "BOT_CLOSURES") -> tuple[Closure, ...]:
    """`Christmas Eve=12-24;New Year's Eve=12-31` → closures (empty: none)."""
    return tuple(Closure.parse(part, setting) for part in _items(spec))


def _items(spec: str) -> list[str]:
    return [part.strip() for part in spec.split(";") if part.strip()]
