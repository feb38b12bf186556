"""The outreach JSON API: DESIGN.md §9's calls as written, who may call what, refusals, audit, query counts."""

from datetime import date

import pytest
from django.test import Client
from django.utils import timezone
from django_scopes import scopes_disabled

from approdi.accounts.services import issue_token
from approdi.audit.models import AuditEntry
from approdi.network.models import Programme
from approdi.outreach.models import Contact, Material, Outing, OutingMaterial, OutingSite, Referral
from approdi.people.person_code import code_from_identifier, is_code

pytestmark = pytest.mark.django_db

IDENTITY = {"given_name", "family_name", "birth_date", "phone", "notes"}
REFERRING_ORG_SEES = {"id", "date", "source_type", "person_code", "status", "outcome"}


class Api:
    """A client speaking for one user with a fresh token."""

    def __init__(self, user):
        _, self.key = issue_token(user=user)

    def _auth(self, headers):
        return {"HTTP_AUTHORIZATION": f"Bearer {self.key}", "HTTP_ACCEPT_LANGUAGE": "en", **headers}

    def get(self, url, params=None, **headers):
        return Client().get(url, params or {}, **self._auth(headers))

    def post(self, url, body, **headers):
        return Client().post(url, body, content_type="application/json", **self._auth(headers))


def in_db(model, **filters) -> int:
    with scopes_disabled():
        return model.objects.filter(**filters).count()


def created(object_type: str) -> list[AuditEntry]:
    with scopes_disabled():
        return list(AuditEntry.objects.filter(action="create", object_type=object_type).order_by("id"))


def contact_body(**overrides) -> dict:
    """The ``contacts`` columns of §9, as a spreadsheet row, plus ``programme``."""
    body = {
        "programme": "P-1",
        "date": "2024-03-01",
        "organisation": "partner",
        "channel": "street",
        "area": "MI",
        "person_code": "MILANO-0042",
        "gender": "woman",
        "age_band": "21-23",
        "nationality": "NG",
        "exploitation": "sexual",
        "first_contact": "yes",
        "headcount": 1,
    }
    return {**body, **overrides}


def referral_body(**overrides) -> dict:
    """The ``referrals`` columns of §9 plus ``programme``, and an identity."""
    body = {
        "programme": "P-1",
        "date": "2024-03-02",
        "organisation": "partner",
        "source_type": "police",
        "referring_body": "Questura di Milano",
        "person_code": "MILANO-0042",
        "gender": "woman",
        "nationality": "NG",
        "exploitation": "sexual",
        "given_name": "Blessing",
        "family_name": "Okafor",
        "birth_date": "2001-05-04",
        "phone": "+39 333 000 0000",
        "notes": "Needs a safe place tonight.",
        "urgency": "immediate",
        "consent_to_share": True,
    }
    return {**body, **overrides}


def outing_body(**overrides) -> dict:
    body = {
        "programme": "P-1",
        "team": "Unità notturna",
        "date": "2024-03-05",
        "shift": "night",
        "area": "MI",
        "start_time": "21:00",
        "end_time": "01:30",
        "sites": [{"name": "Viale Monza", "people_seen": 7}],
        "materials": {"condoms": 40, "leaflet-en": 5},
    }
    return {**body, **overrides}


@pytest.fixture
def materials(db):
    Material.objects.create(code="condoms", name="Condoms")
    Material.objects.create(code="leaflet-en", name="Leaflet (English)")
    Material.objects.create(code="old-leaflet", name="Old leaflet", active=False)


def not_frontline(network, make_user):
    """A member of the partner without a role that records or reads referrals."""
    return make_user("partner-coordinator", network.partner, "coordinator", network.programme)


def filtro_user(network, make_user):
    return make_user("filtro", network.lead, "filtro", network.programme)


@pytest.fixture
def outreach(people):
    """owner: outreach at the partner; member: case worker at the partner; outsider: outreach at ``other``."""
    return people("outreach")


@pytest.fixture
def records(outreach, materials):
    """One record of each kind of the partner organisation, created through the API by its owner."""
    api = Api(outreach.owner)
    access = {k: v for k, v in contact_body(person_code="", service_point="Desk").items() if k != "channel"}
    return {
        "contact": api.post("/api/v1/contacts", contact_body()).json()["id"],
        "access": api.post("/api/v1/accesses", access).json()["id"],
        "outing": api.post("/api/v1/outings", outing_body()).json()["id"],
        "referral": api.post("/api/v1/referrals", referral_body()).json()["id"],
    }


