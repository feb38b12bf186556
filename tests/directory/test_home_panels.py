"""Every member's home page shows the area referents and the Ufficio Filtro's contact; a coordinator's home page
lists the protocols to renew within 60 days, and not those expiring later or already expired."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from approdi.directory.models import Protocol, Referent
from approdi.network.dates import today
from tests.builders import verified_client
from tests.builders.directory import build_directory

pytestmark = pytest.mark.django_db


def home(user) -> str:
    client = verified_client(user)
    client.cookies["django_language"] = "en"
    return client.get(reverse("core:home")).content.decode()


@pytest.mark.parametrize("role", ["outreach", "shelter", "case_worker", "legal", "coordinator", "admin"])
def test_every_user_sees_the_area_referents_and_the_filtro_on_her_home_page(network, make_user, role):
    user = make_user(f"{role}-user", network.partner, role, network.programme)
    d = build_directory(network.programme, follower=user)
    with scopes_disabled():
        Referent.objects.create(
            body=d.commissione,
            name="Referente Area Milano",
            role="Coordinatrice",
            phone="02 555",
            network_role="area_referent",
            area=network.area,
        )
        Referent.objects.create(
            body=d.questura,
            name="Casella Ufficio Filtro",
            role="Mailbox",
            email="filtro@example.invalid",
            network_role="filtro",
        )
    page = home(user)
    assert "Network contacts" in page
    assert "Area referent · Milano" in page and "Referente Area Milano" in page
    assert "filtro@example.invalid" in page
    assert "Dott.ssa Referente Prova" not in page  # a referent without a role in the network


def test_another_programmes_contacts_are_not_shown(network, make_user):
    user = make_user("worker", network.partner, "case_worker", network.programme)
    elsewhere = make_user("worker2", network.lead, "case_worker", network.other_programme)
    d = build_directory(network.other_programme, follower=elsewhere)
    with scopes_disabled():
        Referent.objects.create(
            body=d.questura, name="Filtro P-2", role="Mailbox", email="p2@example.invalid", network_role="filtro"
        )
    assert "p2@example.invalid" not in home(user)


@pytest.mark.parametrize(("days", "shown"), [(0, True), (1, True), (59, True), (60, True), (61, False), (-1, False)])
def test_renewals_due_within_60_days_are_on_the_coordinators_home_page(network, make_user, days, shown):
    coordinator = make_user("coord", network.partner, "coordinator", network.programme)
    d = build_directory(network.programme, follower=coordinator, valid_until=today() + timedelta(days=days))
    page = home(coordinator)
    assert "Protocols to renew" in page
    assert (d.protocol.title in page) is shown
    if not shown:
        assert "No protocol expires in the next 60 days." in page


def test_a_protocol_without_expiry_is_never_due_and_other_roles_see_no_renewals(network, make_user):
    coordinator = make_user("coord", network.lead, "coordinator", network.programme)
    worker = make_user("worker", network.lead, "case_worker", network.programme)
    d = build_directory(network.programme, follower=coordinator, valid_until=None)
    assert d.protocol.title not in home(coordinator)
    with scopes_disabled():
        Protocol.objects.filter(pk=d.protocol.pk).update(valid_until=today() + timedelta(days=10))
    assert d.protocol.title in home(coordinator)
    page = home(worker)
    assert "Protocols to renew" not in page and d.protocol.title not in page
