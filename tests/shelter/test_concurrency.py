"""Twenty people at once for the last free bed: exactly one gets it, on PostgreSQL as in production."""

from concurrent.futures import ThreadPoolExecutor
from threading import Barrier

import pytest
from django.db import connection, connections
from django.test import Client
from django_scopes import scopes_disabled

from approdi.accounts.services import issue_token
from approdi.people.models import Person
from approdi.shelter.models import Placement
from approdi.shelter.services import sync_beds

REQUESTS = 20


@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrency is proven on PostgreSQL (CI's second pass)")
@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_requests_for_the_last_bed(network, make_user):
    filtro = make_user("filtro", network.lead, "filtro", network.programme)
    with scopes_disabled():
        sync_beds(network.other_structure)  # 3 beds
        people = [
            Person.objects.create(
                programme=network.programme,
                organisation=network.lead,
                code=f"AP-RACER-{chr(65 + n // 26)}{chr(65 + n % 26)}AAA"[:14],
                created_by=filtro,
                gender="man",  # S-BETA is a structure for men
            )
            for n in range(REQUESTS + 2)
        ]
    _, key = issue_token(user=filtro)

    def post(person):
        return Client().post(
            "/api/v1/placements",
            {
                "programme": "P-1",
                "person_code": person.code,
                "structure": "S-BETA",
                "stage": "first",
                "start": "2024-03-02",
            },
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {key}",
        )

    assert [post(p).status_code for p in people[:2]] == [201, 201]  # one bed left
    start = Barrier(REQUESTS)

    def race(person):
        try:
            start.wait()
            response = post(person)
            return response.status_code, response.json()
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=REQUESTS) as pool:
        answers = list(pool.map(race, people[2:]))
    codes = sorted(code for code, _body in answers)
    assert codes == [201] + [409] * (REQUESTS - 1), codes
    assert all(body["error"]["message"] for code, body in answers if code == 409)
    with scopes_disabled():
        assert Placement.objects.filter(structure=network.other_structure, end__isnull=True).count() == 3
        assert Placement.objects.count() == 3  # nothing half-written


@pytest.mark.django_db
def test_sequential_requests_give_the_same_answers_on_sqlite_too(network, make_user):
    filtro = make_user("filtro", network.lead, "filtro", network.programme)
    with scopes_disabled():
        sync_beds(network.other_structure)
        people = [
            Person.objects.create(
                programme=network.programme,
                organisation=network.lead,
                code=f"AP-SEQUE-NTIA{chr(65 + n)}",
                created_by=filtro,
                gender="man",
            )
            for n in range(5)
        ]
    _, key = issue_token(user=filtro)
    codes = [
        Client()
        .post(
            "/api/v1/placements",
            {"programme": "P-1", "person_code": p.code, "structure": "S-BETA", "stage": "first", "start": "2024-03-02"},
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {key}",
        )
        .status_code
        for p in people
    ]
    assert codes == [201, 201, 201, 409, 409]
