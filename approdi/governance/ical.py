"""Meetings as iCalendar (RFC 5545): one meeting as an invitation, a user's meetings as her calendar feed.

Written by hand with core/ical.py (no iCalendar library is installed): each line escaped and folded at 75 octets,
every time in UTC
(the calendar shows it in the reader's zone, so a change of daylight-saving time needs no VTIMEZONE). An event
carries the table's name, the place and the agenda; never an attendee, an organiser or anyone's name.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.utils import timezone

from approdi.core.ical import escape as _escape
from approdi.core.ical import text as _text
from approdi.core.ical import utc as _utc

from .models import Meeting

PRODID = "-//Approdi//Governance tables//IT"


def uid_of(meeting: Meeting, host: str) -> str:
    return f"approdi-meeting-{meeting.pk}@{host}"


def _event(meeting: Meeting, host: str, stamp: datetime) -> list[str]:
    lines = [
        "BEGIN:VEVENT",
        f"UID:{uid_of(meeting, host)}",
        f"DTSTAMP:{_utc(stamp)}",
        f"DTSTART:{_utc(meeting.starts_at)}",
        f"DTEND:{_utc(meeting.ends_at)}",
        f"SEQUENCE:{meeting.sequence}",
        f"SUMMARY:{_escape(meeting.table.name)}",
        f"STATUS:{'CANCELLED' if meeting.status == Meeting.Status.CANCELLED else 'CONFIRMED'}",
    ]
    if meeting.place:
        lines.append(f"LOCATION:{_escape(meeting.place)}")
    if meeting.agenda:
        lines.append(f"DESCRIPTION:{_escape(meeting.agenda)}")
    lines.append("END:VEVENT")
    return lines


def calendar(meetings: Iterable[Meeting], *, host: str, name: str = "", method: str = "PUBLISH") -> str:
    stamp = timezone.now()
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN", f"METHOD:{method}"]
    if name:
        lines.append(f"X-WR-CALNAME:{_escape(name)}")
    for meeting in meetings:
        lines += _event(meeting, host, stamp)
    lines.append("END:VCALENDAR")
    return _text(lines)
