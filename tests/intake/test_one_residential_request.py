"""One open request for a place per person, and none while she is placed (form, API and database)."""

from datetime import date

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django_scopes import scopes_disabled

from approdi.accounts.services import issue_token
from approdi.intake import services
from approdi.intake.models import Decision
from approdi.shelter import services as shelter
from approdi.shelter.models import PlacementRequest
from tests.builders import acting, registered_person, verified_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(network, filtro):
    found = registered_person(network, code="AP-ONERQ-ONER1", created_by=filtro)
    with acting(filtro):
        services.record_consent(actor=filtro, person=found, purpose="services", granted=True, day=date(2024, 3, 1))
    return found


def residential(client, person):
    return client.post(
        reverse("intake:decision_create", args=[person.pk]), {"kind": "residential", "stage": "first", "reason": "x"}
    )


def test_a_second_residential_decision_while_waiting_is_refused(network, filtro, person):
    client = verified_client(filtro)
    assert residential(client, person).status_code == 302
    again = residential(client, person)
    assert again.status_code == 200 and again.context["form"].errors["kind"]
    with scopes_disabled():
        assert PlacementRequest.objects.filter(person=person).count() == 1
        assert Decision.objects.filter(person=person).count() == 1


def test_a_residential_decision_for_a_placed_person_is_refused(network, filtro, person):
    with scopes_disabled():
        shelter.sync_beds(network.structure)
    client = verified_client(filtro)
    residential(client, person)
    with scopes_disabled():
        request = PlacementRequest.objects.get(person=person)
    with acting(filtro):
        shelter.place(
            actor=filtro,
            person=person,
            structure=network.structure,
            stage="first",
            start=date(2024, 3, 2),
            request=request,
        )
    again = residential(client, person)
    assert again.status_code == 200 and again.context["form"].errors["kind"]
    _, key = issue_token(user=filtro)
    api = Client().post(
        f"/api/v1/persons/{person.pk}/decisions",
        {"programme": "P-1", "kind": "residential", "stage": "second", "reason": "x"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )
    assert api.status_code == 400 and "kind" in api.json()["error"]["fields"]
    with scopes_disabled():
        assert list(PlacementRequest.objects.filter(person=person).values_list("status", flat=True)) == ["placed"]


def test_the_database_holds_one_open_request_per_person(network, person):
    with scopes_disabled():
        PlacementRequest.objects.create(programme=network.programme, person=person, stage="first")
        with pytest.raises(IntegrityError), transaction.atomic():
            PlacementRequest.objects.create(programme=network.programme, person=person, stage="second")
