from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.errors import SettingsError
from bot.handoff.holidays import easter, holiday_name, holidays
from bot.handoff.hours import OpeningHours

OSLO = ZoneInfo("Europe/Oslo")


@pytest.mark.parametrize(
    ("year", "expected"),
    [
        (2024, date(2024, 3, 31)),
        (2025, date(2025, 4, 20)),
        (2026, date(2026, 4, 5)),
        (2027, date(2027, 3, 28)),
        (2038, date(2038, 4, 25)),
    ],
)
def test_easter_matches_published_dates(year: int, expected: date) -> None:
    assert easter(year) == expected


@pytest.mark.parametrize(
    ("country", "day", "name"),
    [
        ("NO", date(2026, 5, 17), "Grunnlovsdag"),
        ("NO", date(2026, 4, 2), "Skjærtorsdag"),
        ("NO", date(2026, 5, 14), "Kristi himmelfartsdag"),
        ("SE", date(2026, 6, 19), "Midsommarafton"),
        ("SE", date(2026, 10, 31), "Alla helgons dag"),
        ("SE", date(2028, 6, 6), "Sveriges nationaldag"),
        ("DK", date(2026, 6, 5), "Grundlovsdag"),
        ("DK", date(2023, 5, 5), "Store bededag"),
        ("NL", date(2025, 4, 26), "Koningsdag"),  # 27 April 2025 was a Sunday
        ("NL", date(2025, 5, 5), "Bevrijdingsdag"),
        ("UK", date(2026, 5, 25), "Spring bank holiday"),
        ("UK", date(2026, 8, 31), "Summer bank holiday"),
        ("UK", date(2027, 12, 28), "Boxing Day (substitute)"),
    ],
)
def test_holiday_rules(country: str, day: date, name: str) -> None:
    assert holiday_name(country, day) == name


def test_rules_do_not_leak_between_countries() -> None:
    assert holiday_name("SE", date(2026, 5, 17)) is None
    assert holiday_name("DK", date(2024, 4, 26)) is None  # Store bededag abolished from 2024
    assert holiday_name("NL", date(2026, 5, 5)) is None  # only every fifth year
    assert holiday_name("UK", date(2026, 12, 24)) is None
    assert len(holidays("NO", 2026)) == 14


def test_queue_closed_on_customers_holiday_and_reopens_next_working_day() -> None:
    hours = OpeningHours.parse("default=mon-fri 08:00-20:00;complaints=mon-fri 09:00-15:00")
    national_day = datetime(2028, 6, 6, 10, 0, tzinfo=OSLO)  # a Tuesday
    assert hours.closed_because("general", "sv", national_day) == "Sveriges nationaldag"
    assert hours.closed_because("general", "nb", national_day) is None
    assert hours.next_opening("general", "sv", national_day) == datetime(
        2028, 6, 7, 8, 0, tzinfo=OSLO
    )
    evening = datetime(2028, 6, 7, 16, 0, tzinfo=OSLO)
    assert hours.closed_because("complaints", "en", evening) == "closed"
    assert hours.next_opening("complaints", "en", evening) == datetime(
        2028, 6, 8, 9, 0, tzinfo=OSLO
    )


def test_christmas_closes_every_country() -> None:
    hours = OpeningHours.parse("default=mon-sun 00:00-23:59")
    christmas = datetime(2026, 12, 25, 10, 0, tzinfo=OSLO)
    for lang in ("en", "nb", "sv", "da", "nl"):
        assert hours.closed_because("general", lang, christmas) is not None


def test_unreadable_hours_name_the_setting() -> None:
    with pytest.raises(SettingsError, match="BOT_OPENING_HOURS"):
        OpeningHours.parse("default=weekdays 8-16")
