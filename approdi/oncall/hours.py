"""When someone must be on call, and which of those hours nobody covers (pure functions of time).

Off hours are every night (from the office's closing to its opening the next morning) and the whole of
Saturdays, Sundays and Italian public holidays (``approdi.core.holidays``), in the programme's time zone.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from approdi.core.holidays import is_day_off

OFFICE_OPENS = time(8, 0)
OFFICE_CLOSES = time(20, 0)
GAP_HORIZON = timedelta(days=7)  # gaps are shown in red a week ahead

Span = tuple[datetime, datetime]


def _at(day: date, moment: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, moment))


def off_hours(start: datetime, end: datetime) -> list[Span]:
    """The off-hours spans between ``start`` and ``end``, merged where they touch."""
    spans: list[Span] = []
    day = timezone.localtime(start).date() - timedelta(days=1)
    while _at(day, time.min) < end:
        following = day + timedelta(days=1)
        if is_day_off(day):
            pieces = [(_at(day, time.min), _at(following, time.min))]
        else:
            pieces = [(_at(day, time.min), _at(day, OFFICE_OPENS)), (_at(day, OFFICE_CLOSES), _at(following, time.min))]
        for lo, hi in pieces:
            lo, hi = max(lo, start), min(hi, end)
            if lo >= hi:
                continue
            if spans and spans[-1][1] >= lo:
                spans[-1] = (spans[-1][0], max(spans[-1][1], hi))
            else:
                spans.append((lo, hi))
        day = following
    return spans


def uncovered(needed: Iterable[Span], covered: Iterable[Span]) -> list[Span]:
    """The parts of ``needed`` that no span of ``covered`` covers."""
    shifts = sorted(covered)
    gaps: list[Span] = []
    for lo, hi in needed:
        cursor = lo
        for start, end in shifts:
            if end <= cursor or start >= hi:
                continue
            if start > cursor:
                gaps.append((cursor, start))
            cursor = max(cursor, end)
            if cursor >= hi:
                break
        if cursor < hi:
            gaps.append((cursor, hi))
    return gaps
