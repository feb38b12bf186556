"""Changes of one case's state are serialised: concurrent requests answer 200 or 409, never 500, and never
leave a half-closed case (suspended again after its closure, the exit record saying closed)."""

from concurrent.futures import ThreadPoolExecutor
from threading import Barrier

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from approdi.accounts.services import issue_token
from approdi.cases.models import Case, Transfer
from approdi.cases.services import case as case_services
from approdi.people.models import ProgrammeRecord
from tests.builders import acting
from tests.builders.cases import consent_to_sharing
from tests.builders.pages import open_as

RACERS = 20
on_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="concurrency is proven on PostgreSQL (CI's second pass)"
)


def _post(key: str, url: str, body: dict):
    return Client().post(url, body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {key}")


def _race(calls):
    """Runs every call at once, each on its own connection; returns (status, body) in order."""
    start = Barrier(len(calls))

    def run(call):
        try:
            start.wait()
            response = call()
            return response.status_code, response.json()
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(run, calls))


def _case(world) -> Case:
    with scopes_disabled():
        return Case.objects.get(pk=world.case.pk)


def _assert_closed_whole(world, today) -> None:
    case = _case(world)
    assert (case.status, case.end, case.outcome) == ("closed", today, "autonomy")
    with scopes_disabled():
        assert ProgrammeRecord.objects.filter(person=world.person, kind="exit").count() == 1


