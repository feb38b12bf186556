"""A multi-agency case conference uses the governance tables' meeting engine (governance/engine.py, ical.py): it
is an invitation a calendar reads (the person's code at most, never who she is or what was decided), its actions
are the engine's (open/done, done by their owner alone) and reach My work in the same list as a table's actions;
the conferences recorded before keep their actions, done or not (the migration). A conference can be scheduled
ahead: a time and a place, the invitation by e-mail to its participants with an account, in their calendar feed,
its decisions written once it has taken place."""

import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.core import mail
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from approdi.intake.models import CaseConference, FollowUpAction
from tests.builders.governance import build_table
from tests.builders.pages import open_as
from tests.builders.people import registered_person
from tests.intake.test_case_conferences import due_in, recorded

ROME = ZoneInfo("Europe/Rome")


@pytest.mark.django_db
def test_a_conference_is_an_invitation_naming_her_by_code_only(case_world):
    action = recorded(case_world, owner=case_world.legal)
    url = reverse("conferences:case_conference_ics", args=[case_world.case.pk, action.conference_id])
    page = open_as(case_world.educator).get(reverse("conferences:case_conferences", args=[case_world.case.pk]))
    assert url in page.content.decode()
    response = open_as(case_world.legal).get(url)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    text = response.content.decode()
    calendar = icalendar.Calendar.from_ical(text)
    (event,) = calendar.events
    assert event.start == timezone.localdate() and event.end == timezone.localdate() + timedelta(days=1)
    assert str(event["UID"]) == f"approdi-conference-{action.conference_id}@localhost"
    assert "AP-CASE1-00001" in str(event["SUMMARY"])
    for secret in ("Richiesta del permesso", "Avv. Rossi", "Preparare la domanda", case_world.legal.username):
        assert secret not in text, secret
    assert "ATTENDEE" not in text and "ORGANIZER" not in text
    # The same conference, the same UID: a calendar replaces it, never holds it twice.
    again = icalendar.Calendar.from_ical(open_as(case_world.manager).get(url).content.decode())
    assert [str(e["UID"]) for e in again.events] == [str(event["UID"])]


@pytest.mark.django_db
def test_the_invitation_is_for_her_case_team_only(case_world, network, make_user):
    action = recorded(case_world, owner=case_world.legal)
    url = reverse("conferences:case_conference_ics", args=[case_world.case.pk, action.conference_id])
    outreach = make_user("same-organisation-outreach", network.partner, "outreach", network.programme)
    assert open_as(case_world.colleague).get(url).status_code == 404  # her organisation, off the team
    assert open_as(case_world.outsider).get(url).status_code == 404  # another partner
    assert open_as(outreach).get(url).status_code == 403  # a role without cases
    missing = reverse("conferences:case_conference_ics", args=[case_world.case.pk, action.conference_id + 99])
    assert open_as(case_world.legal).get(missing).status_code == 404
    assert open_as(case_world.legal).post(url).status_code == 405


@pytest.mark.django_db
def test_a_table_s_action_and_a_conference_s_are_one_list_on_my_work(case_world):
    conference_action = recorded(case_world, owner=case_world.legal, due_days=20)
    table = build_table(
        case_world.case.programme,
        convenor=case_world.coordinator,
        users=[case_world.legal],
        action_owner=case_world.legal,
    )
    page = open_as(case_world.legal).get(reverse("cases:my_work")).content.decode()
    listed = page[page.index('data-testid="table-actions"') :]
    # Soonest first: the table's (due in 14 days) before the conference's (in 20), in the same list.
    table_at = listed.index(f'data-testid="table-action-{table.action.pk}"')
    conference_at = listed.index(f'data-testid="conference-action-{conference_action.pk}"')
    assert table_at < conference_at < listed.index("</ul>")
    assert page.count('data-testid="table-actions"') == 1
    assert "AP-CASE1-00001" in listed[conference_at:]


@pytest.mark.django_db(transaction=True)
def test_the_conferences_recorded_before_keep_their_actions_done_or_open(network, make_user):
    before, after = [("intake", "0009_erasure_request")], [("intake", "0010_conference_action_status")]
    user = make_user("migrating-owner", network.lead, "case_worker", network.programme)
    person = registered_person(network, code="AP-MIGR-00001", created_by=user)
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    conference = old.get_model("intake", "CaseConference").objects.create(
        person_id=person.pk, date=date(2026, 3, 2), decisions="", created_by_id=user.pk
    )
    Action = old.get_model("intake", "FollowUpAction")
    Action.objects.create(conference=conference, description="Aperta", owner_id=user.pk, due=date(2026, 4, 1))
    Action.objects.create(
        conference=conference,
        description="Fatta",
        owner_id=user.pk,
        due=date(2026, 3, 9),
        done=True,
        done_on=date(2026, 3, 8),
    )

    executor = MigrationExecutor(connection)
    executor.migrate(after)
    Action = executor.loader.project_state(after).apps.get_model("intake", "FollowUpAction")
    rows = Action.objects.order_by("due")
    assert [(a.status, a.done_on, a.due) for a in rows] == [
        ("done", date(2026, 3, 8), date(2026, 3, 9)),
        ("open", None, date(2026, 4, 1)),
    ]
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    with scopes_disabled():
        assert CaseConference.objects.get().actions.get(status="open").description == "Aperta"


