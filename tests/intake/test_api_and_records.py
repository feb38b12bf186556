"""The screening contract of DESIGN.md §9, the Filtro's API, records as PDF/JSON, case conferences."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django_scopes import scopes_disabled

from approdi.accounts.services import issue_token
from approdi.audit.models import AuditEntry
from approdi.intake.models import CaseConference, Decision
from approdi.people.models import Person, ProgrammeRecord
from tests.builders import verified_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(filtro):
    _, key = issue_token(user=filtro)

    class Api:
        def get(self, url, **extra):
            return Client().get(url, HTTP_AUTHORIZATION=f"Bearer {key}", **extra)

        def post(self, url, body, **extra):
            return Client().post(
                url, body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {key}", **extra
            )

    return Api()


@pytest.mark.parametrize("code", ["adult_labour", "adult_sexual", "child_labour", "child_sexual"])
def test_indicator_lists_follow_the_contract(api, indicators, code):
    items = api.get(f"/api/v1/indicators?list={code}").json()["items"]
    assert len(items) >= 50
    assert {tuple(sorted(i)) for i in items} == {("dimension", "id", "strength", "text")}
    assert {i["dimension"] for i in items} == {
        "deceptive_recruitment",
        "coercive_recruitment",
        "recruitment_abuse_of_vulnerability",
        "exploitation",
        "coercion_at_destination",
        "abuse_of_vulnerability_at_destination",
    }
    assert {i["strength"] for i in items} <= {"strong", "medium", "weak"}


def test_unknown_list_is_a_422(api, indicators):
    assert api.get("/api/v1/indicators?list=adults").status_code == 422


def test_evaluate_applies_the_rule_and_stores_nothing(api, indicators):
    items = api.get("/api/v1/indicators?list=adult_labour").json()["items"]
    strong = {
        d: [i["id"] for i in items if i["dimension"] == d and i["strength"] == "strong"]
        for d in ("deceptive_recruitment", "coercive_recruitment", "exploitation", "coercion_at_destination")
    }
    chosen = strong["deceptive_recruitment"][:1] + strong["coercive_recruitment"][:1]
    medium = [i["id"] for i in items if i["strength"] == "medium"]
    body = {"list": "adult_labour", "indicators": chosen}
    answer = api.post("/api/v1/screenings/evaluate", body).json()
    assert set(answer) == {"dimensions", "presumed_victim", "explanation"}
    assert answer["presumed_victim"] is False and len(answer["dimensions"]) == 6
    exploitation = [i["id"] for i in items if i["dimension"] == "exploitation"][:3]
    destination = [i["id"] for i in items if i["dimension"] == "coercion_at_destination"][:3]
    recruitment = [i["id"] for i in items if i["dimension"] == "deceptive_recruitment"][:3]
    full = api.post(
        "/api/v1/screenings/evaluate", {"list": "adult_labour", "indicators": exploitation + destination + recruitment}
    ).json()
    assert full["dimensions"]["exploitation"] and full["presumed_victim"] is True
    assert medium  # the lists carry medium indicators too
    wrong = api.post("/api/v1/screenings/evaluate", {"list": "adult_labour", "indicators": ["CS-DR-01"]})
    assert wrong.status_code == 400 and "indicators" in wrong.json()["error"]["fields"]


def test_filtro_registers_screens_and_decides_through_the_api(api, network, indicators):
    created = api.post(
        "/api/v1/persons",
        {
            "given_name": "Ada",
            "family_name": "Obi",
            "birth_date": "1998-02-03",
            "nationality": "NG",
            "gender": "woman",
            "programme": "P-1",
        },
    )
    assert created.status_code == 201
    pid = created.json()["id"]
    dup = api.post(
        "/api/v1/persons/duplicates", {"given_name": "OBI", "family_name": "adà", "birth_date": "1998-02-03"}
    )
    assert "name_and_birth_date" in dup.json()[0]["reasons"]
    assert api.get(f"/api/v1/persons/{pid}").json()["given_name"] == "Ada"
    api.post(f"/api/v1/persons/{pid}/consents", {"purpose": "services", "granted": True, "date": "2024-05-01"})
    screening = api.post(
        f"/api/v1/persons/{pid}/screenings", {"list": "adult_sexual", "indicators": [], "conclusion": "unclear"}
    )
    assert screening.status_code == 201 and screening.json()["rule_presumed_victim"] is False
    assert (
        api.post(f"/api/v1/persons/{pid}/decisions", {"kind": "territorial", "reason": "Ha un alloggio."}).status_code
        == 201
    )
    with scopes_disabled():
        assert ProgrammeRecord.objects.get().kind == "entry"
        assert AuditEntry.objects.filter(action="view", object_type="intake.person").exists()


def test_national_record_needs_consent_and_carries_no_identity(api, filtro, network):
    pid = api.post(
        "/api/v1/persons",
        {
            "given_name": "Ada",
            "family_name": "Obi",
            "birth_date": "1998-02-03",
            "nationality": "NG",
            "gender": "woman",
            "phone": "+39 333 1",
        },
    ).json()["id"]
    refused = api.get(f"/api/v1/persons/{pid}/national-record")
    assert refused.status_code == 400
    api.post(f"/api/v1/persons/{pid}/consents", {"purpose": "national_network", "granted": True, "date": "2024-05-01"})
    record = api.get(f"/api/v1/persons/{pid}/national-record").json()
    assert record["nationality"] == "NG" and "Ada" not in str(record) and "333" not in str(record)
    client = verified_client(filtro)
    as_json = client.get(reverse("intake:record_sheet", args=[pid, "national"]) + "?format=json").json()
    assert as_json["person_code"] == record["person_code"]
    pdf = client.get(reverse("intake:record_sheet", args=[pid, "national"]) + "?format=pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    with scopes_disabled():
        assert AuditEntry.objects.filter(action="export", object_type="intake.person").count() == 3


def test_entry_and_exit_records(api, filtro, network):
    pid = api.post(
        "/api/v1/persons",
        {"given_name": "Ada", "family_name": "Obi", "birth_date": "1998-02-03", "nationality": "NG", "gender": "woman"},
    ).json()["id"]
    client = verified_client(filtro)
    early_exit = client.post(reverse("intake:exit_record", args=[pid]), {"day": "2025-01-31", "outcome": "autonomy"})
    assert early_exit.status_code == 302
    with scopes_disabled():
        assert not ProgrammeRecord.objects.exists()  # no entry, no exit
    api.post(f"/api/v1/persons/{pid}/consents", {"purpose": "services", "granted": True, "date": "2024-05-01"})
    api.post(f"/api/v1/persons/{pid}/decisions", {"kind": "residential", "stage": "first", "reason": "Protezione."})
    client.post(reverse("intake:exit_record", args=[pid]), {"day": "2025-01-31", "outcome": "autonomy"})  # before entry
    with scopes_disabled():
        assert list(ProgrammeRecord.objects.values_list("kind", flat=True)) == ["entry"]
    client.post(reverse("intake:exit_record", args=[pid]), {"day": str(timezone.localdate()), "outcome": "autonomy"})
    with scopes_disabled():
        assert list(ProgrammeRecord.objects.values_list("kind", flat=True)) == ["entry", "exit"]
    pdf = client.get(reverse("intake:record_sheet", args=[pid, "exit"]) + "?format=pdf")
    assert pdf.content.startswith(b"%PDF") and len(pdf.content) > 1000


def test_case_conference_with_other_organisations_needs_consent(filtro, network, make_user):
    with scopes_disabled():
        person = Person.objects.create(
            programme=network.programme, organisation=network.lead, code="AP-AAAAA-BBBBB", created_by=filtro
        )
    worker = make_user("worker", network.partner, "case_worker", network.programme)
    client = verified_client(filtro)
    data = {
        "day": "2024-06-01",
        "organisations": [network.lead.pk, network.partner.pk],
        "participants": [worker.pk],
        "decisions": "Inserimento in tirocinio.",
        "follow_up": "Cercare tirocinio ; worker ; 2024-07-01",
    }
    refused = client.post(reverse("intake:conference_create", args=[person.pk]), data)
    assert "organisations" in refused.context["form"].errors
    client.post(
        reverse("intake:consent", args=[person.pk]),
        {"purpose": "network_sharing", "granted": "yes", "day": "2024-05-30"},
    )
    assert client.post(reverse("intake:conference_create", args=[person.pk]), data).status_code == 302
    with scopes_disabled():
        conference = CaseConference.objects.get()
        action = conference.actions.get()
        assert (action.owner, str(action.due)) == (worker, "2024-07-01")
    bad = client.post(reverse("intake:conference_create", args=[person.pk]), data | {"follow_up": "solo testo"})
    assert "follow_up" in bad.context["form"].errors


def test_entry_and_exit_records_export_as_csv(api, filtro, network):
    pid = api.post(
        "/api/v1/persons",
        {"given_name": "Ada", "family_name": "Obi", "birth_date": "1998-02-03", "nationality": "NG", "gender": "woman"},
    ).json()["id"]
    api.post(f"/api/v1/persons/{pid}/consents", {"purpose": "services", "granted": True, "date": "2024-05-01"})
    api.post(f"/api/v1/persons/{pid}/decisions", {"kind": "territorial", "reason": "Alloggio proprio."})
    text = verified_client(filtro).get(reverse("intake:records_export")).content.decode()
    lines = text.strip().splitlines()
    # Read by people: the columns and every value in Italian (the record, the decision, gender, country), no codes.
    assert lines[0].startswith("Codice persona,") and "Ada" not in text
    with translation.override("it"):
        entry, territorial = str(ProgrammeRecord.Kind.ENTRY.label), str(Decision.Kind.TERRITORIAL.label)
    assert f",{entry}," in lines[1] and f",{territorial}," in lines[1] and lines[1].endswith(",Nigeria")
    assert not {"entry", "territorial", "woman", "NG"} & set(lines[1].split(","))
