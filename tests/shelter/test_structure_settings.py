"""The lead entity changes what a structure is and when it is open, never closing it on its residents."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from approdi.accounts.scoping import membership_scope
from approdi.shelter import services
from approdi.shelter.models import Structure
from tests.conftest import verified_client

pytestmark = pytest.mark.django_db


def settings(client, structure, **change):
    client.cookies["django_language"] = "en"
    data = {
        "name": structure.name,
        "type": structure.type,
        "area": structure.area_id,
        "gender": structure.gender,
        "ages": "adults",
    } | change
    return client.post(reverse("shelter:structure_settings", args=[structure.code]), data)


def test_a_structure_with_residents_does_not_close(network, filtro, make_person, make_user):
    coordinator = make_user("coord-lead", network.lead, "coordinator", network.programme)
    with scopes_disabled():
        structure = Structure.objects.get(code="S-ALFA")
        services.sync_beds(structure)
    filtro.active_membership = filtro.memberships.get()
    with membership_scope(filtro.active_membership):
        services.place(
            actor=filtro,
            person=make_person("AP-SETUP-SETU1"),
            structure=structure,
            stage="first",
            start=date(2024, 3, 1),
        )
    client = verified_client(coordinator)
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    response = settings(client, structure, open_from="2020-01-01", open_to=yesterday)
    assert response.status_code == 200 and "end or move their placements" in response.content.decode()
    with scopes_disabled():
        assert Structure.objects.get(code="S-ALFA").open_to is None
    # Renaming it, or closing it in the future, is fine.
    assert (
        settings(client, structure, name="Casa Alfa Due", open_to=f"{timezone.localdate().year + 2}-12-31").status_code
        == 302
    )
    with scopes_disabled():
        assert Structure.objects.get(code="S-ALFA").name == "Casa Alfa Due"


def test_only_the_lead_entity_s_coordinators_and_administrators_change_it(network, people):
    trio = people("coordinator", at=network.lead)
    with scopes_disabled():
        structure = Structure.objects.get(code="S-ALFA")
    assert settings(verified_client(trio.owner), structure, ages="all").status_code == 302
    for user in (trio.member, trio.outsider):
        assert settings(verified_client(user), structure, ages="minors").status_code == 403
    with scopes_disabled():
        assert Structure.objects.get(code="S-ALFA").ages == "all"
