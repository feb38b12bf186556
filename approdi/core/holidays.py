"""Italian public holidays, computed for any year (no per-year list to update).

The national ones (L. 260/1949 and later laws): New Year, Epiphany, Easter Sunday and Monday, Liberation Day,
Labour Day, Republic Day, Assumption, All Saints, Saint Francis (4 October, a national holiday again from 2026),
Immaculate Conception, Christmas and Saint Stephen. A city's patron saint is local and not among them.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

FIXED = ((1, 1), (1, 6), (4, 25), (5, 1), (6, 2), (8, 15), (11, 1), (12, 8), (12, 25), (12, 26))
SAINT_FRANCIS_FROM = 2026


def easter_sunday(year: int) -> date:
    """Gregorian Easter (the anonymous Gregorian algorithm, Meeus/Jones/Butcher)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    ell = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ell) // 451
    month, day = divmod(h + ell - 7 * m + 114, 31)
    return date(year, month, day + 1)


@lru_cache(maxsize=64)
def holidays(year: int) -> frozenset[date]:
    days = {date(year, month, day) for month, day in FIXED}
    easter = easter_sunday(year)
    days |= {easter, easter + timedelta(days=1)}
    if year >= SAINT_FRANCIS_FROM:
        days.add(date(year, 10, 4))
    return frozenset(days)


def is_holiday(day: date) -> bool:
    return day in holidays(day.year)


def is_day_off(day: date) -> bool:
    """A Saturday, a Sunday or a public holiday."""
    return day.weekday() >= 5 or is_holiday(day)
