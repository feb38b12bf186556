"""The one place that decides whether a date makes sense: not in the future, within a programme's period.

Services call these checks (they are the real guard: pages, the API and the command line all go
through them); importers, which write in bulk, ask for the same messages row by row. Which field
gets which check is decided per field where it is saved: a birth date, a consent or an outing
cannot lie in the future, while an appointment, a hearing or a permit's expiry do by nature.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from .models import Programme

# Within ``today_read_once``: the day the import began.
_TODAY: ContextVar[date | None] = ContextVar("today", default=None)


def today() -> date:
    return _TODAY.get() or timezone.localdate()


@contextmanager
def today_read_once() -> Iterator[None]:
    """Today read once for a whole file, not three times a row: an import checks 100,000 dates.

    One day for the file also means a file that runs past midnight is judged by a single date throughout.
    """
    token = _TODAY.set(timezone.localdate())
    try:
        yield
    finally:
        _TODAY.reset(token)


def _short(day: date) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")


def is_running(programme: Programme, *, on: date | None = None) -> bool:
    on = on or today()
    return programme.start <= on <= programme.end


def running_edition(*, exclude: Programme | None = None) -> Programme | None:
    """The edition whose period includes today (the newest, if two overlap).

    Beside ``exclude``, an edition led by the same entity comes first: the next grant of the same network.
    """
    editions = list(Programme.objects.filter(start__lte=today(), end__gte=today()).order_by("-start", "-id"))
    if exclude is not None:
        editions = [e for e in editions if e.pk != exclude.pk]
        editions.sort(key=lambda e: e.lead_organisation_id != exclude.lead_organisation_id)
    return editions[0] if editions else None


def future_problem(day: date | None) -> str | None:
    if day is None or day <= today():
        return None
    return _("The date cannot be in the future.")


def period_problem(day: date | None, *, programme: Programme) -> str | None:
    """Why ``day`` cannot be recorded in ``programme``, naming the running edition when there is one."""
    if day is None or programme.start <= day <= programme.end:
        return None
    running = running_edition(exclude=programme)
    if day > programme.end and running is not None and is_running(running, on=day):
        return _("%(code)s ended on %(end)s: record this in %(running)s, the edition running today.") % {
            "code": programme.code,
            "end": _short(programme.end),
            "running": running.code,
        }
    return _("%(day)s is outside %(code)s, which runs from %(start)s to %(end)s.") % {
        "day": _short(day),
        "code": programme.code,
        "start": _short(programme.start),
        "end": _short(programme.end),
    }


def check_not_future(day: date | None, *, field: str) -> None:
    problem = future_problem(day)
    if problem:
        raise ValidationError({field: [problem]})


def not_in_the_future(day: date | None) -> date | None:
    """For a form's ``clean_<field>``: the same check, as the field's own error."""
    problem = future_problem(day)
    if problem:
        raise ValidationError(problem)
    return day


def check_in_programme(day: date | None, *, programme: Programme, field: str) -> None:
    problem = period_problem(day, programme=programme)
    if problem:
        raise ValidationError({field: [problem]})


def activity_problem(day: date | None, *, programme: Programme) -> str | None:
    """Work done (an outing, a contact, a service): neither in the future nor outside the programme."""
    return future_problem(day) or period_problem(day, programme=programme)


def check_activity(day: date | None, *, programme: Programme, field: str = "date") -> None:
    problem = activity_problem(day, programme=programme)
    if problem:
        raise ValidationError({field: [problem]})


def stay_problem(start: date | None, end: date | None, *, programme: Programme) -> str | None:
    """A stay (a placement) may have begun before the edition that carries it on, but must overlap it."""
    if start is None:
        return None
    if start > programme.end:
        return period_problem(start, programme=programme)
    if end is not None and end < programme.start:
        return period_problem(end, programme=programme)
    return None
