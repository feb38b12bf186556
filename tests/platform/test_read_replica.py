"""Reports and background exports read the replica; writes, their audit entries and reads after a write use the primary.

Two real PostgreSQL databases: the test copies the primary into a second one (``CREATE DATABASE ... TEMPLATE``)
and then adds, on the replica only, a contact the primary does not have. Whatever shows that contact read the
replica. (Django's TEST MIRROR would make both aliases one connection, which cannot show where a read went.)
"""

from __future__ import annotations

import csv
import io
from datetime import date
from types import MethodType

import pytest
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse
from django_scopes import scopes_disabled

from approdi.audit.models import AuditEntry
from approdi.core import db_router
from approdi.core.db_router import REPLICA, ReplicaReadsMiddleware, replica_reads
from approdi.outreach.models import Contact
from approdi.reports.models import ExportJob
from tests.builders import verified_client
from tests.platform.test_operations import sample, scrape
from tests.production_site import free_port
from tests.reports.test_jobs import work

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="a replica is a PostgreSQL deployment's"),
]
ONLY_ON_REPLICA = "AP-99999-RRRRR"
ON_BOTH = "AP-00001-PPPPP"


def _contact(network, code: str, using: str | None = None) -> Contact:
    with scopes_disabled():
        return Contact.objects.using(using).create(
            programme_id=network.programme.pk,
            organisation_id=network.partner.pk,
            channel="street",
            date=date(2024, 3, 1),
            person_code=code,
        )


def allow_connections(wrapper: BaseDatabaseWrapper) -> None:
    """Django's test case refuses connections to an alias it did not know when the test began; this one the test
    made (and drops), so it gets back the real ``ensure_connection`` the test case set aside."""
    patched = BaseDatabaseWrapper.ensure_connection
    real = dict(zip(patched.__code__.co_freevars, patched.__closure__ or (), strict=True))["real_ensure_connection"]
    wrapper.ensure_connection = MethodType(real.cell_contents, wrapper)  # type: ignore[method-assign]


@pytest.fixture
def replica(network):
    """Call it once the data is in place: the primary is copied, then the replica gets a contact of its own."""
    primary = connections[DEFAULT_DB_ALIAS]
    source = primary.settings_dict["NAME"]
    name = f"{source}_replica"
    before = connections.settings.get(REPLICA)

    def drop() -> None:
        with primary._nodb_cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')

    def copy() -> None:
        primary.close()  # a template database may have no other session
        drop()
        with primary._nodb_cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{name}" TEMPLATE "{source}"')
        connections.settings[REPLICA] = {**primary.settings_dict, "NAME": name}
        allow_connections(connections[REPLICA])
        _contact(network, ONLY_ON_REPLICA, using=REPLICA)

    yield copy
    if REPLICA in connections.settings:
        connections[REPLICA].close()
        del connections[REPLICA]
        del connections.settings[REPLICA]
    if before is not None:
        connections.settings[REPLICA] = before
    drop()


def _codes(network) -> dict[str, set[str]]:
    with scopes_disabled():
        return {
            alias: set(Contact.objects.using(alias).values_list("person_code", flat=True))
            for alias in (DEFAULT_DB_ALIAS, REPLICA)
        }


def test_the_copy_differs_by_one_contact(network, replica):
    _contact(network, ON_BOTH)
    replica()
    assert _codes(network) == {DEFAULT_DB_ALIAS: {ON_BOTH}, REPLICA: {ON_BOTH, ONLY_ON_REPLICA}}


def test_the_dashboard_reads_the_replica_and_its_audit_entry_goes_to_the_primary(network, make_user, replica):
    _contact(network, ON_BOTH)
    coordinator = make_user("coordinatrice", network.lead, "coordinator", network.programme)
    client = verified_client(coordinator)
    replica()
    with scopes_disabled():
        audited = AuditEntry.objects.using(DEFAULT_DB_ALIAS).count()
        on_replica = AuditEntry.objects.using(REPLICA).count()

    page = client.get(reverse("reports:drilldown"), {"measure": "contacts", "start": "2024-01-01", "end": "2024-12-31"})

    assert page.status_code == 200
    text = page.content.decode()
    assert ONLY_ON_REPLICA in text and ON_BOTH in text
    with scopes_disabled():
        assert AuditEntry.objects.using(DEFAULT_DB_ALIAS).count() == audited + 1
        assert AuditEntry.objects.using(REPLICA).count() == on_replica


