"""Sign-in: password, then the second factor; lockout; idle expiry; signing out everywhere."""

from datetime import timedelta

import pytest
import time_machine
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from approdi.accounts import services
from approdi.audit.models import AuditEntry
from tests.builders import PASSWORD, current_code, verified_client

pytestmark = pytest.mark.django_db


def sign_in_with_password(client: Client, username: str, password: str = PASSWORD):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def all_audit():
    from django_scopes import scopes_disabled

    with scopes_disabled():
        return list(AuditEntry.objects.order_by("id"))


def test_password_alone_opens_nothing(network, make_user):
    make_user("marta", network.lead, "filtro", network.programme)
    client = Client()
    response = sign_in_with_password(client, "marta")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:two_factor"))
    home = client.get("/")
    assert home.status_code == 302 and home["Location"].startswith(reverse("accounts:two_factor"))
    structures = client.get(reverse("shelter:structure_list"))
    assert structures.status_code == 302
    assert client.get(reverse("accounts:my_account")).status_code == 302


def test_totp_code_completes_sign_in_and_is_audited(network, make_user):
    make_user("marta", network.lead, "filtro", network.programme)
    client = Client()
    sign_in_with_password(client, "marta")
    response = client.post(reverse("accounts:two_factor"), {"code": current_code(), "next": "/"})
    assert response.status_code == 302 and response["Location"] == "/"
    home = client.get("/")
    assert home.status_code == 200
    assert "Comune di Prova" in home.content.decode()
    assert [e.action for e in all_audit()] == ["sign_in"]


def test_wrong_code_is_refused_and_audited(network, make_user):
    make_user("marta", network.lead, "filtro", network.programme)
    client = Client()
    sign_in_with_password(client, "marta")
    wrong = f"{(int(current_code()) + 1) % 1_000_000:06d}"
    response = client.post(reverse("accounts:two_factor"), {"code": wrong})
    assert response.status_code == 200
    assert "code" in response.context["form"].errors
    assert client.get("/").status_code == 302
    entry = all_audit()[-1]
    assert (entry.action, entry.actor_username, entry.reason) == ("sign_in_failed", "marta", "second factor")


def test_recovery_code_signs_in_once(network, make_user):
    user = make_user("marta", network.lead, "filtro", network.programme)
    codes = services.replace_recovery_codes(user=user)
    client = Client()
    sign_in_with_password(client, "marta")
    assert client.post(reverse("accounts:two_factor"), {"code": codes[0]}).status_code == 302
    assert client.get("/").status_code == 200
    assert not StaticToken.objects.filter(token=codes[0]).exists()
    again = Client()
    sign_in_with_password(again, "marta")
    assert again.post(reverse("accounts:two_factor"), {"code": codes[0]}).status_code == 200


def test_new_user_enrols_an_authenticator_and_gets_recovery_codes(network, make_user):
    make_user("nuova", network.partner, "outreach", network.programme, two_factor=False)
    client = Client()
    sign_in_with_password(client, "nuova")
    page = client.get(reverse("accounts:two_factor"))
    assert page.status_code == 200
    assert "<svg" in page.content.decode()
    device = TOTPDevice.objects.get(user__username="nuova", confirmed=False)
    code = f"{totp(device.bin_key):06d}"
    before = client.session.session_key
    done = client.post(reverse("accounts:two_factor"), {"code": code, "next": "/"})
    assert done.status_code == 200
    assert client.session.session_key != before  # enrolment is a second factor too: a new session key
    assert len(done.context["codes"]) == services.RECOVERY_CODE_COUNT
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/").status_code == 200


def test_failed_sign_ins_lock_the_account_in_the_database(network, make_user, settings):
    make_user("marta", network.lead, "filtro", network.programme)
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in_with_password(client, "marta", "sbagliata")
    # The counter lives in the database, shared by every worker process.
    assert AccessAttempt.objects.filter(username="marta").get().failures_since_start == settings.AXES_FAILURE_LIMIT
    locked = sign_in_with_password(Client(), "marta", PASSWORD)
    assert locked.status_code == 429
    assert [e.action for e in all_audit()].count("sign_in_failed") >= settings.AXES_FAILURE_LIMIT


def test_lockout_ends_after_the_cool_off(network, make_user, settings):
    make_user("marta", network.lead, "filtro", network.programme)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in_with_password(Client(), "marta", "sbagliata")
    with time_machine.travel(timezone.now() + settings.AXES_COOLOFF_TIME + timedelta(minutes=1)):
        response = sign_in_with_password(Client(), "marta")
    assert response.status_code == 302


def test_idle_session_expires(network, make_user, settings):
    user = make_user("marta", network.lead, "filtro", network.programme)
    client = verified_client(user)
    assert client.get("/").status_code == 200
    with time_machine.travel(timezone.now() + timedelta(minutes=settings.SESSION_IDLE_MINUTES - 5)):
        assert client.get("/").status_code == 200  # activity pushes the expiry forward
    with time_machine.travel(timezone.now() + timedelta(minutes=2 * settings.SESSION_IDLE_MINUTES + 1)):
        response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))


def test_sign_out_everywhere_ends_every_session(network, make_user):
    user = make_user("marta", network.lead, "filtro", network.programme)
    phone, laptop = verified_client(user), verified_client(user)
    assert phone.get("/").status_code == 200 and laptop.get("/").status_code == 200
    phone.post(reverse("accounts:logout_everywhere"))
    assert laptop.get("/").status_code == 302
    assert phone.get("/").status_code == 302


