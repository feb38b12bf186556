"""A contact stands for 1 to 500 people, wherever it enters (DESIGN.md §9): a page, the API, an import, a
service or the database itself. Beyond that a figure is refused with a clear error and nothing is written, so
one mistyped headcount can neither become the programme's street-contact figure nor overflow its sums."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import DataError, IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django_scopes import scopes_disabled

from approdi.outreach.models import Contact, Material, Outing
from approdi.outreach.services import record_contact
from tests.builders import acting, verified_client

from .test_api import Api, contact_body, outing_body
from .test_import_export import upload

pytestmark = pytest.mark.django_db

HUGE = 4_611_686_018_427_387_904
OUT_OF_BOUNDS = [0, 501, HUGE]


def contacts() -> int:
    with scopes_disabled():
        return Contact.objects.count()


@pytest.fixture
def operator(people):
    Material.objects.create(code="condoms", name="Condoms")
    Material.objects.create(code="leaflet-en", name="Leaflet (English)")
    return people("outreach")


@pytest.mark.parametrize("headcount", OUT_OF_BOUNDS)
def test_the_api_refuses_the_headcount_and_writes_nothing(operator, headcount):
    api = Api(operator.owner)
    answer = api.post("/api/v1/contacts", contact_body(person_code="", headcount=headcount))
    assert answer.status_code == 422, answer.content
    message = answer.json()["error"]["fields"]["headcount"][0]
    assert message == ("Enter a number no less than 1." if headcount < 1 else "Enter a number no greater than 500.")
    outing = api.post("/api/v1/outings", outing_body()).json()["id"]
    grouped = api.post(f"/api/v1/outings/{outing}/contacts", {"programme": "P-1", "headcount": headcount})
    assert grouped.status_code == 422 and "headcount" in grouped.json()["error"]["fields"]
    assert contacts() == 0


def test_the_api_documents_the_bound():
    schema = Client().get("/api/v1/openapi.json").json()
    headcount = schema["components"]["schemas"]["ContactIn"]["properties"]["headcount"]
    assert (headcount["minimum"], headcount["maximum"]) == (1, 500)


@pytest.mark.parametrize("headcount", OUT_OF_BOUNDS)
def test_the_pages_refuse_the_headcount_and_write_nothing(network, operator, headcount):
    client = verified_client(operator.owner)
    client.cookies["django_language"] = "en"
    with scopes_disabled():
        outing = Outing.objects.create(
            programme=network.programme,
            organisation=network.partner,
            team="Unità Nord",
            date="2024-03-14",
            shift="night",
            area=network.area,
            created_by=operator.owner,
        )
    group = client.post(reverse("outreach:outing_add_headcount", args=[outing.pk]), {"headcount": headcount})
    indoor = client.post(
        reverse("outreach:contact_create", args=["indoor"]),
        {"date": "2024-03-14", "place_type": "apartment", "headcount": headcount},
    )
    for answer in (group, indoor):
        assert answer.status_code == 200
        page = answer.content.decode()
        assert "Ensure this value is" in page  # the field's own error, in the user's language
    assert contacts() == 0


@pytest.mark.parametrize("headcount", OUT_OF_BOUNDS)
def test_an_import_row_with_the_headcount_is_refused_and_nothing_is_written(network, people, headcount):
    client = verified_client(people("filtro", at=network.lead).owner)
    rows = (
        "date,organisation,channel,area,person_code,gender,age_band,nationality,exploitation,first_contact,headcount\n"
        "2024-03-01,partner,street,MI,,,,,,,6\n"
        f"2024-03-02,partner,street,MI,,,,,,,{headcount}\n"
    )
    answer = upload(client, "contacts", rows)
    expected = "must be at least 1" if headcount < 1 else "must be at most 500"
    assert any(f"row 3, column headcount: {expected}" in str(e) for e in answer.context["errors"])
    assert contacts() == 0


@pytest.mark.parametrize("headcount", OUT_OF_BOUNDS)
def test_the_service_and_the_database_refuse_the_headcount(network, operator, headcount):
    owner = operator.owner
    with acting(owner), pytest.raises(ValidationError) as refused:
        record_contact(actor=owner, channel="street", date=date(2024, 3, 1), area=network.area, headcount=headcount)
    assert "headcount" in refused.value.message_dict
    # The check refuses it; PostgreSQL's integer column cannot even hold the huge one.
    with scopes_disabled(), transaction.atomic(), pytest.raises((IntegrityError, DataError)):
        Contact.objects.create(
            programme=network.programme,
            organisation=network.partner,
            channel="street",
            date="2024-03-01",
            headcount=headcount,
            created_by=owner,
        )
    assert contacts() == 0


def test_500_people_are_still_one_contact(network, operator):
    answer = Api(operator.owner).post("/api/v1/contacts", contact_body(person_code="", headcount=500))
    assert answer.status_code == 201
    with scopes_disabled():
        assert Contact.objects.get().headcount == 500
