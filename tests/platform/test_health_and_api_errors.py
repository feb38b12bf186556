"""Health for load balancers, the OpenAPI document and the API's single error envelope."""

import pytest
from django.db import DatabaseError
from django.test import Client

from approdi.accounts.services import issue_token

pytestmark = pytest.mark.django_db


def test_health_reports_the_database(db):
    response = Client().get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok", "database": "ok"}


def test_health_says_when_the_database_is_down(db, monkeypatch):
    from django.db.backends.utils import CursorWrapper

    def broken(*args, **kwargs):
        raise DatabaseError("down")

    monkeypatch.setattr(CursorWrapper, "execute", broken)
    response = Client().get("/healthz")
    assert response.status_code == 503 and response.json()["database"] == "unavailable"


def test_openapi_document_and_docs_are_served_offline(db):
    schema = Client().get("/api/v1/openapi.json").json()
    assert schema["info"]["title"] == "Approdi API" and "/api/v1/structures/{code}" in schema["paths"]
    docs = Client().get("/api/v1/docs").content.decode()
    assert "swagger" in docs.lower() and "cdn." not in docs


def test_errors_share_one_translated_envelope(network, make_user):
    user = make_user("marta", network.lead, "filtro", network.programme)
    _, key = issue_token(user=user)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    missing = Client().get("/api/v1/structures/NOPE", HTTP_ACCEPT_LANGUAGE="it", **auth).json()
    assert missing == {"error": {"status": 404, "code": "not_found", "message": "Risorsa non trovata.", "fields": {}}}
    english = Client().get("/api/v1/structures/NOPE", HTTP_ACCEPT_LANGUAGE="en", **auth).json()
    assert english["error"]["message"] == "Not found."


def test_invalid_query_gets_field_errors(network, make_user):
    user = make_user("dpo", network.lead, "dpo", network.programme)
    _, key = issue_token(user=user)
    response = Client().get(
        "/api/v1/audit?day_from=ieri&limit=molti", HTTP_AUTHORIZATION=f"Bearer {key}", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid" and set(error["fields"]) == {"day_from", "limit"}
    assert error["fields"]["limit"] == ["Enter a number."]


def test_refused_role_gets_403_envelope(network, make_user):
    user = make_user("luca", network.partner, "outreach", network.programme)
    _, key = issue_token(user=user)
    response = Client().get("/api/v1/audit", HTTP_AUTHORIZATION=f"Bearer {key}", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 403
    assert response.json()["error"]["message"] == "Your role does not allow this."
