"""Public holidays for the countries Svar's teams serve: NO, SE, DK, NL and UK.

Fixed dates plus the Easter-based movable feasts, written out here rather than
pulled from a dependency, so that a reader can check each rule. Days that are
not statutory but on which customer service is closed by custom (Christmas
Eve and New Year's Eve in the Nordics, Midsummer Eve in Sweden) are included.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

COUNTRY_OF_LANGUAGE = {"nb": "NO", "sv": "SE", "da": "DK", "nl": "NL", "en": "UK"}


def easter(year: int) -> date:
    """Western Easter Sunday (the anonymous Gregorian algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    x = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * x) // 451
    month = (h + x - 7 * m + 114) // 31
    day = (h + x - 7 * m + 114) % 31 + 1
    return date(year, month, day)


def _weekday_between(year: int, month: int, first: int, last: int, weekday: int) -> date:
    """The `weekday` (0 = Monday) that falls between the given days of a month."""
    for day in range(first, last + 1):
        candidate = date(year, month, day)
        if candidate.weekday() == weekday:
            return candidate
    raise ValueError("no such weekday in range")


def _norway(year: int, e: date) -> dict[date, str]:
    return {
        date(year, 1, 1): "Første nyttårsdag",
        e - timedelta(3): "Skjærtorsdag",
        e - timedelta(2): "Langfredag",
        e: "Første påskedag",
        e + timedelta(1): "Andre påskedag",
        date(year, 5, 1): "Arbeidernes dag",
        date(year, 5, 17): "Grunnlovsdag",
        e + timedelta(39): "Kristi himmelfartsdag",
        e + timedelta(49): "Første pinsedag",
        e + timedelta(50): "Andre pinsedag",
        date(year, 12, 24): "Julaften",
        date(year, 12, 25): "Første juledag",
        date(year, 12, 26): "Andre juledag",
        date(year, 12, 31): "Nyttårsaften",
    }


def _sweden(year: int, e: date) -> dict[date, str]:
    return {
        date(year, 1, 1): "Nyårsdagen",
        date(year, 1, 6): "Trettondedag jul",
        e - timedelta(2): "Långfredagen",
        e: "Påskdagen",
        e + timedelta(1): "Annandag påsk",
        date(year, 5, 1): "Första maj",
        e + timedelta(39): "Kristi himmelsfärdsdag",
        e + timedelta(49): "Pingstdagen",
        date(year, 6, 6): "Sveriges nationaldag",
        _weekday_between(year, 6, 19, 25, 4): "Midsommarafton",
        _weekday_between(year, 6, 20, 26, 5): "Midsommardagen",
        _all_saints_sweden(year): "Alla helgons dag",
        date(year, 12, 24): "Julafton",
        date(year, 12, 25): "Juldagen",
        date(year, 12, 26): "Annandag jul",
        date(year, 12, 31): "Nyårsafton",
    }


def _all_saints_sweden(year: int) -> date:
    """The Saturday between 31 October and 6 November."""
    start = date(year, 10, 31)
    return start + timedelta((5 - start.weekday()) % 7)


def _denmark(year: int, e: date) -> dict[date, str]:
    days = {
        date(year, 1, 1): "Nytårsdag",
        e - timedelta(3): "Skærtorsdag",
        e - timedelta(2): "Langfredag",
        e: "Påskedag",
        e + timedelta(1): "2. påskedag",
        e + timedelta(39): "Kristi himmelfartsdag",
        e + timedelta(49): "Pinsedag",
        e + timedelta(50): "2. pinsedag",
        date(year, 6, 5): "Grundlovsdag",
        date(year, 12, 24): "Juleaftensdag",
        date(year, 12, 25): "Juledag",
        date(year, 12, 26): "2. juledag",
        date(year, 12, 31): "Nytårsaftensdag",
    }
    if year < 2024:  # Store bededag was abolished from 2024
        days[e + timedelta(26)] = "Store bededag"
    return days


def _netherlands(year: int, e: date) -> dict[date, str]:
    kings_day = date(year, 4, 27)
    if kings_day.weekday() == 6:  # moved to Saturday when it falls on a Sunday
        kings_day = date(year, 4, 26)
    days = {
        date(year, 1, 1): "Nieuwjaarsdag",
        e: "Eerste Paasdag",
        e + timedelta(1): "Tweede Paasdag",
        kings_day: "Koningsdag",
        e + timedelta(39): "Hemelvaartsdag",
        e + timedelta(49): "Eerste Pinksterdag",
        e + timedelta(50): "Tweede Pinksterdag",
        date(year, 12, 25): "Eerste Kerstdag",
        date(year, 12, 26): "Tweede Kerstdag",
    }
    if year % 5 == 0:  # Bevrijdingsdag is a general day off every fifth year
        days[date(year, 5, 5)] = "Bevrijdingsdag"
    return days


def _united_kingdom(year: int, e: date) -> dict[date, str]:
    """England and Wales bank holidays, with substitute days for weekends."""
    days = {
        _substitute(date(year, 1, 1), set()): "New Year's Day",
        e - timedelta(2): "Good Friday",
        e + timedelta(1): "Easter Monday",
        _weekday_between(year, 5, 1, 7, 0): "Early May bank holiday",
        _weekday_between(year, 5, 25, 31, 0): "Spring bank holiday",
        _weekday_between(year, 8, 25, 31, 0): "Summer bank holiday",
    }
    christmas = _substitute(date(year, 12, 25), set())
    boxing = _substitute(date(year, 12, 26), {christmas})
    days[date(year, 12, 25)] = "Christmas Day"
    days[date(year, 12, 26)] = "Boxing Day"
    days[christmas] = "Christmas Day (substitute)" if christmas.day != 25 else "Christmas Day"
    days[boxing] = "Boxing Day (substitute)" if boxing.day != 26 else "Boxing Day"
    return days


def _substitute(day: date, taken: set[date]) -> date:
    """The next weekday not already taken, when `day` falls on a weekend."""
    while day.weekday() >= 5 or day in taken:
        day += timedelta(1)
    return day


_CALENDARS = {
    "NO": _norway,
    "SE": _sweden,
    "DK": _denmark,
    "NL": _netherlands,
    "UK": _united_kingdom,
}


@lru_cache(maxsize=64)
def holidays(country: str, year: int) -> dict[date, str]:
    """Every public holiday of `country` in `year`, by date."""
    calendar = _CALENDARS.get(country.upper())
    return calendar(year, easter(year)) if calendar else {}


def holiday_name(country: str, day: date) -> str | None:
    return holidays(country, day.year).get(day)
