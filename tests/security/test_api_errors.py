"""What used to answer 500 or HTML answers the API's error envelope, with the right 4xx, as documented."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from approdi.accounts.services import issue_token
from approdi.api.errors import COMMON_STATUSES, WRITE_STATUSES

pytestmark = [pytest.mark.django_db, pytest.mark.security]


@pytest.fixture
def api(network, make_user):
    """A client of the lead entity's coordinator, who may read every list."""
    user = make_user("coordinatrice", network.lead, "coordinator", network.programme)
    _, key = issue_token(user=user)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {key}", HTTP_ACCEPT_LANGUAGE="en")
    return client


def envelope(response, status: int) -> dict:
    assert response.status_code == status, (response.status_code, response.content[:300])
    assert response["Content-Type"].startswith("application/json")
    error = response.json()["error"]
    assert error["status"] == status and error["message"]
    return error


LISTS = ["/api/v1/contacts", "/api/v1/referrals", "/api/v1/outings", "/api/v1/cases", "/api/v1/persons"]


@pytest.mark.parametrize("url", LISTS)
def test_a_huge_offset_is_a_422_not_an_overflow(api, url):
    error = envelope(api.get(url, {"offset": "99999999999999999999"}), 422)
    assert set(error["fields"]) == {"offset"}


@pytest.mark.parametrize(
    ("url", "body"),
    [
        ("/api/v1/referrals", {"programme": "P-1", "referring_body": "Questura\x00"}),
        ("/api/v1/persons/duplicates", {"given_name": "A\x00"}),
        ("/api/v1/outings", {"programme": "P-1", "team": "T\x00", "date": "2024-03-01", "shift": "night"}),
    ],
)
def test_a_nul_character_in_a_body_is_a_422_naming_the_field(api, url, body):
    error = envelope(api.post(url, json.dumps(body), content_type="application/json"), 422)
    assert "NUL characters are not allowed." in json.dumps(error["fields"])


def test_a_nul_character_in_the_query_or_path_is_a_422(api):
    assert set(envelope(api.get("/api/v1/contacts", {"person_code": "A\x00"}), 422)["fields"]) == {"person_code"}
    envelope(api.get("/api/v1/structures/S%00X"), 422)


def test_a_time_with_a_utc_offset_is_a_422(api, network):
    body = {"programme": "P-1", "team": "T", "date": "2024-03-01", "shift": "night", "area": network.area.code}
    body = json.dumps({**body, "start_time": "21:00:00+02:00"})
    error = envelope(api.post("/api/v1/outings", body, content_type="application/json"), 422)
    assert error["fields"] == {"start_time": ["Give the local time, without a UTC offset."]}


def test_a_body_that_is_not_an_object_is_a_422(api):
    error = envelope(api.post("/api/v1/persons/duplicates", "2097153", content_type="application/json"), 422)
    assert error["fields"] == {"__all__": ["The body must be a JSON object."]}


def test_a_body_over_the_limit_is_a_413(api, settings):
    body = json.dumps({"programme": "P-1", "notes": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)})
    assert envelope(api.post("/api/v1/referrals", body, content_type="application/json"), 413)["code"] == "too_large"


def test_a_wrong_method_or_an_unknown_route_answers_the_envelope(api):
    wrong = api.put("/api/v1/contacts", "{}", content_type="application/json")
    assert envelope(wrong, 405)["code"] == "method_not_allowed" and "GET" in wrong["Allow"]
    assert envelope(api.get("/api/v1/no-such-thing"), 404)["code"] == "not_found"


def test_every_operation_declares_the_errors_it_can_give(db):
    document = Client().get("/api/v1/openapi.json").json()
    envelope_schema = document["components"]["schemas"]["ErrorEnvelope"]
    assert envelope_schema["required"] == ["error"]
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            expected = set(COMMON_STATUSES) | (set(WRITE_STATUSES) if method != "get" else set())
            declared = {int(status) for status in operation["responses"]}
            assert expected <= declared, (method, path, expected - declared)
            body = operation["responses"]["422"]["content"]["application/json"]["schema"]
            assert body == {"$ref": "#/components/schemas/ErrorEnvelope"}


def test_an_empty_filter_in_the_query_is_refused_not_read_as_no_filter(api):
    # The document offers a channel's code or no parameter at all; "channel=" is neither (found by schemathesis).
    period = {"from": "2024-03-01", "to": "2024-03-31"}
    assert envelope(api.get("/api/v1/outreach/counts", {**period, "channel": ""}), 422)["fields"].keys() == {"channel"}
    envelope(api.get("/api/v1/outreach/counts", {**period, "organisation": ""}), 422)
    envelope(api.get("/api/v1/contacts", {"channel": ""}), 422)
    assert api.get("/api/v1/outreach/counts", {**period, "channel": "STREET"}).status_code == 200


def test_a_person_code_of_punctuation_only_is_a_4xx_in_the_duplicate_check(network, make_user):
    # It used to reach code_from_identifier unchecked: 500 (found by schemathesis).
    filtro = make_user("filtro", network.lead, "filtro", network.programme)
    _, key = issue_token(user=filtro)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {key}", HTTP_ACCEPT_LANGUAGE="en")
    answer = client.post("/api/v1/persons/duplicates", json.dumps({"code": "--"}), content_type="application/json")
    assert 400 <= answer.status_code < 500, answer.content[:300]
    assert answer.json()["error"]["message"]


def test_a_person_recorded_with_a_code_of_punctuation_only_is_a_4xx(network, make_user):
    # register_person read it unchecked: 500 (found by schemathesis).
    filtro = make_user("filtro", network.lead, "filtro", network.programme)
    _, key = issue_token(user=filtro)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {key}", HTTP_ACCEPT_LANGUAGE="en")
    body = {"programme": "P-1", "code": "; ", "gender": "woman"}
    answer = client.post("/api/v1/persons", json.dumps(body), content_type="application/json")
    assert 400 <= answer.status_code < 500, answer.content[:300]
    assert "code" in answer.json()["error"]["fields"]