# --- the §9 contract, exactly as written ------------------------------------------------------------


def test_post_contacts_with_the_import_columns_answers_201_with_the_id(network, outreach):
    response = Api(outreach.owner).post("/api/v1/contacts", contact_body())
    assert response.status_code == 201
    assert set(response.json()) == {"id"}
    with scopes_disabled():
        contact = Contact.objects.get(pk=response.json()["id"])
    assert (contact.programme, contact.organisation, contact.area) == (network.programme, network.partner, network.area)
    assert (contact.channel, contact.date, contact.headcount) == ("street", date(2024, 3, 1), 1)
    assert (contact.first_contact, contact.gender, contact.age_band) == (True, "woman", "21-23")
    assert (contact.nationality.code, contact.exploitation) == ("NG", "sexual")
    # The person code is stored keyed-hashed, like every code of the network.
    assert contact.person_code == code_from_identifier("MILANO-0042") and is_code(contact.person_code)
    assert contact.created_by == outreach.owner


def test_get_contact_and_list_of_the_programme(network, outreach):
    api = Api(outreach.owner)
    pk = api.post("/api/v1/contacts", contact_body()).json()["id"]
    detail = api.get(f"/api/v1/contacts/{pk}")
    assert detail.status_code == 200
    body = detail.json()
    assert body["id"] == pk and body["programme"] == "P-1" and body["organisation"] == "partner"
    assert body["channel"] == "street" and body["date"] == "2024-03-01" and body["area"] == "MI"
    assert body["person_code"] == code_from_identifier("MILANO-0042") and body["nationality"] == "NG"
    listing = api.get("/api/v1/contacts?programme=P-1")
    assert listing.status_code == 200
    assert set(listing.json()) == {"items", "count", "next"}
    assert listing.json()["count"] == 1 and [item["id"] for item in listing.json()["items"]] == [pk]
    assert listing.json()["items"][0] == body


def test_organisation_defaults_to_the_callers_and_spreadsheet_spellings_are_accepted(network, outreach):
    body = contact_body(
        date="01/03/2024",
        channel="Street",
        area="mi",
        gender="WOMAN",
        nationality="ng",
        first_contact="no",
        headcount="1",
        person_code="",
        age_band="",
        exploitation="",
    )
    del body["organisation"]
    response = Api(outreach.owner).post("/api/v1/contacts", body)
    assert response.status_code == 201, response.json()
    with scopes_disabled():
        contact = Contact.objects.get(pk=response.json()["id"])
    assert contact.organisation == network.partner and contact.date == date(2024, 3, 1)
    assert (contact.first_contact, contact.person_code, contact.age_band) == (False, "", "")
    assert contact.nationality.code == "NG"


def test_post_referrals_makes_a_new_person_code_known(network, outreach):
    api = Api(outreach.owner)
    response = api.post("/api/v1/referrals", referral_body(person_code="NEW-PERSON-7"))
    assert response.status_code == 201 and set(response.json()) == {"id"}
    with scopes_disabled():
        referral = Referral.objects.get(pk=response.json()["id"])
    assert (referral.programme, referral.organisation) == (network.programme, network.partner)
    assert referral.source_type == "police"
    assert referral.person_code == code_from_identifier("NEW-PERSON-7")
    assert (referral.given_name, referral.birth_date, referral.urgency) == ("Blessing", date(2001, 5, 4), "immediate")
    assert referral.status == "new"
    # Known now: a later contact with the same code is not a first contact.
    contact = api.post("/api/v1/contacts", contact_body(person_code="NEW-PERSON-7", first_contact=""))
    with scopes_disabled():
        assert Contact.objects.get(pk=contact.json()["id"]).first_contact is False


def test_referral_urgency_defaults_to_routine(network, outreach):
    body = {k: v for k, v in referral_body().items() if k in {"programme", "date", "organisation", "source_type"}}
    response = Api(outreach.owner).post("/api/v1/referrals", body | {"notes": "Segnalata dal CAS"})
    assert response.status_code == 201, response.json()
    with scopes_disabled():
        referral = Referral.objects.get(pk=response.json()["id"])
    assert (referral.urgency, referral.consent_to_share) == ("routine", False)
    assert (referral.person_code, referral.given_name) == ("", "")


