"""A signed-in page view or an API call writes nothing to the database unless something changed.

The session's idle expiry and a token's "last used" are pushed forward at most once a minute: writing them
on every request cost a write transaction per page view (issue #20, most of signed-in throughput).
"""

from datetime import timedelta

import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from approdi.accounts import services
from approdi.accounts.models import ApiToken
from tests.builders import verified_client

WRITES = ("INSERT", "UPDATE", "DELETE")


def writes_of(client, url: str, **extra) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **extra)
    assert response.status_code == 200, response.status_code
    return [q["sql"] for q in queries.captured_queries if q["sql"].lstrip().upper().startswith(WRITES)]


def test_a_page_view_within_the_minute_writes_nothing(network, make_user):
    client = verified_client(make_user("marta", network.lead, "filtro", network.programme))
    client.get("/")
    assert writes_of(client, "/") == []


def test_activity_after_a_minute_pushes_the_idle_expiry_forward(network, make_user, settings):
    client = verified_client(make_user("marta", network.lead, "filtro", network.programme))
    start = timezone.now()
    client.get("/")
    with time_machine.travel(start + timedelta(seconds=settings.SESSION_REFRESH_SECONDS + 1)):
        assert any("django_session" in sql for sql in writes_of(client, "/"))
    # Someone working a page every 45 seconds for an hour and a half stays signed in.
    for step in range(1, 120):
        with time_machine.travel(start + timedelta(seconds=45 * step)):
            assert client.get("/").status_code == 200, f"signed out after {45 * step} s of activity"


def test_an_idle_session_still_ends_after_the_idle_minutes(network, make_user, settings):
    client = verified_client(make_user("marta", network.lead, "filtro", network.programme))
    start = timezone.now()
    client.get("/")
    with time_machine.travel(start + timedelta(minutes=settings.SESSION_IDLE_MINUTES, seconds=1)):
        response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))


def test_an_api_call_within_the_minute_writes_nothing(network, make_user):
    user = make_user("marta", network.lead, "filtro", network.programme)
    token, key = services.issue_token(user=user, days=30)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    client = Client()
    start = timezone.now()
    with time_machine.travel(start):
        assert [sql for sql in writes_of(client, "/api/v1/me", **auth) if "last_used_at" in sql]
    first = ApiToken.objects.get(pk=token.pk).last_used_at
    with time_machine.travel(start + timedelta(seconds=30)):
        assert writes_of(client, "/api/v1/me", **auth) == []
    with time_machine.travel(start + timedelta(seconds=61)):
        writes_of(client, "/api/v1/me", **auth)
    assert ApiToken.objects.get(pk=token.pk).last_used_at > first
