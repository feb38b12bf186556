"""Meetings as iCalendar: the next meetings of a table across a change of daylight-saving time, the invitation and
the private feed read back by a real iCalendar library (``icalendar``), and the feed's token (hashed, revocable,
no identities).
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import icalendar
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


def read_ics(text: str) -> tuple[icalendar.Calendar, list[icalendar.Event]]:
    """The calendar and its events as the ``icalendar`` library reads them; it fails on what RFC 5545 forbids."""
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", ""), "every line ends with CRLF"
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n")), "lines folded at 75 octets"
    calendar = icalendar.Calendar.from_ical(text)
    assert calendar["VERSION"] == "2.0" and calendar["PRODID"]
    for event in calendar.events:
        for required in ("UID", "DTSTAMP", "DTSTART", "DTEND"):
            assert required in event, f"an event without {required}"
        assert event.end > event.start
    return calendar, list(calendar.events)


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


def test_escaping_and_folding_read_back_exactly(settings):
    settings.APPRODI_SITE_URL = "https://approdi.example"
    agenda = "1. Protocollo art. 10; scheda, invio\n2. Varie \\ eventuali " + "àèìòù€ " * 30
    place = "Sala A, piano 2; via Roma\\3 " + "àèìòù€ " * 30
    meeting = Meeting(
        pk=7,
        table=Table(name="Tavolo emersione; Milano, area nord"),
        starts_at=_rome("2026-10-13"),
        ends_at=_rome("2026-10-13", 12),
        place=place,
        agenda=agenda,
    )
    text = ical.calendar([meeting])
    calendar, (event,) = read_ics(text)
    # The agenda stays behind sign-in (it may name people by their code): the event links to the meeting's page.
    assert "Protocollo" not in text
    assert event["URL"] == event["DESCRIPTION"] == "https://approdi.example/governance/meetings/7/"
    assert event["SUMMARY"] == "Tavolo emersione; Milano, area nord"
    assert event["LOCATION"] == place
    assert event.start == datetime(2026, 10, 13, 8, tzinfo=UTC)
    assert calendar["METHOD"] == "PUBLISH"


def _local_times(calendar: icalendar.Calendar) -> list[datetime]:
    """The events' starts read with the calendar's own VTIMEZONE (not the reader's zone database)."""
    (zone,) = calendar.timezones
    tz = zone.to_tz()
    return [event.start.replace(tzinfo=tz) for event in calendar.events]


def test_a_monthly_tables_next_three_meetings_read_back_across_daylight_saving(settings):
    """The second Tuesday at 10:00 from September 2026: October (summer time), November and December (winter time)
    read back by a calendar at 10:00 Italian time, at 08:00Z then 09:00Z, each with its own stable UID."""
    settings.APPRODI_SITE_URL = "https://approdi.example"
    with timezone.override(ROME):
        starts = next_meetings(first=date(2026, 9, 8), at=time(10), every_months=1, after=_rome("2026-09-20"))
    table = Table(name="Tavolo tecnico di coordinamento")
    meetings = [
        Meeting(pk=40 + n, table=table, starts_at=start, ends_at=start + timedelta(hours=2))
        for n, start in enumerate(starts)
    ]
    text = ical.calendar(meetings)
    calendar, events = read_ics(text)
    assert [e["DTSTART"].params["TZID"] for e in events] == ["Europe/Rome"] * 3
    assert [e.start.astimezone(ROME) for e in events] == [
        _rome("2026-10-13"),
        _rome("2026-11-10"),
        _rome("2026-12-08"),
    ]
    assert [e.start.astimezone(UTC).hour for e in events] == [8, 9, 9]
    assert [(e.end - e.start) for e in events] == [timedelta(hours=2)] * 3
    # The VTIMEZONE written with them gives the same instants: a calendar without a zone database agrees.
    assert [moment.astimezone(UTC).hour for moment in _local_times(calendar)] == [8, 9, 9]
    assert calendar.get_missing_tzids() == set()
    # The UID is the meeting's, whenever the calendar is written again: a calendar replaces, never duplicates.
    again = read_ics(ical.calendar(meetings))[1]
    assert (
        [str(e["UID"]) for e in events]
        == [str(e["UID"]) for e in again]
        == [
            "approdi-meeting-40@approdi.example",
            "approdi-meeting-41@approdi.example",
            "approdi-meeting-42@approdi.example",
        ]
    )


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
    assert event.start == g.meeting.starts_at
    assert event["DTSTART"].params["TZID"] == "Europe/Rome"
    assert event.start.astimezone(ROME).time() == time(10)
    assert event["SUMMARY"] == "Tavolo emersione di Prova"
    assert event["UID"] == f"approdi-meeting-{g.meeting.pk}@localhost"
    assert "DESCRIPTION" not in event and "Segnalazioni" not in response.content.decode()  # no site address set


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
    assert [e["UID"] for e in events] == [f"approdi-meeting-{g.meeting.pk}@localhost"]
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
    # Opened by its token alone: the table's name, time and place, never its agenda (it may name people's codes).
    assert "Segnalazioni" not in text and "AGENDA" not in text.upper().replace("DESCRIPTION", "")
    assert events[0]["SUMMARY"] == "Tavolo emersione di Prova" and events[0]["LOCATION"] == g.meeting.place
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
