"""Each role lands where its work starts (issue #19): the home page shows the street operator her outing, the
Ufficio Filtro its queue and what is overdue, the educator her structures' free beds and residents, the case
worker her work, the coordinator the targets against this year's results; with the same number of queries
whether there is one record or several."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from approdi.cases.models import Goal, PlanAction
from approdi.network.models import Target
from approdi.outreach.models import Contact, Outing, Referral
from approdi.shelter.services import sync_beds
from tests.builders import registered_person, verified_client
from tests.builders.shelter import place

pytestmark = pytest.mark.django_db


def home(user) -> str:
    return verified_client(user).get(reverse("core:home")).content.decode()


def home_queries(user) -> int:
    client = verified_client(user)
    client.get(reverse("core:home"))  # the session's first request writes its own rows
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("core:home")).status_code == 200
    return len(queries.captured_queries)


def outing(network, user, *, team="Unità Nord") -> Outing:
    with scopes_disabled():
        return Outing.objects.create(
            programme=network.programme,
            organisation=network.partner,
            team=team,
            date=timezone.localdate(),
            shift="night",
            area=network.area,
            created_by=user,
        )


def test_the_street_operator_starts_or_continues_tonights_outing(network, people):
    trio = people("outreach")
    assert "home-new-outing" in home(trio.owner) and "home-open-outing" not in home(trio.owner)
    tonight = outing(network, trio.owner)
    page = home(trio.owner)
    assert f'href="{reverse("outreach:outing_detail", args=[tonight.pk])}" data-testid="home-open-outing"' in page
    # Another organisation's operator, and a colleague without the role, are not sent to her outing.
    assert "home-open-outing" not in home(trio.outsider)
    assert "home-new-outing" not in home(trio.member)
    with scopes_disabled():
        Outing.objects.filter(pk=tonight.pk).update(end_time="23:30")
    assert "home-open-outing" not in home(trio.owner)  # closed: a new one


def test_the_filtro_sees_its_queue_and_what_is_overdue(network, filtro, people):
    trio = people("case_worker")
    with scopes_disabled():
        Referral.objects.create(
            programme=network.programme,
            organisation=network.partner,
            date=timezone.localdate() - timedelta(days=4),
            source_type="outreach",
            urgency="immediate",
            person_code="AP-HOME-QUEUE",
        )
    page = home(filtro)
    assert 'data-testid="home-queue"' in page and "AP-HOME-QUEUE" in page and 'data-testid="home-overdue"' in page
    assert "AP-HOME-QUEUE" not in home(trio.owner) and "home-queue" not in home(trio.owner)


def test_the_educator_sees_her_structures_and_residents(network, filtro, people):
    trio = people("shelter")
    with scopes_disabled():
        sync_beds(network.structure)
        sync_beds(network.other_structure)
    stay = place(filtro, registered_person(network, code="AP-HOME-RES", created_by=filtro), network.structure)
    page = home(trio.owner)
    assert 'data-testid="home-structures"' in page and "AP-HOME-RES" in page
    assert reverse("shelter:placement", args=[stay.pk]) in page and "Casa Beta" not in page
    assert "AP-HOME-RES" not in home(trio.outsider)  # Beta's educator: her own structure only
    assert "home-structures" not in home(trio.member)


def test_the_case_worker_lands_on_her_work(case_world):
    with scopes_disabled():
        goal = Goal.objects.create(
            case=case_world.case, domain="housing", description="Casa", created_by=case_world.manager
        )
        PlanAction.objects.create(
            goal=goal,
            description="Telefonare al CPIA",
            owner=case_world.manager,
            due=timezone.localdate() - timedelta(days=2),
        )
    page = home(case_world.manager)
    assert 'data-testid="home-my-work"' in page and "Telefonare al CPIA" in page
    assert "Telefonare al CPIA" not in home(case_world.colleague)  # same organisation, not her action
    assert "Telefonare al CPIA" not in home(case_world.outsider)
    assert "home-my-work" not in home(case_world.coordinator)


def test_the_coordinator_sees_targets_against_this_years_results(network, people):
    trio = people("coordinator", at=network.lead)
    with scopes_disabled():
        Target.objects.create(programme=network.programme, indicator="street_contacts", value=4000)
        Contact.objects.create(
            programme=network.programme,
            organisation=network.partner,
            channel="street",
            date=timezone.localdate(),
            area=network.area,
        )
    page = home(trio.owner)
    assert 'data-testid="home-targets"' in page and "4,000" in page.replace(".", ",")
    assert "home-targets" not in home(trio.member)  # the lead entity's case worker


@pytest.mark.parametrize("role", ["outreach", "shelter", "case_worker", "coordinator", "filtro"])
def test_the_home_page_reads_the_same_statements_for_one_record_or_several(role, network, filtro, people, make_user):
    user = filtro if role == "filtro" else people(role, at=network.lead if role == "coordinator" else None).owner
    with scopes_disabled():
        sync_beds(network.structure)

    def add(n: int, start: int) -> int:
        for i in range(start, start + n):
            person = registered_person(network, code=f"AP-HOMEQ-{i:04d}", created_by=filtro)
            if i < 3:
                place(filtro, person, network.structure)
            with scopes_disabled():
                Referral.objects.create(
                    programme=network.programme,
                    organisation=network.partner,
                    date=timezone.localdate(),
                    source_type="outreach",
                    person_code=person.code,
                )
        return home_queries(user)

    assert add(1, 0) == add(2, 1)