def test_an_empty_or_sourceless_referral_is_refused(network, outreach):
    body = {k: v for k, v in referral_body().items() if k in {"programme", "date", "organisation", "source_type"}}
    empty = Api(outreach.owner).post("/api/v1/referrals", body)
    assert empty.status_code == 400 and empty.json()["error"]["fields"]["__all__"]
    sourceless = Api(outreach.owner).post("/api/v1/referrals", body | {"source_type": "", "person_code": "R-9"})
    assert sourceless.status_code == 422 and "source_type" in sourceless.json()["error"]["fields"]
    with scopes_disabled():
        assert not Referral.objects.exists()


# --- owner, member, outsider on every route ---------------------------------------------------------

OBJECT_URLS = {
    "contact": "/api/v1/contacts/{}",
    "access": "/api/v1/accesses/{}",
    "outing": "/api/v1/outings/{}",
    "referral": "/api/v1/referrals/{}",
}
LIST_URLS = {
    "contact": "/api/v1/contacts",
    "access": "/api/v1/accesses",
    "outing": "/api/v1/outings",
    "referral": "/api/v1/referrals",
}


@pytest.mark.parametrize("kind", sorted(OBJECT_URLS))
def test_object_routes_owner_member_outsider(kind, network, outreach, records, make_user):
    url = OBJECT_URLS[kind].format(records[kind])
    assert Api(outreach.owner).get(url).status_code == 200
    member = outreach.member if kind != "referral" else not_frontline(network, make_user)
    refused = Api(member).get(url)
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "forbidden"
    outsider = Api(outreach.outsider)
    hidden, missing = outsider.get(url), outsider.get(OBJECT_URLS[kind].format(987654))
    assert hidden.status_code == 404 and hidden.json() == missing.json()
    assert hidden.json()["error"] == {"status": 404, "code": "not_found", "message": "Not found.", "fields": {}}


@pytest.mark.parametrize("kind", sorted(LIST_URLS))
def test_list_routes_owner_member_outsider(kind, network, outreach, records, make_user):
    url = LIST_URLS[kind]
    mine = Api(outreach.owner).get(url, {"programme": "P-1"}).json()
    expected = {records[kind], records["access"]} if kind == "contact" else {records[kind]}  # contacts: every channel
    assert mine["count"] == len(expected) and {item["id"] for item in mine["items"]} == expected
    member = outreach.member if kind != "referral" else not_frontline(network, make_user)
    assert Api(member).get(url, {"programme": "P-1"}).status_code == 403
    theirs = Api(outreach.outsider).get(url, {"programme": "P-1"})
    empty = {"items": [], "count": 0} if kind == "outing" else {"items": [], "count": 0, "next": None}
    assert theirs.status_code == 200 and theirs.json() == empty


CREATE_CALLS = {
    "contact": ("/api/v1/contacts", lambda: contact_body(), Contact),
    "access": ("/api/v1/accesses", lambda: {k: v for k, v in contact_body().items() if k != "channel"}, Contact),
    "outing": ("/api/v1/outings", lambda: outing_body(), Outing),
    "referral": ("/api/v1/referrals", lambda: referral_body(), Referral),
}


@pytest.mark.parametrize("kind", sorted(CREATE_CALLS))
def test_create_routes_owner_member_outsider(kind, network, outreach, materials, make_user):
    url, body, model = CREATE_CALLS[kind]
    member = outreach.member if kind != "referral" else not_frontline(network, make_user)
    refused = Api(member).post(url, body())
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "forbidden"
    assert in_db(model) == 0
    with scopes_disabled():
        assert AuditEntry.objects.filter(action="denied", actor=member).exists()
    # The outsider records for their own organisation only: naming the partner is a field error.
    if kind != "outing":
        outsider = Api(outreach.outsider).post(url, body())
        assert outsider.status_code == 400 and list(outsider.json()["error"]["fields"]) == ["organisation"]
        assert in_db(model) == 0
    assert Api(outreach.owner).post(url, body()).status_code == 201
    assert in_db(model, organisation=network.partner) == 1


