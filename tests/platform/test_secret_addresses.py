"""A structure's address reaches only its managing organisation's staff and the Ufficio Filtro."""

import pytest
from django.test import Client
from django.urls import reverse
from django_scopes import scopes_disabled

from approdi.accounts.services import issue_token
from approdi.audit.models import AuditEntry
from tests.builders import verified_client

pytestmark = pytest.mark.django_db
SECRET = "Via Segretissima 12"


def page_of(user, network) -> str:
    return (
        verified_client(user).get(reverse("shelter:structure_detail", args=[network.structure.code])).content.decode()
    )


def api_of(user, network) -> str:
    _, key = issue_token(user=user)
    return (
        Client()
        .get(f"/api/v1/structures/{network.structure.code}", HTTP_AUTHORIZATION=f"Bearer {key}")
        .content.decode()
    )


def test_managing_organisation_staff_see_the_address_and_it_is_audited(network, people):
    trio = people("shelter")
    assert SECRET in page_of(trio.owner, network)
    assert SECRET in page_of(trio.member, network)  # staff of the same organisation, another role
    with scopes_disabled():
        views = AuditEntry.objects.filter(action="view", object_id=str(network.structure.pk))
        assert views.count() == 2
        assert set(views.first().fields) == {"address", "phone"}
        assert SECRET not in str(list(AuditEntry.objects.values()))


def test_filtro_sees_every_address_of_the_programme(network, people):
    trio = people("filtro", at=network.lead)
    assert SECRET in page_of(trio.owner, network)
    assert SECRET in api_of(trio.owner, network)


@pytest.mark.parametrize("role", ["coordinator", "outreach", "case_worker", "legal", "dpo"])
def test_other_roles_at_the_lead_entity_never_see_it(network, people, role):
    trio = people(role, at=network.lead)
    page = page_of(trio.owner, network)
    if role in ("coordinator", "dpo"):  # they see the structure, not its address
        assert network.structure.name in page
    assert SECRET not in page
    assert SECRET not in api_of(trio.owner, network)


def test_administrator_of_the_managing_organisation_does_not_see_it(network, people):
    trio = people("admin")
    assert network.structure.name in page_of(trio.owner, network)
    assert SECRET not in page_of(trio.owner, network)
    assert SECRET not in api_of(trio.owner, network)


def test_outsider_learns_nothing_not_even_existence(network, people):
    trio = people("shelter")
    response = verified_client(trio.outsider).get(reverse("shelter:structure_detail", args=[network.structure.code]))
    assert response.status_code == 404
    assert SECRET not in response.content.decode() and network.structure.name not in response.content.decode()
    assert SECRET not in api_of(trio.outsider, network)


def test_no_page_or_answer_of_a_coordinator_carries_the_address(network, people):
    """A coordinator sees the board, the figures and the structures, never an address."""
    from approdi.shelter.services import sync_beds

    with scopes_disabled():
        sync_beds(network.structure)
    trio = people("coordinator", at=network.lead)
    client = verified_client(trio.owner)
    _, key = issue_token(user=trio.owner)
    pages = [reverse(name) for name in ("shelter:structure_list", "shelter:board", "shelter:occupancy", "core:home")]
    pages.append(reverse("shelter:structure_detail", args=["S-ALFA"]))
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert SECRET not in response.content.decode(), url
    for url in ("/api/v1/structures", "/api/v1/structures/S-ALFA", "/api/v1/board"):
        answer = Client().get(url, HTTP_AUTHORIZATION=f"Bearer {key}")
        assert answer.status_code == 200 and SECRET not in answer.content.decode(), url


def test_capacity_changes_are_for_the_managing_staff(network, people):
    from datetime import date

    from approdi.shelter.figures import beds_on
    from approdi.shelter.services import sync_beds

    with scopes_disabled():
        sync_beds(network.structure)
    trio = people("shelter")
    url = reverse("shelter:structure_detail", args=["S-ALFA"])
    assert verified_client(trio.member).post(url, {"day": "2024-01-01", "beds": 9}).status_code == 403
    assert verified_client(trio.owner).post(url, {"day": "2024-06-01", "beds": 0}).status_code == 302
    with scopes_disabled():
        network.structure.refresh_from_db()
        assert beds_on(network.structure, date(2024, 5, 31)) == 4 and beds_on(network.structure, date(2024, 6, 1)) == 0
