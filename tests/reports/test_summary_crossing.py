"""A person who crosses the boundary between two editions of the project (P-1 ended, P-3 runs): her open case is
continued in P-3 by a coordinator, then she leaves P-3 by an assisted voluntary return (one person) or by a
transfer to another project (another). Each figure of each edition's funder summary is checked against what was
computed by hand: each edition counts each of them once, for what happened in its own period, and nothing after.
"""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from approdi.accounts.models import Membership, Notification
from approdi.cases.models import AssistedReturn, Case, Continuation, ExternalTransfer
from approdi.directory.models import Body
from approdi.outreach.models import Referral
from approdi.people.models import Person, ProgrammeRecord
from approdi.reports.funder.summary import funder_summary
from approdi.shelter.models import Bed, Placement
from approdi.shelter.services import sync_beds
from tests.builders.case_world import open_territorial_case
from tests.builders.pages import open_as
from tests.builders.people import registered_person

pytestmark = pytest.mark.django_db
NOBODY = {"women": 0, "men": 0, "transgender": 0, "total": 0}


def outreach(referred: int) -> dict:
    return {
        "street_contacts": 0,
        "indoor_contacts": 0,
        "low_threshold_accesses": 0,
        "persons_referred_by_bodies": referred,
    }


@pytest.fixture
def crossing(case_world, network, running, make_user):
    """Two women with an open case and a bed in P-1 (referred by the police in P-1), her case manager and the
    lead entity's coordinator working in both editions, Casa Alfa in both."""
    p1 = network.programme
    second = registered_person(network, code="AP-CASE2-00002", created_by=case_world.filtro)
    other_case = open_territorial_case(
        filtro=case_world.filtro,
        person=second,
        start=date(2024, 3, 1),
        case_manager=case_world.manager,
        reason="Percorso",
        entry_on_start=True,
    )
    with scopes_disabled():
        ProgrammeRecord.objects.filter(person=case_world.person, kind="entry").update(date=date(2024, 2, 1))
        for user, organisation, role in [
            (case_world.manager, network.partner, "case_worker"),
            (case_world.coordinator, network.lead, "coordinator"),
        ]:
            Membership.objects.create(user=user, organisation=organisation, role=role, programme=running)
        network.structure.programmes.add(running)
        sync_beds(network.structure, 2)
        beds = list(Bed.objects.filter(structure=network.structure).order_by("id"))
        for person, bed, start in [(case_world.person, beds[0], date(2025, 3, 1)), (second, beds[1], date(2025, 5, 1))]:
            Placement.objects.create(
                programme=p1, person=person, bed=bed, structure=network.structure, stage="first", start=start
            )
            Referral.objects.create(
                programme=p1,
                organisation=network.lead,
                date=start - timedelta(days=20),
                source_type="police",
                person_code=person.code,
            )
        iom = Body.objects.create(programme=running, name="OIM Roma", type="iom")
        project = Body.objects.create(programme=running, name="Progetto Sud", type="network")
    return case_world, other_case, iom, project


def summary(programme, start, end) -> dict:
    figures = funder_summary(programme=programme, start=start, end=end)
    return {"outreach": figures["outreach"], "reception": figures["reception"]}


def continue_both(world, cases):
    client = open_as(world.coordinator)
    page = client.get(reverse("cases:continue_list")).content.decode()
    for case in cases:
        assert case.person.code in page
        assert client.post(reverse("cases:continue_case", args=[case.pk])).status_code == 302
    with scopes_disabled():
        return [Continuation.objects.select_related("to_case").get(from_case=case).to_case for case in cases]


