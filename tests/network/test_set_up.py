"""The lead entity sets its network up on pages: editions, co-funding, organisations, areas, structures."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from approdi.accounts.models import Membership, User
from approdi.audit.models import Action, AuditEntry
from approdi.network.models import Area, CoFunding, Organisation, Partnership, Programme
from approdi.outreach.models import Material
from approdi.shelter.models import Bed, Structure
from tests.builders import verified_client

pytestmark = pytest.mark.django_db

THIS_YEAR = timezone.localdate().year
EDITION = {
    "code": "P-NEW",
    "name": "Programma nuovo",
    "start": f"{THIS_YEAR}-01-01",
    "end": f"{THIS_YEAR + 1}-12-31",
    "funder": "Dipartimento Pari Opportunità",
    "call": "Bando 6/2025",
    "budget": "850000",
}


def post(client, name, data):
    client.cookies["django_language"] = "en"
    return client.post(reverse(name), data)


def audit_rows(obj):
    with scopes_disabled():
        return list(
            AuditEntry.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))
            .order_by("pk")
            .values_list("action", flat=True)
        )


def test_a_lead_coordinator_creates_an_edition_led_by_her_organisation_and_acts_in_it(network, people):
    owner = people("coordinator", at=network.lead).owner
    client = verified_client(owner)
    response = post(client, "network:new_edition", EDITION | {"areas": [Area.objects.get(code="MI").pk]})
    assert response.status_code == 302
    programme = Programme.objects.get(code="P-NEW")
    assert list(programme.areas.values_list("code", flat=True)) == ["MI"]
    assert (programme.lead_organisation, programme.call, programme.budget) == (
        network.lead,
        "Bando 6/2025",
        Decimal("850000"),
    )
    assert Partnership.objects.get(programme=programme).organisation == network.lead
    carried = Membership.objects.get(user=owner, programme=programme)
    assert (carried.role, carried.organisation, carried.status) == ("coordinator", network.lead, "active")
    assert audit_rows(programme) == [Action.CREATE] and audit_rows(carried) == [Action.CREATE]
    # The switcher offers the new edition.
    switcher = f"P-NEW ({THIS_YEAR}–{THIS_YEAR + 1}) · Programma nuovo · Coordinator"
    assert switcher in client.get(reverse("core:home")).content.decode()


def test_the_carried_role_keeps_its_granter_and_approver(network, make_user):
    granter = make_user("granter", network.lead, "admin", network.programme)
    approver = make_user("approver", network.lead, "coordinator", network.programme)
    coordinator = User.objects.create_user(username="carried", password="x")
    from approdi.accounts.network_setup import create_edition

    Membership.objects.create(
        user=coordinator,
        organisation=network.lead,
        programme=network.programme,
        role="coordinator",
        granted_by=granter,
        approved_by=approver,
        approved_at=timezone.now(),
    )
    coordinator.active_membership = Membership.objects.get(user=coordinator)
    programme = create_edition(actor=coordinator, code="P-C", name="C", start=date(2030, 1, 1), end=date(2030, 12, 31))
    carried = Membership.objects.get(user=coordinator, programme=programme)
    assert (carried.granted_by, carried.approved_by, carried.status) == (granter, approver, "active")


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"end": f"{THIS_YEAR - 1}-12-31"}, "An edition cannot end before it starts"),
        ({"end": f"{THIS_YEAR + 30}-12-31"}, "An edition lasts ten years at most"),
        ({"code": "P-1"}, "An edition with this code exists already"),
        ({"code": "X" * 21}, "at most 20 characters"),
        ({"budget": "-1"}, "greater than or equal to 0"),
        ({"budget": "1" * 13}, "no more than 12 digits"),
        ({"start": "31/02/2025"}, "Enter a valid date"),
        ({"start": "1025-01-01", "end": "1026-01-01"}, "An edition lies between 2000 and 2099"),
    ],
)
def test_a_refused_edition_says_why_and_creates_nothing(network, people, change, expected):
    client = verified_client(people("admin", at=network.lead).owner)
    before = Programme.objects.count(), Membership.objects.count()
    response = post(client, "network:new_edition", EDITION | change)
    assert response.status_code == 200 and expected in response.content.decode()
    assert (Programme.objects.count(), Membership.objects.count()) == before


SET_UP_PAGES = [
    ("network:new_edition", EDITION),
    ("network:edition", {"line-contributor": "Comune", "line-kind": "money", "line-amount": "10"}),
    ("network:organisations", {"code": "cc", "name": "Carabinieri", "type": "enforcement"}),
    ("network:areas", {"code": "TO", "name": "Torino"}),
    ("network:materials", {"code": "leaflet-ro", "name": "Leaflet in Romanian", "active": "on"}),
    ("shelter:structure_new", {"code": "S-X", "name": "Casa X"}),
]
SETTINGS = reverse("shelter:structure_settings", args=["S-ALFA"])


@pytest.mark.parametrize(("name", "data"), SET_UP_PAGES)
def test_only_the_lead_entity_s_coordinators_and_administrators_set_up(network, people, name, data):
    trio = people("coordinator", at=network.lead)  # member: a case worker at the lead; outsider: a partner's
    assert verified_client(trio.owner).get(reverse(name)).status_code == 200
    counts = (Programme, CoFunding, Organisation, Area, Material)
    before = [model.objects.count() for model in counts]
    for user in (trio.member, trio.outsider):
        client = verified_client(user)
        assert client.get(reverse(name)).status_code == 403
        assert post(client, name, data).status_code == 403
    assert [model.objects.count() for model in counts] == before


def test_co_funding_lines_in_money_and_in_kind_make_the_edition_s_co_funding(network, people):
    client = verified_client(people("coordinator", at=network.lead).owner)
    url = "network:edition"
    assert post(client, url, {"line-contributor": "Comune di Prova", "line-kind": "money", "line-amount": "20000"})
    response = post(
        client,
        url,
        {
            "line-contributor": "Città Metropolitana",
            "line-kind": "in_kind",
            "line-amount": "39166.67",
            "line-description": "Staff and equipment",
        },
    )
    assert response.status_code == 302
    network.programme.refresh_from_db()
    assert network.programme.co_funding == Decimal("59166.67")
    line = CoFunding.objects.get(kind="in_kind")
    assert audit_rows(line) == [Action.CREATE]
    page = client.get(reverse(url)).content.decode()
    assert "Città Metropolitana" in page and "In kind" in page
    detail = client.get(reverse("network:programme_detail", args=["P-1"])).content.decode()
    assert "Città Metropolitana · In kind: 39,166.67 €" in detail
    assert client.post(reverse("network:remove_co_funding", args=[line.pk])).status_code == 302
    network.programme.refresh_from_db()
    assert network.programme.co_funding == Decimal("20000")
    assert audit_rows(line) == [Action.CREATE, Action.DELETE]


def test_a_co_funding_line_is_bounded_and_another_edition_s_is_not_found(network, people):
    client = verified_client(people("coordinator", at=network.lead).owner)
    for amount, expected in (("-5", "greater than or equal to 0"), ("1" * 13, "no more than 12 digits")):
        data = {"line-contributor": "Comune", "line-kind": "money", "line-amount": amount}
        response = post(client, "network:edition", data)
        assert response.status_code == 200 and expected in response.content.decode()
    assert not CoFunding.objects.exists()
    elsewhere = CoFunding.objects.create(
        programme=network.other_programme, contributor="Comune", kind="money", amount=Decimal("1")
    )
    assert client.post(reverse("network:remove_co_funding", args=[elsewhere.pk])).status_code == 404
    assert CoFunding.objects.filter(pk=elsewhere.pk).exists()


def test_an_edition_s_period_grows_but_does_not_shrink(network, people):
    client = verified_client(people("coordinator", at=network.lead).owner)
    programme = network.programme
    data = EDITION | {"start": "2024-06-01", "end": programme.end.isoformat(), "name": "Renamed"}
    response = post(client, "network:edition", data)
    assert response.status_code == 200 and "can grow but not shrink" in response.content.decode()
    programme.refresh_from_db()
    assert (programme.start, programme.name) == (date(2024, 1, 1), "Programma uno")
    data |= {"start": "2023-06-01"}
    assert post(client, "network:edition", data).status_code == 302
    programme.refresh_from_db()
    assert (programme.start, programme.name, programme.code) == (date(2023, 6, 1), "Renamed", "P-1")
    assert audit_rows(programme) == [Action.CHANGE]


def test_organisations_include_law_enforcement_which_never_holds_roles(network, people):
    client = verified_client(people("coordinator", at=network.lead).owner)
    data = {"code": "gdf-milano", "name": "Guardia di Finanza Milano", "type": "enforcement"}
    assert post(client, "network:organisations", data).status_code == 302
    assert Organisation.objects.get(code="gdf-milano").is_enforcement
    # An organisation whose people hold roles (the outsider works at "other") cannot become one.
    response = post(client, "network:organisations", {"code": "other", "name": "Beta", "type": "enforcement"})
    assert response.status_code == 200 and "cannot become a law-enforcement body" in response.content.decode()
    assert Organisation.objects.get(code="other").type == "partner"


def test_an_area_is_added_and_renamed(network, people):
    client = verified_client(people("admin", at=network.lead).owner)
    assert post(client, "network:areas", {"code": "to", "name": "Torino"}).status_code == 302
    assert post(client, "network:areas", {"code": "TO", "name": "Città di Torino"}).status_code == 302
    area = Area.objects.get(code="TO")
    assert area.name == "Città di Torino" and audit_rows(area) == [Action.CREATE, Action.CHANGE]


STRUCTURE = {
    "code": "S-NUOVA",
    "name": "Casa Nuova",
    "type": "women",
    "beds": "5",
    "gender": "women",
    "ages": "adults",
    "open_from": "2025-01-01",
}


def test_a_structure_joins_the_acting_edition_with_its_beds(network, people):
    client = verified_client(people("coordinator", at=network.lead).owner)
    data = STRUCTURE | {"organisation": network.partner.pk, "area": Area.objects.get(code="MI").pk}
    assert post(client, "shelter:structure_new", data).status_code == 302
    with scopes_disabled():
        structure = Structure.objects.get(code="S-NUOVA")
        assert list(structure.programmes.all()) == [network.programme]
        assert Bed.objects.filter(structure=structure, in_use=True).count() == 5
    assert audit_rows(structure) == [Action.CREATE]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"beds": "0"}, "greater than or equal to 1"),
        ({"beds": "501"}, "less than or equal to 500"),
        ({"open_to": "2024-12-31"}, "cannot close before it opens"),
        ({"code": "S-BETA"}, "exists already"),
        ({"organisation": "enforcement"}, "Select a valid choice"),
    ],
)
def test_a_refused_structure_says_why_and_adds_nothing(network, people, change, expected):
    client = verified_client(people("coordinator", at=network.lead).owner)
    outsider = Organisation.objects.create(code="police", name="Questura", type="enforcement")
    data = STRUCTURE | {"organisation": network.partner.pk, "area": Area.objects.get(code="MI").pk} | change
    if change.get("organisation") == "enforcement":
        data["organisation"] = outsider.pk
    with scopes_disabled():
        before = Structure.objects.count()
    response = post(client, "shelter:structure_new", data)
    assert response.status_code == 200 and expected in response.content.decode()
    with scopes_disabled():
        assert Structure.objects.count() == before


@pytest.mark.parametrize("name", ["network:partners", "network:edition"])
def test_date_pickers_keep_their_date_in_italian(network, people, name):
    """A browser's date picker reads only YYYY-MM-DD: a localised 01/01/2024 left it empty, and saving failed."""
    client = verified_client(people("coordinator", at=network.lead).owner)
    client.cookies["django_language"] = "it"
    page = client.get(reverse(name)).content.decode()
    day = timezone.localdate() if name == "network:partners" else network.programme.start
    assert f'type="date" name="{"day" if name == "network:partners" else "start"}" value="{day.isoformat()}"' in page


