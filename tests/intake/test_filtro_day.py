"""The Ufficio Filtro's day (issue #19): a referral taken on reads so, and a decision names an area to avoid,
which the waiting list's proposals respect."""

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from approdi.audit.models import AuditEntry
from approdi.network.models import Area
from approdi.outreach.models import Referral
from approdi.shelter import selectors as shelter_selectors
from approdi.shelter.models import PlacementRequest
from approdi.shelter.services import sync_beds
from tests.builders import acting, verified_client

from .test_filtro_flow import open_person, person_of, referral  # noqa: F401  # the fixture

pytestmark = pytest.mark.django_db


def test_taking_a_referral_on_moves_it_to_being_assessed(network, filtro, referral):  # noqa: F811
    client = verified_client(filtro)
    assert client.post(reverse("intake:referral_take", args=[referral.pk])).status_code == 302
    with scopes_disabled():
        referral.refresh_from_db()
        assert (referral.status, referral.assignee) == (Referral.Status.ASSESSING, filtro)
        entry = AuditEntry.objects.filter(action="change", object_type="outreach.referral").latest("id")
    assert set(entry.fields) >= {"assignee", "status"}
    page = client.get(reverse("intake:referral", args=[referral.pk])).content.decode()
    assert "Nuova" not in page


def _decided_residential(client, referral, **extra):  # noqa: F811
    open_person(client, referral)
    person = person_of(referral)
    client.post(
        reverse("intake:consent", args=[person.pk]), {"purpose": "services", "granted": "yes", "day": "2024-05-03"}
    )
    data = {"kind": "residential", "stage": "first", "reason": "Deve restare lontana da Milano."} | extra
    return client.post(reverse("intake:decision_create", args=[person.pk]), data)


def test_the_decision_offers_an_area_to_avoid_never_preselected(network, filtro, referral):  # noqa: F811
    client = verified_client(filtro)
    open_person(client, referral)
    form = client.get(reverse("intake:decision_create", args=[person_of(referral).pk])).context["form"]
    assert "avoid_area" in form.fields and form["avoid_area"].value() is None


def test_an_area_to_avoid_leaves_its_beds_out_of_the_proposals(network, filtro, referral):  # noqa: F811
    with scopes_disabled():
        away = Area.objects.create(code="BG", name="Bergamo")
        network.other_structure.gender = network.structure.gender
        network.other_structure.type = network.structure.type
        network.other_structure.area = away
        network.other_structure.save()
        sync_beds(network.structure)
        sync_beds(network.other_structure)
    response = _decided_residential(verified_client(filtro), referral, avoid_area=network.area.pk)
    assert response.status_code == 302
    with scopes_disabled():
        request = PlacementRequest.objects.get()
        assert request.avoid_area == network.area
        with acting(filtro):
            proposed = shelter_selectors.proposals(actor=filtro, request=request)
    # Only the structure away from Milano, the area she must avoid, is offered.
    assert [s.pk for s in proposed] == [network.other_structure.pk]
