"""Opening hours on real dates: each queue's public holidays and the company's closures."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.errors import SettingsError
from bot.settings import Settings
from bot.settings.holidays import Calendar, Closure, parse_closures
from bot.settings.hours import OpeningHours

OSLO = ZoneInfo("Europe/Oslo")
WEEKDAYS = "default=mon-fri 08:00-20:00,sat 10:00-16:00"


def at(year: int, month: int, day: int, hour: int = 12) -> datetime:
    return datetime(year, month, day, hour, 0, tzinfo=OSLO)


@pytest.mark.parametrize("year", [2022, 2028, 2033])
def test_new_year_on_a_saturday_is_closed_in_norway(year: int) -> None:
    hours = OpeningHours.parse(WEEKDAYS, "default=NO", "")
    assert date(year, 1, 1).weekday() == 5
    assert hours.closed_because("general", at(year, 1, 1)) == "Første nyttårsdag"
    assert hours.closed_because("general", at(year, 1, 8)) is None  # the next Saturday


def test_new_year_on_a_saturday_closes_the_day_and_the_uk_substitute_monday() -> None:
    hours = OpeningHours.parse(WEEKDAYS, "default=NO;uk=GB-ENG", "")
    assert hours.closed_because("uk", at(2022, 1, 1)) is not None
    assert hours.closed_because("uk", at(2022, 1, 3)) is not None
    assert hours.closed_because("general", at(2022, 1, 3)) is None  # Norway works that Monday
    assert hours.next_opening("uk", at(2022, 1, 1)) == at(2022, 1, 4, 8)


@pytest.mark.parametrize(
    ("calendar", "day", "name"),
    [
        ("NO", date(2026, 5, 17), "Grunnlovsdag"),
        ("NO", date(2026, 4, 2), "Skjærtorsdag"),
        ("NO", date(2026, 5, 14), "Kristi himmelfartsdag"),
        ("SE", date(2028, 6, 6), "Nationaldagen"),
        ("DK", date(2026, 5, 14), "Kristi himmelfartsdag"),
        ("DK", date(2023, 5, 5), "Store bededag"),
        ("NL", date(2025, 4, 26), "Koningsdag"),  # 27 April 2025 was a Sunday
    ],
)
def test_public_holidays_come_from_the_package(calendar: str, day: date, name: str) -> None:
    assert Calendar.parse(calendar).holiday(day) == name


def test_sundays_are_not_swedish_holidays_of_their_own() -> None:
    assert Calendar.parse("SE").holiday(date(2026, 6, 7)) is None


def test_calendars_do_not_leak_between_countries() -> None:
    assert Calendar.parse("SE").holiday(date(2026, 5, 17)) is None
    assert Calendar.parse("DK").holiday(date(2024, 4, 26)) is None  # Store bededag abolished
    assert Calendar.parse("GB").holiday(date(2026, 12, 24)) is None
    assert Calendar.parse("GB-ENG").holiday(date(2026, 8, 31)) is not None  # Summer bank holiday
    assert Calendar.parse("GB-SCT").holiday(date(2026, 8, 31)) is None  # Scotland's is 3 August


def test_uk_is_read_as_gb() -> None:
    assert Calendar.parse("uk-eng") == Calendar("GB", "ENG")


def test_each_queue_closes_on_its_own_countrys_holidays() -> None:
    hours = OpeningHours.parse(WEEKDAYS, "default=NO;stockholm=SE")
    national_day = at(2028, 6, 6, 10)  # a Tuesday, Sweden's national day
    assert hours.closed_because("stockholm", national_day) == "Nationaldagen"
    assert hours.closed_because("general", national_day) is None
    # whatever language the customer writes in: the queue's calendar decides
    assert hours.closed_because("general", national_day, lang="sv") is None
    assert hours.next_opening("stockholm", national_day) == at(2028, 6, 7, 8)


def test_a_queue_may_name_a_calendar_per_customer_language() -> None:
    hours = OpeningHours.parse(WEEKDAYS, "default=NO;general@sv=SE")
    national_day = at(2028, 6, 6, 10)
    assert hours.closed_because("general", national_day, lang="sv") == "Nationaldagen"
    assert hours.closed_because("general", national_day, lang="nb") is None
    assert hours.closed_because("billing", national_day, lang="sv") is None  # not default@sv
    assert hours.queues() == ["general"]


def test_easter_closes_norway_from_maundy_thursday_to_easter_monday() -> None:
    hours = OpeningHours.parse(WEEKDAYS, "default=NO", "")
    assert hours.next_opening("general", at(2026, 4, 1, 21)) == at(2026, 4, 4, 10)  # Saturday
    with_saturday = OpeningHours.parse(WEEKDAYS, "default=NO", "Påskeaften=easter-1")
    assert with_saturday.next_opening("general", at(2026, 4, 1, 21)) == at(2026, 4, 7, 8)


def test_company_closures_close_every_queue() -> None:
    closures = "Christmas Eve=12-24;Midsummer Eve=fri 06-19..06-25;Staff day=2026-09-11"
    hours = OpeningHours.parse(WEEKDAYS, "default=NO;stockholm=SE", closures)
    assert hours.closed_because("general", at(2026, 12, 24)) == "Christmas Eve"
    assert hours.closed_because("general", at(2026, 6, 19)) == "Midsummer Eve"  # a Friday
    assert hours.closed_because("general", at(2026, 6, 18)) is None
    assert hours.closed_because("general", at(2026, 9, 11)) == "Staff day"
    assert hours.closed_because("general", at(2027, 9, 10)) is None  # one-off
    assert hours.closed_because("stockholm", at(2026, 12, 24)) is not None


def test_a_closure_may_close_one_queue() -> None:
    closures = "Midsommarafton@stockholm=fri 06-19..06-25"
    hours = OpeningHours.parse(WEEKDAYS, "default=NO;stockholm=SE", closures)
    assert hours.closed_because("stockholm", at(2026, 6, 19)) == "Midsommarafton"
    assert hours.closed_because("general", at(2026, 6, 19)) is None


def test_default_closures_are_christmas_eve_and_new_years_eve_and_can_be_removed() -> None:
    assert OpeningHours.parse().closed_because("general", at(2026, 12, 31)) == "New Year's Eve"
    assert OpeningHours.parse(closures="").closed_because("general", at(2026, 12, 31)) is None


@pytest.mark.parametrize(
    ("rule", "day", "falls"),
    [
        ("12-24", date(2031, 12, 24), True),
        ("02-29", date(2025, 3, 1), False),
        ("02-29", date(2028, 2, 29), True),
        ("easter-1", date(2026, 4, 4), True),  # Holy Saturday
        ("easter+1", date(2026, 4, 6), True),
        ("fri 06-19..06-25", date(2027, 6, 25), True),
        ("fri 06-19..06-25", date(2027, 6, 18), False),
    ],
)
def test_closure_rules(rule: str, day: date, falls: bool) -> None:
    assert Closure.parse(f"x={rule}").falls_on(day) is falls


def test_console_state_says_why_and_when() -> None:
    hours = OpeningHours.parse(WEEKDAYS, "default=NO")
    state = hours.state("general", at(2026, 12, 25, 9))
    assert (state.open, state.why_closed, state.calendar) == (False, "Første juledag", "NO")
    assert state.opens_at == at(2026, 12, 28, 8)
    assert hours.state("general", at(2026, 12, 28, 9)).open


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("BOT_OPENING_HOURS", "default=weekdays 8-16"),
        ("BOT_QUEUE_CALENDARS", "default=XX"),
        ("BOT_QUEUE_CALENDARS", "default=GB-XYZ"),
        ("BOT_QUEUE_CALENDARS", "billing="),
        ("BOT_CLOSURES", "Christmas Eve"),
        ("BOT_CLOSURES", "Christmas Eve=24 December"),
        ("BOT_CLOSURES", "Odd=02-30"),
        ("BOT_CLOSURES", "Midsummer=fry 06-19..06-25"),
        ("BOT_TIMEZONE", "Europe/Atlantis"),
    ],
)
def test_a_bad_setting_stops_start_up_naming_it(name: str, value: str) -> None:
    with pytest.raises(SettingsError, match=name):
        Settings.from_env({name: value})


def test_settings_hold_the_parsed_hours() -> None:
    settings = Settings.from_env({"BOT_QUEUE_CALENDARS": "default=NO;uk=GB", "BOT_CLOSURES": ""})
    assert settings.opening_hours.calendar("uk") == Calendar("GB")
    assert settings.opening_hours.closures == ()
    assert parse_closures(" ; ") == ()
    assert hash(settings) == hash(
        Settings.from_env({"BOT_QUEUE_CALENDARS": "default=NO;uk=GB", "BOT_CLOSURES": ""})
    )