def test_outing_contacts_owner_member_outsider(network, outreach, records):
    url = f"/api/v1/outings/{records['outing']}/contacts"
    body = {"programme": "P-1", "headcount": 3, "site": "viale monza"}
    before = in_db(Contact)
    assert Api(outreach.member).post(url, body).status_code == 403
    hidden = Api(outreach.outsider).post(url, body)
    missing = Api(outreach.outsider).post("/api/v1/outings/987654/contacts", body)
    assert hidden.status_code == 404 and hidden.json() == missing.json()
    assert in_db(Contact) == before
    response = Api(outreach.owner).post(url, body)
    assert response.status_code == 201
    with scopes_disabled():
        contact = Contact.objects.select_related("site").get(pk=response.json()["id"])
    assert (contact.outing_id, contact.channel) == (records["outing"], "street")
    assert (contact.headcount, contact.person_code) == (3, "")
    assert (contact.date, contact.area, contact.site.name) == (date(2024, 3, 5), network.area, "Viale Monza")


def test_a_caller_without_a_membership_in_the_programme_is_refused(network, outreach):
    api = Api(outreach.owner)  # member of P-1 only
    response = api.post("/api/v1/contacts", contact_body(programme="P-2"))
    assert response.status_code == 403 and response.json()["error"]["code"] == "forbidden"
    assert api.get("/api/v1/contacts", {"programme": "P-2"}).status_code == 403
    assert in_db(Contact) == 0


def test_body_programme_must_be_the_one_the_request_acts_under(network, outreach, make_user):
    from approdi.accounts.models import Membership

    Membership.objects.create(
        user=outreach.owner, organisation=network.partner, programme=network.other_programme, role="outreach"
    )
    response = Api(outreach.owner).post("/api/v1/contacts?programme=P-2", contact_body(programme="P-1"))
    assert response.status_code == 400 and list(response.json()["error"]["fields"]) == ["programme"]
    assert in_db(Contact) == 0
    # Named in the body alone, the programme chooses the membership: an ended edition is closed to her.
    response = Api(outreach.owner).post("/api/v1/contacts", contact_body(programme="P-2", date="2022-05-01"))
    assert response.status_code == 409 and response.json()["error"]["code"] == "closed_period"
    assert "P-2" in response.json()["error"]["fields"]["date"][0]
    assert in_db(Contact) == 0
    Programme.objects.filter(pk=network.other_programme.pk).update(end=date(timezone.localdate().year + 1, 12, 31))
    response = Api(outreach.owner).post("/api/v1/contacts", contact_body(programme="P-2", date="2022-05-01"))
    assert response.status_code == 201
    with scopes_disabled():
        assert Contact.objects.get(pk=response.json()["id"]).programme == network.other_programme


# --- the Ufficio Filtro and referrals -----------------------------------------------------------------


def test_filtro_at_the_lead_entity_reads_every_referral_with_identity(network, outreach, make_user):
    Api(outreach.owner).post("/api/v1/referrals", referral_body())
    Api(outreach.outsider).post("/api/v1/referrals", referral_body(organisation="other", given_name="Grace"))
    filtro = Api(filtro_user(network, make_user))
    listing = filtro.get("/api/v1/referrals", {"programme": "P-1"}).json()
    assert listing["count"] == 2
    assert {item["organisation"] for item in listing["items"]} == {"partner", "other"}
    # The list carries no identity: only the audited reading of one referral does.
    assert not IDENTITY & set(listing["items"][0])
    with scopes_disabled():
        pk = Referral.objects.get(organisation=network.partner).pk
    detail = filtro.get(f"/api/v1/referrals/{pk}").json()
    assert (detail["given_name"], detail["family_name"], detail["birth_date"]) == ("Blessing", "Okafor", "2001-05-04")
    assert (detail["phone"], detail["notes"]) == ("+39 333 000 0000", "Needs a safe place tonight.")
    assert (detail["organisation"], detail["referring_body"]) == ("partner", "Questura di Milano")
    assert detail["urgency"] == "immediate"
    with scopes_disabled():
        (view,) = AuditEntry.objects.filter(action="view", object_type="outreach.referral", object_id=str(pk))
    assert view.actor.username == "filtro" and set(view.fields) == IDENTITY


