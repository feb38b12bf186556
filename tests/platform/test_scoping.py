"""Scoping cannot be forgotten: an unscoped query fails loudly; each membership sees its own."""

import pytest
from django.urls import reverse
from django_scopes import ScopeError

from approdi.accounts.scoping import membership_scope
from approdi.audit.models import AuditEntry
from approdi.shelter.models import Structure
from tests.builders import verified_client

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", [Structure, AuditEntry])
def test_query_without_a_scope_raises(model, network):
    with pytest.raises(ScopeError):
        list(model.objects.all())
    with pytest.raises(ScopeError):
        model.objects.filter(pk=1).exists()


def test_partner_staff_see_their_organisations_structures_only(network, people):
    trio = people("shelter")
    membership = trio.owner.memberships.get()
    with membership_scope(membership):
        assert list(Structure.objects.values_list("code", flat=True)) == ["S-ALFA"]
    page = verified_client(trio.owner).get(reverse("shelter:structure_list")).content.decode()
    assert "S-ALFA" in page and "S-BETA" not in page


def test_filtro_at_the_lead_entity_sees_the_whole_programme(network, people):
    trio = people("filtro", at=network.lead)
    with membership_scope(trio.owner.memberships.get()):
        assert set(Structure.objects.values_list("code", flat=True)) == {"S-ALFA", "S-BETA"}


def test_a_structure_of_another_programme_is_not_in_scope(network, make_user):
    user = make_user("filtro2", network.lead, "filtro", network.other_programme)
    with membership_scope(user.memberships.get()):
        assert not Structure.objects.exists()


def test_switching_programme_changes_the_scope(network, make_user):
    from approdi.accounts.models import Membership

    user = make_user("marta", network.lead, "filtro", network.programme)
    other = Membership.objects.create(
        user=user, organisation=network.lead, programme=network.other_programme, role="filtro"
    )
    client = verified_client(user)
    assert "S-ALFA" in client.get(reverse("shelter:structure_list")).content.decode()
    client.post(reverse("accounts:switch"), {"membership": other.pk})
    assert "S-ALFA" not in client.get(reverse("shelter:structure_list")).content.decode()


def test_cannot_switch_to_someone_elses_membership(network, make_user):
    user = make_user("marta", network.lead, "filtro", network.programme)
    stranger = make_user("luca", network.other, "case_worker", network.other_programme)
    response = verified_client(user).post(reverse("accounts:switch"), {"membership": stranger.memberships.get().pk})
    assert response.status_code == 404


def test_user_without_membership_sees_nothing(network, make_user):
    from approdi.accounts.models import Membership

    user = make_user("vuoto", network.partner, "shelter", network.programme)
    Membership.objects.filter(user=user).delete()
    client = verified_client(user)
    assert client.get("/").status_code == 200
    assert client.get(reverse("shelter:structure_list")).status_code == 403
