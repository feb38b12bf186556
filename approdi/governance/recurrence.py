"""When a table meets next: every N months, on the same weekday of the same week of the month as its first meeting.

The second Tuesday stays the second Tuesday; a meeting in the fifth week means the month's last such weekday. The
time is the wall-clock time of the programme's zone (settings.TIME_ZONE, Europe/Rome): a meeting at 10:00 stays
at 10:00 across a change of daylight-saving time, so its UTC instant moves by an hour.
"""

from __future__ import annotations

import calendar
from datetime import date, datetime, time, timedelta

from django.utils import timezone


def _nth_weekday(year: int, month: int, weekday: int, nth: int) -> date:
    """The ``nth`` (1..4, or -1 for the last) ``weekday`` (Monday 0) of the month."""
    days = calendar.monthrange(year, month)[1]
    if nth == -1:
        last = date(year, month, days)
        return last - timedelta(days=(last.weekday() - weekday) % 7)
    first = date(year, month, 1)
    return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (nth - 1))


def _week_of(day: date) -> int:
    nth = (day.day - 1) // 7 + 1
    return -1 if nth == 5 else nth


def days_of(first: date, every_months: int):
    """The days of the meetings, from ``first`` on, forever (``every_months`` 0: ``first`` alone)."""
    yield first
    if not every_months:
        return
    nth, weekday = _week_of(first), first.weekday()
    year, month = first.year, first.month
    while True:
        month += every_months
        year, month = year + (month - 1) // 12, (month - 1) % 12 + 1
        yield _nth_weekday(year, month, weekday, nth)


def local_instant(day: date, at: time) -> datetime:
    """The aware instant of ``at`` wall-clock time on ``day`` in the current time zone."""
    return timezone.make_aware(datetime.combine(day, at), timezone.get_current_timezone())


def next_meetings(*, first: date, at: time, every_months: int, after: datetime, count: int = 3) -> list[datetime]:
    """The next ``count`` starts of a table's meetings strictly after ``after`` (aware), in order."""
    found: list[datetime] = []
    for day in days_of(first, every_months):
        start = local_instant(day, at)
        if start > after:
            found.append(start)
            if len(found) == count:
                break
        if day.year > after.year + 50:  # a table with no recurrence left before ``after``: nothing more
            break
    return found
