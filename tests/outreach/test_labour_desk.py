"""The labour-exploitation desk (seed 002): a desk access and a referral carry the employment sector and the target
group, through the form, the API, the import and the export, under one rule (``services.check_labour_facts``)."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django_scopes import scopes_disabled

from approdi.outreach.models import Contact, Referral
from tests.builders import verified_client

from .test_api import Api, contact_body, referral_body
from .test_import_export import all_contacts, upload

pytestmark = pytest.mark.django_db

ACCESSES = (
    "date,organisation,channel,person_code,exploitation,sector,target_group\n"
    "2024-03-01,partner,drop_in,LAB-1,labour,construction,foreign_irregular\n"
    "2024-03-02,partner,drop_in,LAB-2,labour,Logistics,woman\n"
    "2024-03-03,partner,street,,,,\n"
)


def upload_it(client, kind, content):
    """The import page in Italian: its errors are read as the Italian user reads them."""
    data = {"kind": kind, "file": SimpleUploadedFile("file.csv", content.encode())}
    client.cookies["django_language"] = "it"
    return client.post(reverse("outreach:import"), data, HTTP_ACCEPT_LANGUAGE="it")


def test_a_desk_access_records_sector_and_target_group_on_the_form(network, people):
    client = verified_client(people("outreach").owner)
    response = client.post(
        reverse("outreach:contact_create", args=["drop_in"]),
        {
            "date": "2024-03-05",
            "service_point": "Sportello lavoro",
            "access_channel": "in_person",
            "sector": "restaurants",
            "target_group": "young_person",
            "referred_to": "CeLav",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    with scopes_disabled():
        access = Contact.objects.get()
    assert (access.channel, access.sector, access.target_group) == ("drop_in", "restaurants", "young_person")
    page = client.get(reverse("outreach:contact_detail", args=[access.pk]), HTTP_ACCEPT_LANGUAGE="it")
    text = page.content.decode()
    assert "Ristorazione" in text and "Giovane" in text  # labels, never codes


def test_the_access_form_offers_the_directory_for_referred_to(network, people):
    from approdi.directory.models import Body

    with scopes_disabled():
        Body.objects.create(programme=network.programme, name="Centro Sammartini", type="municipality")
    page = verified_client(people("outreach").owner).get(reverse("outreach:contact_create", args=["drop_in"]))
    assert '<option value="Centro Sammartini">' in page.content.decode()


def test_the_api_takes_and_gives_them_and_refuses_them_on_a_street_contact(network, people):
    api = Api(people("outreach").owner)
    access = {k: v for k, v in contact_body(person_code="", service_point="Desk").items() if k != "channel"}
    created = api.post("/api/v1/accesses", access | {"sector": "hotels", "target_group": "woman"})
    assert created.status_code == 201, created.json()
    read = api.get(f"/api/v1/accesses/{created.json()['id']}").json()
    assert (read["sector"], read["target_group"]) == ("hotels", "woman")
    refused = api.post("/api/v1/contacts", contact_body(sector="hotels"))
    assert refused.status_code == 400 and "sector" in str(refused.json())
    unknown = api.post("/api/v1/accesses", access | {"sector": "mining"})
    assert unknown.status_code in (400, 422)
    referral = api.post("/api/v1/referrals", referral_body(sector="agriculture", target_group="foreign_regular"))
    assert referral.status_code == 201
    assert in_db_referrals() == [("agriculture", "foreign_regular")]


def in_db_referrals():
    with scopes_disabled():
        return list(Referral.objects.values_list("sector", "target_group"))


def test_the_import_takes_the_new_columns(network, people):
    client = verified_client(people("filtro", at=network.lead).owner)
    response = upload(client, "contacts", ACCESSES)
    assert response.context["imported"] == 3, response.context["errors"]
    assert [(c.sector, c.target_group) for c in all_contacts()] == [
        ("construction", "foreign_irregular"),
        ("logistics", "woman"),
        ("", ""),
    ]
    referrals = (
        "date,organisation,source_type,referring_body,person_code,sector,target_group\n"
        "2024-03-04,partner,social_services,Casa Jannacci,LAB-3,domestic_work,woman\n"
    )
    assert upload(client, "referrals", referrals).context["imported"] == 1
    assert in_db_referrals() == [("domestic_work", "woman")]


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        ("2024-03-04,partner,drop_in,LAB-4,labour,mining,", "riga 5, colonna sector: 'mining' non è tra i valori"),
        ("2024-03-04,partner,drop_in,LAB-4,labour,,elders", "riga 5, colonna target_group: 'elders' non è tra"),
        (
            "2024-03-04,partner,street,,,construction,",
            "riga 5, colonna sector: Solo un accesso allo sportello registra",
        ),
    ],
)
def test_a_bad_value_is_a_row_numbered_translated_error_and_nothing_is_imported(network, people, row, expected):
    client = verified_client(people("filtro", at=network.lead).owner)
    response = upload_it(client, "contacts", ACCESSES + row + "\n")
    messages = [str(e) for e in response.context["errors"]]
    assert any(expected in m for m in messages), messages
    assert not all_contacts()


def test_a_bad_referral_row_imports_nothing(network, people):
    client = verified_client(people("filtro", at=network.lead).owner)
    content = (
        "date,organisation,source_type,person_code,sector,target_group\n"
        "2024-03-04,partner,social_services,LAB-3,construction,woman\n"
        "2024-03-05,partner,social_services,LAB-4,construction,nobody\n"
    )
    messages = [str(e) for e in upload_it(client, "referrals", content).context["errors"]]
    assert any("riga 3, colonna target_group" in m for m in messages), messages
    assert in_db_referrals() == []


def test_the_exports_carry_them_as_labels(network, people):
    upload(verified_client(people("filtro", at=network.lead).owner), "contacts", ACCESSES)
    client = verified_client(people("outreach").owner)  # the partner's operator exports its own records
    text = client.get(reverse("outreach:export", args=["contacts", "csv"]), HTTP_ACCEPT_LANGUAGE="it")
    rows = list(csv.reader(io.StringIO(text.content.decode())))
    assert rows[0][-2:] == ["Settore lavorativo", "Gruppo destinatario"]
    assert ["Edilizia", "Persona straniera irregolarmente presente"] in [r[-2:] for r in rows[1:]]
