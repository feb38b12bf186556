"""Personal API tokens: hashed, expiring, revocable, scoped exactly like the pages."""

from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from approdi.accounts import services
from approdi.accounts.models import ApiToken
from tests.builders import verified_client

pytestmark = pytest.mark.django_db


def get(url, key):
    return Client().get(url, HTTP_AUTHORIZATION=f"Bearer {key}")


def test_token_is_stored_hashed_and_works(network, make_user):
    user = make_user("marta", network.lead, "filtro", network.programme)
    token, key = services.issue_token(user=user, days=30)
    assert key.startswith("apd_") and key not in str(ApiToken.objects.values())
    assert token.key_hash == ApiToken.hash(key)
    me = get("/api/v1/me", key).json()
    assert me["username"] == "marta" and me["active"] == {"programme": "P-1", "organisation": "lead", "role": "filtro"}


def test_expired_token_is_refused(network, make_user):
    user = make_user("marta", network.lead, "filtro", network.programme)
    _, key = services.issue_token(user=user, days=1)
    with time_machine.travel(timezone.now() + timedelta(days=1, minutes=1)):
        response = get("/api/v1/me", key)
    assert response.status_code == 401 and response.json()["error"]["code"] == "unauthenticated"


def test_revoked_token_is_refused(network, make_user):
    user = make_user("marta", network.lead, "filtro", network.programme)
    token, key = services.issue_token(user=user)
    client = verified_client(user)
    client.post(reverse("accounts:revoke_token", args=[token.pk]))
    assert get("/api/v1/me", key).status_code == 401


def test_token_of_a_deactivated_user_is_refused(network, make_user, people):
    trio = people("admin")
    _, key = services.issue_token(user=trio.member)
    verified_client(trio.owner).post(reverse("accounts:deactivate", args=[trio.member.pk]))
    assert get("/api/v1/me", key).status_code == 401


def test_cannot_revoke_someone_elses_token(network, make_user):
    marta = make_user("marta", network.lead, "filtro", network.programme)
    luca = make_user("luca", network.lead, "filtro", network.programme)
    token, key = services.issue_token(user=marta)
    assert verified_client(luca).post(reverse("accounts:revoke_token", args=[token.pk])).status_code == 404
    assert get("/api/v1/me", key).status_code == 200


def test_token_created_on_the_account_page_is_shown_once(network, make_user):
    user = make_user("marta", network.lead, "filtro", network.programme)
    client = verified_client(user)
    page = client.post(reverse("accounts:my_account"), {"name": "script", "days": 10})
    key = page.context["new_token"]
    assert get("/api/v1/me", key).status_code == 200
    assert key not in client.get(reverse("accounts:my_account")).content.decode()


def test_token_days_are_validated(network, make_user):
    user = make_user("marta", network.lead, "filtro", network.programme)
    page = verified_client(user).post(reverse("accounts:my_account"), {"days": 1000}, HTTP_ACCEPT_LANGUAGE="en")
    assert page.context["form"].errors["days"]
    assert not ApiToken.objects.exists()


def test_issue_token_command_prints_the_token_alone_on_the_last_line(network, make_user, capsys):
    make_user("marta", network.lead, "filtro", network.programme)
    call_command("issue_token", "--username", "marta", "--days", "7")
    key = capsys.readouterr().out.strip().splitlines()[-1]
    assert key.startswith("apd_") and " " not in key
    assert get("/api/v1/me", key).status_code == 200


def test_api_picks_the_membership_of_the_requested_programme(network, make_user):
    from approdi.accounts.models import Membership

    user = make_user("marta", network.lead, "filtro", network.programme)
    Membership.objects.create(
        user=user, organisation=network.lead, programme=network.other_programme, role="coordinator"
    )
    _, key = services.issue_token(user=user)
    response = Client().get("/api/v1/me?programme=P-2", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.json()["active"]["role"] == "coordinator"
    structures = Client().get("/api/v1/structures?programme=P-2", HTTP_AUTHORIZATION=f"Bearer {key}").json()
    assert structures == []