@on_postgres
@pytest.mark.django_db(transaction=True)
def test_status_changes_racing_a_closure_leave_the_case_closed_whole(case_world):
    world = case_world
    _, key = issue_token(user=world.manager)
    today = timezone.localdate()
    url = f"/api/v1/cases/{world.case.pk}"
    flips = [
        (lambda status=s: _post(key, f"{url}/status", {"status": status}))
        for s in ["suspended", "active"] * ((RACERS - 1) // 2) + ["suspended"]
    ]
    closure = lambda: _post(key, f"{url}/close", {"date": today.isoformat(), "outcome": "autonomy"})
    answers = _race([*flips[: RACERS // 2], closure, *flips[RACERS // 2 :]])
    codes = [code for code, _body in answers]
    assert set(codes) <= {200, 409}, codes
    assert answers[RACERS // 2][0] == 200  # the closure itself
    assert all(body["error"]["code"] == "conflict" and body["error"]["message"] for c, body in answers if c == 409)
    _assert_closed_whole(world, today)


@on_postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_transfers_give_one_201_and_409s(case_world):
    world = case_world
    consent_to_sharing(world)
    _, key = issue_token(user=world.manager)
    body = {"to_user": world.outsider.username, "reason": "Più vicino alla sorella"}
    url = f"/api/v1/cases/{world.case.pk}/transfers"
    answers = _race([lambda: _post(key, url, body)] * RACERS)
    codes = sorted(code for code, _body in answers)
    assert codes == [201] + [409] * (RACERS - 1), codes
    assert all(b["error"]["fields"]["to_user"] for c, b in answers if c == 409)
    with scopes_disabled():
        assert Transfer.objects.filter(case_id=world.case.pk, status="pending").count() == 1


@on_postgres
@pytest.mark.django_db(transaction=True)
def test_accepting_and_revoking_at_once_decide_the_transfer_once(case_world):
    world = case_world
    consent_to_sharing(world)
    with acting(world.manager) as manager:
        transfer = case_services.request_transfer(
            actor=manager, case=Case.objects.get(pk=world.case.pk), to_user=world.outsider, reason="Vicino a casa"
        )
    _, sender = issue_token(user=world.manager)
    _, receiver = issue_token(user=world.outsider)
    accept = lambda: _post(receiver, f"/api/v1/transfers/{transfer.pk}/accept", {"answer": ""})
    revoke = lambda: _post(sender, f"/api/v1/transfers/{transfer.pk}/revoke", {})
    answers = _race([accept, revoke] * 5)
    codes = [code for code, _body in answers]
    # One decision; the others answer 409, or 404 for the sender once an accepted case left her organisation.
    assert codes.count(200) == 1 and set(codes) <= {200, 404, 409}, codes
    with scopes_disabled():
        decided = Transfer.objects.get(pk=transfer.pk)
        case = Case.objects.get(pk=world.case.pk)
    assert decided.status in ("accepted", "revoked")
    assert (case.lead_organisation_id == world.outsider.memberships.get().organisation_id) == (
        decided.status == "accepted"
    )


# --- the same answers, one request after the other (SQLite too) ----------------------------------


@pytest.mark.django_db
def test_a_closed_case_refuses_status_changes_with_409_and_a_translated_message(case_world):
    world = case_world
    _, key = issue_token(user=world.manager)
    today = timezone.localdate()
    url = f"/api/v1/cases/{world.case.pk}"
    assert _post(key, f"{url}/close", {"date": today.isoformat(), "outcome": "autonomy"}).status_code == 200
    refused = Client().post(
        f"{url}/status",
        {"status": "suspended"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
        HTTP_ACCEPT_LANGUAGE="it",
    )
    assert refused.status_code == 409
    assert refused.json()["error"]["code"] == "conflict"
    assert refused.json()["error"]["message"] == "Il caso è chiuso: si può consultare ma non modificare."
    again = _post(key, f"{url}/close", {"date": today.isoformat(), "outcome": "dropped_out"})
    assert again.status_code == 409
    _assert_closed_whole(world, today)


@pytest.mark.django_db
def test_a_stale_page_cannot_reopen_a_closed_case(case_world):
    """The case page was opened before a colleague closed the case; its "Suspend" button is pressed after."""
    world = case_world
    today = timezone.localdate()
    with acting(world.manager) as manager:
        stale = Case.objects.get(pk=world.case.pk)
        case_services.close_case(actor=manager, case=Case.objects.get(pk=world.case.pk), day=today, outcome="autonomy")
        with pytest.raises(case_services.Conflict):
            case_services.set_status(actor=manager, case=stale, status="suspended")
    _assert_closed_whole(world, today)
    page = open_as(world.manager).post(
        reverse("cases:case_status", args=[world.case.pk]), {"status": "suspended"}, follow=True
    )
    assert page.status_code == 200 and "The case is closed: it can be read but not changed." in page.content.decode()
    _assert_closed_whole(world, today)


@pytest.mark.django_db
def test_a_second_transfer_answers_409_even_when_the_database_refuses_it(case_world, monkeypatch):
    world = case_world
    consent_to_sharing(world)
    _, key = issue_token(user=world.manager)
    url = f"/api/v1/cases/{world.case.pk}/transfers"
    body = {"to_user": world.outsider.username, "reason": "Più vicino alla sorella"}
    assert _post(key, url, body).status_code == 201
    assert _post(key, url, body).status_code == 409  # seen by the service's check
    with scopes_disabled():
        Transfer.objects.filter(case_id=world.case.pk).update(status="revoked")
    real_save = Transfer.save

    def another_request_got_there_first(self, *args, **kwargs):
        """Another request inserts its pending transfer after this one was checked, before it is written."""
        if self.pk is None and self.reason != "the other request":
            Transfer.objects.create(
                case_id=self.case_id,
                from_organisation_id=self.from_organisation_id,
                to_organisation_id=self.to_organisation_id,
                to_user_id=self.to_user_id,
                reason="the other request",
                requested_by_id=self.requested_by_id,
            )
        return real_save(self, *args, **kwargs)

    monkeypatch.setattr(Transfer, "save", another_request_got_there_first)
    answer = _post(key, url, body)
    assert answer.status_code == 409 and answer.json()["error"]["fields"]["to_user"]
    with scopes_disabled():
        assert Transfer.objects.filter(case_id=world.case.pk, status="pending").count() == 0  # all rolled back


@pytest.mark.django_db
def test_an_answered_transfer_answers_409(case_world):
    world = case_world
    consent_to_sharing(world)
    with acting(world.manager) as manager:
        transfer = case_services.request_transfer(
            actor=manager, case=Case.objects.get(pk=world.case.pk), to_user=world.outsider, reason="Vicino a casa"
        )
    _, receiver = issue_token(user=world.outsider)
    url = f"/api/v1/transfers/{transfer.pk}"
    assert _post(receiver, f"{url}/accept", {"answer": ""}).status_code == 200
    again = _post(receiver, f"{url}/reject", {"answer": "Ci ho ripensato"})
    assert again.status_code == 409 and again.json()["error"]["code"] == "conflict"
