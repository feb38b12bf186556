"""Granting a role that sees people's data takes two people (DESIGN.md §5): the administrator's grant waits,
and acts only once a coordinator of the programme's lead entity approves it."""

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_scopes import scopes_disabled

from approdi.accounts.models import Membership, User
from approdi.accounts.scoping import memberships_of
from approdi.audit.models import AuditEntry
from tests.builders import PASSWORD, TOTP_HEX, current_code, verified_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def lead_admin(network, make_user):
    return make_user("admin-lead", network.lead, "admin", network.programme)


@pytest.fixture
def coordinator(network, make_user):
    return make_user("coord-lead", network.lead, "coordinator", network.programme)


def invite_filtro(admin, network):
    response = verified_client(admin).post(
        reverse("accounts:users"),
        {"username": "nuova", "email": "nuova@example.invalid", "programme": network.programme.pk, "role": "filtro"},
    )
    assert response.status_code == 302
    user = User.objects.get(username="nuova")
    user.set_password(PASSWORD)
    user.save()
    TOTPDevice.objects.create(user=user, name="test", key=TOTP_HEX, confirmed=True)
    return user


def signed_in(username: str) -> Client:
    client = Client()
    client.post(reverse("accounts:login"), {"username": username, "password": PASSWORD})
    client.post(reverse("accounts:two_factor"), {"code": current_code(), "next": "/"})
    return client


def test_a_pending_grant_gives_no_programme_until_a_coordinator_approves(network, lead_admin, coordinator):
    user = invite_filtro(lead_admin, network)
    grant = user.memberships.get()
    assert grant.status == "pending"
    assert memberships_of(User.objects.get(pk=user.pk)) == []
    assert signed_in("nuova").get(reverse("intake:queue")).status_code == 403

    page = verified_client(coordinator).get(reverse("accounts:grants"))
    assert list(page.context["grants"]) == [grant] and "nuova@example.invalid" in page.content.decode()
    response = verified_client(coordinator).post(reverse("accounts:grant_approve", args=[grant.pk]))
    assert response.status_code == 302
    grant.refresh_from_db()
    assert (grant.status, grant.approved_by) == ("active", coordinator)
    assert verified_client(User.objects.get(pk=user.pk)).get(reverse("intake:queue")).status_code == 200
    with scopes_disabled():
        assert AuditEntry.objects.filter(
            action="change", object_type="accounts.membership", object_id=str(grant.pk), actor=coordinator
        ).exists()


def test_a_refused_grant_is_removed_and_audited(network, lead_admin, coordinator):
    grant = invite_filtro(lead_admin, network).memberships.get()
    verified_client(coordinator).post(reverse("accounts:grant_reject", args=[grant.pk]))
    assert not Membership.objects.filter(pk=grant.pk).exists()
    with scopes_disabled():
        row = AuditEntry.objects.get(action="delete", object_type="accounts.membership")
    assert (row.actor, row.reason) == (coordinator, "grant rejected")


def test_nobody_approves_her_own_role(network, lead_admin, coordinator, make_user):
    response = verified_client(lead_admin).post(
        reverse("accounts:add_role", args=[coordinator.pk]), {"programme": network.programme.pk, "role": "filtro"}
    )
    assert response.status_code == 302
    grant = coordinator.memberships.get(role="filtro", status="pending")
    assert verified_client(coordinator).post(reverse("accounts:grant_approve", args=[grant.pk])).status_code == 403
    grant.refresh_from_db()
    assert grant.status == "pending"
    second = make_user("coord-two", network.lead, "coordinator", network.programme)
    verified_client(second).post(reverse("accounts:grant_approve", args=[grant.pk]))
    grant.refresh_from_db()
    assert grant.approved_by == second


@pytest.mark.parametrize("who", ["administrator", "partner coordinator", "other programme"])
def test_only_a_lead_coordinator_of_the_programme_decides(network, lead_admin, make_user, who):
    grant = invite_filtro(lead_admin, network).memberships.get()
    decider = {
        "administrator": lambda: make_user("admin-two", network.lead, "admin", network.programme),
        "partner coordinator": lambda: make_user("coord-p", network.partner, "coordinator", network.programme),
        "other programme": lambda: make_user("coord-o", network.lead, "coordinator", network.other_programme),
    }[who]()
    client = verified_client(decider)
    page = client.get(reverse("accounts:grants"))
    assert page.status_code == 403 or grant not in page.context["grants"]
    assert client.post(reverse("accounts:grant_approve", args=[grant.pk])).status_code in (403, 404)
    grant.refresh_from_db()
    assert grant.status == "pending"


def test_the_database_holds_the_four_eyes(network, lead_admin, coordinator):
    user = invite_filtro(lead_admin, network)
    grant = user.memberships.get()
    for change in (
        {"status": "active"},  # granted by a person, acting without a second one
        {"status": "active", "approved_by": lead_admin},  # approved by who granted it
        {"status": "active", "approved_by": user},  # approved by who receives it
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            Membership.objects.filter(pk=grant.pk).update(**change)
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(
            user=lead_admin, organisation=network.lead, programme=network.programme, role="dpo", granted_by=lead_admin
        )


def test_the_administrators_own_role_needs_no_second_person(network, lead_admin):
    verified_client(lead_admin).post(
        reverse("accounts:users"),
        {"username": "nuova", "email": "nuova@example.invalid", "programme": network.programme.pk, "role": "admin"},
    )
    assert User.objects.get(username="nuova").memberships.get().status == "active"


def test_a_pending_role_cannot_be_switched_to(network, lead_admin, make_user):
    colleague = make_user("operatrice", network.lead, "outreach", network.programme)
    verified_client(lead_admin).post(
        reverse("accounts:add_role", args=[colleague.pk]), {"programme": network.other_programme.pk, "role": "legal"}
    )
    assert colleague.memberships.filter(status="pending").count() == 0  # not a programme where she is admin
    lead_admin.memberships.create(organisation=network.lead, programme=network.other_programme, role="admin")
    verified_client(lead_admin).post(
        reverse("accounts:add_role", args=[colleague.pk]), {"programme": network.other_programme.pk, "role": "legal"}
    )
    pending = colleague.memberships.get(status="pending")
    client = verified_client(colleague)
    assert client.post(reverse("accounts:switch"), {"membership": pending.pk}).status_code == 404
    home = client.get("/").context
    assert home["active_membership"].role == "outreach" and home["all_memberships"] == [
        colleague.memberships.get(status="active")
    ]
