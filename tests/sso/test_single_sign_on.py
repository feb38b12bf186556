"""Single sign-on end to end against a local OpenID Connect provider (tests/sso/provider.py): the provider
signs in an invited, active user only, never creates one, and Approdi's second factor stays unless the
provider asserts one in an accepted acr/amr."""

from urllib.parse import urlparse

import pytest
import requests
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django_scopes import scopes_disabled

from approdi.accounts.models import ProviderIdentity
from approdi.audit.models import AuditEntry
from tests.builders import PASSWORD, current_code

from .provider import LocalProvider

pytestmark = pytest.mark.django_db


@pytest.fixture
def provider(settings, monkeypatch):
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    with LocalProvider(client_id="approdi", client_secret="s3cret") as running:
        found = requests.get(f"{running.issuer}/.well-known/openid-configuration", timeout=5).json()
        settings.APPRODI_OIDC_ENABLED = True
        settings.OIDC_RP_CLIENT_ID = "approdi"
        settings.OIDC_RP_CLIENT_SECRET = "s3cret"
        settings.APPRODI_OIDC_ISSUER = found["issuer"]
        settings.OIDC_OP_AUTHORIZATION_ENDPOINT = found["authorization_endpoint"]
        settings.OIDC_OP_TOKEN_ENDPOINT = found["token_endpoint"]
        settings.OIDC_OP_USER_ENDPOINT = found["userinfo_endpoint"]
        settings.OIDC_OP_JWKS_ENDPOINT = found["jwks_uri"]
        settings.APPRODI_OIDC_LABEL = "CIE"
        settings.APPRODI_OIDC_MFA_ACR = ["https://www.spid.gov.it/SpidL2"]
        settings.APPRODI_OIDC_MFA_AMR = ["mfa"]
        yield running


def sign_in_at_provider(client: Client, provider: LocalProvider, **person):
    """The browser's round trip: Approdi → the provider (already signed in as ``person``) → Approdi."""
    provider.person = person
    start = client.get(reverse("accounts:oidc_start"), {"next": "/cases/"})
    assert start.status_code == 302 and start["Location"].startswith(provider.issuer + "/authorize")
    at_provider = requests.get(start["Location"], allow_redirects=False, timeout=5)
    back = urlparse(at_provider.headers["Location"])
    return client.get(f"{back.path}?{back.query}")


def failed_sign_ins():
    with scopes_disabled():
        return list(AuditEntry.objects.filter(action="sign_in_failed").values_list("actor_username", flat=True))


def test_the_sign_in_page_offers_the_provider_only_when_configured(network, make_user, provider, settings):
    assert "Accedi con CIE" in Client().get(reverse("accounts:login")).content.decode()
    settings.APPRODI_OIDC_ENABLED = False
    assert "Accedi con" not in Client().get(reverse("accounts:login")).content.decode()
    assert Client().get(reverse("accounts:oidc_start")).status_code == 404
    assert Client().get(reverse("accounts:oidc_callback"), {"code": "x", "state": "y"}).status_code == 404


def test_first_sign_in_links_by_verified_email_then_asks_approdis_second_factor(network, make_user, provider):
    marta = make_user("marta", network.lead, "filtro", network.programme)
    client = Client()
    response = sign_in_at_provider(client, provider, sub="CIE-123", email="MARTA@example.invalid", email_verified=True)
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:two_factor"))
    assert client.get("/").status_code == 302  # the provider alone opens nothing
    done = client.post(reverse("accounts:two_factor"), {"code": current_code(), "next": "/"})
    assert done["Location"] == "/" and client.get("/").status_code == 200
    assert ProviderIdentity.objects.get().user == marta

    # Next time her subject signs her in, whatever e-mail the provider now holds.
    again = sign_in_at_provider(Client(), provider, sub="CIE-123", email="other@example.invalid", email_verified=True)
    assert again["Location"].startswith(reverse("accounts:two_factor"))


def test_unknown_subject_is_refused_counted_and_no_user_is_created(network, make_user, provider):
    make_user("marta", network.lead, "filtro", network.programme)
    users = get_user_model().objects.count()
    client = Client()
    stranger = sign_in_at_provider(client, provider, sub="CIE-999", email="nobody@example.invalid", email_verified=True)
    assert stranger.status_code == 403
    unverified = sign_in_at_provider(client, provider, sub="CIE-998", email="marta@example.invalid")
    assert unverified.status_code == 403
    assert client.get("/").status_code == 302
    assert get_user_model().objects.count() == users and not ProviderIdentity.objects.exists()
    assert sorted(failed_sign_ins()) == ["oidc:CIE-998", "oidc:CIE-999"]
    assert AccessAttempt.objects.filter(username="oidc:CIE-999").exists()


def test_a_disabled_user_is_refused_even_with_a_valid_provider_session(network, make_user, provider):
    marta = make_user("marta", network.lead, "filtro", network.programme)
    ProviderIdentity.objects.create(user=marta, issuer=provider.issuer, subject="CIE-123", confirmed=True)
    marta.is_active = False
    marta.save()
    client = Client()
    response = sign_in_at_provider(client, provider, sub="CIE-123", amr=["mfa"])
    assert response.status_code == 403
    assert client.get("/").status_code == 302
    assert failed_sign_ins() == ["marta"]


def test_an_account_locked_by_wrong_passwords_stays_locked_through_the_provider(network, make_user, provider, settings):
    marta = make_user("marta", network.lead, "filtro", network.programme)
    ProviderIdentity.objects.create(user=marta, issuer=provider.issuer, subject="CIE-123", confirmed=True)
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        Client().post(reverse("accounts:login"), {"username": "marta", "password": PASSWORD + "x"})
    client = Client()
    assert sign_in_at_provider(client, provider, sub="CIE-123", amr=["mfa"]).status_code == 429
    assert client.get("/").status_code == 302


def test_a_second_factor_asserted_by_the_provider_in_an_accepted_value_is_enough(network, make_user, provider):
    marta = make_user("marta", network.lead, "filtro", network.programme, two_factor=False)
    ProviderIdentity.objects.create(user=marta, issuer=provider.issuer, subject="CIE-123", confirmed=True)
    client = Client()
    response = sign_in_at_provider(client, provider, sub="CIE-123", acr="https://www.spid.gov.it/SpidL2")
    assert response.status_code == 302 and response["Location"] == "/cases/"
    assert client.get("/").status_code == 200
    with scopes_disabled():
        assert AuditEntry.objects.filter(action="sign_in", actor=marta).count() == 1

    weaker = Client()
    level_one = sign_in_at_provider(weaker, provider, sub="CIE-123", acr="https://www.spid.gov.it/SpidL1", amr=["pwd"])
    assert level_one["Location"].startswith(reverse("accounts:two_factor"))
    assert weaker.get("/").status_code == 302


def test_a_forged_id_token_signs_nobody_in(network, make_user, provider):
    marta = make_user("marta", network.lead, "filtro", network.programme)
    ProviderIdentity.objects.create(user=marta, issuer=provider.issuer, subject="CIE-123", confirmed=True)
    from cryptography.hazmat.primitives.asymmetric import rsa

    provider.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)  # signs; the JWKS served before
    provider.jwks = lambda: {"keys": []}  # now names no key that could verify it
    client = Client()
    assert sign_in_at_provider(client, provider, sub="CIE-123", amr=["mfa"]).status_code == 403
    assert client.get("/").status_code == 302
