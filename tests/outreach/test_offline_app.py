"""The street units' offline app, server side (docs/offline.md): the session door to the sync batch, the service
worker and manifest, and the pages the worker may keep (the ``X-Approdi-Offline`` header).
"""

import base64
import json

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django_scopes import scopes_disabled

from approdi.outreach.models import Contact, SyncKey
from approdi.people.person_code import code_from_facts, phone_part
from tests.builders import verified_client
from tests.outreach.test_sync import contact_record, night, outing_record

pytestmark = pytest.mark.django_db

URL = "/outreach/sync/"
FACTS = {"given_name": "Blessing", "family_name": "Okafor", "birth_year": 1998, "nationality": "NG", "gender": "woman"}


@pytest.fixture
def outreach(people):
    """owner: outreach at the partner; member: case worker at the partner; outsider: outreach at ``other``."""
    return people("outreach")


def post(client, records, **extra):
    return client.post(URL, json.dumps({"records": records, **extra}), content_type="application/json")


def test_the_page_door_stores_a_night_once_under_the_session(outreach):
    client = verified_client(outreach.owner)
    records = night(3)
    first = post(client, records)
    assert first.status_code == 200, first.content
    assert {r["status"] for r in first.json()["results"]} == {"stored"}
    again = post(client, records)
    assert {r["status"] for r in again.json()["results"]} == {"already_stored"}
    with scopes_disabled():
        assert SyncKey.objects.filter(actor=outreach.owner).count() == len(records)
        assert Contact.objects.filter(created_by=outreach.owner).count() == 4


def test_a_phone_part_is_finished_into_the_online_code(outreach):
    outing = outing_record()
    contact = contact_record(outing["key"], person_part=phone_part(**FACTS))
    answer = post(verified_client(outreach.owner), [outing, contact])
    assert [r["status"] for r in answer.json()["results"]] == ["stored", "stored"]
    with scopes_disabled():
        assert Contact.objects.get(pk=answer.json()["results"][1]["id"]).person_code == code_from_facts(**FACTS)


def test_a_refused_record_is_answered_with_the_servers_message(outreach):
    outing = outing_record()
    refused = contact_record(outing["key"], site="Nowhere")
    answer = post(verified_client(outreach.owner), [outing, refused, contact_record(outing["key"])])
    results = answer.json()["results"]
    assert [r["status"] for r in results] == ["stored", "refused", "stored"]
    assert "Nowhere" in " ".join(results[1]["error"]["fields"]["site"])


def test_a_body_not_as_documented_is_422_naming_the_record(outreach):
    answer = post(verified_client(outreach.owner), [{"kind": "contact", "key": "not-a-uuid"}])
    assert answer.status_code == 422
    assert any(name.startswith("records.0") for name in answer.json()["error"]["fields"])


def test_the_roles_and_scopes_of_the_page_door(outreach):
    records = [contact_record(None, outing=None, site="", channel="street", date="2024-03-05")]
    assert post(Client(), records).status_code == 401  # signed out: the app keeps its records
    assert post(verified_client(outreach.member), records).status_code == 403  # a case worker records no contact
    # Another organisation's outing is not found, as if it did not exist: refused, nothing stored.
    outing = outing_record()
    stored = post(verified_client(outreach.owner), [outing]).json()["results"][0]["id"]
    foreign = post(verified_client(outreach.outsider), [contact_record(None, outing=stored)])
    assert foreign.json()["results"][0]["status"] == "refused"
    assert foreign.json()["results"][0]["error"]["status"] == 404
    assert post(verified_client(outreach.owner), records, programme="OTHER").status_code == 400
    assert verified_client(outreach.owner).get(URL).status_code == 405


def test_the_page_door_needs_the_pages_csrf_token(outreach):
    client = verified_client(outreach.owner)
    client.handler.enforce_csrf_checks = True
    assert post(client, [outing_record()]).status_code == 403


