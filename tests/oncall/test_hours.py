"""Italian public holidays are computed for any year, and the roster's gaps are the off hours nobody covers."""

from datetime import date, datetime, time

from django.utils import timezone

from approdi.core.holidays import easter_sunday, holidays, is_day_off
from approdi.oncall.hours import off_hours, uncovered


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def test_easter_and_easter_monday_move_with_the_year():
    assert [easter_sunday(y) for y in (2024, 2025, 2026, 2027, 2038)] == [
        date(2024, 3, 31),
        date(2025, 4, 20),
        date(2026, 4, 5),
        date(2027, 3, 28),
        date(2038, 4, 25),  # Easter on Liberation Day: the day counts once
    ]
    assert date(2026, 4, 6) in holidays(2026) and date(2025, 4, 21) in holidays(2025)
    assert date(2026, 4, 7) not in holidays(2026)


def test_the_national_holidays_of_a_year():
    days = holidays(2027)
    for month, day in [(1, 1), (1, 6), (4, 25), (5, 1), (6, 2), (8, 15), (10, 4), (11, 1), (12, 8), (12, 25), (12, 26)]:
        assert date(2027, month, day) in days
    assert date(2025, 10, 4) not in holidays(2025)  # Saint Francis is a national holiday again from 2026
    assert date(2027, 12, 7) not in days  # Milan's patron saint is a local holiday
    assert is_day_off(date(2026, 12, 5)) and is_day_off(date(2026, 6, 2)) and not is_day_off(date(2026, 6, 3))


def test_off_hours_are_nights_weekends_and_holidays_merged():
    # Tuesday 2 June 2026 is Republic Day: from Monday 20:00 to Wednesday 8:00 is one span.
    spans = off_hours(at(date(2026, 6, 1), 12), at(date(2026, 6, 4), 12))
    assert spans == [
        (at(date(2026, 6, 1), 20), at(date(2026, 6, 3), 8)),
        (at(date(2026, 6, 3), 20), at(date(2026, 6, 4), 8)),
    ]
    # A weekend: Friday 20:00 to Monday 8:00.
    assert off_hours(at(date(2026, 12, 4), 12), at(date(2026, 12, 7), 12)) == [
        (at(date(2026, 12, 4), 20), at(date(2026, 12, 7), 8))
    ]


def test_gaps_are_what_no_shift_covers():
    needed = [(at(date(2026, 12, 4), 20), at(date(2026, 12, 7), 8))]
    shifts = [
        (at(date(2026, 12, 4), 20), at(date(2026, 12, 5), 20)),
        (at(date(2026, 12, 6), 8), at(date(2026, 12, 7), 9)),
    ]
    assert uncovered(needed, shifts) == [(at(date(2026, 12, 5), 20), at(date(2026, 12, 6), 8))]
    assert uncovered(needed, []) == needed