def test_each_edition_counts_her_for_its_own_period_through_continuation_return_and_transfer(
    crossing, network, running
):
    world, other_case, iom, project = crossing
    p1, today = network.programme, timezone.localdate()
    whole_p1 = (p1, p1.start, p1.end)
    capacity_before = funder_summary(programme=p1, start=p1.start, end=p1.end)["capacity"]
    before = summary(*whole_p1)
    assert before == {"outreach": outreach(2), "reception": {**NOBODY, "women": 2, "total": 2}}

    first, second = continue_both(world, [world.case, other_case])
    day = date(today.year, 1, 1)  # P-3's first day (P-1 ended on 30 June 2025)
    with scopes_disabled():
        for old, new in [(world.case, first), (other_case, second)]:
            old.refresh_from_db()
            assert (old.status, old.end, old.outcome) == ("closed", p1.end, "continued")
            assert (new.programme, new.start, new.status, new.case_manager) == (running, day, "active", world.manager)
            assert new.person.code == old.person.code and new.person.programme == running
            stays = Placement.objects.filter(person__code=old.person.code).order_by("start")
            assert [(s.programme.code, s.start, s.end, s.exit_reason) for s in stays] == [
                ("P-1", stays[0].start, p1.end, "continued"),
                ("P-3", day, None, ""),
            ]
            assert stays[1].bed_id == stays[0].bed_id and stays[1].previous_id == stays[0].pk
            assert ProgrammeRecord.objects.get(person=old.person, kind="exit").outcome == "continued"
            assert ProgrammeRecord.objects.get(person=new.person, kind="entry").date == day

    # P-1: the same figures as before she was continued (her stay there ended on its last day), none after it.
    assert summary(*whole_p1) == before
    assert funder_summary(programme=p1, start=p1.start, end=p1.end)["capacity"] == capacity_before
    assert summary(p1, p1.end + timedelta(days=1), today) == {"outreach": outreach(0), "reception": NOBODY}
    # P-3: both in reception, once each; no referral copied (they were referred in P-1).
    assert summary(running, running.start, today) == {
        "outreach": outreach(0),
        "reception": {**NOBODY, "women": 2, "total": 2},
    }

    # In P-3 the first goes home with IOM, the second to another project: the shelter frees their beds today.
    manager = open_as(world.manager)
    with scopes_disabled():
        Placement.objects.filter(programme=running, end__isnull=True).update(end=today, exit_reason="assisted_return")
    manager.post(reverse("cases:return_request", args=[first.pk]), {"body": iom.pk, "requested_on": today.isoformat()})
    with scopes_disabled():
        item = AssistedReturn.objects.get()
    step = lambda name, **body: manager.post(reverse(f"cases:{name}", args=[first.pk, item.pk]), body)
    step("return_answer", answer="accepted", day=today.isoformat(), reference="R-1")
    step("return_documents", day=today.isoformat(), departure_planned=today.isoformat())
    step("return_departed", day=today.isoformat())
    manager.post(reverse("cases:onward_send", args=[second.pk]), {"body": project.pk, "sent_on": today.isoformat()})
    with scopes_disabled():
        transfer = ExternalTransfer.objects.get()
    for name, body in [("onward_answer", {"answer": "accepted"}), ("onward_arrived", {})]:
        manager.post(reverse(f"cases:{name}", args=[second.pk, transfer.pk]), {**body, "day": today.isoformat()})
    with scopes_disabled():
        assert Case.objects.get(pk=first.pk).outcome == "assisted_return"
        assert Case.objects.get(pk=second.pk).outcome == "transfer"

    assert summary(*whole_p1) == before
    assert summary(running, running.start, today) == {
        "outreach": outreach(0),
        "reception": {**NOBODY, "women": 2, "total": 2},
    }
    assert summary(running, today + timedelta(days=1), running.end) == {"outreach": outreach(0), "reception": NOBODY}
    assert summary(p1, p1.end + timedelta(days=1), today) == {"outreach": outreach(0), "reception": NOBODY}


def test_both_pages_show_the_link_and_a_case_is_continued_once(crossing, network, running):
    world, _other_case, _iom, _project = crossing
    [new] = continue_both(world, [world.case])
    with scopes_disabled():  # her case manager is told the case is hers in P-3, and no one else
        told = Notification.objects.filter(kind="assigned", programme=running)
        assert list(told.values_list("recipient__username", "path")) == [
            ("manager", reverse("cases:case_detail", args=[new.pk]))
        ]
    manager = open_as(world.manager)  # acting in P-3, the running edition
    page = manager.get(reverse("cases:case_detail", args=[new.pk])).content.decode()
    assert 'data-testid="continued-from"' in page and "her case of P-1" in page
    assert reverse("cases:case_detail", args=[world.case.pk]) in page
    with scopes_disabled():
        in_p1 = Membership.objects.get(user=world.manager, programme=network.programme)
    manager.post(reverse("accounts:switch"), {"membership": in_p1.pk})
    page = manager.get(reverse("cases:case_detail", args=[world.case.pk])).content.decode()
    assert 'data-testid="continued-in"' in page and "her case of P-3" in page
    assert reverse("cases:case_detail", args=[new.pk]) in page
    # Continued once: it is no longer offered, and posting it again finds nothing.
    coordinator = open_as(world.coordinator)
    assert (
        f'data-testid="continue-{world.case.pk}"'
        not in coordinator.get(reverse("cases:continue_list")).content.decode()
    )
    assert coordinator.post(reverse("cases:continue_case", args=[world.case.pk])).status_code == 404
    with scopes_disabled():
        assert Continuation.objects.count() == 1 and Person.objects.filter(code=world.person.code).count() == 2


