"""The roster as an iCalendar file (RFC 5545), written by hand with core/ical.py."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from approdi.core.ical import escape as _escape
from approdi.core.ical import text as _text
from approdi.core.ical import utc as _utc

from .models import OnCallShift

PRODID = "-//Approdi//On-call roster//IT"


def calendar(shifts: Iterable[OnCallShift], *, name: str, host: str, stamp: datetime, summary: str) -> str:
    """``summary`` is a format with ``%(person)s`` and ``%(organisation)s`` (translated by the caller)."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{_escape(name)}",
    ]
    for shift in shifts:
        person = shift.user.get_full_name() or shift.user.username
        lines += [
            "BEGIN:VEVENT",
            f"UID:on-call-{shift.pk}@{host}",
            f"DTSTAMP:{_utc(stamp)}",
            f"DTSTART:{_utc(shift.start)}",
            f"DTEND:{_utc(shift.end)}",
            "SUMMARY:" + _escape(summary % {"person": person, "organisation": shift.organisation.name}),
            "DESCRIPTION:" + _escape(shift.phone),
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return _text(lines)