def test_referring_organisation_sees_only_status_and_outcome(network, outreach):
    api = Api(outreach.owner)
    pk = api.post("/api/v1/referrals", referral_body()).json()["id"]
    with scopes_disabled():
        Referral.objects.filter(pk=pk).update(status="decided", outcome="Placed in a shelter")
    detail = api.get(f"/api/v1/referrals/{pk}").json()
    assert set(detail) == REFERRING_ORG_SEES
    assert (detail["status"], detail["outcome"], detail["source_type"]) == ("decided", "Placed in a shelter", "police")
    item = api.get("/api/v1/referrals").json()["items"][0]
    assert set(item) == REFERRING_ORG_SEES
    content = api.get(f"/api/v1/referrals/{pk}").content.decode() + api.get("/api/v1/referrals").content.decode()
    assert "Blessing" not in content and "Questura" not in content
    with scopes_disabled():
        assert not AuditEntry.objects.filter(action="view", object_type="outreach.referral").exists()


def test_referral_list_filters_by_status(network, outreach):
    api = Api(outreach.owner)
    first = api.post("/api/v1/referrals", referral_body()).json()["id"]
    api.post("/api/v1/referrals", referral_body(date="2024-03-03"))
    with scopes_disabled():
        Referral.objects.filter(pk=first).update(status="closed")
    closed = api.get("/api/v1/referrals", {"status": "closed"}).json()
    assert closed["count"] == 1 and closed["items"][0]["id"] == first


# --- refusals: a 4xx envelope and nothing written ------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "status", "field"),
    [
        ({"date": "2024-02-30"}, 422, "date"),
        ({"date": "ieri"}, 422, "date"),
        ({"date": 1709251200}, 422, "date"),
        ({"date": None}, 422, "date"),
        ({"organisation": "nessuno"}, 400, "organisation"),
        ({"area": "XX"}, 400, "area"),
        ({"channel": "bus"}, 422, "channel"),
        ({"headcount": -2}, 422, "headcount"),
        ({"headcount": 0}, 422, "headcount"),
        ({"headcount": "many"}, 422, "headcount"),
        ({"headcount": 3}, 400, "person_code"),  # a group carries no person code
        ({"gender": "female"}, 422, "gender"),
        ({"age_band": "18-25"}, 422, "age_band"),
        ({"nationality": "XX"}, 400, "nationality"),
        ({"first_contact": "maybe"}, 422, "first_contact"),
        ({"services": ["legal_advice"]}, 400, "services"),  # a desk service on the street
        ({"services": ["teleportation"]}, 422, "services.0"),
        ({"person_code": "!!!"}, 400, "person_code"),
        ({"languages": "x" * 101}, 400, "languages"),
        ({"colour": "blue"}, 422, "colour"),
        ({"programme": None}, 422, "programme"),
    ],
)
def test_bad_contact_is_refused_and_nothing_is_written(change, status, field, network, outreach):
    response = Api(outreach.owner).post("/api/v1/contacts", contact_body(**change))
    assert response.status_code == status, response.json()
    error = response.json()["error"]
    assert error["status"] == status and error["code"] == "invalid" and field in error["fields"]
    assert in_db(Contact) == 0 and not created("outreach.contact")


@pytest.mark.parametrize("raw", ["{not json", "[1, 2]", '"a string"', ""])
def test_a_body_that_is_not_an_object_is_refused(raw, network, outreach):
    api = Api(outreach.owner)
    response = Client().post(
        "/api/v1/contacts",
        raw,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {api.key}",
        HTTP_X_APPRODI_PROGRAMME="P-1",
    )
    assert 400 <= response.status_code < 500
    assert set(response.json()["error"]) == {"status", "code", "message", "fields"}
    assert in_db(Contact) == 0


def test_several_bad_codes_are_reported_together(network, outreach):
    response = Api(outreach.owner).post("/api/v1/contacts", contact_body(organisation="nessuno", area="XX"))
    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == {"organisation", "area"}


@pytest.mark.parametrize(
    ("change", "status", "field"),
    [
        ({"date": "2024-13-01"}, 422, "date"),
        ({"organisation": "nessuno"}, 400, "organisation"),
        ({"source_type": "neighbour"}, 422, "source_type"),
        ({"birth_date": "05/2001"}, 422, "birth_date"),
        ({"urgency": "tomorrow"}, 422, "urgency"),
        ({"nationality": "Nigeria"}, 400, "nationality"),
    ],
)
def test_bad_referral_is_refused_and_nothing_is_written(change, status, field, network, outreach):
    response = Api(outreach.owner).post("/api/v1/referrals", referral_body(**change))
    assert response.status_code == status, response.json()
    assert field in response.json()["error"]["fields"]
    assert in_db(Referral) == 0 and not created("outreach.referral")


