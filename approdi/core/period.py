"""The period of a report, a count or an export: two days, both included, the first not after the last.

Every page, form, API call, command and service that is given a period builds it here, so a period is
refused the same way everywhere: on the one field ``end``, with the one message below.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Protocol

from django import forms
from django.core.exceptions import ValidationError
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from .forms import IsoDateInput

# The years a programme edition may lie in (approdi/network/editions.py; anti-trafficking programmes in Italy
# began with art. 18, in 1998): outside them there is nothing to count, and near date.min/max the reports'
# month arithmetic would overflow.
FIRST_YEAR, LAST_YEAR = 2000, 2099
FIELD = "end"
CODE = "invalid_period"
MESSAGE = _("Give a period that ends on or after its first day, between %(first)d and %(last)d.")
OUTSIDE_PROGRAMME = _("The programme runs from %(start)s to %(end)s: give a period within it.")
IN_THE_FUTURE = _("A report counts what has happened: give a period that ends by today, %(today)s.")


def _refused() -> ValidationError:
    problem = ValidationError(MESSAGE, code=CODE, params={"first": FIRST_YEAR, "last": LAST_YEAR})
    return ValidationError({FIELD: [problem]})


def _short(day: date) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")


def _day(value: date | str) -> date:
    if isinstance(value, date):
        return value
    return date.fromisoformat(value)


class Dated(Protocol):
    """Anything with a first and a last day, such as a programme."""

    start: date
    end: date


@dataclass(frozen=True)
class Period:
    start: date
    end: date

    def __post_init__(self):
        if not (self.start.year >= FIRST_YEAR and self.end.year <= LAST_YEAR and self.start <= self.end):
            raise _refused()

    @classmethod
    def of(cls, start: date | str | None, end: date | str | None) -> Period:
        """The period from ``start`` to ``end`` (dates, or ``YYYY-MM-DD``): a ValidationError if it is not one."""
        try:
            return cls(_day(start), _day(end))  # type: ignore[arg-type]  # None is refused just below
        except (TypeError, ValueError):
            raise _refused() from None

    @classmethod
    def reported(cls, start: date | str | None, end: date | str | None, *, programme: Dated, today: date) -> Period:
        """A period a report may be signed for: within the programme's days and not ending after ``today``."""
        period = cls.of(start, end)
        if period.start < programme.start or period.end > programme.end:
            days = {"start": _short(programme.start), "end": _short(programme.end)}
            raise ValidationError({FIELD: [ValidationError(OUTSIDE_PROGRAMME, code="outside_programme", params=days)]})
        if period.end > today:
            when = {"today": _short(today)}
            raise ValidationError({FIELD: [ValidationError(IN_THE_FUTURE, code="future_period", params=when)]})
        return period

    @classmethod
    def running_year(cls, programme: Dated, today: date) -> Period:
        """The calendar year running on ``today``, clipped to the programme's days: the default of the report pages
        whose cost grows with the period (a whole programme of national data is many years of rows).

        Before the programme starts, its first year; after it ends, its last.
        """
        day = min(max(today, programme.start), programme.end)
        return cls(max(date(day.year, 1, 1), programme.start), min(date(day.year, 12, 31), programme.end))

    @classmethod
    def week_so_far(cls, programme: Dated, today: date) -> Period:
        """Monday to ``today``, within the programme: what a street unit asks after a night (the counts page).

        An edition that has ended or not begun: all of it."""
        start = max(today - timedelta(days=today.weekday()), programme.start)
        end = min(today, programme.end)
        return cls(start, end) if start <= end else cls(programme.start, programme.end)


def clean_period(form: forms.Form, start: str = "start", end: str = "end") -> Period | None:
    """The period of a form's two date fields, or None with the one message on the ``end`` field.

    Called from a form's ``clean``: fields already invalid (no date) have their own error."""
    data = form.cleaned_data
    if data.get(start) is None or data.get(end) is None:
        return None
    try:
        return Period.of(data[start], data[end])
    except ValidationError as error:
        form.add_error(end, error.message_dict[FIELD])
        return None


class PeriodForm(forms.Form):
    """The period a report page asks for: ``start`` and ``end``, both included."""

    start = forms.DateField(label=_("From"), widget=IsoDateInput())
    end = forms.DateField(label=_("To"), widget=IsoDateInput())

    def clean(self):
        data = super().clean()
        clean_period(self)
        return data
