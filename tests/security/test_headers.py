"""Every page and API answer carries a Content-Security-Policy and is never stored by a cache.

People's records pass through these answers: a shared computer's browser cache or a proxy must not keep
them (``Cache-Control: no-store``), and an injected script must not run (CSP). The headers themselves
are added by django-csp's middleware and ``NoStoreMiddleware`` (approdi/core/middleware.py).
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from approdi.accounts.services import issue_token
from tests.builders import verified_client

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.security,
]


def assert_protected(response, what: str) -> None:
    policy = response.get("Content-Security-Policy", "")
    assert "default-src" in policy or "script-src" in policy, (what, "no Content-Security-Policy")
    assert "no-store" in response.get("Cache-Control", ""), (what, response.get("Cache-Control"))


@pytest.mark.parametrize(
    "name", ["core:home", "outreach:contact_list", "outreach:import", "cases:case_list", "reports:dashboard"]
)
def test_pages_of_a_signed_in_user(network, people, name):
    client = verified_client(people("coordinator", at=network.lead).owner)
    response = client.get(reverse(name))
    assert response.status_code in (200, 403), response.status_code
    assert_protected(response, name)


def test_the_sign_in_page(db):
    assert_protected(Client().get(reverse("accounts:login")), "sign-in")


@pytest.mark.parametrize(("path", "status"), [("/api/v1/me", 200), ("/api/v1/structures/NOPE", 404)])
def test_api_answers_and_errors(network, make_user, path, status):
    user = make_user("api-user", network.lead, "coordinator", network.programme)
    _, key = issue_token(user=user)
    response = Client().get(path, HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == status
    assert_protected(response, path)


def test_an_api_refusal_without_a_token(db):
    response = Client().get("/api/v1/me")
    assert response.status_code == 401
    assert_protected(response, "401")
