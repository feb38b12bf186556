"""Case conferences where the work is (issue 13, point 6): reachable from the case page for the case team, not only
from the Ufficio Filtro's person page; their actions have an owner and a due date, appear on the owner's My work,
and are marked done by their owner alone."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from approdi.audit.models import AuditEntry
from approdi.intake.models import CaseConference, FollowUpAction
from tests.builders.pages import open_as

pytestmark = pytest.mark.django_db


def conference_data(world, *, follow_up: str = "") -> dict:
    return {
        "day": timezone.localdate().isoformat(),
        "organisations": [world.case.lead_organisation_id],
        "participants": [world.legal.pk],
        "other_participants": "Avv. Rossi (ASGI)",
        "decisions": "Richiesta del permesso art. 18",
        "follow_up": follow_up,
    }


def due_in(days: int) -> str:
    return (timezone.localdate() + timedelta(days=days)).isoformat()


def recorded(world, *, owner, due_days: int = 7) -> FollowUpAction:
    client = open_as(world.manager)
    data = conference_data(world, follow_up=f"Preparare la domanda ; {owner.username} ; {due_in(due_days)}")
    answer = client.post(reverse("conferences:case_conference_create", args=[world.case.pk]), data)
    assert answer.status_code == 302, answer.content.decode()[:2000]
    with scopes_disabled():
        return FollowUpAction.objects.select_related("conference").get()


def test_the_case_page_leads_to_its_conferences_and_a_new_one(case_world):
    page = open_as(case_world.educator).get(reverse("cases:case_detail", args=[case_world.case.pk])).content.decode()
    assert reverse("conferences:case_conferences", args=[case_world.case.pk]) in page
    assert reverse("conferences:case_conference_create", args=[case_world.case.pk]) in page


def test_a_team_member_records_a_conference_from_the_case_page(case_world):
    action = recorded(case_world, owner=case_world.legal)
    conference = action.conference
    with scopes_disabled():
        assert conference.person_id == case_world.person.pk and conference.created_by == case_world.manager
        assert list(conference.participants.all()) == [case_world.legal]
        assert AuditEntry.objects.filter(object_type="intake.caseconference", action="create").exists()
    assert (action.owner, action.due) == (case_world.legal, timezone.localdate() + timedelta(days=7))
    listed = open_as(case_world.educator).get(reverse("conferences:case_conferences", args=[case_world.case.pk]))
    body = listed.content.decode()
    assert "Richiesta del permesso art. 18" in body and "Preparare la domanda" in body
    # The Filtro's person page lists it too.
    person = open_as(case_world.filtro).get(reverse("intake:person", args=[case_world.person.pk])).content.decode()
    assert "Richiesta del permesso art. 18" in person


def test_owners_and_participants_are_chosen_on_the_team(case_world):
    client = open_as(case_world.manager)
    url = reverse("conferences:case_conference_create", args=[case_world.case.pk])
    off_team = conference_data(case_world, follow_up=f"Chiamare ; {case_world.colleague.username} ; {due_in(3)}")
    assert client.post(url, off_team).status_code == 200
    colleague = conference_data(case_world) | {"participants": [case_world.colleague.pk]}
    assert client.post(url, colleague).status_code == 200
    with scopes_disabled():
        assert not CaseConference.objects.exists()


def test_a_user_off_the_team_gets_404_and_a_role_without_cases_403(case_world, network, make_user):
    urls = [
        reverse("conferences:case_conferences", args=[case_world.case.pk]),
        reverse("conferences:case_conference_create", args=[case_world.case.pk]),
    ]
    outreach = make_user("same-organisation-outreach", network.partner, "outreach", network.programme)
    for url in urls:
        assert open_as(case_world.colleague).get(url).status_code == 404  # her organisation, off the team
        assert open_as(case_world.outsider).get(url).status_code == 404  # another partner
        assert open_as(outreach).get(url).status_code == 403
    refused = open_as(case_world.colleague).post(urls[1], conference_data(case_world))
    assert refused.status_code == 404
    with scopes_disabled():
        assert not CaseConference.objects.exists()


def test_the_action_is_on_its_owner_s_my_work_and_done_by_her_alone(case_world):
    action = recorded(case_world, owner=case_world.legal, due_days=-2)
    my_work = reverse("cases:my_work")
    done = reverse("conferences:conference_action_done", args=[action.pk])
    mine = open_as(case_world.legal).get(my_work).content.decode()
    assert f'data-testid="conference-action-{action.pk}"' in mine and "Preparare la domanda" in mine
    assert "late" in mine[mine.index(f'data-testid="conference-action-{action.pk}"') :]
    # The case manager who recorded it does not owe it: not on her My work, and she cannot mark it done.
    assert "Preparare la domanda" not in open_as(case_world.manager).get(my_work).content.decode()
    assert open_as(case_world.manager).post(done).status_code == 403
    assert open_as(case_world.filtro).post(done).status_code == 403
    assert open_as(case_world.colleague).post(done).status_code == 404  # off the team: she does not see it
    assert open_as(case_world.outsider).post(done).status_code == 404
    with scopes_disabled():
        action.refresh_from_db()
    assert not action.is_done
    # The owner marks it done: it leaves her My work, with the day kept and audited.
    assert open_as(case_world.legal).post(done, {"next": my_work}).status_code == 302
    with scopes_disabled():
        action.refresh_from_db()
        assert AuditEntry.objects.filter(
            object_type="intake.followupaction", object_id=str(action.pk), actor=case_world.legal
        ).exists()
    assert action.is_done and action.done_on == timezone.localdate()
    assert "Preparare la domanda" not in open_as(case_world.legal).get(my_work).content.decode()
    assert open_as(case_world.legal).post(done).status_code == 302  # again: told it is done already
    listed = open_as(case_world.educator).get(reverse("conferences:case_conferences", args=[case_world.case.pk]))
    assert "done on" in listed.content.decode()