def test_there_is_no_public_sign_up():
    from django.urls import get_resolver

    names = {name for name in get_resolver().reverse_dict if isinstance(name, str)}
    assert not {n for n in names if "signup" in n or "register" in n}
    assert Client().get("/accounts/signup/").status_code == 404


def test_password_reset_sends_a_link_that_sets_a_strong_password(network, make_user, mailoutbox):
    make_user("marta", network.lead, "filtro", network.programme)
    client = Client()
    client.post(reverse("accounts:password_reset"), {"email": "marta@example.invalid"})
    assert len(mailoutbox) == 1
    link = next(line for line in mailoutbox[0].body.splitlines() if "/accounts/password-reset/" in line)
    path = link.split("testserver", 1)[1]
    form_page = client.get(path, follow=True)
    set_url = form_page.redirect_chain[-1][0]
    weak = client.post(set_url, {"new_password1": "password", "new_password2": "password"})
    assert weak.status_code == 200 and weak.context["form"].errors["new_password2"]
    strong = client.post(set_url, {"new_password1": "Nuova-Chiave-2026", "new_password2": "Nuova-Chiave-2026"})
    assert strong.status_code == 302
    assert sign_in_with_password(Client(), "marta", "Nuova-Chiave-2026").status_code == 302


def test_passwords_are_hashed_with_argon2(settings, network, make_user):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
    user = make_user("marta", network.lead, "filtro", network.programme)
    assert user.password.startswith("argon2$")


def test_wrong_passwords_for_one_account_do_not_lock_a_colleague_at_the_same_address(network, make_user, settings):
    make_user("marta", network.lead, "filtro", network.programme)
    make_user("giulia", network.lead, "coordinator", network.programme)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in_with_password(Client(REMOTE_ADDR="10.0.0.1"), "marta", "sbagliata")
    assert sign_in_with_password(Client(REMOTE_ADDR="10.0.0.1"), "marta").status_code == 429
    colleague = sign_in_with_password(Client(REMOTE_ADDR="10.0.0.1"), "giulia")
    assert colleague.status_code == 302 and colleague["Location"].startswith(reverse("accounts:two_factor"))


def test_an_address_that_tries_many_accounts_is_locked(network, make_user, settings):
    make_user("giulia", network.lead, "coordinator", network.programme)
    for number in range(settings.APPRODI_LOGIN_IP_ACCOUNT_LIMIT):
        sign_in_with_password(Client(REMOTE_ADDR="10.0.0.9"), f"guess-{number}", "sbagliata")
    assert sign_in_with_password(Client(REMOTE_ADDR="10.0.0.9"), "giulia").status_code == 429
    assert sign_in_with_password(Client(REMOTE_ADDR="10.0.0.2"), "giulia").status_code == 302


@pytest.fixture
def empty_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def test_password_reset_mails_are_rate_limited_per_account(network, make_user, mailoutbox, settings, empty_cache):
    make_user("marta", network.lead, "filtro", network.programme)
    url = reverse("accounts:password_reset")
    for number in range(settings.APPRODI_PASSWORD_RESET_LIMIT):
        assert Client(REMOTE_ADDR=f"10.0.1.{number}").post(url, {"email": "marta@example.invalid"}).status_code == 302
    refused = Client(REMOTE_ADDR="10.0.1.99").post(url, {"email": "MARTA@example.invalid"}, HTTP_ACCEPT_LANGUAGE="it")
    assert refused.status_code == 429 and "Troppe richieste" in refused.content.decode()
    # The same answer for an address no account has: the limit tells nothing about who exists.
    for _ in range(settings.APPRODI_PASSWORD_RESET_LIMIT):
        Client(REMOTE_ADDR="10.0.2.1").post(url, {"email": "nessuno@example.invalid"})
    nobody = Client(REMOTE_ADDR="10.0.2.2").post(url, {"email": "nessuno@example.invalid"}, HTTP_ACCEPT_LANGUAGE="it")
    assert nobody.status_code == 429 and "Troppe richieste" in nobody.content.decode()
    assert len(mailoutbox) == settings.APPRODI_PASSWORD_RESET_LIMIT


def test_password_reset_mails_are_rate_limited_per_address(network, make_user, mailoutbox, settings, empty_cache):
    url = reverse("accounts:password_reset")
    client = Client(REMOTE_ADDR="10.0.3.1")
    answers = [
        client.post(url, {"email": f"p{n}@example.invalid"}).status_code
        for n in range(settings.APPRODI_PASSWORD_RESET_IP_LIMIT + 1)
    ]
    assert answers[:-1] == [302] * settings.APPRODI_PASSWORD_RESET_IP_LIMIT and answers[-1] == 429


def test_the_session_key_changes_once_the_second_factor_is_in(network, make_user):
    make_user("marta", network.lead, "filtro", network.programme)
    client = Client()
    sign_in_with_password(client, "marta")
    before = client.session.session_key
    client.post(reverse("accounts:two_factor"), {"code": current_code(), "next": "/"})
    assert client.session.session_key != before
    assert client.get("/").status_code == 200
    stale = Client()
    stale.cookies["sessionid"] = before
    assert stale.get("/").status_code == 302