def test_a_background_export_reads_the_replica_and_its_job_is_kept_on_the_primary(network, people, replica, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}  # a worker, as in production
    _contact(network, ON_BOTH)
    owner = people("outreach").owner
    client = verified_client(owner)
    replica()

    answer = client.post(reverse("reports:job_create"), {"kind": "contacts", "fmt": "csv"})
    work()

    assert answer.status_code == 302
    with scopes_disabled():
        job = ExportJob.objects.using(DEFAULT_DB_ALIAS).get()
        assert not ExportJob.objects.using(REPLICA).exists()
    assert job.status == ExportJob.Status.DONE and job.total == 2
    download = client.get(reverse("reports:job_download", args=[job.pk]))
    rows = list(csv.reader(io.StringIO(download.content.decode())))
    assert len(rows) == 3  # the header, the contact on both, the one only the replica has


def test_a_request_that_wrote_reads_the_primary_and_the_next_request_the_replica_again(network, make_user, replica):
    _contact(network, ON_BOTH)
    replica()
    seen: list[set[str]] = []

    def view(request, *, write: bool):
        with replica_reads():
            if write:
                _contact(network, "AP-00002-WWWWW")
            with scopes_disabled():
                seen.append(set(Contact.objects.values_list("person_code", flat=True)))
        return HttpResponse()

    ReplicaReadsMiddleware(lambda request: view(request, write=True))(RequestFactory().post("/"))
    ReplicaReadsMiddleware(lambda request: view(request, write=False))(RequestFactory().get("/"))

    assert seen[0] == {ON_BOTH, "AP-00002-WWWWW"}  # what it just saved, from the primary
    assert seen[1] == {ON_BOTH, ONLY_ON_REPLICA}  # a new request, a report read: the replica


def test_outside_a_report_every_read_is_the_primarys(network, replica):
    _contact(network, ON_BOTH)
    replica()
    ReplicaReadsMiddleware(lambda request: HttpResponse())(RequestFactory().get("/"))  # a fresh request
    with scopes_disabled():
        assert set(Contact.objects.values_list("person_code", flat=True)) == {ON_BOTH}


@pytest.fixture
def replica_down(settings):
    """The replica alias names a port nobody listens on (a replica host down)."""
    settings.APPRODI_METRICS_ALLOWED = [__import__("ipaddress").ip_network("127.0.0.1/32")]
    primary = connections[DEFAULT_DB_ALIAS]
    before = connections.settings.get(REPLICA)
    connections.settings[REPLICA] = {**primary.settings_dict, "PORT": str(free_port())}
    allow_connections(connections[REPLICA])
    yield
    connections[REPLICA].close()
    del connections[REPLICA]
    del connections.settings[REPLICA]
    if before is not None:
        connections.settings[REPLICA] = before
    db_router._health.down_until = 0.0  # the next test's replica is judged afresh


def test_an_unreachable_replica_sends_the_reports_to_the_primary_logged_and_counted(
    network, make_user, replica_down, caplog
):
    _contact(network, ON_BOTH)
    coordinator = make_user("coordinatrice", network.lead, "coordinator", network.programme)
    client = verified_client(coordinator)
    before = sample(scrape()[1], 'approdi_replica_fallbacks_total{reason="unreachable"}')

    pages = [
        client.get(reverse("reports:drilldown"), {"measure": "contacts", "start": "2024-01-01", "end": "2024-12-31"})
        for _ in range(2)
    ]

    assert [page.status_code for page in pages] == [200, 200]
    assert all(ON_BOTH in page.content.decode() for page in pages)  # read from the primary
    # The replica was tried once, then left aside: the second page did not wait for it again.
    warnings = [r.message for r in caplog.records if r.name == "approdi.core.db_router"]
    assert len(warnings) == 1 and "replica unreachable" in warnings[0], warnings
    assert sample(scrape()[1], 'approdi_replica_fallbacks_total{reason="unreachable"}') > before


def test_a_lagging_replica_is_left_aside_too(network, make_user, replica, settings, monkeypatch, caplog):
    _contact(network, ON_BOTH)
    coordinator = make_user("coordinatrice", network.lead, "coordinator", network.programme)
    client = verified_client(coordinator)
    replica()
    settings.APPRODI_REPLICA_MAX_LAG_SECONDS = 30
    monkeypatch.setattr(db_router, "_lag_seconds", lambda: 95.0)  # what a standby 95 seconds behind answers
    connections[REPLICA].close()  # judged as the request's thread opens its connection
    try:
        page = client.get(
            reverse("reports:drilldown"), {"measure": "contacts", "start": "2024-01-01", "end": "2024-12-31"}
        )
    finally:
        db_router._health.down_until = 0.0
    assert page.status_code == 200
    assert ON_BOTH in page.content.decode() and ONLY_ON_REPLICA not in page.content.decode()  # the primary's
    assert any("lagging" in r.message and "95 seconds" in r.message for r in caplog.records)
