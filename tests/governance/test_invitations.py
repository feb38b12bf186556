"""A meeting scheduled reaches its members by e-mail: the invitation attached (METHOD:REQUEST), read back by the
icalendar library with the meeting's own UID, to each member with an account and an e-mail address, naming
nobody."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.core import mail
from django.urls import reverse
from django_scopes import scopes_disabled

from approdi.audit.models import AuditEntry
from approdi.governance.models import Meeting
from tests.builders import verified_client
from tests.builders.governance import build_table

pytestmark = pytest.mark.django_db
ROME = ZoneInfo("Europe/Rome")


@pytest.fixture
def table(network, make_user, settings):
    settings.APPRODI_SITE_URL = "https://approdi.example"
    settings.DEFAULT_FROM_EMAIL = "Approdi <noreply@approdi.example>"
    owner = make_user("coord-lead", network.lead, "coordinator", network.programme)
    member = make_user("worker-partner", network.partner, "case_worker", network.programme)
    silent = make_user("worker-no-mail", network.partner, "case_worker", network.programme)
    stranger = make_user("worker-not-member", network.partner, "case_worker", network.programme)
    for user, email in ((owner, "coord@lead.example"), (member, "giulia@partner.example"), (silent, "")):
        user.email, user.first_name, user.last_name = email, "Giulia", "Operatrice"
        user.save()
    stranger.email = "stranger@partner.example"
    stranger.save()
    g = build_table(network.programme, convenor=owner, users=[member, silent])
    return owner, member, g


def test_scheduling_a_meeting_sends_each_member_her_invitation(table, django_capture_on_commit_callbacks):
    owner, _member, g = table
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = verified_client(owner).post(
            reverse("governance:meeting_new", args=[g.table.pk]),
            {"day": "2027-03-30", "start_time": "10:00", "duration": "120", "agenda": "Punto unico", "place": "Sala B"},
        )
    assert response.status_code == 302
    with scopes_disabled():
        meeting = Meeting.objects.get(table=g.table, agenda="Punto unico")
    assert sorted(m.to[0] for m in mail.outbox) == ["coord@lead.example", "giulia@partner.example"]
    for message in mail.outbox:
        assert "Tavolo emersione di Prova" in message.subject
        ((filename, content, mimetype),) = message.attachments
        assert filename == f"meeting-{meeting.pk}.ics" and mimetype.startswith("text/calendar; method=REQUEST")
        calendar = icalendar.Calendar.from_ical(content)
        assert calendar["METHOD"] == "REQUEST"
        (event,) = calendar.events
        assert str(event["UID"]) == f"approdi-meeting-{meeting.pk}@approdi.example"
        # 30 March 2027, two days into summer time: 10:00 in Rome.
        assert event.start == meeting.starts_at and event.start.astimezone(ROME).hour == 10
        assert str(event["LOCATION"]) == "Sala B"
        assert str(event["ORGANIZER"]) == "mailto:noreply@approdi.example"
        for identity in ("Giulia", "Operatrice", "worker-partner", "giulia@", "coord@", "ATTENDEE"):
            assert identity not in message.body and identity not in content, identity
    with scopes_disabled():
        assert AuditEntry.objects.filter(object_type="governance.invitation_email").count() == 2


def test_a_meeting_refused_sends_nothing(table, django_capture_on_commit_callbacks):
    owner, member, g = table
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        refused = verified_client(owner).post(
            reverse("governance:meeting_new", args=[g.table.pk]),
            {"day": "2001-01-01", "start_time": "10:00", "duration": "120"},
        )
        not_hers = verified_client(member).post(
            reverse("governance:meeting_new", args=[g.table.pk]),
            {"day": "2027-03-30", "start_time": "10:00", "duration": "120"},
        )
    assert refused.status_code == 200 and not_hers.status_code == 403
    assert mail.outbox == []


def test_a_meeting_cancelled_is_cancelled_in_each_member_s_calendar(table, django_capture_on_commit_callbacks):
    owner, _member, g = table
    client = verified_client(owner)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("governance:meeting_new", args=[g.table.pk]),
            {"day": "2027-03-30", "start_time": "10:00", "duration": "120", "agenda": "Punto unico", "place": "Sala B"},
        )
    with scopes_disabled():
        meeting = Meeting.objects.get(table=g.table, agenda="Punto unico")
    (request_ics,) = {m.attachments[0][1] for m in mail.outbox[:1]}
    (invited,) = icalendar.Calendar.from_ical(request_ics).events
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(
            reverse("governance:meeting_record", args=[meeting.pk]), {"status": "cancelled", "agenda": "Punto unico"}
        )
    assert answer.status_code == 302
    assert sorted(m.to[0] for m in mail.outbox) == ["coord@lead.example", "giulia@partner.example"]
    for message in mail.outbox:
        ((filename, content, mimetype),) = message.attachments
        assert filename == f"meeting-{meeting.pk}.ics" and mimetype.startswith("text/calendar; method=CANCEL")
        calendar = icalendar.Calendar.from_ical(content)
        assert calendar["METHOD"] == "CANCEL"
        (event,) = calendar.events
        assert str(event["UID"]) == str(invited["UID"]) and str(event["STATUS"]) == "CANCELLED"
        assert int(event["SEQUENCE"]) == int(invited["SEQUENCE"]) + 1
        assert "Punto unico" not in content and "Giulia" not in content + message.body
    # Recorded again as cancelled: nothing more is sent.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("governance:meeting_record", args=[meeting.pk]), {"status": "cancelled", "agenda": "Punto unico"}
        )
    assert mail.outbox == []


def test_a_member_who_turned_invitations_off_gets_none(table, django_capture_on_commit_callbacks):
    owner, member, g = table
    member.email_notices = {"meeting_invitation": False}
    member.save()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        verified_client(owner).post(
            reverse("governance:meeting_new", args=[g.table.pk]),
            {"day": "2027-03-30", "start_time": "10:00", "duration": "120"},
        )
    assert [m.to[0] for m in mail.outbox] == ["coord@lead.example"]