# --- a conference scheduled ahead ------------------------------------------------------------------------------


def _across_daylight_saving() -> date:
    """A day within the coming year on the other side of a change of daylight-saving time from today."""
    today = timezone.localdate()
    summer_now = datetime.combine(today, time(10), tzinfo=ROME).dst() != timedelta(0)
    for year in (today.year, today.year + 1):
        for day in (date(year, 3, 30), date(year, 10, 30)):
            summer = datetime.combine(day, time(10), tzinfo=ROME).dst() != timedelta(0)
            if day > today + timedelta(days=1) and summer != summer_now:
                return day
    raise AssertionError("no change of daylight-saving time within a year")


@pytest.fixture
def invited(case_world, settings):
    settings.APPRODI_SITE_URL = "https://approdi.example"
    settings.DEFAULT_FROM_EMAIL = "Approdi <noreply@approdi.example>"
    for user, email in (
        (case_world.legal, "legal@partner.example"),
        (case_world.educator, ""),  # no address: nothing to send
        (case_world.manager, "manager@partner.example"),  # she schedules it, not a participant
        (case_world.colleague, "colleague@partner.example"),
    ):
        user.email, user.first_name, user.last_name = email, "Giulia", "Operatrice"
        user.save()
    return case_world


def schedule(world, day: date, **extra):
    data = {
        "day": day.isoformat(),
        "start_time": "10:00",
        "duration": "90",
        "place": "Sala riunioni, via Roma 1",
        "organisations": [world.case.lead_organisation_id],
        "participants": [world.legal.pk, world.educator.pk],
        "other_participants": "Avv. Rossi (ASGI)",
        "decisions": "",
        "follow_up": "",
        **extra,
    }
    return open_as(world.manager).post(reverse("conferences:case_conference_create", args=[world.case.pk]), data)


def test_a_conference_scheduled_ahead_invites_its_participants_at_10_across_daylight_saving(
    invited, django_capture_on_commit_callbacks
):
    day = _across_daylight_saving()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        answer = schedule(invited, day)
    assert answer.status_code == 302, answer.content.decode()[:3000]
    with scopes_disabled():
        conference = CaseConference.objects.get()
    assert (conference.date, conference.start_time, conference.duration) == (day, time(10), 90)
    assert conference.decisions == ""
    # The participants with an account and an address: the legal advisor; not the educator (no address), not who
    # scheduled it, not a colleague off the conference.
    (message,) = mail.outbox
    assert message.to == ["legal@partner.example"]
    ((filename, content, mimetype),) = message.attachments
    assert filename == f"conference-{conference.pk}.ics" and mimetype.startswith("text/calendar; method=REQUEST")
    calendar = icalendar.Calendar.from_ical(content)
    assert calendar["METHOD"] == "REQUEST"
    (event,) = calendar.events
    assert str(event["UID"]) == f"approdi-conference-{conference.pk}@approdi.example"
    assert event["DTSTART"].params["TZID"] == "Europe/Rome"
    assert event.start.astimezone(ROME) == datetime.combine(day, time(10), tzinfo=ROME)
    assert event.end - event.start == timedelta(minutes=90)
    # Read with the calendar's own VTIMEZONE, not the reader's zone database: 10:00 too.
    (zone,) = calendar.timezones
    assert event.start.replace(tzinfo=zone.to_tz()).astimezone(ROME).hour == 10
    assert str(event["LOCATION"]) == "Sala riunioni, via Roma 1"
    assert "AP-CASE1-00001" in str(event["SUMMARY"]) and "AP-CASE1-00001" in message.subject
    assert str(event["URL"]).endswith(reverse("conferences:case_conferences", args=[invited.case.pk]))
    for secret in ("Avv. Rossi", "Giulia", "Operatrice", "legal@", "manager", "ATTENDEE"):
        assert secret not in message.body and secret not in content and secret not in message.subject, secret
    # The invitation from the case page reads the same time.
    url = reverse("conferences:case_conference_ics", args=[invited.case.pk, conference.pk])
    (again,) = icalendar.Calendar.from_ical(open_as(invited.legal).get(url).content.decode()).events
    assert again.start == event.start and str(again["UID"]) == f"approdi-conference-{conference.pk}@approdi.example"


def test_a_participant_who_turned_invitations_off_gets_none(invited, django_capture_on_commit_callbacks):
    invited.legal.email_notices = {"meeting_invitation": False}
    invited.legal.save()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert schedule(invited, timezone.localdate() + timedelta(days=10)).status_code == 302
    assert mail.outbox == []
    page = open_as(invited.legal).get(reverse("accounts:my_account")).content.decode()
    assert "Invitations to meetings and case conferences" in page


