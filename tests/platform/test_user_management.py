"""The administrator invites and deactivates the users of their own organisation, and nothing else."""

import pytest
from django.urls import reverse

from approdi.accounts.models import User
from tests.conftest import verified_client

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