def test_the_service_worker_is_scoped_to_the_outreach_pages():
    response = Client().get(reverse("outreach:service_worker"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/outreach/"
    body = response.content.decode()
    assert "X-Approdi-Offline" in body
    assert "http://" not in body and "https://" not in body  # it fetches nothing outside the site
    manifest = Client().get(reverse("outreach:manifest")).json()
    assert manifest["scope"] == manifest["start_url"] == "/outreach/"


def test_only_the_street_units_pages_may_be_kept_offline(outreach, network):
    from tests.platform.test_every_route import records

    found = records(network, outreach.owner)
    client = verified_client(outreach.owner)
    kept = [
        reverse("outreach:index"),
        reverse("outreach:outing_detail", kwargs={"pk": found.outing.pk}),
        reverse("outreach:referral_create"),
        reverse("outreach:counts"),
        reverse("outreach:outing_create"),
        reverse("outreach:outing_offline"),
    ]
    for url in kept:
        response = client.get(url)
        assert response.status_code == 200 and response["X-Approdi-Offline"] == "keep", url
    never = [
        reverse("core:home"),
        reverse("outreach:contact_list"),
        reverse("outreach:referral_list"),
        reverse("outreach:referral_detail", kwargs={"pk": found.referral.pk}),  # may show her identity
        reverse("outreach:contact_detail", kwargs={"pk": found.contact.pk}),
    ]
    for url in never:
        response = client.get(url)
        assert not response.has_header("X-Approdi-Offline"), url
    # A page refused, or answered with a redirect, is never marked.
    assert not Client().get(kept[0]).has_header("X-Approdi-Offline")
    assert not verified_client(outreach.outsider).get(kept[1]).has_header("X-Approdi-Offline")


def test_the_phones_outing_page_is_the_outreach_roles(outreach):
    url = reverse("outreach:outing_offline")
    page = verified_client(outreach.owner).get(url)
    assert page.status_code == 200
    body = page.content.decode()
    for form in ("contact-form", "headcount-form", "site-form", "end-form"):
        assert f'data-testid="{form}"' in body
    assert verified_client(outreach.member).get(url).status_code == 403  # a case worker records no contact
    assert verified_client(outreach.outsider).get(url).status_code == 200  # her own: the page holds no record
    assert Client().get(url).status_code == 302


def test_a_server_outings_page_offers_its_end_time_but_never_its_notes(outreach, network):
    from tests.platform.test_every_route import records

    found = records(network, outreach.owner)
    with scopes_disabled():
        found.outing.notes = "Ragazza molto giovane sotto il ponte"
        found.outing.save()
    page = verified_client(outreach.owner).get(reverse("outreach:outing_detail", kwargs={"pk": found.outing.pk}))
    body = page.content.decode()
    assert 'data-testid="end-form"' in body and 'data-offline-kind="outing_update"' in body
    assert "Ragazza" not in body  # the page is kept on the phone unencrypted: the notes are never in it


def test_the_new_outing_form_names_the_areas_codes_for_the_app(outreach, network):
    page = verified_client(outreach.owner).get(reverse("outreach:outing_create"))
    areas = json.loads(page.context["area_codes"])
    assert areas[str(network.area.pk)] == network.area.code


KEY_URL = "/outreach/offline-key/"


def test_the_offline_key_is_hers_made_once_and_never_kept(outreach, make_user, network):
    from approdi.audit.models import AuditEntry
    from approdi.outreach.models import OfflineKey

    client = verified_client(outreach.owner)
    first = client.get(KEY_URL)
    assert first.status_code == 200
    assert "no-store" in first["Cache-Control"]
    assert not first.has_header("X-Approdi-Offline")  # the service worker keeps nothing without it
    key = first.json()["key"]
    assert len(base64.b64decode(key)) == 32
    assert client.get(KEY_URL).json()["key"] == key
    with scopes_disabled():
        made = AuditEntry.objects.filter(action="create", actor=outreach.owner, object_type="outreach.offlinekey")
        assert made.count() == 1
    other = make_user("another-outreach", network.partner, "outreach", network.programme)
    assert verified_client(other).get(KEY_URL).json()["key"] != key
    assert verified_client(outreach.outsider).get(KEY_URL).json()["key"] != key
    # Kept encrypted: the column holds neither the bytes nor their base64.
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT key FROM {OfflineKey._meta.db_table} WHERE user_id = %s", [outreach.owner.pk])  # noqa: S608
        (stored,) = cursor.fetchone()
    assert key not in stored and base64.b64decode(key).hex() not in stored
    with scopes_disabled():
        assert OfflineKey.objects.get(user=outreach.owner).key == key


def test_the_offline_key_is_the_outreach_roles_only(outreach):
    assert Client().get(KEY_URL).status_code in (302, 401)  # signed out
    assert verified_client(outreach.member).get(KEY_URL).status_code == 403  # a case worker of the same organisation
    assert verified_client(outreach.owner).post(KEY_URL).status_code == 405
    # The pages name it to the app, and never among the pages the worker keeps.
    page = verified_client(outreach.owner).get(reverse("outreach:outing_create")).content.decode()
    assert f'data-key="{KEY_URL}"' in page
    keep = page.split('data-keep="', 1)[1].split('"', 1)[0]
    assert KEY_URL not in keep.split()
