"""Background exports: progress visible while they run, a download when done, only for the requester, audited."""

import csv
import dataclasses
import html
import io
import re
from datetime import date, timedelta
from unittest import mock

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation
from django_scopes import scopes_disabled
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult
from openpyxl import load_workbook

from approdi.accounts.models import Membership
from approdi.audit.models import AuditEntry
from approdi.outreach import exports as outreach_exports
from approdi.outreach.models import Contact
from approdi.reports.jobs import services as jobs
from approdi.reports.models import ExportJob
from tests.builders import verified_client

pytestmark = pytest.mark.django_db
ROWS = 25


@pytest.fixture
def operators(network, people, make_user):
    """Outreach operators of the partner: ``owner`` asks for exports; ``colleague``: same role, same organisation."""
    trio = people("outreach")
    trio.colleague = make_user("outreach-colleague", network.partner, "outreach", network.programme)
    with scopes_disabled():
        Contact.objects.bulk_create(
            Contact(
                programme=network.programme,
                organisation=network.partner,
                channel="street",
                date=date(2024, 3, 1) + timedelta(days=n % 28),
                person_code=f"AP-{n:05d}-AAAAA",
            )
            for n in range(ROWS)
        )
        Contact.objects.create(  # another organisation's contact: never in the partner's export
            programme=network.programme, organisation=network.other, channel="street", date=date(2024, 3, 1)
        )
    return trio


@pytest.fixture
def queue(settings):
    """Tasks queued in the database, as in production, until ``work`` runs the worker."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def work(worker_id: str = "worker-1") -> None:
    """One pass of ``run_worker``: every task ready, then it stops.

    Between tasks the worker closes the connection as a request's end does; here that would end the test's
    transaction (PostgreSQL), so it keeps it.
    """
    with mock.patch.object(db_worker, "close_old_connections", lambda: None):
        call_command("run_worker", "--batch", "--no-startup-delay", f"--worker-id={worker_id}", verbosity=0)


def ask(client, **data):
    body = {"kind": "contacts", "fmt": "csv", **data}
    answer = client.post(reverse("reports:job_create"), body)
    assert answer.status_code == 302, answer.content.decode()[:800]
    with scopes_disabled():
        return ExportJob.objects.latest("id")


def poll(client, job) -> str:
    """What htmx receives every 2 seconds."""
    answer = client.get(reverse("reports:job_detail", args=[job.pk]), HTTP_HX_REQUEST="true")
    assert answer.status_code == 200
    return answer.content.decode()


def test_progress_goes_from_zero_to_total_and_the_file_is_offered(operators, queue, monkeypatch):
    client = verified_client(operators.owner)
    job = ask(client)
    assert job.status == "queued"
    page = client.get(reverse("reports:job_detail", args=[job.pk])).content.decode()
    assert 'aria-live="polite"' in page and 'hx-trigger="every 2s"' in page
    assert re.search(r'<progress [^>]*value="0" max="100"', page)

    seen: list[str] = []
    row = outreach_exports.contact_row

    def watching(contact):  # the owner's page, polled while the export runs
        seen.append(poll(client, job))
        return row(contact)

    monkeypatch.setattr(outreach_exports, "contact_row", watching)
    work()

    assert len(seen) == ROWS
    assert f"0 / {ROWS}" in _progress(seen[0]) and f"{ROWS - 1} / {ROWS}" in _progress(seen[-1])
    assert all('hx-trigger="every 2s"' in text for text in seen)
    done = poll(client, job)
    assert "hx-trigger" not in done  # polling stops
    assert reverse("reports:job_download", args=[job.pk]) in done
    with scopes_disabled():
        job.refresh_from_db()
    assert (job.status, job.done, job.total) == ("done", ROWS, ROWS)
    download = client.get(reverse("reports:job_download", args=[job.pk]))
    assert download.status_code == 200 and download["Content-Type"].startswith("text/csv")
    lines = list(csv.reader(io.StringIO(download.content.decode())))
    with translation.override(job.language):  # the header in the language of whoever asked for the export
        header = outreach_exports.headers(Contact, outreach_exports.CONTACT_COLUMNS)
    assert lines[0] == header and lines[0][0] == "Data" and len(lines) == ROWS + 1
    assert {line[1] for line in lines[1:]} == {"Cooperativa Alfa"}  # the partner, by its name


def _progress(text: str) -> str:
    """'done / total' read from the progress bar's text ("In progress: 3 of 25")."""
    numbers = [int(n) for n in text.split('data-status="running"')[1].split("</p>")[0].split() if n.isdigit()]
    return f"{numbers[0]} / {numbers[1]}"


