"""A worker process killed in the middle of an export (SIGKILL: a crash, a host rebooted) and started again under
the same ``--worker-id``: the export is run again from the start, completes once, and its requester sees it done.

Real processes on PostgreSQL: ``manage.py run_worker`` as deploy/approdi-worker@.service starts it. Only its
first life is slowed (each exported row waits a few milliseconds, patched in that subprocess alone) so that
the test can kill it while the job is visibly half done; the second life runs the unchanged code. About
half a minute, most of it ``migrate``.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.cluster_site import POSTGRES_URL, _base_env, reachable, start_worker
from tests.production_site import ROOT, manage, postgres_database

pytestmark = [
    pytest.mark.production,
    # The PostgreSQL pass of CI runs it (the test makes a database of its own beside DATABASE_URL's).
    pytest.mark.skipif(
        not (os.environ.get("DATABASE_URL", "").startswith("postgres") and reachable("127.0.0.1", 5432)),
        reason="runs on the PostgreSQL pass",
    ),
]
ROWS = 400
WORKER_ID = "worker-restart"

# The requester asks for the export through the exports page, as in the browser.
SEED = f"""
from datetime import date
from django.test import Client
from django_scopes import scopes_disabled
from approdi.outreach.models import Contact
from approdi.reports.models import ExportJob
from tests.builders.network import build_network, make_user, verified_client

network = build_network()
owner = make_user("requester", network.partner, "outreach", network.programme)
with scopes_disabled():
    Contact.objects.bulk_create(
        Contact(programme=network.programme, organisation=network.partner, channel="street",
                date=date(2024, 3, 1 + n % 28), person_code=f"AP-{{n:05d}}-RSTRT")
        for n in range({ROWS})
    )
answer = verified_client(owner).post("/reports/exports/new/", {{"kind": "contacts", "fmt": "csv"}}, secure=True)
assert answer.status_code == 302, answer.status_code
with scopes_disabled():
    print("JOB", ExportJob.objects.get().pk)
"""

# What the database and the requester's pages say once the worker is done.
REPORT = """
import json
from django.conf import settings
from django.test import override_settings
from django_scopes import scopes_disabled
from django_tasks_db.models import DBTaskResult
from approdi.accounts.models import User
from approdi.audit.models import AuditEntry
from approdi.reports.models import ExportJob
from tests.builders.network import verified_client

# Pages rendered here, not served: the static files' plain storage instead of collectstatic's manifest.
plain = override_settings(STORAGES={**settings.STORAGES, "staticfiles": {
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}})
with scopes_disabled(), plain:
    job = ExportJob.objects.get()
    client = verified_client(User.objects.get(username="requester"))
    page = client.get(f"/reports/exports/{job.pk}/", secure=True).content.decode()
    download = client.get(f"/reports/exports/{job.pk}/download/", secure=True)
    lines = download.content.decode().splitlines()
    print(json.dumps({
        "jobs": ExportJob.objects.count(),
        "status": job.status, "done": job.done, "total": job.total,
        "tasks": list(DBTaskResult.objects.values_list("status", "worker_ids")),
        "page_done": 'data-status="done"' in page,
        "download": download.status_code, "lines": len(lines), "distinct": len(set(lines)),
        "requested": AuditEntry.objects.filter(object_type="reports.exportjob", object_id=str(job.pk)).count(),
    }))
"""

SLOW_WORKER = """
import os, sys, time
import django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()
from approdi.outreach import exports
row = exports.contact_row
def slow(contact):
    time.sleep(0.02)
    return row(contact)
exports.contact_row = slow
from django.core.management import execute_from_command_line
execute_from_command_line(["manage.py", *sys.argv[1:]])
"""


def job_progress(url: str, job_id: int) -> tuple[str, int, int, str]:
    """(job status, done, total, task status) read straight from the database."""
    import psycopg

    with psycopg.connect(url) as connection:
        status, done, total = connection.execute(
            "SELECT status, done, total FROM reports_exportjob WHERE id = %s", [job_id]
        ).fetchone()
        task = connection.execute("SELECT status FROM django_tasks_database_dbtaskresult").fetchone()
    return status, done, total, task[0] if task else ""


def wait_until(condition, *, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        time.sleep(0.1)
    raise AssertionError(f"{what}: not within {seconds} seconds")


@pytest.fixture
def site(tmp_path: Path):
    env = _base_env(tmp_path) | {"ALLOWED_HOSTS": "127.0.0.1,testserver"}
    database = os.environ.get("DATABASE_URL", "")
    env["DATABASE_URL"], drop = postgres_database(
        database if database.startswith("postgres") else POSTGRES_URL, "restart"
    )
    processes: list[subprocess.Popen] = []
    try:
        manage("migrate", "--no-input", "-v0", env=env)
        yield env, processes
    finally:
        for process in processes:
            if process.poll() is None:
                process.terminate()
                process.wait(30)
        drop()


def test_a_worker_killed_mid_export_and_started_again_completes_it_once(site):
    env, processes = site
    job_id = int(manage("shell", "-c", SEED, env=env).stdout.split("JOB")[1].split()[0])
    url = env["DATABASE_URL"]
    assert job_progress(url, job_id) == ("queued", 0, 0, "READY")

    log = Path(env["APPRODI_VAR_DIR"]).parent / f"worker-{WORKER_ID}.log"
    with log.open("a") as stream:
        first = subprocess.Popen(
            [sys.executable, "-c", SLOW_WORKER, "run_worker", f"--worker-id={WORKER_ID}", "--interval=0.2"],
            cwd=ROOT,
            env=env,
            stdout=stream,
            stderr=subprocess.STDOUT,
        )
    processes.append(first)
    # Half done, as its requester sees it on the job's page: then the process is killed without warning.

    def half_done() -> bool:
        assert first.poll() is None, log.read_text()
        return job_progress(url, job_id)[1] >= ROWS // 4

    wait_until(half_done, seconds=90, what="the first worker's progress")
    first.send_signal(signal.SIGKILL)
    first.wait(10)
    status, done, total, task = job_progress(url, job_id)
    assert (status, task, total) == ("running", "RUNNING", ROWS) and 0 < done < ROWS, (status, done, total, task)

    second = start_worker(env, WORKER_ID)  # the same worker id, the code as shipped
    processes.append(second)
    wait_until(lambda: job_progress(url, job_id)[0] == "done", seconds=90, what="the export after the restart")
    second.terminate()
    second.wait(30)

    report = json.loads(manage("shell", "-c", REPORT, env=env).stdout.strip().splitlines()[-1])
    assert "1 interrupted task(s) queued again" in log.read_text()
    assert report["jobs"] == 1 and report["requested"] == 1  # asked for once, audited once
    assert (report["status"], report["done"], report["total"]) == ("done", ROWS, ROWS)
    assert report["tasks"] == [["SUCCESSFUL", [WORKER_ID, WORKER_ID]]]  # taken twice by the same worker, then done
    assert report["page_done"] and report["download"] == 200
    assert report["lines"] == report["distinct"] == ROWS + 1  # the header and each contact once