def test_a_material_is_added_then_retired_and_leaves_the_outing_form(network, people):
    client = verified_client(people("coordinator", at=network.lead).owner)
    data = {"code": "leaflet-ro", "name": "Leaflet in Romanian", "active": "on"}
    assert post(client, "network:materials", data).status_code == 302
    material = Material.objects.get(code="leaflet-ro")
    assert material.active
    from approdi.outreach.forms import OutingForm

    assert any("Leaflet in Romanian" in str(f.label) for f in OutingForm().fields.values())
    assert post(client, "network:materials", {"code": "LEAFLET-RO", "name": "Leaflet in Romanian"}).status_code == 302
    material.refresh_from_db()
    assert not material.active and audit_rows(material) == [Action.CREATE, Action.CHANGE]
    assert not any("Leaflet in Romanian" in str(f.label) for f in OutingForm().fields.values())
    response = post(client, "network:materials", {"code": "bad code!", "name": "x" * 101})
    assert response.status_code == 200 and "at most 100 characters" in response.content.decode()


def settings_data(network, **change):
    return {
        "name": "Casa Alfa",
        "type": "women",
        "area": Area.objects.get(code="MI").pk,
        "gender": "women",
        "ages": "all",
        "open_from": "2024-01-01",
    } | change


def test_the_lead_entity_changes_what_a_structure_is_and_it_is_audited(network, people):
    trio = people("coordinator", at=network.lead)
    client = verified_client(trio.owner)
    client.cookies["django_language"] = "en"
    assert client.post(SETTINGS, settings_data(network)).status_code == 302
    with scopes_disabled():
        structure = Structure.objects.get(code="S-ALFA")
        assert (structure.ages, structure.open_from, structure.beds) == ("all", date(2024, 1, 1), 4)
    assert audit_rows(structure)[-1] == Action.CHANGE
    for user in (trio.member, trio.outsider):
        other = verified_client(user)
        assert other.post(SETTINGS, settings_data(network, ages="minors")).status_code == 403
    with scopes_disabled():
        assert Structure.objects.get(code="S-ALFA").ages == "all"