@pytest.mark.parametrize(
    ("change", "status", "field"),
    [
        ({"materials": {"condoms": 0}}, 422, "materials.condoms"),
        ({"materials": {"caramelle": 3}}, 400, "materials"),
        ({"materials": {"old-leaflet": 3}}, 400, "materials"),  # no longer in use
        ({"area": "XX"}, 400, "area"),
        ({"shift": "evening"}, 422, "shift"),
        ({"sites": [{"name": "", "people_seen": 2}]}, 422, "sites.0.name"),
        ({"sites": [{"name": "Piazzale", "people_seen": -1}]}, 422, "sites.0.people_seen"),
        ({"sites": [{"name": "Piazzale", "people_seen": 10_001}]}, 422, "sites.0.people_seen"),
        ({"sites": [{"name": f"Site {n}", "people_seen": 1} for n in range(101)]}, 422, "sites"),
        ({"materials": {"condoms": 10_001}}, 422, "materials.condoms"),
        ({"team": ""}, 422, "team"),
        ({"team": "x" * 101}, 422, "team"),
        ({"shift": "day", "start_time": "18:00", "end_time": "09:00"}, 400, "end_time"),
        ({"start_time": "25:00"}, 422, "start_time"),
    ],
)
def test_bad_outing_is_refused_and_nothing_is_written(change, status, field, network, outreach, materials):
    response = Api(outreach.owner).post("/api/v1/outings", outing_body(**change))
    assert response.status_code == status, response.json()
    assert field in response.json()["error"]["fields"]
    assert in_db(Outing) == 0 and in_db(OutingSite) == 0 and in_db(OutingMaterial) == 0
    assert not created("outreach.outing")


@pytest.mark.parametrize(
    ("change", "status", "field"),
    [
        ({"headcount": 4, "person_code": "MILANO-0042"}, 400, "person_code"),
        ({"site": "Nowhere"}, 400, "site"),
        ({"area": "XX"}, 400, "area"),
        ({"headcount": -1}, 422, "headcount"),
        ({"channel": "indoor"}, 422, "channel"),  # an outing's contacts are street contacts
    ],
)
def test_bad_outing_contact_is_refused(change, status, field, network, outreach, records):
    before = in_db(Contact)
    body = {"programme": "P-1", **change}
    response = Api(outreach.owner).post(f"/api/v1/outings/{records['outing']}/contacts", body)
    assert response.status_code == status, response.json()
    assert field in response.json()["error"]["fields"]
    assert in_db(Contact) == before


# --- audit -------------------------------------------------------------------------------------------


def test_creates_are_audited_with_field_names_never_values(network, outreach, records):
    expected = {
        "outreach.contact": [records["contact"], records["access"]],
        "outreach.outing": [records["outing"]],
        "outreach.referral": [records["referral"]],
    }
    for object_type, ids in expected.items():
        entries = created(object_type)
        assert [int(e.object_id) for e in entries] == ids
        for entry in entries:
            assert entry.actor == outreach.owner and entry.role == "outreach"
            assert entry.organisation == network.partner and entry.programme == network.programme
    (referral,) = created("outreach.referral")
    assert {"given_name", "person_code", "source_type"} <= set(referral.fields)
    assert "Blessing" not in str(referral.fields) and "Blessing" not in referral.reason
    outing_contact = Api(outreach.owner).post(f"/api/v1/outings/{records['outing']}/contacts", {"programme": "P-1"})
    assert created("outreach.contact")[-1].object_id == str(outing_contact.json()["id"])


# --- outings, accesses, filters ---------------------------------------------------------------------


def test_outing_detail_has_sites_materials_and_contacts(network, outreach, records):
    api = Api(outreach.owner)
    url = f"/api/v1/outings/{records['outing']}"
    api.post(f"{url}/contacts", {"programme": "P-1", "headcount": 4, "site": "Viale Monza"})
    api.post(f"{url}/contacts", {"programme": "P-1", "person_code": "MILANO-9", "gender": "trans_woman"})
    detail = api.get(url).json()
    assert (detail["team"], detail["shift"]) == ("Unità notturna", "night")
    assert (detail["date"], detail["area"]) == ("2024-03-05", "MI")
    assert (detail["start_time"], detail["end_time"]) == ("21:00:00", "01:30:00")
    assert [(s["name"], s["people_seen"]) for s in detail["sites"]] == [("Viale Monza", 7)]
    assert detail["materials"] == {"condoms": 40, "leaflet-en": 5}
    # A group of four is four contacts, as in every figure of §9, and one record.
    assert (detail["contacts"], detail["records"], detail["people"]) == (5, 2, 5)
    assert detail["operators"] == ["outreach-owner"]
    listing = api.get("/api/v1/outings").json()
    assert listing["count"] == 1 and listing["items"][0]["people"] == 5


