"""Meetings as iCalendar (RFC 5545): one meeting as an invitation, a user's meetings as her calendar feed.

The meeting engine's calendar, shared by a table's meetings and by a case conference (intake writes its
``Event`` with ``conference_event``'s shape and calls ``calendar``). Written by hand with core/ical.py (escaping
and folding at 75 octets; the tests read it back with the ``icalendar`` library): a timed event is written in the
programme's wall-clock time with ``TZID=Europe/Rome`` and the zone's VTIMEZONE (its daylight-saving rules), so a
meeting at 10:00 stays at 10:00 in every calendar across a change of daylight-saving time; a day without a time is
an all-day event. An event carries a title, the time, the place and a link to its page in Approdi; never the
agenda (a table's agenda may name people by their code, and the feed is opened by its token alone: the agenda is
read on the meeting's page, behind sign-in), an attendee, anyone's name, or a case conference's decisions (a
conference names the person by her code at most). An invitation sent by e-mail has the service's own address as
its organiser.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from approdi.core.ical import escape as _escape
from approdi.core.ical import text as _text
from approdi.core.ical import utc as _utc

from .models import Meeting

if TYPE_CHECKING:
    from approdi.accounts.models import User

PRODID = "-//Approdi//Meetings//IT"
ZONE = "Europe/Rome"
# The zone's rules since 1996 (EU): summer time from the last Sunday of March at 02:00 to the last Sunday of
# October at 03:00.
VTIMEZONE = [
    "BEGIN:VTIMEZONE",
    f"TZID:{ZONE}",
    "BEGIN:DAYLIGHT",
    "TZOFFSETFROM:+0100",
    "TZOFFSETTO:+0200",
    "TZNAME:CEST",
    "DTSTART:19700329T020000",
    "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
    "END:DAYLIGHT",
    "BEGIN:STANDARD",
    "TZOFFSETFROM:+0200",
    "TZOFFSETTO:+0100",
    "TZNAME:CET",
    "DTSTART:19701025T030000",
    "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
    "END:STANDARD",
    "END:VTIMEZONE",
]


@dataclass(frozen=True)
class Event:
    """One meeting for a calendar: ``key`` makes its UID (stable: the same meeting, the same UID); either
    ``starts_at``/``ends_at`` (aware) or ``day`` (an all-day event)."""

    key: str
    summary: str
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    day: date | None = None
    location: str = ""
    url: str = ""
    sequence: int = 0
    cancelled: bool = False


def site_host() -> str:
    """The host of every UID: the deployment's address, so a meeting downloaded from its page, read from the feed
    or received by e-mail is one event in her calendar, not two."""
    return urlsplit(settings.APPRODI_SITE_URL).hostname or "localhost"


def uid(key: str) -> str:
    return f"approdi-{key}@{site_host()}"


def site_link(path: str) -> str:
    """An address in Approdi, absolute (a calendar opens it outside the site); none where the deployment has not
    said its address (APPRODI_SITE_URL)."""
    site = settings.APPRODI_SITE_URL.rstrip("/")
    return site + path if site else ""


def event_of(meeting: Meeting) -> Event:
    """A table's meeting as an event: the table's name, the time, the place and the link to the meeting's page
    (the agenda is read there, behind sign-in: never in a calendar)."""
    return Event(
        key=f"meeting-{meeting.pk}",
        summary=meeting.table.name,
        starts_at=meeting.starts_at,
        ends_at=meeting.ends_at,
        location=meeting.place,
        url=site_link(reverse("governance:meeting_detail", args=[meeting.pk])),
        sequence=meeting.sequence,
        cancelled=meeting.status == Meeting.Status.CANCELLED,
    )


FeedSource = Callable[["User", int], list[Event]]
_FEED_SOURCES: list[FeedSource] = []


def feed_source(source: FeedSource) -> FeedSource:
    """Registers the other meetings a user takes part in, for her calendar feed (a case conference:
    intake/conference_calendar.py); called with the user and the feed's programme, inside its scope."""
    if source not in _FEED_SOURCES:
        _FEED_SOURCES.append(source)
    return source


def feed_events(*, user: User, programme_id: int) -> list[Event]:
    return [event for source in _FEED_SOURCES for event in source(user, programme_id)]


def _local(moment: datetime) -> str:
    return moment.astimezone(ZoneInfo(ZONE)).strftime("%Y%m%dT%H%M%S")


def _lines(event: Event, stamp: datetime) -> list[str]:
    lines = ["BEGIN:VEVENT", f"UID:{uid(event.key)}", f"DTSTAMP:{_utc(stamp)}"]
    if event.starts_at is not None and event.ends_at is not None:
        lines += [f"DTSTART;TZID={ZONE}:{_local(event.starts_at)}", f"DTEND;TZID={ZONE}:{_local(event.ends_at)}"]
    elif event.day is not None:
        following = event.day + timedelta(days=1)
        lines += [f"DTSTART;VALUE=DATE:{event.day:%Y%m%d}", f"DTEND;VALUE=DATE:{following:%Y%m%d}"]
    else:
        raise ValueError("an event needs its times or its day")
    lines += [
        f"SEQUENCE:{event.sequence}",
        f"SUMMARY:{_escape(event.summary)}",
        f"STATUS:{'CANCELLED' if event.cancelled else 'CONFIRMED'}",
    ]
    if event.location:
        lines.append(f"LOCATION:{_escape(event.location)}")
    if event.url:
        lines += [f"URL:{event.url}", f"DESCRIPTION:{_escape(event.url)}"]
    lines.append("END:VEVENT")
    return lines


def calendar(items: Iterable[Meeting | Event], *, name: str = "", method: str = "PUBLISH", organizer: str = "") -> str:
    """The calendar of ``items`` (meetings of tables or events); ``organizer`` (an invitation sent by e-mail,
    METHOD:REQUEST, which RFC 5546 wants with an organiser) is the service's own address, never a person's."""
    stamp = timezone.now()
    events = [item if isinstance(item, Event) else event_of(item) for item in items]
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN", f"METHOD:{method}"]
    if name:
        lines.append(f"X-WR-CALNAME:{_escape(name)}")
    if any(event.starts_at is not None for event in events):
        lines += VTIMEZONE
    for event in events:
        body = _lines(event, stamp)
        if organizer:
            body.insert(-1, f"ORGANIZER:mailto:{organizer}")
        lines += body
    lines.append("END:VCALENDAR")
    return _text(lines)
