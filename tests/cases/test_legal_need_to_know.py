"""Need to know (DESIGN.md §5): permits, legal matters, hearings and their deadlines are read only by the legal
advisors, the case manager and the Ufficio Filtro, on every page and API answer that shows them. The rest of
the team (educator, case worker, psychologist) gets nothing legal; someone off the team gets "not found"."""

from datetime import datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from approdi.cases.models import Case
from approdi.cases.services import case as case_services
from approdi.cases.services import legal as legal_services
from tests.builders import acting
from tests.builders.cases import apply_for_permit, issue_permit
from tests.builders.pages import open_as

from .test_api import Api

pytestmark = pytest.mark.django_db

LEGAL_WORDS = ("Questura di Roma", "Procura di Torino", "Tribunale di Torino", "Portare il passaporto")


@pytest.fixture
def legal_world(case_world, make_user, network):
    """The case with a case worker and a psychologist on the team too, a permit expiring in ten days, and a
    criminal proceeding with its hearing today."""
    world = case_world
    world.psychologist = make_user("psychologist", network.partner, "case_worker", network.programme)
    with acting(world.manager) as manager:
        case = Case.objects.get(pk=world.case.pk)
        case_services.add_team_member(actor=manager, case=case, user=world.colleague, role="case_worker")
        case_services.add_team_member(actor=manager, case=case, user=world.psychologist, role="psychologist")
    today = timezone.localdate()
    issue_permit(
        world.legal,
        apply_for_permit(world.legal, world.case.pk, questura="Questura di Roma", application_date=today),
        issue_date=today,
        expiry=today + timedelta(days=10),
    )
    with acting(world.legal) as legal:
        case = Case.objects.get(pk=world.case.pk)
        proceeding = legal_services.open_matter(
            actor=legal, case=case, kind="criminal_proceeding", day=today, authority="Procura di Torino"
        )
        legal_services.schedule_hearing(
            actor=legal,
            matter=proceeding,
            starts_at=timezone.make_aware(datetime.combine(today, time(23, 59))),
            place="Tribunale di Torino",
            note="Portare il passaporto",
        )
    return world


def _rest_of_team(world):
    return [world.educator, world.colleague, world.psychologist]


def _pages(world) -> dict[str, str]:
    return {
        "case": reverse("cases:case_detail", args=[world.case.pk]),
        "list": reverse("cases:case_list"),
        "my_work": reverse("cases:my_work"),
    }


def test_the_rest_of_the_team_sees_nothing_legal_on_the_pages(legal_world):
    world = legal_world
    for user in _rest_of_team(world):
        client = open_as(user)
        for name, address in _pages(world).items():
            page = client.get(address).content.decode()
            assert not [w for w in LEGAL_WORDS if w in page], (user.username, name)
            assert 'id="legal"' not in page and "#legal" not in page, (user.username, name)
        case_list = client.get(_pages(world)["list"]).content.decode()
        assert "· hearing" not in case_list and "· permit expiry" not in case_list
        my_work = client.get(_pages(world)["my_work"]).content.decode()
        assert "No deadline in the next 30 days." in my_work
        timeline = client.get(reverse("cases:permit_timeline", args=[world.case.pk]))
        assert timeline.status_code == 403, user.username


def test_the_legal_seats_and_the_filtro_see_the_legal_records(legal_world):
    world = legal_world
    for user in (world.legal, world.manager, world.filtro):
        client = open_as(user)
        page = client.get(_pages(world)["case"]).content.decode()
        assert all(w in page for w in LEGAL_WORDS), user.username
        assert "Questura di Roma" in client.get(reverse("cases:permit_timeline", args=[world.case.pk])).content.decode()
        assert "· hearing" in client.get(_pages(world)["list"]).content.decode()  # the nearer deadline
    for user in (world.legal, world.manager):
        my_work = open_as(user).get(_pages(world)["my_work"]).content.decode()
        assert "Tribunale di Torino" in my_work and "No deadline in the next 30 days." not in my_work


def test_the_api_omits_legal_records_for_the_rest_of_the_team(legal_world):
    world = legal_world
    url = f"/api/v1/cases/{world.case.pk}"
    for user in _rest_of_team(world):
        api = Api(user)
        case = api.get(url).json()
        assert case["permits"] is None and case["legal_matters"] is None, user.username
        assert api.get("/api/v1/cases/deadlines").json() == []
        work = api.get("/api/v1/my-work").json()
        assert work["hearings_today"] == [] and work["deadlines"] == []
    for user in (world.legal, world.manager, world.filtro):
        case = Api(user).get(url).json()
        assert case["permits"][0]["questura"] == "Questura di Roma", user.username
        assert case["legal_matters"][0]["hearings"][0]["note"] == "Portare il passaporto"
    for user in (world.legal, world.manager):
        assert {d["kind"] for d in Api(user).get("/api/v1/cases/deadlines").json()} == {"permit_expiry", "hearing"}


def test_someone_off_the_team_finds_no_case(legal_world):
    world = legal_world
    client = open_as(world.outsider)
    assert client.get(_pages(world)["case"]).status_code == 404
    assert client.get(reverse("cases:permit_timeline", args=[world.case.pk])).status_code == 404
    assert Api(world.outsider).get(f"/api/v1/cases/{world.case.pk}").status_code == 404