def test_who_may_continue_a_case(crossing, network, running, make_user):
    """A coordinator of the lead entity in both editions; a coordinator of a partner 403; the case manager 403;
    a lead coordinator of the running edition alone (not of the ended one) sees nothing to continue (404)."""
    world, _other, _iom, _project = crossing
    partner_coordinator = make_user("coord-partner", network.partner, "coordinator", running)
    newcomer = make_user("coord-new", network.lead, "coordinator", running)
    target = reverse("cases:continue_case", args=[world.case.pk])
    for user, status in [(partner_coordinator, 403), (world.manager, 403), (newcomer, 404)]:
        client = open_as(user)
        assert client.post(target).status_code == status, user.username
        list_status = client.get(reverse("cases:continue_list")).status_code
        assert list_status == (200 if status == 404 else 403)
    with scopes_disabled():
        assert not Continuation.objects.exists()
    assert open_as(world.coordinator).post(target).status_code == 302
    with scopes_disabled():
        assert Continuation.objects.count() == 1


def test_her_plan_and_documents_go_on_in_the_next_edition(crossing, network, running, make_user, settings, tmp_path):
    """Her open goals and their open actions, and her case's documents, are on the new case without being typed
    again; what was done or dropped stays with the ended edition; a document is a copy of its own."""
    from approdi.cases.models import Document, Goal, PlanAction
    from approdi.core import files
    from tests.builders.documents import MARKER, pdf_with_marker

    settings.APPRODI_DOCUMENTS_DIR = tmp_path / "documents"
    world = crossing[0]
    gone = make_user("ex-operatrice", network.partner, "case_worker", network.programme)  # not in P-3
    with scopes_disabled():
        language = Goal.objects.create(
            case=world.case, domain="language", description="Italiano A2", created_by=world.manager
        )
        PlanAction.objects.create(
            goal=language, description="Iscrizione CPIA", owner=world.manager, due=date(2025, 9, 1)
        )
        PlanAction.objects.create(goal=language, description="Esame A1", owner=gone, due=date(2025, 10, 1))
        PlanAction.objects.create(
            goal=language,
            description="Test di ingresso",
            owner=world.manager,
            due=date(2025, 2, 1),
            done_on=date(2025, 2, 1),
        )
        Goal.objects.create(
            case=world.case, domain="work", description="Tirocinio", status="achieved", created_by=world.manager
        )
        old = Document.objects.create(
            person=world.case.person,
            case=world.case,
            kind="permit_copy",
            date=date(2024, 3, 5),
            domain="general",
            confidentiality="team",
            author_role="case_manager",
            filename="permesso-okoro.pdf",
            content_type="application/pdf",
            size=len(pdf_with_marker()),
            stored_as=files.store(pdf_with_marker()),
            author=world.manager,
        )

    [new_case] = continue_both(world, [world.case])
    with scopes_disabled():
        goals = list(Goal.objects.filter(case=new_case))
        assert [(g.domain, g.description, g.status) for g in goals] == [("language", "Italiano A2", "open")]
        actions = PlanAction.objects.filter(goal__case=new_case).order_by("due")
        # The action of a colleague who does not work in P-3 goes to the case manager.
        assert [(a.description, a.owner, a.due, a.done_on) for a in actions] == [
            ("Iscrizione CPIA", world.manager, date(2025, 9, 1), None),
            ("Esame A1", world.manager, date(2025, 10, 1), None),
        ]
        assert Goal.objects.filter(case=world.case).count() == 2  # the ended edition's plan stays as it was
        copied = Document.objects.get(case=new_case)
        assert copied.person == new_case.person and copied.person.programme == running
        assert (copied.kind, copied.date, copied.filename) == (old.kind, old.date, old.filename)
        assert copied.stored_as != old.stored_as and MARKER in files.load(copied.stored_as)
    # The new case's team reads it; the old one's copy stays whole.
    download = open_as(world.manager).get(reverse("cases:document_download", args=[copied.pk]))
    assert download.status_code == 200 and MARKER in download.content
    assert MARKER in files.load(old.stored_as)