def test_accesses_are_the_drop_in_contacts(network, outreach, records):
    api = Api(outreach.owner)
    accesses = api.get("/api/v1/accesses").json()
    assert [item["id"] for item in accesses["items"]] == [records["access"]]
    assert accesses["items"][0]["channel"] == "drop_in" and accesses["items"][0]["service_point"] == "Desk"
    assert api.get(f"/api/v1/accesses/{records['contact']}").status_code == 404  # a street contact
    assert api.get(f"/api/v1/contacts/{records['access']}").status_code == 200  # contacts are every channel


def test_an_access_takes_the_desk_fields(network, outreach):
    body = {k: v for k, v in contact_body().items() if k != "channel"} | {
        "services": ["listening", "legal_advice"],
        "access_channel": "phone",
        "language_used": "English",
        "mediator": "yes",
        "service_point": "Sportello Centrale",
    }
    response = Api(outreach.owner).post("/api/v1/accesses", body)
    assert response.status_code == 201, response.json()
    with scopes_disabled():
        access = Contact.objects.get(pk=response.json()["id"])
    assert (access.channel, access.access_channel, access.mediator) == ("drop_in", "phone", True)
    assert access.services == ["legal_advice", "listening"]
    # A street service is not a desk service.
    refused = Api(outreach.owner).post("/api/v1/accesses", body | {"services": ["prophylaxis"]})
    assert refused.status_code == 400 and "services" in refused.json()["error"]["fields"]


def test_contact_list_filters_and_pages(network, outreach):
    api = Api(outreach.owner)
    for day, channel, code in [(1, "street", "ANNA-1"), (2, "indoor", ""), (3, "street", ""), (4, "drop_in", "ANNA-1")]:
        body = contact_body(date=f"2024-03-0{day}", channel=channel, person_code=code)
        assert api.post("/api/v1/contacts", body).status_code == 201

    def dates(**params):
        body = api.get("/api/v1/contacts", params).json()
        return body["count"], [item["date"][-2:] for item in body["items"]]

    assert dates() == (4, ["04", "03", "02", "01"])
    assert dates(channel="street") == (2, ["03", "01"])
    assert dates(date_from="2024-03-02", date_to="03/03/2024") == (2, ["03", "02"])
    assert dates(person_code="anna-1") == (2, ["04", "01"])  # the raw identifier finds its code
    assert dates(person_code=code_from_identifier("ANNA-1")) == (2, ["04", "01"])
    assert dates(limit=2, offset=1) == (4, ["03", "02"])
    for bad in ({"limit": 0}, {"limit": 5000}, {"offset": -1}, {"date_from": "yesterday"}, {"channel": "bus"}):
        response = api.get("/api/v1/contacts", bad)
        assert response.status_code == 422 and set(response.json()["error"]["fields"]) == set(bad), bad


# --- counts ---------------------------------------------------------------------------------------------


