"""Reading the roster: the planners, the Ufficio Filtro (whose helpline referrals name who was on call)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from approdi.accounts.actor import Actor
from approdi.core.permissions import ensure
from approdi.network.models import Programme

from .hours import GAP_HORIZON, Span, off_hours, uncovered
from .models import OnCallShift

VIEW = "oncall.view_roster"
SHOWN_AHEAD = timedelta(weeks=4)


@dataclass
class Roster:
    start: datetime
    end: datetime
    shifts: list[OnCallShift]
    gaps: list[Span]  # off hours nobody covers in the coming week


def shifts_between(programme: Programme, start: datetime, end: datetime):
    return (
        OnCallShift.objects.filter(programme=programme, start__lt=end, end__gt=start)
        .select_related("user", "organisation")
        .order_by("start", "id")
    )


def roster(*, actor: Actor, now: datetime | None = None) -> Roster:
    """The acting programme's shifts from now for four weeks, and the gaps of the coming week."""
    ensure(actor, VIEW)
    now = now or timezone.now()
    programme = actor.active_membership.programme
    shifts = list(shifts_between(programme, now, now + SHOWN_AHEAD)[:500])
    week = now + GAP_HORIZON
    gaps = uncovered(off_hours(now, week), [(s.start, s.end) for s in shifts if s.start < week])
    return Roster(start=now, end=now + SHOWN_AHEAD, shifts=shifts, gaps=gaps)


def on_call_at(*, programme: Programme, moment: datetime) -> list[OnCallShift]:
    """Who was on call at ``moment`` (the staff's own names: no person's data, no audit row)."""
    return list(shifts_between(programme, moment, moment + timedelta(microseconds=1)))


def on_call_for_call(*, programme: Programme, day: date, recorded_at: datetime | None) -> list[OnCallShift]:
    """Who was on call when a call came in: at the moment it was recorded, if recorded that day; else that day."""
    if recorded_at is not None and timezone.localtime(recorded_at).date() == day:
        return on_call_at(programme=programme, moment=recorded_at)
    start = timezone.make_aware(datetime.combine(day, time.min))
    return list(shifts_between(programme, start, start + timedelta(days=1)))
