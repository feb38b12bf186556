"""The programme's reference list of service types: coordinators and administrators at the lead entity
keep it; a new unit cost leaves the services already recorded as they were."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from approdi.cases.models import ServiceDelivery, ServiceType
from tests.builders.pages import open_as

pytestmark = pytest.mark.django_db

LIST = reverse("cases:service_types")


def test_the_coordinator_adds_a_service_to_the_list(case_world, network):
    client = open_as(case_world.coordinator)
    page = client.get(LIST).content.decode()
    assert "Colloquio" in page and "35.00" in page
    assert "services already recorded keep the cost of their day" in page
    answer = client.post(
        LIST, {"code": "ethno-psy", "name": "Seduta etnopsichiatrica", "unit": "session", "unit_cost": "80"}
    )
    assert answer.status_code == 302
    with scopes_disabled():
        added = ServiceType.objects.get(code="ethno-psy")
    assert added.programme == network.programme and added.unit_cost == 80 and added.active


def test_a_code_in_the_list_already_is_refused_not_overwritten(case_world):
    answer = open_as(case_world.coordinator).post(
        LIST, {"code": "interview", "name": "Altro", "unit": "hour", "unit_cost": "1"}
    )
    assert answer.status_code == 200 and "This code is in the list already" in answer.content.decode()
    with scopes_disabled():
        assert ServiceType.objects.get(code="interview").name == "Colloquio"


def test_a_new_unit_cost_leaves_recorded_services_as_they_were(case_world):
    world = case_world
    manager = open_as(world.manager)
    manager.post(
        reverse("cases:service_add", args=[world.case.pk]),
        {"service_type": world.interview.pk, "day": "2024-03-01", "quantity": "2"},
    )
    edit = reverse("cases:service_type_edit", args=[world.interview.pk])
    client = open_as(world.coordinator)
    form = client.get(edit).content.decode()
    assert "Services already recorded keep the cost of their day" in form
    answer = client.post(edit, {"name": "Colloquio", "unit": "session", "unit_cost": "40.00"}, follow=True)
    assert "Services recorded before keep their unit cost." in answer.content.decode()
    with scopes_disabled():
        assert ServiceType.objects.get(pk=world.interview.pk).unit_cost == Decimal("40.00")
        assert ServiceDelivery.objects.get().unit_cost == Decimal("35.00")
    listing = manager.get(reverse("cases:service_list", args=[world.case.pk])).content.decode()
    assert "70.00" in listing  # 2 × 35, as recorded


def test_a_service_taken_out_of_use_is_no_longer_offered(case_world):
    world = case_world
    client = open_as(world.coordinator)
    answer = client.post(reverse("cases:service_type_active", args=[world.interview.pk]), {"active": "0"}, follow=True)
    assert "is no longer offered" in answer.content.decode()
    with scopes_disabled():
        assert not ServiceType.objects.get(pk=world.interview.pk).active
    form = open_as(world.manager).get(reverse("cases:service_add", args=[world.case.pk])).content.decode()
    assert "Colloquio" not in form
    client.post(reverse("cases:service_type_active", args=[world.interview.pk]), {"active": "1"})
    with scopes_disabled():
        assert ServiceType.objects.get(pk=world.interview.pk).active


def test_the_administrator_at_the_lead_keeps_the_list_too(case_world, network, make_user):
    admin = make_user("admin-lead", network.lead, "admin", network.programme)
    assert open_as(admin).get(LIST).status_code == 200


def test_who_may_not_keep_the_list(case_world, network, make_user):
    world = case_world
    edit = reverse("cases:service_type_edit", args=[world.interview.pk])
    active = reverse("cases:service_type_active", args=[world.interview.pk])
    partner_coordinator = make_user("coordinator-partner", network.partner, "coordinator", network.programme)
    for user in (world.manager, world.filtro, partner_coordinator):
        client = open_as(user)
        assert client.get(LIST).status_code == 403, user.username
        assert client.get(edit).status_code == 403
        assert client.post(active, {"active": "0"}).status_code == 403
        assert client.post(LIST, {"code": "x", "name": "x", "unit": "hour", "unit_cost": "1"}).status_code == 403
    # The coordinator of another programme does not see this programme's list: as if missing.
    elsewhere = make_user("coordinator-elsewhere", network.lead, "coordinator", network.other_programme)
    assert open_as(elsewhere).get(LIST).status_code == 200
    assert "Colloquio" not in open_as(elsewhere).get(LIST).content.decode()
    assert open_as(elsewhere).get(edit).status_code == 404
    assert open_as(elsewhere).post(active, {"active": "0"}).status_code == 404
    with scopes_disabled():
        assert ServiceType.objects.count() == 1 and ServiceType.objects.get().active  # the list is as it was


def test_the_menu_leads_the_coordinator_to_the_list(case_world):
    home = reverse("core:home")
    assert f'href="{LIST}"' in open_as(case_world.coordinator).get(home).content.decode()
    assert f'href="{LIST}"' not in open_as(case_world.manager).get(home).content.decode()
