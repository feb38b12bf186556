"""A multi-agency case conference uses the governance tables' meeting engine (governance/engine.py, ical.py): it
is an invitation a calendar reads (the person's code at most, never who she is or what was decided), its actions
are the engine's (open/done, done by their owner alone) and reach My work in the same list as a table's actions;
the conferences recorded before keep their actions, done or not (the migration)."""

from datetime import date, timedelta

import icalendar
import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from approdi.intake.models import CaseConference
from tests.builders.governance import build_table
from tests.builders.pages import open_as
from tests.builders.people import registered_person
from tests.intake.test_case_conferences import recorded


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
    assert str(event["UID"]) == f"approdi-conference-{action.conference_id}@testserver"
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
