"""Days between two dates, counted by the database: the one place where SQLite and PostgreSQL differ on it.

Django's own subtraction of two dates gives a duration, which SQLite computes in a Python function called once per
row; the figures over a year of stays (bed-nights, lengths of stay) need a whole number of days, summed in SQL.
"""

from __future__ import annotations

from django.db.models import Func, IntegerField


class DaysBetween(Func):
    """``later - earlier`` in whole days (negative when ``later`` comes first); NULL when either is NULL."""

    arity = 2
    output_field = IntegerField()

    def __init__(self, later, earlier, **extra):
        super().__init__(later, earlier, **extra)

    def as_sqlite(self, compiler, connection, **extra_context):
        # Dates are ISO text: their Julian days at midnight differ by an exact whole number.
        template = "CAST(julianday(%(expressions)s) AS INTEGER)"
        return self.as_sql(compiler, connection, template=template, arg_joiner=") - julianday(", **extra_context)

    def as_postgresql(self, compiler, connection, **extra_context):
        # date - date is an integer number of days.
        template = "(CAST(%(expressions)s AS date))"
        return self.as_sql(compiler, connection, template=template, arg_joiner=" AS date) - CAST(", **extra_context)
