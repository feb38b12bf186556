"""The roster as an iCalendar file (RFC 5545), written by hand: a few properties need no library."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from .models import OnCallShift

PRODID = "-//Approdi//On-call roster//IT"


def _escape(text: str) -> str:
    """TEXT values (RFC 5545 §3.3.11): backslash, semicolon, comma and newlines escaped."""
    return (
        text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\r\n", "\\n").replace("\n", "\\n")
    )


def _fold(line: str) -> str:
    """Lines longer than 75 octets continue on the next line after a space (§3.1), never inside a character."""
    out: list[str] = []
    current = b""
    for char in line:
        encoded = char.encode()
        if len(current) + len(encoded) > (75 if not out else 74):
            out.append(current.decode())
            current = b""
        current += encoded
    out.append(current.decode())
    return "\r\n ".join(out)


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


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
    return "".join(_fold(line) + "\r\n" for line in lines)
