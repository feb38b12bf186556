"""Every page of the governance tables: the owner (a lead coordinator) runs them, a member sitting at the table reads
them and marks her own action done, a colleague of the same organisation who does not sit at it finds nothing (404)
and cannot add a table (403), and an outsider (another programme) finds nothing (404)."""

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from approdi.audit.models import AuditEntry
from approdi.governance.models import Meeting, MeetingAction, Table
from tests.builders import registered_person, verified_client
from tests.builders.directory import build_directory
from tests.builders.governance import build_table
from tests.pdftext import pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(network, make_user):
    owner = make_user("coord-lead", network.lead, "coordinator", network.programme)
    member = make_user("worker-partner", network.partner, "case_worker", network.programme)
    colleague = make_user("worker-partner-2", network.partner, "case_worker", network.programme)
    outsider = make_user("coord-elsewhere", network.lead, "coordinator", network.other_programme)
    directory = build_directory(network.programme, follower=owner)
    g = build_table(
        network.programme, convenor=owner, users=[member], referents=[directory.referent], action_owner=member
    )
    return network, owner, member, colleague, outsider, g


def read_pages(g):
    return [
        reverse("governance:table_detail", args=[g.table.pk]),
        reverse("governance:meeting_detail", args=[g.meeting.pk]),
        reverse("governance:meeting_ics", args=[g.meeting.pk]),
        reverse("governance:minutes_pdf", args=[g.meeting.pk]),
    ]


def run_pages(g):
    return [
        reverse("governance:table_edit", args=[g.table.pk]),
        reverse("governance:meeting_new", args=[g.table.pk]),
        reverse("governance:meeting_record", args=[g.meeting.pk]),
    ]


def test_the_owner_reads_and_runs_every_page(world):
    _n, owner, *_rest, g = world
    client = verified_client(owner)
    for url in [reverse("governance:table_list"), reverse("governance:table_new"), *read_pages(g), *run_pages(g)]:
        assert client.get(url).status_code == 200, url
    assert "Tavolo emersione di Prova" in client.get(reverse("governance:table_list")).content.decode()


def test_a_member_reads_her_table_but_does_not_run_it(world):
    _n, _owner, member, *_rest, g = world
    client = verified_client(member)
    assert "Tavolo emersione di Prova" in client.get(reverse("governance:table_list")).content.decode()
    for url in read_pages(g):
        assert client.get(url).status_code == 200, url
    for url in [reverse("governance:table_new"), *run_pages(g)]:
        assert client.get(url).status_code == 403, url
    page = client.get(reverse("governance:meeting_detail", args=[g.meeting.pk])).content.decode()
    assert 'data-testid="action-form"' not in page
    add = client.post(
        reverse("governance:meeting_detail", args=[g.meeting.pk]),
        {"action-description": "x", "action-owner": member.pk, "action-due": "2030-01-01"},
    )
    assert add.status_code == 403


@pytest.mark.parametrize("who", ["colleague", "outsider"])
def test_who_does_not_sit_at_the_table_finds_nothing(world, who):
    _n, _owner, _member, colleague, outsider, g = world
    client = verified_client(colleague if who == "colleague" else outsider)
    assert "Tavolo emersione di Prova" not in client.get(reverse("governance:table_list")).content.decode()
    for url in [*read_pages(g), *run_pages(g)]:
        assert client.get(url).status_code == 404, url
    # An action of a table she does not see does not exist for her (404), whatever her organisation.
    assert client.post(reverse("governance:action_done", args=[g.action.pk])).status_code == 404
    if who == "colleague":  # the outsider coordinates at a lead entity: she adds tables, in her own programme
        assert client.get(reverse("governance:table_new")).status_code == 403
    with scopes_disabled():
        assert MeetingAction.objects.get(pk=g.action.pk).status == "open"


