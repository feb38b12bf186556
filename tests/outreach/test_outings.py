"""A street-unit operator records a night outing with anonymous and coded contacts."""

from datetime import date

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from approdi.audit.models import AuditEntry
from approdi.outreach.models import Contact, Material, Outing
from approdi.people.person_code import code_from_facts
from tests.builders import verified_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator(network, people):
    return people("outreach")


def create_outing(client, network, **extra):
    data = {
        "date": "2024-03-14",
        "shift": "night",
        "team": "Unità Nord",
        "area": network.area.pk,
        "start_time": "21:00",
        "end_time": "01:30",
        "sites": "Viale Monza: 12\nVia Padova: 5",
    } | extra
    return client.post(reverse("outreach:outing_create"), data)


def test_operator_records_an_outing_with_sites_and_materials(network, operator):
    Material.objects.create(code="condoms", name="Preservativi")
    client = verified_client(operator.owner)
    response = create_outing(client, network, material_condoms=40)
    assert response.status_code == 302
    with scopes_disabled():
        outing = Outing.objects.get()
        assert outing.organisation == network.partner and outing.programme == network.programme
        assert [(s.name, s.people_seen) for s in outing.sites.all()] == [("Viale Monza", 12), ("Via Padova", 5)]
        assert outing.materials.get().quantity == 40
        assert list(outing.operators.all()) == [operator.owner]
        assert AuditEntry.objects.filter(action="create", object_type="outreach.outing").count() == 1


def test_outing_form_defaults_to_today_and_the_last_team_and_area(network, operator):
    client = verified_client(operator.owner)
    create_outing(client, network)
    form = client.get(reverse("outreach:outing_create")).context["form"]
    assert form.initial["team"] == "Unità Nord" and form.initial["area"] == network.area.pk
    assert form.initial["date"] == __import__("django.utils.timezone", fromlist=["x"]).localdate()


def test_bad_sites_line_is_a_field_error_and_nothing_is_saved(network, operator):
    client = verified_client(operator.owner)
    response = create_outing(client, network, sites="Viale Monza: dodici", date="2024-02-30")
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"sites", "date"}
    with scopes_disabled():
        assert not Outing.objects.exists()


def test_contacts_are_added_without_reloading_and_counted(network, operator):
    client = verified_client(operator.owner)
    create_outing(client, network)
    with scopes_disabled():
        outing = Outing.objects.get()
    add = reverse("outreach:outing_add_contact", args=[outing.pk])
    code = code_from_facts(given_name="Joy", family_name="Osas", birth_year=1999, nationality="NG", gender="woman")
    first = client.post(
        add,
        {
            "person_code": code,
            "gender": "woman",
            "age_band": "18-20",
            "nationality": "NG",
            "services": ["prophylaxis", "health_information"],
        },
        HTTP_HX_REQUEST="true",
    )
    assert first.status_code == 200 and first.templates[0].name == "outreach/_entry.html"
    again = client.post(add, {"person_code": code.lower(), "gender": "woman"}, HTTP_HX_REQUEST="true")
    assert "1 contatto" not in again.content.decode()
    group = client.post(
        reverse("outreach:outing_add_headcount", args=[outing.pk]), {"headcount": 6}, HTTP_HX_REQUEST="true"
    )
    assert group.status_code == 200
    # A group of six is six contacts and one record: "contacts" never names records (DESIGN.md §9).
    total = " ".join(group.content.decode().split())
    assert "8 persone incontrate: 2 da sole, 6 in 1 gruppo" in total and "contatti registrati" not in total
    with scopes_disabled():
        rows = list(Contact.objects.order_by("id"))
    assert [(c.headcount, c.person_code, c.first_contact) for c in rows] == [
        (1, code, True),
        (1, code, False),
        (6, "", None),
    ]
    assert all(c.channel == "street" and c.date == date(2024, 3, 14) and c.area == network.area for c in rows)
    assert rows[0].services == ["health_information", "prophylaxis"]


def test_a_group_cannot_carry_a_person_code(network, operator):
    client = verified_client(operator.owner)
    create_outing(client, network)
    with scopes_disabled():
        outing = Outing.objects.get()
    response = client.post(
        reverse("outreach:outing_add_contact", args=[outing.pk]),
        {"person_code": "nickname-x", "services": ["listening"]},
        HTTP_HX_REQUEST="true",
    )
    assert "services" in response.context["contact_form"].errors
    with scopes_disabled():
        assert not Contact.objects.exists()


def test_person_code_is_computed_from_facts_and_says_if_known(network, operator):
    client = verified_client(operator.owner)
    facts = {"given_name": "Ésther ", "family_name": "okon", "birth_year": 1998, "nationality": "NG", "gender": "woman"}
    response = client.post(reverse("outreach:person_code"), facts, HTTP_HX_REQUEST="true")
    code = response.context["code"]
    assert code == code_from_facts(
        given_name="Esther", family_name="OKON", birth_year=1998, nationality="ng", gender="woman"
    )
    assert response.context["history"].known is False
    with_mother = client.post(reverse("outreach:person_code"), facts | {"mother_name": "Ngozi"}, HTTP_HX_REQUEST="true")
    assert with_mother.context["code"] == code_from_facts(
        given_name="Esther", family_name="Okon", birth_year=1998, nationality="NG", gender="woman", mother_name="ng"
    )
    assert with_mother.context["code"] != code
    missing = client.post(reverse("outreach:person_code"), {"given_name": "Esther"}, HTTP_HX_REQUEST="true")
    assert missing.context["facts_form"].non_field_errors()


def test_removing_a_mistaken_contact_is_audited(network, operator):
    client = verified_client(operator.owner)
    create_outing(client, network)
    with scopes_disabled():
        outing = Outing.objects.get()
    client.post(reverse("outreach:outing_add_headcount", args=[outing.pk]), {"headcount": 3})
    with scopes_disabled():
        contact = Contact.objects.get()
    client.post(reverse("outreach:contact_delete", args=[contact.pk]))
    with scopes_disabled():
        assert not Contact.objects.exists()
        assert AuditEntry.objects.filter(action="delete", object_type="outreach.contact").exists()


def test_only_operators_of_the_organisation_open_an_outing(network, operator):
    create_outing(verified_client(operator.owner), network)
    with scopes_disabled():
        outing = Outing.objects.get()
    url = reverse("outreach:outing_detail", args=[outing.pk])
    assert verified_client(operator.owner).get(url).status_code == 200
    assert verified_client(operator.member).get(url).status_code == 403
    assert verified_client(operator.outsider).get(url).status_code == 404
    add = reverse("outreach:outing_add_headcount", args=[outing.pk])
    assert verified_client(operator.outsider).post(add, {"headcount": 2}).status_code == 404
    assert verified_client(operator.member).post(add, {"headcount": 2}).status_code == 403
    with scopes_disabled():
        assert not Contact.objects.exists()


def test_outing_page_queries_do_not_grow_with_contacts(network, operator, max_queries):
    client = verified_client(operator.owner)
    create_outing(client, network)
    with scopes_disabled():
        outing = Outing.objects.get()
    for _ in range(3):
        client.post(reverse("outreach:outing_add_headcount", args=[outing.pk]), {"headcount": 2})
    url = reverse("outreach:outing_detail", args=[outing.pk])
    with max_queries(20) as first:
        client.get(url)
    for _ in range(20):
        client.post(reverse("outreach:outing_add_headcount", args=[outing.pk]), {"headcount": 2})
    with max_queries(first.count):
        client.get(url)