def test_a_failing_job_shows_a_translated_error_and_no_file(operators, queue, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setitem(jobs.KINDS, "contacts", dataclasses.replace(jobs.KINDS["contacts"], build=broken))
    client = verified_client(operators.owner)
    job = ask(client)
    work()
    with scopes_disabled():
        job.refresh_from_db()
    assert job.status == "failed" and job.error == "failed" and job.content is None
    page = html.unescape(client.get(reverse("reports:job_detail", args=[job.pk])).content.decode())
    with translation.override("it"):
        italian = str(ExportJob.Error.FAILED.label)
    assert italian in page and "disk full" not in page and "RuntimeError" not in page
    assert reverse("reports:job_download", args=[job.pk]) not in page
    assert client.get(reverse("reports:job_download", args=[job.pk])).status_code == 404

    english = verified_client(operators.owner)
    english.cookies["django_language"] = "en"  # the language switch
    with translation.override("en"):
        message = str(ExportJob.Error.FAILED.label)
    assert message in html.unescape(english.get(reverse("reports:job_detail", args=[job.pk])).content.decode())


def test_only_the_requester_sees_and_downloads_a_job(operators, network, make_user):
    owner = verified_client(operators.owner)
    job = ask(owner)
    assert owner.get(reverse("reports:job_download", args=[job.pk])).status_code == 200
    # A colleague with the same role in the same organisation, and an operator of another partner: 404.
    for user in (operators.colleague, operators.outsider):
        client = verified_client(user)
        assert client.get(reverse("reports:job_detail", args=[job.pk])).status_code == 404
        assert client.get(reverse("reports:job_download", args=[job.pk])).status_code == 404
        assert (
            reverse("reports:job_detail", args=[job.pk]).encode() not in client.get(reverse("reports:job_list")).content
        )
    # The same person acting for another programme: the job belongs to the programme it was asked in.
    Membership.objects.create(
        user=operators.owner, organisation=network.partner, role="outreach", programme=network.other_programme
    )
    session = owner.session
    session["approdi_membership_id"] = Membership.objects.get(
        user=operators.owner, programme=network.other_programme
    ).pk
    session.save()
    assert owner.get(reverse("reports:job_detail", args=[job.pk])).status_code == 404
    # A member of the organisation without an exporting role: refused.
    member = verified_client(operators.member)
    assert member.get(reverse("reports:job_list")).status_code == 403
    assert member.get(reverse("reports:job_detail", args=[job.pk])).status_code == 403
    assert member.post(reverse("reports:job_create"), {"kind": "contacts", "fmt": "csv"}).status_code == 403


def test_a_role_may_only_ask_for_its_own_exports_and_is_checked_again_at_download(operators, network, make_user):
    owner = verified_client(operators.owner)
    refused = owner.post(reverse("reports:job_create"), {"kind": "referrals", "fmt": "csv"})
    assert refused.status_code == 200 and refused.context["form"].errors  # not offered to street operators
    job = ask(owner)
    Membership.objects.filter(user=operators.owner).update(role="case_worker")
    assert verified_client(operators.owner).get(reverse("reports:job_download", args=[job.pk])).status_code == 403


def test_requests_and_downloads_are_audited(operators):
    client = verified_client(operators.owner)
    job = ask(client, fmt="xlsx")
    with scopes_disabled():
        requested = AuditEntry.objects.filter(action="export", object_type="reports.exportjob", object_id=str(job.pk))
        assert requested.count() == 1 and requested.get().reason.startswith("requested contacts as xlsx")
        assert not AuditEntry.objects.filter(object_type="outreach.contacts").exists()
    download = client.get(reverse("reports:job_download", args=[job.pk]))
    sheet = load_workbook(io.BytesIO(download.content)).active
    assert sheet.max_row == ROWS + 1
    with scopes_disabled():
        entry = AuditEntry.objects.get(action="export", object_type="outreach.contacts", object_id=str(job.pk))
    assert entry.actor == operators.owner and f"{ROWS} rows as xlsx" in entry.reason and "person_code" in entry.fields


def test_the_schedule_removes_expired_files_and_fails_jobs_no_worker_came_back_for(operators, queue):
    client = verified_client(operators.owner)
    first, second = ask(client), ask(client, fmt="xlsx")
    work()
    with scopes_disabled():
        assert set(ExportJob.objects.values_list("status", flat=True)) == {"done"}
        ExportJob.objects.filter(pk=first.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    call_command("run_scheduled", stdout=io.StringIO())
    work()
    with scopes_disabled():
        first.refresh_from_db()
        second.refresh_from_db()
    assert first.content is None and first.purged_at is not None and second.content is not None
    gone = client.get(reverse("reports:job_download", args=[first.pk]))
    assert gone.status_code == 410 and b'data-testid="job-download"' not in gone.content
    assert client.get(reverse("reports:job_download", args=[second.pk])).status_code == 200

    stuck = ask(client)
    with scopes_disabled():
        DBTaskResult.objects.filter(status="READY").update(status="RUNNING", worker_ids=["a-host-gone-for-good"])
        ExportJob.objects.filter(pk=stuck.pk).update(status="running", started_at=timezone.now() - timedelta(hours=7))
    call_command("run_scheduled", stdout=io.StringIO())
    work()
    with scopes_disabled():
        stuck.refresh_from_db()
    assert (stuck.status, stuck.error) == ("failed", "interrupted")


def test_a_job_survives_a_worker_restart_and_is_run_once_for_its_requester(operators, queue):
    client = verified_client(operators.owner)
    job = ask(client)
    # worker-1 took the task and wrote some progress, then its process was killed (SIGKILL, a reboot).
    with scopes_disabled():
        task = DBTaskResult.objects.get()
        task.claim("worker-1")
        ExportJob.objects.filter(pk=job.pk).update(status="running", started_at=timezone.now(), done=7, total=ROWS)
    assert "7" in poll(client, job)  # its requester sees it running meanwhile

    work("worker-2")  # another worker never takes a task that may still be running elsewhere
    with scopes_disabled():
        job.refresh_from_db()
        assert (job.status, job.done) == ("running", 7)

    work("worker-1")  # worker-1 comes back: what it was running is run again, from the start
    with scopes_disabled():
        job.refresh_from_db()
        task.refresh_from_db()
        assert (job.status, job.done, job.total) == ("done", ROWS, ROWS)
        assert task.status == "SUCCESSFUL" and task.worker_ids == ["worker-1", "worker-1"]
    download = client.get(reverse("reports:job_download", args=[job.pk]))
    assert len(download.content.decode().splitlines()) == ROWS + 1  # each row once
    with scopes_disabled():
        assert ExportJob.objects.filter(requested_by=operators.owner).count() == 1

    with scopes_disabled():  # the task run a third time (say, killed after finishing): the job stays as it is
        finished = ExportJob.objects.values("finished_at", "size").get(pk=job.pk)
        DBTaskResult.objects.filter(pk=task.pk).update(status="RUNNING")
    work("worker-1")
    with scopes_disabled():
        assert ExportJob.objects.values("finished_at", "size").get(pk=job.pk) == finished
        assert AuditEntry.objects.filter(object_type="reports.exportjob", object_id=str(job.pk)).count() == 1


@pytest.mark.parametrize(("fmt", "starts"), [("xlsx", b"PK"), ("csv", b"Chiave,Voce,Valore"), ("pdf", b"%PDF")])
def test_the_funder_summary_in_the_background_in_each_format(network, people, fmt, starts):
    trio = people("coordinator", at=network.lead)
    client = verified_client(trio.owner)
    job = ask(client, kind="summary", fmt=fmt, start="2024-03-01", end="2024-03-31")
    with scopes_disabled():
        job.refresh_from_db()
    assert (job.status, job.done, job.total) == ("done", 2, 2)
    download = client.get(reverse("reports:job_download", args=[job.pk]))
    assert download.content.startswith(starts) and job.filename == f"approdi-summary-P-1-2024-03-01-2024-03-31.{fmt}"
    without_period = client.post(
        reverse("reports:job_create"), {"kind": "summary", "fmt": "pdf", "start": "", "end": ""}
    )
    assert without_period.status_code == 200 and "start" in without_period.context["form"].errors
