"""Meetings as iCalendar: the next meetings of a table across a change of daylight-saving time, the invitation and
the private feed read back by a strict RFC 5545 reader, and the feed's token (hashed, revocable, no identities).

No iCalendar library is installed (and none may be added): ``read_ics`` below is a strict reader of the subset
Approdi writes, failing on any line the RFC forbids (bare LF, an unfolded line over 75 octets, an unbalanced
component, a property without a value, a missing UID/DTSTAMP/DTSTART, a DTSTART not in UTC).
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from approdi.accounts.models import Membership
from approdi.governance import ical
from approdi.governance.models import CalendarFeed, Meeting, Table
from approdi.governance.recurrence import next_meetings
from tests.builders import verified_client
from tests.builders.directory import build_directory
from tests.builders.governance import build_table

ROME = ZoneInfo("Europe/Rome")
NAME = re.compile(r"^[A-Z][A-Z0-9-]*$")


def _unescape(value: str) -> str:
    return re.sub(r"\\([\\;,nN])", lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)


def read_ics(text: str) -> tuple[dict, list[dict]]:
    """(calendar properties, events), each a {NAME: unescaped value}; AssertionError on anything not RFC 5545."""
    assert text.endswith("\r\n"), "the last line must end with CRLF"
    raw = text[:-2].split("\r\n")
    assert all("\n" not in line and "\r" not in line for line in raw), "bare LF or CR inside a line"
    assert all(len(line.encode()) <= 75 for line in raw), "a line longer than 75 octets is not folded"
    lines: list[str] = []
    for line in raw:
        if line.startswith((" ", "\t")):
            assert lines, "a continuation line cannot come first"
            lines[-1] += line[1:]
        else:
            lines.append(line)
    stack: list[str] = []
    calendar: dict = {}
    events: list[dict] = []
    for line in lines:
        name, sep, value = line.partition(":")
        assert sep and value, f"no value: {line!r}"
        assert NAME.match(name.split(";")[0]), f"bad property name: {line!r}"
        if name == "BEGIN":
            stack.append(value)
            if value == "VEVENT":
                events.append({})
            continue
        if name == "END":
            assert stack and stack.pop() == value, f"unbalanced END:{value}"
            continue
        target = events[-1] if stack and stack[-1] == "VEVENT" else calendar
        assert name not in target, f"{name} twice"
        target[name] = _unescape(value)
    assert not stack, "unclosed component"
    assert calendar.get("VERSION") == "2.0" and calendar.get("PRODID"), "VERSION and PRODID are required"
    for event in events:
        for required in ("UID", "DTSTAMP", "DTSTART", "DTEND"):
            assert required in event, f"an event without {required}"
        for key in ("DTSTAMP", "DTSTART", "DTEND"):
            event[key] = datetime.strptime(event[key], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
        assert event["DTEND"] > event["DTSTART"]
    return calendar, events


# --- the recurrence across daylight-saving time (no database) --------------------------------------


def _rome(day: str, hour: int = 10) -> datetime:
    return datetime.combine(date.fromisoformat(day), time(hour), tzinfo=ROME)


@pytest.mark.parametrize(
    ("first", "after", "expected"),
    [
        # The second Tuesday at 10:00, every month, across the end of October (25 October 2026).
        ("2026-09-08", "2026-09-20", ["2026-10-13", "2026-11-10", "2026-12-08"]),
        # And across the end of March (28 March 2027).
        ("2027-02-09", "2027-02-10", ["2027-03-09", "2027-04-13", "2027-05-11"]),
        # A meeting in the fifth week is the month's last such weekday: the last Friday.
        ("2026-10-30", "2026-10-30T12:00", ["2026-11-27", "2026-12-25", "2027-01-29"]),
    ],
)
def test_a_monthly_table_meets_at_10_italian_time_across_daylight_saving(settings, first, after, expected):
    settings.TIME_ZONE = "Europe/Rome"
    with timezone.override(ROME):
        moment = datetime.fromisoformat(after).replace(tzinfo=ROME) if "T" in after else _rome(after, 23)
        found = next_meetings(first=date.fromisoformat(first), at=time(10), every_months=1, after=moment)
    assert found == [_rome(day) for day in expected]
    assert [f.astimezone(ROME).hour for f in found] == [10, 10, 10]
    # In UTC the instant moves by an hour on the side of the change: 08:00Z in summer, 09:00Z in winter.
    utc_hours = [f.astimezone(UTC).hour for f in found]
    summer = [_rome(day).dst() != timedelta(0) for day in expected]
    assert utc_hours == [8 if s else 9 for s in summer]
    assert len(set(summer)) == 2 or first == "2026-10-30"


def test_the_tavolo_emersione_every_two_months():
    with timezone.override(ROME):
        found = next_meetings(first=date(2026, 9, 8), at=time(10), every_months=2, after=_rome("2026-09-09"))
    assert found == [_rome("2026-11-10"), _rome("2027-01-12"), _rome("2027-03-09")]


def test_escaping_and_folding_read_back_exactly():
    agenda = "1. Protocollo art. 10; scheda, invio\n2. Varie \\ eventuali " + "àèìòù€ " * 30
    meeting = Meeting(
        pk=7,
        table=Table(name="Tavolo emersione; Milano, area nord"),
        starts_at=_rome("2026-10-13"),
        ends_at=_rome("2026-10-13", 12),
        place="Sala A, piano 2",
        agenda=agenda,
    )
    calendar, (event,) = read_ics(ical.calendar([meeting], host="approdi.example"))
    assert event["DESCRIPTION"] == agenda
    assert event["SUMMARY"] == "Tavolo emersione; Milano, area nord"
    assert event["LOCATION"] == "Sala A, piano 2"
    assert event["DTSTART"] == datetime(2026, 10, 13, 8, tzinfo=UTC)
    assert calendar["METHOD"] == "PUBLISH"


# --- the invitation and the feed ----------------------------------------------------------------------------


@pytest.fixture
def world(db, network, make_user):
    owner = make_user("coord-lead", network.lead, "coordinator", network.programme)
    member = make_user("worker-partner", network.partner, "case_worker", network.programme)
    outsider = make_user("worker-other", network.other, "case_worker", network.programme)
    member.first_name, member.last_name = "Giulia", "Operatrice"
    member.save()
    directory = build_directory(network.programme, follower=owner)
    g = build_table(
        network.programme, convenor=owner, users=[member], referents=[directory.referent], action_owner=member
    )
    return owner, member, outsider, g


def test_the_invitation_reads_back(world):
    _owner, member, _outsider, g = world
    response = verified_client(member).get(reverse("governance:meeting_ics", args=[g.meeting.pk]))
    assert response["Content-Type"].startswith("text/calendar")
    _calendar, (event,) = read_ics(response.content.decode())
    assert event["DTSTART"] == g.meeting.starts_at.astimezone(UTC)
    assert event["SUMMARY"] == "Tavolo emersione di Prova"
    assert event["UID"] == f"approdi-meeting-{g.meeting.pk}@testserver"
    assert event["DESCRIPTION"].startswith("1. Segnalazioni dalla Commissione\n2.")


def _feed_address(client) -> str:
    page = client.post(reverse("governance:calendar"), {"do": "new"}).content.decode()
    found = re.search(r'data-testid="feed-address"[^>]*>([^<]+)<', page)
    assert found, "the new address is shown once"
    return found.group(1).replace("http://testserver", "")


def test_the_feed_is_opened_by_its_token_alone_and_names_nobody(world, client):
    owner, member, outsider, g = world
    address = _feed_address(verified_client(member))
    token = address.rsplit("/", 1)[1].removesuffix(".ics")
    with scopes_disabled():
        stored = CalendarFeed.objects.get(user=member)
    assert token not in stored.token_hash and len(stored.token_hash) == 64
    response = client.get(address)  # a calendar application: nobody signed in
    assert response.status_code == 200
    text = response.content.decode()
    _calendar, events = read_ics(text)
    assert [e["UID"] for e in events] == [f"approdi-meeting-{g.meeting.pk}@testserver"]
    for identity in (
        "Giulia",
        "Operatrice",
        member.username,
        member.email,
        owner.username,
        "Referente Prova",
        "referente.prova@",
        "ATTENDEE",
        "ORGANIZER",
    ):
        assert identity not in text, identity
    # The meetings of tables she does not sit at are not in her feed.
    assert read_ics(client.get(_feed_address(verified_client(outsider))).content.decode())[1] == []


def test_the_feed_is_revocable_and_ends_with_her_role(world, client):
    _owner, member, _outsider, _g = world
    member_client = verified_client(member)
    first = _feed_address(member_client)
    second = _feed_address(member_client)  # a new address: the old one stops
    assert client.get(first).status_code == 404
    assert client.get(second).status_code == 200
    member_client.post(reverse("governance:calendar"), {"do": "revoke"})
    assert client.get(second).status_code == 404
    third = _feed_address(member_client)
    assert client.get(third).status_code == 200
    Membership.objects.filter(user=member).update(status=Membership.Status.PENDING)
    assert client.get(third).status_code == 404
    assert client.get(reverse("governance:calendar_feed", args=["not-a-token"])).status_code == 404


def test_the_calendar_page_needs_a_role(world, network, make_user):
    nobody = make_user("no-role", network.partner, "case_worker", network.other_programme)
    Membership.objects.filter(user=nobody).delete()
    assert verified_client(nobody).get(reverse("governance:calendar")).status_code in (302, 403, 404)