def test_counts_follow_the_counting_rules(network, outreach, make_user):
    owner, outsider = Api(outreach.owner), Api(outreach.outsider)
    owner.post("/api/v1/contacts", contact_body(person_code="", headcount=5, first_contact=""))
    owner.post("/api/v1/contacts", contact_body(channel="indoor", person_code="ANNA-1"))
    owner.post("/api/v1/contacts", contact_body(channel="drop_in", person_code="ANNA-1", date="2024-04-01"))
    owner.post("/api/v1/contacts", contact_body(date="2023-12-31", person_code=""))  # before the period
    owner.post("/api/v1/referrals", referral_body(source_type="police"))
    owner.post("/api/v1/referrals", referral_body(source_type="self", person_code="SOMEONE-ELSE"))
    outsider.post("/api/v1/contacts", contact_body(organisation="other", person_code="", headcount=100))
    period = {"programme": "P-1", "from": "2024-01-01", "to": "2024-06-30"}

    response = owner.get("/api/v1/outreach/counts", period)
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["programme"], body["from"], body["to"]) == ("P-1", "2024-01-01", "2024-06-30")
    assert body["figures"] == {
        "street_contacts": 5,
        "indoor_contacts": 1,
        "low_threshold_accesses": 1,
        "persons_referred_by_bodies": 1,
    }
    assert body["totals"]["contacts"] == 7 and body["totals"]["people"] == 1 and body["totals"]["anonymous"] == 5
    assert {row["channel"]: row["contacts"] for row in body["by_channel"]} == {"street": 5, "indoor": 1, "drop_in": 1}
    assert owner.get("/api/v1/outreach/counts", {**period, "channel": "indoor"}).json()["totals"]["contacts"] == 1
    assert owner.get("/api/v1/outreach/counts", {**period, "area": "mi"}).json()["totals"]["contacts"] == 7

    # The outsider counts their own records; the coordinator at the lead entity, everyone's.
    assert outsider.get("/api/v1/outreach/counts", period).json()["figures"]["street_contacts"] == 100
    coordinator = Api(make_user("coordinatrice", network.lead, "coordinator", network.programme))
    assert coordinator.get("/api/v1/outreach/counts", period).json()["figures"]["street_contacts"] == 105
    only_partner = coordinator.get("/api/v1/outreach/counts", {**period, "organisation": "partner"}).json()
    assert only_partner["figures"]["street_contacts"] == 5
    assert Api(outreach.member).get("/api/v1/outreach/counts", period).status_code == 403


@pytest.mark.parametrize(
    ("params", "status", "field"),
    [
        ({"from": "2024-01-01"}, 422, "to"),
        ({"from": "2024-01-01", "to": "giugno"}, 422, "to"),
        ({"from": "2024-06-30", "to": "2024-01-01"}, 400, "end"),  # the one period rule's field (core/period.py)
        ({"from": "2024-01-01", "to": "2024-06-30", "area": "XX"}, 400, "area"),
        ({"from": "2024-01-01", "to": "2024-06-30", "organisation": "nessuno"}, 400, "organisation"),
        ({"from": "2024-01-01", "to": "2024-06-30", "channel": "bus"}, 422, "channel"),
    ],
)
def test_bad_count_queries_are_refused(params, status, field, network, outreach):
    response = Api(outreach.owner).get("/api/v1/outreach/counts", params)
    assert response.status_code == status, response.json()
    assert field in response.json()["error"]["fields"]


# --- query counts of the lists do not grow with rows ------------------------------------------------------


def _add(kind: str, api: Api, n: int, outing_id: int) -> None:
    for i in range(n):
        if kind == "contact":
            api.post("/api/v1/contacts", contact_body(person_code=f"P-{i}", area="MI" if i % 2 else ""))
        elif kind == "access":
            api.post("/api/v1/accesses", {k: v for k, v in contact_body(person_code="").items() if k != "channel"})
        elif kind == "outing":
            api.post("/api/v1/outings", outing_body())
        elif kind == "referral":
            api.post("/api/v1/referrals", referral_body(person_code=f"P-{i}"))
        if kind == "contact" and i % 3 == 0:
            api.post(f"/api/v1/outings/{outing_id}/contacts", {"programme": "P-1", "site": "Viale Monza"})


@pytest.mark.parametrize(
    ("kind", "role", "pinned"),
    [
        # token, memberships, count, page (the filtro at the lead: + the partners of the programme); the token's
        # last use is written at most once a minute, here by the first call
        ("contact", "outreach", 4),
        ("access", "outreach", 4),
        ("outing", "outreach", 4),
        ("referral", "outreach", 4),
        ("referral", "filtro", 5),
    ],
)
def test_list_queries_are_pinned(kind, role, pinned, network, outreach, materials, make_user, max_queries):
    reader = Api(outreach.owner if role == "outreach" else filtro_user(network, make_user))
    writer = Api(outreach.owner)
    outing_id = writer.post("/api/v1/outings", outing_body()).json()["id"]
    _add(kind, writer, 1, outing_id)
    reader.get(LIST_URLS[kind], {"programme": "P-1"})
    with max_queries(pinned) as few:
        small = reader.get(LIST_URLS[kind], {"programme": "P-1"})
    _add(kind, writer, 12, outing_id)
    with max_queries(pinned) as many:
        large = reader.get(LIST_URLS[kind], {"programme": "P-1"})
    assert small.status_code == large.status_code == 200
    assert large.json()["count"] >= small.json()["count"] + 12
    assert many.count == few.count
