"""One bed arithmetic: the waiting list proposes a structure exactly when place() would find a bed there."""

from datetime import date

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from approdi.shelter import services
from approdi.shelter.beds import may_take_reserved
from approdi.shelter.models import Bed, PlacementRequest
from tests.builders import acting, verified_client

pytestmark = pytest.mark.django_db
DAY = date(2024, 3, 1)


@pytest.fixture
def reserved_only(beds, network):
    """S-BETA (men, 3 beds) with every bed reserved for emergencies: only an emergency may take one."""
    with scopes_disabled():
        Bed.objects.filter(structure=network.other_structure).update(reserved=True)
    return network


def _request(network, person, *, stage, urgent=False):
    with scopes_disabled():
        return PlacementRequest.objects.create(
            programme=network.programme, person=person, stage=stage, gender=person.gender, urgent=urgent
        )


def _proposed(filtro) -> dict[str, list[str]]:
    page = verified_client(filtro).get(reverse("shelter:waiting_list"))
    return {item.person.code: [s.code for s in item.proposed] for item in page.context["requests"]}


def test_an_emergency_stage_request_is_offered_the_reserved_bed_place_gives_it(reserved_only, filtro, make_person):
    emergency = make_person("AP-EEEEE-EEEE1", "man")
    first = make_person("AP-FFFFF-FFFF1", "man")
    emergency_request = _request(reserved_only, emergency, stage="emergency")
    _request(reserved_only, first, stage="first")

    proposed = _proposed(filtro)
    assert proposed[emergency.code] == ["S-BETA"]  # place() would take a reserved bed for an emergency stage
    assert proposed[first.code] == []  # and would refuse a first-stage placement: no unreserved bed is free

    response = verified_client(filtro).post(
        reverse("shelter:place", args=[emergency_request.pk]),
        {"structure": reserved_only.other_structure.pk, "stage": "emergency", "start": DAY.isoformat()},
    )
    assert response.status_code == 302
    with scopes_disabled():
        emergency_request.refresh_from_db()
        assert emergency_request.status == "placed"
        assert emergency_request.placements.get().bed.reserved


def test_the_first_stage_request_place_refuses_is_not_proposed(reserved_only, filtro, make_person):
    person = make_person("AP-FFFFF-FFFF2", "man")
    with acting(filtro), pytest.raises(services.PlacementConflict):
        services.place(actor=filtro, person=person, structure=reserved_only.other_structure, stage="first", start=DAY)


def test_who_may_take_a_reserved_bed():
    assert may_take_reserved(stage="emergency")
    assert may_take_reserved(stage="first", urgent=True)
    assert not may_take_reserved(stage="first")
    assert not may_take_reserved(stage="second")
