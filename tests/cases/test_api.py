"""The cases API: a person's whole path through it, and what it refuses (scoped, audited, nothing written)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from django_scopes import scopes_disabled

from approdi.accounts.services import issue_token
from approdi.audit.models import AuditEntry
from approdi.cases.models import Activity, Case, Goal, Note, Permit, PlanAction, ServiceDelivery, TeamMember, Transfer
from approdi.people.models import ProgrammeRecord
from tests.builders.cases import consent_to_sharing

pytestmark = pytest.mark.django_db


class Api:
    """A bearer-token client for one user, answering in the language asked (Italian by default)."""

    def __init__(self, user, language: str = "it"):
        self.headers = {"HTTP_AUTHORIZATION": f"Bearer {issue_token(user=user)[1]}", "HTTP_ACCEPT_LANGUAGE": language}

    def get(self, url):
        return Client().get(url, **self.headers)

    def post(self, url, body=None):
        return Client().post(url, body or {}, content_type="application/json", **self.headers)

    def patch(self, url, body):
        return Client().patch(url, body, content_type="application/json", **self.headers)

    def delete(self, url):
        return Client().delete(url, **self.headers)


def ok(response, status: int = 200) -> dict:
    assert response.status_code == status, (response.status_code, response.content[:500])
    return response.json() if response.content else {}


def iso(day) -> str:
    return day.isoformat()


def test_a_path_from_the_decision_to_autonomy_through_the_api(case_world):
    """Decided territorial → assigned → plan → Italian course → internship → art. 18 permit converted for
    work → services recorded → closed with outcome "autonomy": the exit record is written."""
    today = timezone.localdate()
    filtro, manager, legal = Api(case_world.filtro), Api(case_world.manager), Api(case_world.legal)

    person = ok(
        filtro.post(
            "/api/v1/persons",
            {
                "given_name": "Blessing",
                "family_name": "Okoro",
                "gender": "woman",
                "birth_date": "1999-04-02",
                "nationality": "NG",
            },
        ),
        201,
    )
    ok(
        filtro.post(
            f"/api/v1/persons/{person['id']}/consents", {"purpose": "services", "granted": True, "date": iso(today)}
        ),
        201,
    )
    ok(
        filtro.post(f"/api/v1/persons/{person['id']}/decisions", {"kind": "territorial", "reason": "Ha un alloggio"}),
        201,
    )

    listed = ok(filtro.get(f"/api/v1/cases?code={person['code']}"))
    assert listed["count"] == 1
    case = listed["items"][0]
    assert (case["type"], case["status"], case["lead_organisation"], case["case_manager"]) == (
        "territorial",
        "active",
        "lead",
        None,
    )
    url = f"/api/v1/cases/{case['id']}"

    assigned = ok(filtro.post(f"{url}/assign", {"case_manager": "manager"}))
    assert (assigned["lead_organisation"], assigned["case_manager"]) == ("partner", "manager")
    ok(manager.post(f"{url}/team", {"user": "legal", "role": "legal"}), 201)

    goal = ok(manager.post(f"{url}/goals", {"domain": "language", "description": "Raggiungere il livello A2"}), 201)
    action = ok(
        manager.post(
            f"/api/v1/goals/{goal['id']}/actions",
            {"description": "Iscrizione al CPIA", "owner": "manager", "due": iso(today + timedelta(days=7))},
        ),
        201,
    )
    assert ok(manager.post(f"/api/v1/actions/{action['id']}/done", {"date": iso(today)}))["done_on"] == iso(today)

    course = ok(
        manager.post(
            f"{url}/activities",
            {"kind": "italian_course", "start": iso(today), "provider": "CPIA 5 Milano", "level": "A2", "hours": 100},
        ),
        201,
    )
    finished = ok(
        manager.patch(
            f"/api/v1/activities/{course['id']}",
            {"attendance_percent": 92, "certificate": "A2 CILS", "completed": True, "end": iso(today)},
        )
    )
    assert (finished["completed"], finished["level"], finished["provider"]) == (True, "A2", "CPIA 5 Milano")
    ok(
        manager.post(
            f"{url}/activities",
            {
                "kind": "internship",
                "start": iso(today),
                "provider": "Trattoria Da Rosa",
                "sector": "ristorazione",
                "hours_per_week": 30,
                "monthly_allowance": "500.00",
                "paid_by": "Regione Lombardia",
            },
        ),
        201,
    )

    social = ok(
        legal.post(f"{url}/permits", {"type": "art18_social", "application_date": iso(today), "questura": "Milano"}),
        201,
    )
    issued = ok(
        legal.post(
            f"/api/v1/permits/{social['id']}/issue",
            {"issue_date": iso(today), "expiry": iso(today + timedelta(days=180))},
        )
    )
    assert issued["status"] == "issued"
    work = ok(
        legal.post(
            f"{url}/permits",
            {"type": "work", "application_date": iso(today), "questura": "Milano", "previous": social["id"]},
        ),
        201,
    )
    assert (work["change"], work["previous"]) == ("conversion", social["id"])
    ok(
        legal.post(
            f"/api/v1/permits/{work['id']}/issue",
            {"issue_date": iso(today), "expiry": iso(today + timedelta(days=730))},
        )
    )

    for minutes in (60, 45):
        ok(
            manager.post(
                f"{url}/services", {"service_type": "interview", "date": iso(today), "duration_minutes": minutes}
            ),
            201,
        )
    delivered = ok(manager.get(f"{url}/services"))
    assert [(s["service_type"], s["operator"], s["organisation"]) for s in delivered] == [
        ("interview", "manager", "partner")
    ] * 2
    assert sum(Decimal(s["amount"]) for s in delivered) == Decimal("70.00")

    closed = ok(manager.post(f"{url}/close", {"date": iso(today), "outcome": "autonomy"}))
    assert (closed["status"], closed["outcome"], closed["end"]) == ("closed", "autonomy", iso(today))

    detail = ok(manager.get(url))
    assert detail["person_code"] == person["code"] and "Blessing" not in str(detail) and "Okoro" not in str(detail)
    assert {p["type"]: p["status"] for p in detail["permits"]} == {"art18_social": "converted", "work": "issued"}
    assert {a["kind"] for a in detail["activities"]} == {"italian_course", "internship"}
    assert detail["goals"][0]["actions"][0]["done_on"] == iso(today)
    assert {(m["username"], m["role"]) for m in detail["team"]} == {("manager", "case_manager"), ("legal", "legal")}
    with scopes_disabled():
        exit_record = ProgrammeRecord.objects.get(person_id=person["id"], kind="exit")
        assert (exit_record.outcome, exit_record.date) == ("autonomy", today)
        assert ServiceDelivery.objects.filter(case_id=case["id"]).count() == 2
        audited = AuditEntry.objects.filter(object_type="cases.case", object_id=str(case["id"]))
        assert audited.filter(action="view", actor_username="manager").exists()
        assert audited.filter(action="change", actor_username="manager").exists()  # the closure


def test_a_closed_case_is_read_but_not_changed(case_world):
    manager = Api(case_world.manager)
    url = f"/api/v1/cases/{case_world.case.pk}"
    ok(manager.post(f"{url}/close", {"date": iso(timezone.localdate()), "outcome": "dropped_out"}))
    refused = manager.post(f"{url}/goals", {"domain": "work", "description": "Cercare lavoro"})
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "conflict"
    assert ok(manager.get(url))["status"] == "closed"
    with scopes_disabled():
        assert not Goal.objects.exists()


def test_the_list_is_scoped_filtered_and_paginated(case_world):
    manager = Api(case_world.manager)
    listed = ok(manager.get("/api/v1/cases"))
    assert listed["count"] == 1 and listed["items"][0]["person_code"] == case_world.person.code
    assert ok(manager.get("/api/v1/cases?status=closed")) == {"items": [], "count": 0}
    assert ok(manager.get("/api/v1/cases?code=CASE1"))["count"] == 1
    assert ok(manager.get("/api/v1/cases?offset=1")) == {"items": [], "count": 1}
    assert ok(Api(case_world.colleague).get("/api/v1/cases")) == {"items": [], "count": 0}
    assert ok(Api(case_world.outsider).get("/api/v1/cases")) == {"items": [], "count": 0}
    assert Api(case_world.coordinator).get("/api/v1/cases").status_code == 403
    assert manager.get("/api/v1/cases?status=finished").status_code == 422


def test_the_list_costs_the_same_queries_for_many_cases(case_world, max_queries, network, make_user):
    from approdi.people.models import Person

    filtro = Api(case_world.filtro)
    filtro.get("/api/v1/cases")  # the token's last use is written at most once a minute: here
    with max_queries(12) as few:
        ok(filtro.get("/api/v1/cases"))
    with scopes_disabled():
        for n in range(5):
            person = Person.objects.create(
                programme=network.programme, organisation=network.lead, code=f"AP-MORE{n}", created_by=case_world.filtro
            )
            Case.objects.create(
                programme=network.programme,
                person=person,
                lead_organisation=network.partner,
                case_manager=case_world.manager,
                type="territorial",
                start=timezone.localdate(),
            )
    with max_queries(few.count) as many:
        assert ok(filtro.get("/api/v1/cases"))["count"] == 6
    assert many.count == few.count


def test_a_transfer_without_consent_is_refused_with_the_envelope_and_changes_nothing(case_world):
    receiver = case_world.outsider
    answer = Api(case_world.manager).post(
        f"/api/v1/cases/{case_world.case.pk}/transfers", {"to_user": receiver.username, "reason": "Si trasferisce"}
    )
    assert answer.status_code == 400
    error = answer.json()["error"]
    with translation.override("it"):
        expected = translation.gettext("The person has not consented to share her case with other organisations.")
    assert error["code"] == "invalid" and error["fields"] == {"to_user": [expected]}
    with scopes_disabled():
        assert not Transfer.objects.exists()
        assert Case.objects.get(pk=case_world.case.pk).lead_organisation.code == "partner"
    assert ok(Api(receiver).get("/api/v1/my-work"))["transfers"] == []


def test_a_transfer_moves_the_case_when_the_receiver_accepts(case_world):
    consent_to_sharing(case_world, day=timezone.localdate())
    manager, receiver = Api(case_world.manager), Api(case_world.outsider)
    url = f"/api/v1/cases/{case_world.case.pk}"
    transfer = ok(manager.post(f"{url}/transfers", {"to_user": "outsider", "reason": "Si trasferisce a Como"}), 201)
    assert (transfer["status"], transfer["to_organisation"]) == ("pending", "other")
    assert receiver.get(url).status_code == 404  # nothing moves before she answers
    assert [t["id"] for t in ok(receiver.get("/api/v1/my-work"))["transfers"]] == [transfer["id"]]
    assert manager.post(f"/api/v1/transfers/{transfer['id']}/accept", {}).status_code == 404  # not sent to him
    taken = ok(receiver.post(f"/api/v1/transfers/{transfer['id']}/accept", {"answer": "Va bene"}))
    assert (taken["lead_organisation"], taken["case_manager"]) == ("other", "outsider")
    assert ok(receiver.get(url))["case_manager"] == "outsider"
    assert manager.get(url).status_code == 404  # the sender's seats ended


def test_a_legal_note_is_not_returned_to_the_educator_on_the_same_team(case_world):
    url = f"/api/v1/cases/{case_world.case.pk}/notes"
    legal, educator = Api(case_world.legal), Api(case_world.educator)
    written = ok(
        legal.post(
            url, {"date": "2024-03-01", "text": "Denuncia depositata", "domain": "legal", "confidentiality": "team"}
        ),
        201,
    )
    assert (written["confidentiality"], written["author_role"]) == ("role", "legal")  # forced to the role
    ok(educator.post(url, {"date": "2024-03-02", "text": "Colloquio in comunità"}), 201)
    assert [n["text"] for n in ok(legal.get(url))] == ["Colloquio in comunità", "Denuncia depositata"]
    assert [n["text"] for n in ok(educator.get(url))] == ["Colloquio in comunità"]
    assert [n["text"] for n in ok(Api(case_world.manager).get(url))] == ["Colloquio in comunità"]
    with scopes_disabled():
        reads = AuditEntry.objects.filter(action="view", actor_username="educator", object_type="cases.case")
        assert ["notes"] in [entry.fields for entry in reads]


def test_bad_input_gets_a_clear_translated_error_and_nothing_is_written(case_world):
    manager, legal = Api(case_world.manager), Api(case_world.legal)
    url = f"/api/v1/cases/{case_world.case.pk}"

    missing = manager.post(f"{url}/activities", {"kind": "italian_course", "start": "2024-03-01"})
    assert missing.status_code == 400
    with translation.override("it"):
        required = translation.gettext("Required for this kind of activity.")
    assert missing.json()["error"]["fields"] == {"provider": [required], "level": [required]}

    malformed = manager.post(f"{url}/goals", {"domain": "cooking", "description": ""})
    assert malformed.status_code == 422
    assert malformed.json()["error"]["fields"]["domain"] == ["Seleziona un'opzione valida."]
    english = Api(case_world.manager, language="en").post(f"{url}/goals", {"description": "Lavoro"})
    assert english.json()["error"]["fields"] == {"domain": ["This field is required."]}

    off_team = manager.post(
        f"{url}/appointments", {"starts_at": "2024-03-05T10:00", "title": "Colloquio", "operator": "colleague"}
    )
    assert off_team.status_code == 400 and list(off_team.json()["error"]["fields"]) == ["operator"]
    unknown = manager.post(f"{url}/services", {"service_type": "massage", "date": "2024-03-01"})
    assert unknown.status_code == 400 and list(unknown.json()["error"]["fields"]) == ["service_type"]
    too_early = manager.post(f"{url}/services", {"service_type": "interview", "date": "2024-01-01"})
    assert too_early.status_code == 400 and list(too_early.json()["error"]["fields"]) == ["date"]
    stranger = manager.post(f"{url}/team", {"user": "nobody-here", "role": "mediator"})
    assert stranger.status_code == 400 and list(stranger.json()["error"]["fields"]) == ["user"]
    closing = manager.post(f"{url}/status", {"status": "closed"})
    assert closing.status_code == 400 and list(closing.json()["error"]["fields"]) == ["status"]
    extra = legal.post(
        f"{url}/permits", {"type": "work", "application_date": "2024-03-01", "questura": "Milano", "x": 1}
    )
    assert extra.status_code == 422 and "x" in extra.json()["error"]["fields"]
    broken = Client().post(f"{url}/goals", "{not json", content_type="application/json", **manager.headers)
    assert broken.status_code == 400 and broken.json()["error"]["code"] == "invalid"

    with scopes_disabled():
        assert not Activity.objects.exists() and not Goal.objects.exists() and not Permit.objects.exists()
        assert not ServiceDelivery.objects.exists() and not Note.objects.exists()
        assert TeamMember.objects.filter(removed_at__isnull=True).count() == 3
        assert Case.objects.get().status == "active"


def test_roles_and_seats_decide_what_a_visible_case_allows(case_world):
    url = f"/api/v1/cases/{case_world.case.pk}"
    educator, legal, manager = Api(case_world.educator), Api(case_world.legal), Api(case_world.manager)
    permit = {"type": "art18_social", "application_date": "2024-03-01", "questura": "Milano"}
    assert educator.post(f"{url}/permits", permit).status_code == 403
    assert educator.post(f"{url}/close", {"date": "2024-03-01", "outcome": "other"}).status_code == 403
    assert manager.post(f"{url}/assign", {"case_manager": "colleague"}).status_code == 403
    assert Api(case_world.coordinator).get(url).status_code == 403
    assert ok(legal.post(f"{url}/permits", permit), 201)["status"] == "applied"
    with scopes_disabled():
        assert Permit.objects.count() == 1
        assert AuditEntry.objects.filter(action="denied", actor_username="educator").count() == 2


def test_legal_matters_are_for_those_who_record_them(case_world):
    url = f"/api/v1/cases/{case_world.case.pk}"
    body = {
        "kind": "criminal_proceeding",
        "date": "2024-03-01",
        "authority": "Procura di Milano",
        "reference": "RGNR 1234/24",
    }
    matter = ok(Api(case_world.legal).post(f"{url}/legal-matters", body), 201)
    hearing = ok(
        Api(case_world.legal).post(
            f"/api/v1/legal-matters/{matter['id']}/hearings", {"starts_at": "2024-06-03T09:30", "place": "Tribunale"}
        ),
        201,
    )
    assert hearing["place"] == "Tribunale"
    seen_by_legal = ok(Api(case_world.legal).get(url))["legal_matters"]
    seen_by_educator = ok(Api(case_world.educator).get(url))["legal_matters"]
    assert seen_by_legal[0]["reference"] == "RGNR 1234/24" and seen_by_educator is None
    assert [h["place"] for h in seen_by_legal[0]["hearings"]] == ["Tribunale"]


def test_my_deadlines_carry_days_left_and_the_alert_level(case_world):
    today = timezone.localdate()
    legal = Api(case_world.legal)
    url = f"/api/v1/cases/{case_world.case.pk}"
    for days in (5, 20, 40):
        permit = ok(
            legal.post(
                f"{url}/permits", {"type": "art18_social", "application_date": "2024-03-01", "questura": "Milano"}
            ),
            201,
        )
        ok(
            legal.post(
                f"/api/v1/permits/{permit['id']}/issue",
                {"issue_date": "2024-03-10", "expiry": iso(today + timedelta(days=days))},
            )
        )
    deadlines = ok(legal.get("/api/v1/cases/deadlines"))
    assert [(d["kind"], d["days_left"], d["level"]) for d in deadlines] == [
        ("permit_expiry", 5, 7),
        ("permit_expiry", 20, 30),
    ]
    assert {d["person_code"] for d in deadlines} == {case_world.person.code}
    assert ok(Api(case_world.manager).get("/api/v1/my-work"))["deadlines"] == deadlines
    assert ok(Api(case_world.colleague).get("/api/v1/cases/deadlines")) == []
    assert Api(case_world.coordinator).get("/api/v1/cases/deadlines").status_code == 403


def test_my_work_reads_the_same_statements_for_one_overdue_action_or_many(case_world):
    # bench.pages at national scale found one query per action (its owner); the list must not grow with the data.
    api, today = Api(case_world.manager), timezone.localdate()
    with scopes_disabled():
        goal = Goal.objects.create(
            case=case_world.case, domain="housing", description="Casa", created_by=case_world.manager
        )

    def overdue(n: int) -> int:
        with scopes_disabled():
            for i in range(n):
                PlanAction.objects.create(
                    goal=goal, description=f"Passo {i}", owner=case_world.manager, due=today - timedelta(days=3)
                )
        ok(api.get("/api/v1/my-work"))  # the token's last use is written at most once a minute
        with CaptureQueriesContext(connection) as queries:
            work = ok(api.get("/api/v1/my-work"))
        assert {a["owner"] for a in work["overdue_actions"]} == {case_world.manager.username}
        return len(queries.captured_queries)

    assert overdue(1) == overdue(4)


def test_service_types_for_the_case_roles_and_the_coordinators(case_world):
    listed = ok(Api(case_world.manager).get("/api/v1/service-types"))
    assert listed == [
        {"code": "interview", "name": "Colloquio", "unit": "session", "unit_cost": "35.00", "active": True}
    ]
    assert ok(Api(case_world.coordinator).get("/api/v1/service-types")) == listed


def test_the_openapi_schema_still_builds_with_the_case_routes(db):
    schema = Client().get("/api/v1/openapi.json").json()
    assert {"/api/v1/cases", "/api/v1/cases/{id}", "/api/v1/cases/{id}/team/{seat_id}", "/api/v1/my-work"} <= set(
        schema["paths"]
    )
    assert set(schema["paths"]["/api/v1/activities/{id}"]) == {"patch"}
