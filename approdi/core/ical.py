"""iCalendar (RFC 5545) written by hand, for the few properties Approdi writes (no iCalendar library at run time; the
tests read the output back with ``icalendar``, a development dependency): TEXT
escaping, line folding at 75 octets and UTC times. The on-call roster (oncall/ical.py) and the governance tables'
meetings (governance/ical.py) write their calendars with these."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime


def escape(text: str) -> str:
    """TEXT values (RFC 5545 §3.3.11): backslash, semicolon, comma and newlines escaped."""
    return (
        text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\r\n", "\\n").replace("\n", "\\n")
    )


def fold(line: str) -> str:
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


def utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def text(lines: Iterable[str]) -> str:
    """The calendar's content lines, each folded and ended by CRLF."""
    return "".join(fold(line) + "\r\n" for line in lines)
