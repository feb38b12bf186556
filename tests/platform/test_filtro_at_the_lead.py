"""The Ufficio Filtro is the lead entity's office: nobody else gets the role, and a ``filtro`` membership at a
partner (made behind the services' back) opens nothing the role opens at the lead."""

import pytest
import rules
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from approdi.accounts import services
from approdi.accounts.models import Membership, User
from approdi.network.models import Programme
from tests.builders import verified_client

pytestmark = pytest.mark.django_db

# The network's reference data, its structures, and its directory and protocols (professionals' contacts, no person)
EVERY_MEMBER = {
    "network.view_reference_data",
    "shelter.view_structure",
    "directory.view_directory",
    "directory.view_protocols",
    "training.view_events",
    # the tables she sits at (none, unless a coordinator adds her) and her own calendar address
    "governance.view_tables",
    "governance.view_table",
    "governance.use_calendar",
}


def perms_of(user: User, membership: Membership) -> set[str]:
    user.active_membership = membership
    return {name for name in rules.permissions.permissions if user.has_perm(name)}


def test_the_database_refuses_the_role_outside_the_lead_entity(network, make_user):
    user = make_user("operatrice", network.partner, "case_worker", network.programme)
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=user, organisation=network.partner, programme=network.programme, role="filtro")
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.filter(user=user).update(role="filtro")


def test_a_filtro_membership_outside_the_lead_entity_opens_nothing_of_the_office(network, make_user):
    at_lead = make_user("filtro-l", network.lead, "filtro", network.programme)
    # The other programme's lead entity changes after its office was staffed: the old office is now a partner.
    at_partner = make_user("filtro-p", network.lead, "filtro", network.other_programme)
    Programme.objects.filter(pk=network.other_programme.pk).update(lead_organisation=network.partner)
    office = perms_of(at_lead, at_lead.memberships.get())
    assert {"outreach.view_referral_identity", "shelter.view_residents", "shelter.write_diary"} <= office
    assert perms_of(at_partner, at_partner.memberships.get()) == EVERY_MEMBER
    client = verified_client(at_partner)
    assert client.get(reverse("intake:queue")).status_code == 403
    assert client.get(reverse("cases:case_list")).status_code == 403


def test_the_administrator_cannot_give_the_role_at_a_partner(network, people):
    trio = people("admin")
    response = verified_client(trio.owner).post(
        reverse("accounts:users"),
        {"username": "nuova", "email": "nuova@example.invalid", "programme": network.programme.pk, "role": "filtro"},
        HTTP_ACCEPT_LANGUAGE="it",
    )
    assert response.status_code == 200
    assert response.context["form"].errors["role"] == [
        "Il ruolo Ufficio Filtro esiste solo presso l'ente capofila del programma."
    ]
    assert not User.objects.filter(username="nuova").exists()
    trio.owner.active_membership = trio.owner.memberships.get()
    with pytest.raises(ValidationError):
        services.add_membership(
            actor=trio.owner, user=trio.member, organisation=network.partner, programme=network.programme, role="filtro"
        )
