"""Asking for help on the public site: a self-referral from the web in the Filtro's queue, and nothing else kept."""

import re

import pytest
from django.db import connection
from django.test import Client
from django_scopes import scopes_disabled

from approdi.audit.models import AuditEntry
from approdi.network.models import Programme
from approdi.outreach.models import Referral
from tests.builders import verified_client

pytestmark = pytest.mark.django_db

ADDRESS = "203.0.113.77"
MARKER = "Zanzibar-7781"


def form_page(client: Client, language: str = "en") -> str:
    return client.get(f"/help/{language}/ask/", REMOTE_ADDR=ADDRESS).content.decode()


def token_of(page: str) -> str:
    return re.search(r'name="token" value="([^"]+)"', page).group(1)


def ask(client: Client | None = None, language: str = "en", **fields):
    client = client or Client()
    data = {
        "contact_way": "whatsapp",
        "detail": "+39 333 1234567",
        "safe_times": "After 22",
        "language": "Edo",
        "message": f"I cannot leave the flat. {MARKER}",
        "token": token_of(form_page(client, language)),
        **fields,
    }
    return client.post(f"/help/{language}/ask/", data, REMOTE_ADDR=ADDRESS)


def all_rows_as_text() -> str:
    """Every row of every table, as the database holds it."""
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 - names from the database itself
            found.append(repr(cursor.fetchall()))
    return "\n".join(found)


def the_referrals():
    with scopes_disabled():
        return list(Referral.objects.all())


def test_the_request_lands_in_the_filtros_queue_encrypted_audited_and_without_the_address(network, filtro):
    response = ask(language="ro")
    assert response.status_code == 200
    assert not response.cookies
    (referral,) = the_referrals()
    page = response.content.decode()
    assert referral.reference in page and "Codul tău" in page  # her code and what happens next, in her language
    assert MARKER not in page and "333" not in page  # nothing she wrote is shown back
    assert (referral.source_type, referral.channel, referral.status) == ("self", "web", "new")
    assert referral.programme == network.programme and referral.organisation == network.lead
    assert referral.phone == "+39 333 1234567"
    assert "WhatsApp" in referral.notes and "After 22" in referral.notes and MARKER in referral.notes
    raw = all_rows_as_text()
    assert MARKER not in raw and "1234567" not in raw  # encrypted at rest, like every identity
    assert ADDRESS not in raw  # her address is kept nowhere
    with scopes_disabled():
        entry = AuditEntry.objects.get(object_type="outreach.referral", object_id=str(referral.pk))
    assert (entry.action, entry.actor, entry.ip) == ("create", None, None)
    queue = verified_client(filtro).get("/filtro/").content.decode()
    assert f"/filtro/referrals/{referral.pk}/" in queue
    workspace = verified_client(filtro).get(f"/filtro/referrals/{referral.pk}/").content.decode()
    assert MARKER in workspace and referral.reference in workspace


def test_an_email_address_is_kept_encrypted_in_the_notes(network):
    assert ask(contact_way="email", detail="safe.person@example.org").status_code == 200
    (referral,) = the_referrals()
    assert referral.phone == "" and "safe.person@example.org" in referral.notes
    assert "safe.person" not in all_rows_as_text()


def test_she_may_give_no_contact_at_all_when_she_will_call(network):
    assert ask(contact_way="she_calls", detail="").status_code == 200
    (referral,) = the_referrals()
    assert referral.phone == ""
    assert "Chiamerà lei: non contattarla" in referral.notes  # in the Filtro's language, whatever the page's


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"contact_way": ""}, "This field is required."),
        ({"contact_way": "phone", "detail": "call me"}, "Write a phone number or an e-mail"),
        ({"contact_way": "email", "detail": "not-an-address"}, "Write a phone number or an e-mail"),
        ({"message": "x" * 2001}, "at most 2000 characters"),
        ({"safe_times": "x" * 201}, "at most 200 characters"),
    ],
)
def test_a_wrong_or_too_long_request_is_explained_and_not_filed(network, fields, error):
    response = ask(**fields)
    assert response.status_code == 400
    assert error in response.content.decode()
    assert the_referrals() == []


def test_errors_come_in_the_language_of_the_page(network):
    response = ask(language="fr", contact_way="")
    assert "Ce champ est obligatoire." in response.content.decode()


def test_the_eleventh_request_within_the_hour_is_refused_politely(network):
    for _ in range(10):
        assert ask().status_code == 200
    refused = ask(language="es")
    assert refused.status_code == 429
    assert "Demasiadas peticiones desde esta conexión" in refused.content.decode()
    assert "800 290 290" in refused.content.decode()
    assert len(the_referrals()) == 10
    other = Client().post("/help/en/ask/", {}, REMOTE_ADDR="198.51.100.1")  # another address still may ask
    assert other.status_code == 400


def test_a_filled_honeypot_is_dropped_with_the_same_thanks(network):
    response = ask(website="http://spam.example")
    assert response.status_code == 200
    assert re.search(r'data-testid="reference">W-[A-Z0-9]{6}<', response.content.decode())
    assert the_referrals() == []
    with scopes_disabled():
        assert not AuditEntry.objects.filter(object_type="outreach.referral").exists()


def test_a_post_from_another_site_is_refused(network):
    client = Client()
    data = {"contact_way": "she_calls", "token": token_of(form_page(client))}
    response = client.post("/help/en/ask/", data, HTTP_ORIGIN="https://evil.example", REMOTE_ADDR=ADDRESS)
    assert response.status_code == 403
    response = client.post("/help/en/ask/", data, HTTP_SEC_FETCH_SITE="cross-site", REMOTE_ADDR=ADDRESS)
    assert response.status_code == 403
    assert the_referrals() == []
    # A browser under a strict referrer policy says "null" for the page's own post; Sec-Fetch-Site decides.
    same = {"HTTP_ORIGIN": "null", "HTTP_SEC_FETCH_SITE": "same-origin", "REMOTE_ADDR": ADDRESS}
    assert client.post("/help/en/ask/", data, **same).status_code == 200


def test_a_post_without_a_form_from_this_site_is_sent_back_with_the_words_kept(network):
    response = Client().post(
        "/help/en/ask/", {"contact_way": "she_calls", "message": MARKER, "token": "forged"}, REMOTE_ADDR=ADDRESS
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "The page was open for too long" in page and MARKER in page
    assert the_referrals() == []
    resent = Client().post("/help/en/ask/", {"contact_way": "she_calls", "token": token_of(page)}, REMOTE_ADDR=ADDRESS)
    assert resent.status_code == 200 and len(the_referrals()) == 1


def test_without_a_running_edition_the_helpline_answers(network):
    Programme.objects.update(start="2020-01-01", end="2020-12-31")
    response = ask()
    assert response.status_code == 503
    assert "800 290 290" in response.content.decode()
    assert the_referrals() == []