def test_the_owner_schedules_records_and_gives_actions(world, network):
    _n, owner, member, colleague, _outsider, _g = world
    client = verified_client(owner)
    response = client.post(
        reverse("governance:table_new"),
        {
            "name": "Gruppo di lavoro sfruttamento lavorativo",
            "kind": "working_group",
            "topic": "labour",
            "convenor": owner.pk,
            "recurrence": "1",
            "first_day": "2026-01-13",
            "start_time": "14:30",
            "duration": "90",
            "users": [member.pk, colleague.pk],
        },
    )
    with scopes_disabled():
        table = Table.objects.get(name="Gruppo di lavoro sfruttamento lavorativo")
    assert response.status_code == 302
    response = client.post(
        reverse("governance:meeting_new", args=[table.pk]),
        {"day": "2026-02-10", "start_time": "14:30", "duration": "90", "agenda": "Settori: edilizia"},
    )
    with scopes_disabled():
        meeting = Meeting.objects.get(table=table)
    assert response.status_code == 302
    response = client.post(
        reverse("governance:meeting_record", args=[meeting.pk]),
        {"status": "held", "present_users": [member.pk], "minutes": "Verbale", "decisions": "Uno\nDue"},
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == "held" and meeting.decision_lines() == ["Uno", "Due"]
    assert list(meeting.present_users.all()) == [member]
    for owner_of, what in ((member, "Mappare i cantieri"), (colleague, "Contattare il CeLav")):
        client.post(
            reverse("governance:meeting_detail", args=[meeting.pk]),
            {"action-description": what, "action-owner": owner_of.pk, "action-due": "2026-03-01"},
        )
    with scopes_disabled():
        assert {a.owner_id for a in meeting.actions.all()} == {member.pk, colleague.pk}
        assert AuditEntry.objects.filter(object_type__icontains="meetingaction").count() >= 2


def test_attendance_is_only_of_the_tables_members(world):
    _n, owner, _member, colleague, _outsider, g = world
    response = verified_client(owner).post(
        reverse("governance:meeting_record", args=[g.meeting.pk]),
        {"status": "held", "present_users": [colleague.pk]},
    )
    assert response.status_code == 200
    g.meeting.refresh_from_db()
    assert colleague not in g.meeting.present_users.all()


def test_only_the_owner_of_an_action_marks_it_done_and_sees_it_on_my_work(world):
    _n, owner, member, colleague, _outsider, g = world
    my_work = verified_client(member).get(reverse("cases:my_work")).content.decode()
    assert f'data-testid="table-action-{g.action.pk}"' in my_work and "Inviare la scheda comune" in my_work
    assert "Inviare la scheda comune" not in verified_client(colleague).get(reverse("cases:my_work")).content.decode()
    assert verified_client(owner).post(reverse("governance:action_done", args=[g.action.pk])).status_code == 403
    response = verified_client(member).post(
        reverse("governance:action_done", args=[g.action.pk]), {"next": reverse("cases:my_work")}
    )
    assert response.status_code == 302 and response.url == reverse("cases:my_work")
    with scopes_disabled():
        done = MeetingAction.objects.get(pk=g.action.pk)
    assert done.status == "done" and done.done_on is not None
    assert "Inviare la scheda comune" not in verified_client(member).get(reverse("cases:my_work")).content.decode()


def test_a_coordinators_action_is_on_her_home_page(world, network, make_user):
    _n, owner, _member, _colleague, _outsider, g = world
    with scopes_disabled():
        MeetingAction.objects.filter(pk=g.action.pk).update(owner=owner)
    assert "Inviare la scheda comune" in verified_client(owner).get("/").content.decode()


def test_the_minutes_pdf_names_people_by_code_and_professionals_by_name(world, network):
    _n, owner, member, *_rest, g = world
    person = registered_person(network, code="P-0001", created_by=owner)
    with scopes_disabled():
        person.given_name, person.family_name = "Blessing", "Okafor"
        person.save()
    response = verified_client(member).get(reverse("governance:minutes_pdf", args=[g.meeting.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "Tavolo emersione di Prova" in text and "P-0001" in text
    assert "Dott.ssa Referente Prova" in text and "Inviare la scheda comune ai CAS" in text
    assert "Blessing" not in text and "Okafor" not in text
    with scopes_disabled():
        assert AuditEntry.objects.filter(action="export", reason="pdf").exists()
