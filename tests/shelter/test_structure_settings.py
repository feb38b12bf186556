"""The lead entity changes what a structure is and when it is open, never closing it on its residents."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from approdi.shelter import services
from approdi.shelter.models import Structure
from tests.builders import acting, verified_client

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
    with acting(filtro):
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


def test_a_structure_continues_in_the_new_edition_once_its_organisation_is_a_partner(network, people):
    from approdi.accounts.models import Membership
    from approdi.accounts.network_setup import create_edition
    from approdi.network.services import add_partner

    coordinator = people("coordinator", at=network.lead).owner
    coordinator.active_membership = Membership.objects.get(user=coordinator)
    year = timezone.localdate().year
    edition = create_edition(
        actor=coordinator, code="P-NEXT", name="Next", start=date(year, 1, 1), end=date(year + 1, 12, 31)
    )
    client = verified_client(coordinator)
    client.post(
        reverse("accounts:switch"), {"membership": Membership.objects.get(user=coordinator, programme=edition).pk}
    )
    client.cookies["django_language"] = "en"
    url = reverse("shelter:structure_new")
    assert "S-ALFA · Casa Alfa" in client.get(url).content.decode()
    # Its organisation is not a partner of the new edition yet: refused, nothing changes.
    response = client.post(url, {"carry-structure": "S-ALFA"})
    assert response.status_code == 200 and "is not a partner of programme P-NEXT" in response.content.decode()
    with scopes_disabled():
        assert not Structure.objects.filter(code="S-ALFA", programmes=edition).exists()
    coordinator.active_membership = Membership.objects.get(user=coordinator, programme=edition)
    add_partner(actor=coordinator, programme=edition, organisation=network.partner)
    assert client.post(url, {"carry-structure": "S-ALFA"}).status_code == 302
    with scopes_disabled():
        structure = Structure.objects.get(code="S-ALFA")
        assert set(structure.programmes.values_list("code", flat=True)) == {"P-1", "P-NEXT"}
    # A code the coordinator was never shown is refused.
    response = client.post(url, {"carry-structure": "S-NONE"})
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
