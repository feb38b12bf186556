"""The administrator invites and deactivates the users of their own organisation, and nothing else."""

import pytest
from django.urls import reverse

from approdi.accounts.models import User
from tests.builders import verified_client

pytestmark = pytest.mark.django_db


def invite(client, network, **overrides):
    data = {
        "username": "nuova",
        "email": "nuova@example.invalid",
        "programme": network.programme.pk,
        "role": "outreach",
    }
    return client.post(reverse("accounts:users"), data | overrides, HTTP_ACCEPT_LANGUAGE="it")


def test_admin_invites_into_their_organisation(network, people, mailoutbox):
    trio = people("admin")
    response = invite(verified_client(trio.owner), network)
    assert response.status_code == 302
    user = User.objects.get(username="nuova")
    assert user.memberships.get().organisation == network.partner
    assert not user.has_usable_password()
    assert mailoutbox[0].to == ["nuova@example.invalid"] and "/accounts/password-reset/" in mailoutbox[0].body


def test_bad_invitation_shows_translated_errors_and_creates_nothing(network, people):
    trio = people("admin")
    response = invite(verified_client(trio.owner), network, username="con spazi", email="non-una-mail", role="boss")
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {"username", "email", "role"}
    assert "Inserisci un indirizzo email valido." in errors["email"]
    assert not User.objects.filter(username="con spazi").exists()


@pytest.mark.parametrize("who", ["member", "outsider"])
def test_only_the_admin_role_manages_users(network, people, who):
    trio = people("admin")
    client = verified_client(getattr(trio, who))
    if who == "member":
        assert client.get(reverse("accounts:users")).status_code == 403
        assert invite(client, network).status_code == 403
    assert client.post(reverse("accounts:deactivate", args=[trio.member.pk])).status_code in (403, 404)
    assert User.objects.get(pk=trio.member.pk).is_active


def test_admin_cannot_touch_another_organisations_users(network, people):
    trio = people("admin")
    response = verified_client(trio.owner).post(reverse("accounts:deactivate", args=[trio.outsider.pk]))
    assert response.status_code == 404
    assert User.objects.get(pk=trio.outsider.pk).is_active


def test_deactivation_ends_sessions(network, people):
    trio = people("admin")
    victim = verified_client(trio.member)
    assert victim.get("/").status_code == 200
    verified_client(trio.owner).post(reverse("accounts:deactivate", args=[trio.member.pk]))
    assert victim.get("/").status_code == 302


def audit_rows(**filters):
    from django_scopes import scopes_disabled

    from approdi.audit.models import AuditEntry

    with scopes_disabled():
        return list(AuditEntry.objects.filter(**filters).order_by("id"))


@pytest.mark.parametrize("username", ["filtro", "Filtro"])
def test_inviting_an_existing_username_is_refused_and_leaves_her_account_alone(network, people, make_user, username):
    colleague = make_user("filtro", network.lead, "filtro", network.programme)
    trio = people("admin")
    response = invite(
        verified_client(trio.owner),
        network,
        username=username,
        email="intrusa@example.invalid",
        first_name="Altra",
        last_name="Persona",
    )
    assert response.status_code == 200
    assert "Aggiungi un ruolo" in response.context["form"].errors["username"][0]
    colleague.refresh_from_db()
    assert (colleague.email, colleague.first_name, colleague.last_name) == ("filtro@example.invalid", "", "")
    assert colleague.memberships.count() == 1
    assert not audit_rows(action="create")


def test_inviting_an_existing_email_is_refused(network, people, make_user, mailoutbox):
    make_user("filtro", network.lead, "filtro", network.programme)
    response = invite(verified_client(people("admin").owner), network, email="FILTRO@example.invalid")
    assert response.status_code == 200 and response.context["form"].errors["email"]
    assert not User.objects.filter(username="nuova").exists() and not mailoutbox


def test_a_role_for_an_existing_colleague_is_its_own_audited_action(network, people):
    trio = people("admin")
    client = verified_client(trio.owner)
    url = reverse("accounts:add_role", args=[trio.member.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"programme": network.programme.pk, "role": "legal"})
    assert response.status_code == 302
    trio.member.refresh_from_db()
    assert trio.member.email == "admin-member@example.invalid"
    grant = trio.member.memberships.get(role="legal")
    assert (grant.status, grant.granted_by, grant.organisation) == ("pending", trio.owner, network.partner)
    [row] = audit_rows(action="create", object_type="accounts.membership")
    assert row.actor == trio.owner and row.object_id == str(grant.pk)


def test_an_administrator_grants_nothing_to_herself(network, people):
    from django.core.exceptions import ValidationError

    from approdi.accounts import services

    trio = people("admin")
    client = verified_client(trio.owner)
    assert client.get(reverse("accounts:add_role", args=[trio.owner.pk])).status_code == 404
    trio.owner.active_membership = trio.owner.memberships.get()
    with pytest.raises(ValidationError):
        services.add_membership(
            actor=trio.owner, user=trio.owner, organisation=network.partner, programme=network.programme, role="dpo"
        )
    assert trio.owner.memberships.count() == 1


def test_the_form_offers_only_programmes_where_she_is_the_administrator(network, people):
    trio = people("admin")
    client = verified_client(trio.owner)
    offered = list(client.get(reverse("accounts:users")).context["form"].fields["programme"].queryset)
    assert offered == [network.programme]
    response = invite(client, network, programme=network.other_programme.pk)
    assert response.status_code == 200 and response.context["form"].errors["programme"]
    assert not User.objects.filter(username="nuova").exists()