def test_a_conference_recorded_after_the_fact_invites_nobody(invited, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        recorded(invited, owner=invited.legal)
    assert [m for m in mail.outbox if m.attachments] == []


def test_decisions_wait_for_the_conference_to_take_place(invited):
    ahead = timezone.localdate() + timedelta(days=10)
    refused = schedule(invited, ahead, decisions="Richiesta del permesso art. 18")
    assert refused.status_code == 200
    with scopes_disabled():
        assert not CaseConference.objects.exists()
    # Translated: the deployment's Italian.
    italian = open_as(invited.manager, language="it").post(
        reverse("conferences:case_conference_create", args=[invited.case.pk]),
        {"day": ahead.isoformat(), "organisations": [invited.case.lead_organisation_id], "decisions": "Decisa"},
    )
    assert (
        "Le decisioni e le azioni si registrano dopo che la riunione del caso si è tenuta." in italian.content.decode()
    )
    # Past, a conference needs what it decided.
    past = schedule(invited, timezone.localdate() - timedelta(days=1))
    assert past.status_code == 200 and "Write what the conference decided" in past.content.decode()

    assert schedule(invited, ahead).status_code == 302
    with scopes_disabled():
        conference = CaseConference.objects.get()
    url = reverse("conferences:case_conference_decisions", args=[invited.case.pk, conference.pk])
    data = {
        "decisions": "Richiesta del permesso art. 18",
        "follow_up": f"Preparare ; {invited.legal.username} ; {due_in(20)}",
    }
    listed = open_as(invited.manager).get(reverse("conferences:case_conferences", args=[invited.case.pk]))
    assert url not in listed.content.decode()  # not before it takes place
    early = open_as(invited.manager).post(url, data)
    assert early.status_code == 200 and "once the conference has taken place" in early.content.decode()
    with scopes_disabled():
        assert CaseConference.objects.get().decisions == "" and not FollowUpAction.objects.exists()

    with scopes_disabled():
        CaseConference.objects.filter(pk=conference.pk).update(date=timezone.localdate() - timedelta(days=1))
    listed = open_as(invited.manager).get(reverse("conferences:case_conferences", args=[invited.case.pk]))
    assert url in listed.content.decode()
    assert open_as(invited.manager).post(url, data).status_code == 302
    with scopes_disabled():
        conference = CaseConference.objects.get()
        assert conference.decisions == "Richiesta del permesso art. 18"
        assert [(a.description, a.owner) for a in conference.actions.all()] == [("Preparare", invited.legal)]
    again = open_as(invited.manager).post(url, {"decisions": "Altro"})
    assert again.status_code == 200 and "recorded already" in again.content.decode()


def test_the_decisions_page_is_for_the_case_team(invited, network, make_user):
    assert schedule(invited, timezone.localdate() + timedelta(days=3)).status_code == 302
    with scopes_disabled():
        conference = CaseConference.objects.get()
    url = reverse("conferences:case_conference_decisions", args=[invited.case.pk, conference.pk])
    outreach = make_user("same-organisation-outreach", network.partner, "outreach", network.programme)
    assert open_as(invited.colleague).get(url).status_code == 404  # her organisation, off the team
    assert open_as(invited.outsider).get(url).status_code == 404  # another partner
    assert open_as(outreach).get(url).status_code == 403  # a role without cases
    assert open_as(invited.legal).get(url).status_code == 200
    missing = reverse("conferences:case_conference_decisions", args=[invited.case.pk, conference.pk + 99])
    assert open_as(invited.legal).get(missing).status_code == 404


def _feed_text(client, user) -> str:
    page = open_as(user).post(reverse("governance:calendar"), {"do": "new"}).content.decode()
    address = re.search(r'data-testid="feed-address"[^>]*>([^<]+)<', page).group(1)
    return client.get(address.replace("http://testserver", "")).content.decode()


def test_the_feed_lists_the_conference_for_its_participants_only(invited, client):
    day = timezone.localdate() + timedelta(days=5)
    assert schedule(invited, day).status_code == 302
    with scopes_disabled():
        conference = CaseConference.objects.get()
    text = _feed_text(client, invited.legal)
    (event,) = icalendar.Calendar.from_ical(text).events
    assert str(event["UID"]) == f"approdi-conference-{conference.pk}@approdi.example"
    assert "AP-CASE1-00001" in str(event["SUMMARY"]) and event.start.astimezone(ROME).hour == 10
    for secret in ("Avv. Rossi", "Giulia", "Operatrice", invited.legal.username, "ATTENDEE", "DESCRIPTION:R"):
        assert secret not in text, secret
    # Who scheduled it without taking part, a colleague: not in theirs.
    assert icalendar.Calendar.from_ical(_feed_text(client, invited.manager)).events == []
    assert icalendar.Calendar.from_ical(_feed_text(client, invited.colleague)).events == []
