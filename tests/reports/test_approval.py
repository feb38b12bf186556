"""Funder reports: one coordinator prepares, a second approves, and the approved files never change."""

import csv
import hashlib
import html
import io
import re
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, InternalError, ProgrammingError, connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django_scopes import scopes_disabled

from approdi.accounts.models import Membership, User
from approdi.accounts.services import issue_token
from approdi.audit.models import AuditEntry
from approdi.outreach.models import Contact
from approdi.reports.funder import approval
from approdi.reports.models import FunderReport
from tests.builders import verified_client

pytestmark = pytest.mark.django_db
PERIOD = {"start": "2024-03-01", "end": "2024-03-31"}


@pytest.fixture
def coordinators(network, people, make_user):
    """Two coordinators at the lead entity (``owner`` prepares, ``second`` approves) and the usual trio."""
    trio = people("coordinator", at=network.lead)
    trio.second = make_user("coordinator-second", network.lead, "coordinator", network.programme)
    return trio


def street_contacts(network, headcount: int, day: date = date(2024, 3, 10)) -> None:
    with scopes_disabled():
        Contact.objects.create(
            programme=network.programme, organisation=network.partner, channel="street", date=day, headcount=headcount
        )


def prepared(client) -> FunderReport:
    answer = client.post(reverse("reports:funder_prepare"), PERIOD)
    assert answer.status_code == 302, answer.content.decode()[:500]
    with scopes_disabled():
        return FunderReport.objects.latest("id")


def italian(msgid: str) -> str:
    with translation.override("it"):
        return translation.gettext(msgid)


def said(answer, msgid: str) -> bool:
    """Whether the page showed the message, in the page's language (Italian unless the user chose otherwise)."""
    with translation.override("it"):
        expected = translation.gettext(msgid)
    return expected in html.unescape(answer.content.decode())


def audit_reasons(report) -> list[str]:
    with scopes_disabled():
        return list(
            AuditEntry.objects.filter(object_type="reports.funderreport", object_id=str(report.pk))
            .order_by("id")
            .values_list("reason", flat=True)
        )


def test_the_preparer_cannot_approve_a_second_coordinator_does(network, coordinators):
    street_contacts(network, 7)
    preparer, second = verified_client(coordinators.owner), verified_client(coordinators.second)
    report = prepared(preparer)
    assert report.status == "draft" and report.figures["outreach"]["street_contacts"] == 7

    preview = preparer.get(reverse("reports:funder_detail", args=[report.pk]))
    assert preview.status_code == 200
    assert b'data-testid="needs-second"' in preview.content
    assert reverse("reports:funder_approve", args=[report.pk]).encode() not in preview.content
    assert preparer.post(reverse("reports:funder_approve", args=[report.pk])).status_code == 403
    with scopes_disabled():
        assert AuditEntry.objects.filter(action="denied", object_type="reports.approve_report").exists()
        assert FunderReport.objects.get(pk=report.pk).status == "draft"

    page = second.get(reverse("reports:funder_detail", args=[report.pk]))
    assert reverse("reports:funder_approve", args=[report.pk]).encode() in page.content
    answer = second.post(
        reverse("reports:funder_approve", args=[report.pk]), {"figures_hash": report.figures_hash, "confirm": "on"}
    )
    assert answer.status_code == 302
    with scopes_disabled():
        report.refresh_from_db()
    assert report.status == "approved" and report.approved_by == coordinators.second and not report.self_approved
    assert report.content_hash and set(report.file_hashes) == {"xlsx", "csv", "pdf"}
    assert audit_reasons(report)[-1].startswith("approved;")
    shown = second.get(reverse("reports:funder_detail", args=[report.pk])).content.decode()
    assert report.content_hash in shown and "coordinator-second" in shown


def test_self_approval_only_where_the_programme_allows_it_and_the_audit_says_so(network, coordinators):
    client = verified_client(coordinators.owner)
    report = prepared(client)
    coordinators.owner.active_membership = Membership.objects.select_related("programme").get(user=coordinators.owner)
    with pytest.raises(PermissionDenied):
        approval.approve(actor=coordinators.owner, report=report)

    network.programme.allow_self_approval = True
    network.programme.save()
    page = client.get(reverse("reports:funder_detail", args=[report.pk])).content.decode()
    assert reverse("reports:funder_approve", args=[report.pk]) in page
    assert client.post(reverse("reports:funder_approve", args=[report.pk]), {"confirm": "on"}).status_code == 302
    with scopes_disabled():
        report.refresh_from_db()
    assert report.status == "approved" and report.self_approved and report.approved_by == coordinators.owner
    assert audit_reasons(report)[-1].startswith("self-approved (the programme allows it)")
    shown = client.get(reverse("reports:funder_detail", args=[report.pk])).content.decode()
    assert "<strong>" in shown.split('data-testid="approved-by"')[1].split("</dd>")[0]


def test_approved_files_are_byte_identical_to_what_was_approved_whatever_happens_later(
    network, coordinators, monkeypatch
):
    street_contacts(network, 5)
    report = prepared(verified_client(coordinators.owner))
    second = verified_client(coordinators.second)
    second.post(
        reverse("reports:funder_approve", args=[report.pk]), {"figures_hash": report.figures_hash, "confirm": "on"}
    )
    with scopes_disabled():
        frozen = FunderReport.objects.get(pk=report.pk)
    stored = {fmt: bytes(getattr(frozen, fmt)) for fmt in ("xlsx", "csv", "pdf")}
    assert stored["xlsx"][:2] == b"PK" and stored["pdf"].startswith(b"%PDF")
    assert b"outreach.street_contacts" in stored["csv"] and b",5" in stored["csv"]

    street_contacts(network, 100)  # the data change after approval, and so does the way files are made
    monkeypatch.setattr(approval, "BUILDERS", dict.fromkeys(stored, lambda figures: b"made again"))
    page = second.get(reverse("reports:funder_detail", args=[report.pk])).content.decode()
    for fmt, content in stored.items():
        for _ in range(2):
            download = second.get(reverse("reports:funder_file", args=[report.pk, fmt]))
            assert download.status_code == 200
            assert download.content == content, fmt
        assert hashlib.sha256(content).hexdigest() in page  # each file can be checked with sha256sum
    assert approval.content_digest(frozen.figures_hash, {f: hashlib.sha256(c).hexdigest() for f, c in stored.items()})
    assert frozen.content_hash == approval.content_digest(
        frozen.figures_hash, {f: hashlib.sha256(c).hexdigest() for f, c in stored.items()}
    )
    # A new draft sees the new data; the approved one does not.
    monkeypatch.undo()
    newer = prepared(verified_client(coordinators.owner))
    assert newer.figures["outreach"]["street_contacts"] == 105
    assert frozen.figures["outreach"]["street_contacts"] == 5
    with scopes_disabled():
        downloads = AuditEntry.objects.filter(action="export", object_type="reports.funderreport").count()
    assert downloads == 6


def test_an_approved_report_cannot_be_changed_discarded_or_approved_again(network, coordinators):
    report = prepared(verified_client(coordinators.owner))
    second = verified_client(coordinators.second)
    second.post(reverse("reports:funder_approve", args=[report.pk]), {"confirm": "on"})
    with scopes_disabled():
        before = FunderReport.objects.get(pk=report.pk)
    for name in ("reports:funder_refresh", "reports:funder_discard", "reports:funder_approve"):
        answer = second.post(reverse(name, args=[report.pk]), follow=True)
        assert answer.status_code == 200
        assert said(answer, "This report is no longer a draft: it cannot be changed.")
    second.get(reverse("reports:funder_detail", args=[report.pk]))
    with scopes_disabled():
        after = FunderReport.objects.get(pk=report.pk)
    assert (after.status, after.content_hash, bytes(after.pdf), after.approved_at) == (
        before.status,
        before.content_hash,
        bytes(before.pdf),
        before.approved_at,
    )


def test_a_draft_is_prepared_again_or_discarded_and_a_stale_preview_is_not_approved(network, coordinators):
    street_contacts(network, 3)
    owner = verified_client(coordinators.owner)
    report = prepared(owner)
    seen = report.figures_hash
    street_contacts(network, 4)
    second = verified_client(coordinators.second)
    second.post(reverse("reports:funder_refresh", args=[report.pk]))  # the second coordinator re-prepares
    with scopes_disabled():
        report.refresh_from_db()
    assert report.figures["outreach"]["street_contacts"] == 7 and report.figures_hash != seen
    assert report.prepared_by == coordinators.second  # so now the first one may approve it
    stale = owner.post(
        reverse("reports:funder_approve", args=[report.pk]), {"figures_hash": seen, "confirm": "on"}, follow=True
    )
    assert said(stale, "The draft was prepared again after you opened it: check the new figures.")
    with scopes_disabled():
        assert FunderReport.objects.get(pk=report.pk).status == "draft"
    # Draft files are made from the draft's figures when downloaded.
    draft_csv = owner.get(reverse("reports:funder_file", args=[report.pk, "csv"]))
    assert draft_csv.status_code == 200 and b"outreach.street_contacts" in draft_csv.content

    assert owner.post(reverse("reports:funder_discard", args=[report.pk])).status_code == 302
    with scopes_disabled():
        report.refresh_from_db()
    assert report.status == "withdrawn" and report.withdrawn_by == coordinators.owner
    assert owner.get(reverse("reports:funder_file", args=[report.pk, "csv"])).status_code == 404
    page = owner.get(reverse("reports:funder_detail", args=[report.pk])).content
    assert reverse("reports:funder_approve", args=[report.pk]).encode() not in page


def test_who_may_open_prepare_and_approve(network, coordinators, make_user):
    report = prepared(verified_client(coordinators.owner))
    # A member of the lead entity without the role, a coordinator of a partner, the Ufficio Filtro: refused.
    filtro = make_user("filtro-lead", network.lead, "filtro", network.programme)
    for user in (coordinators.member, coordinators.outsider, filtro):
        client = verified_client(user)
        assert client.get(reverse("reports:funder_list")).status_code == 403
        assert client.get(reverse("reports:funder_prepare")).status_code == 403
        assert client.get(reverse("reports:funder_detail", args=[report.pk])).status_code == 403
        assert client.post(reverse("reports:funder_approve", args=[report.pk])).status_code == 403
    # The lead entity's coordinator of another programme: the report does not exist for her.
    elsewhere = make_user("coordinator-elsewhere", network.lead, "coordinator", network.other_programme)
    client = verified_client(elsewhere)
    assert client.get(reverse("reports:funder_detail", args=[report.pk])).status_code == 404
    assert client.post(reverse("reports:funder_approve", args=[report.pk])).status_code == 404
    assert client.get(reverse("reports:funder_file", args=[report.pk, "pdf"])).status_code == 404
    listed = verified_client(coordinators.second).get(reverse("reports:funder_list"))
    assert reverse("reports:funder_detail", args=[report.pk]).encode() in listed.content
    assert (
        reverse("reports:funder_detail", args=[report.pk]).encode()
        not in client.get(reverse("reports:funder_list")).content
    )


def test_the_period_is_checked(network, coordinators):
    client = verified_client(coordinators.owner)
    answer = client.post(reverse("reports:funder_prepare"), {"start": "2024-03-31", "end": "2024-03-01"})
    assert answer.status_code == 200 and answer.context["form"].errors
    with scopes_disabled():
        assert not FunderReport.objects.exists()


def test_api_prepares_lists_reads_and_approves(network, coordinators):
    street_contacts(network, 9)
    _, owner_key = issue_token(user=coordinators.owner)
    _, second_key = issue_token(user=coordinators.second)

    def call(method, path, key, body=None):
        headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
        if method == "get":
            return Client().get(path, **headers)
        return Client().post(path, body or {}, content_type="application/json", **headers)

    created = call(
        "post", "/api/v1/reports/funder", owner_key, {"programme": "P-1", "from": "2024-03-01", "to": "2024-03-31"}
    )
    assert created.status_code == 201
    pk = created.json()["id"]
    bad = call(
        "post", "/api/v1/reports/funder", owner_key, {"programme": "P-1", "from": "2024-03-31", "to": "2024-03-01"}
    )
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "invalid"

    listed = call("get", "/api/v1/reports/funder?programme=P-1", second_key).json()
    assert (
        listed["count"] == 1 and listed["items"][0]["status"] == "draft" and listed["items"][0]["from"] == "2024-03-01"
    )
    detail = call("get", f"/api/v1/reports/funder/{pk}?programme=P-1", second_key).json()
    assert detail["figures"]["outreach"]["street_contacts"] == 9 and detail["prepared_by"] == "coordinator-owner"

    refused = call("post", f"/api/v1/reports/funder/{pk}/approve", owner_key, {"programme": "P-1"})
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "forbidden"
    stale = call(
        "post",
        f"/api/v1/reports/funder/{pk}/approve",
        second_key,
        {"programme": "P-1", "figures_hash": "0" * 64, "confirm": True},
    )
    assert stale.status_code == 409
    approved = call(
        "post",
        f"/api/v1/reports/funder/{pk}/approve",
        second_key,
        {"programme": "P-1", "figures_hash": detail["figures_hash"], "confirm": True},
    )
    assert approved.status_code == 200
    body = approved.json()
    assert (
        body["status"] == "approved" and body["approved_by"] == "coordinator-second" and len(body["content_hash"]) == 64
    )
    again = call("post", f"/api/v1/reports/funder/{pk}/approve", second_key, {"programme": "P-1", "confirm": True})
    assert again.status_code == 409 and again.json()["error"]["code"] == "conflict"


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the trigger that freezes approved reports is PostgreSQL's"
)
def test_postgresql_refuses_to_alter_or_delete_an_approved_report(network, coordinators):
    draft = prepared(verified_client(coordinators.owner))
    report = prepared(verified_client(coordinators.owner))
    verified_client(coordinators.second).post(reverse("reports:funder_approve", args=[report.pk]), {"confirm": "on"})
    for sql in (
        "UPDATE reports_funderreport SET figures_hash = 'x' WHERE id = %s",
        "UPDATE reports_funderreport SET pdf = NULL, status = 'draft' WHERE id = %s",
        "DELETE FROM reports_funderreport WHERE id = %s",
    ):
        with (
            pytest.raises((InternalError, ProgrammingError, IntegrityError)),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, [report.pk])
    with connection.cursor() as cursor:  # drafts stay editable
        cursor.execute("UPDATE reports_funderreport SET start = start WHERE id = %s", [draft.pk])
        assert cursor.rowcount == 1
    with scopes_disabled():
        assert FunderReport.objects.get(pk=report.pk).status == "approved"


def _rows_after(sheet_rows: list[tuple], heading: str) -> dict[str, tuple]:
    """The rows of the XLSX section under ``heading``, by their first cell, up to the next empty row."""
    at = next(n for n, row in enumerate(sheet_rows) if row[0] == heading)
    found = {}
    for row in sheet_rows[at + 1 :]:
        if row[0] is None:
            break
        found[row[0]] = row[1:]
    return found


def test_the_demo_da_2017_report_approved_with_seed_001_figures(db, make_user):
    """End to end: DA-2017 prepared by the demo coordinator, approved by a second one, with seed 001's figures.

    The approved files read as a document of the Comune: its name, the period in words, seed 001's two tables with
    the Italian names of the types of structure (never their codes), the targets against the results, "Pagina 1 di
    N", and who prepared and approved the report, when, and the hash of its figures.
    """
    from django.core.management import call_command
    from openpyxl import load_workbook

    from approdi.network.models import Organisation, Programme, Target
    from tests.pdftext import pdf_text

    call_command("load_demo", "--quiet")
    programme = Programme.objects.get(code="DA-2017")
    Target.objects.update_or_create(programme=programme, indicator="street_contacts", defaults={"value": 4000})
    second = make_user("seconda-referente", Organisation.objects.get(code="comune-milano"), "coordinator", programme)
    second.first_name, second.last_name = "Giulia", "Bianchi"
    second.save()
    preparer = verified_client(User.objects.get(username="coordinatrice"))
    session = preparer.session
    session["approdi_membership_id"] = Membership.objects.get(user__username="coordinatrice", programme=programme).pk
    session.save()
    answer = preparer.post(reverse("reports:funder_prepare"), {"start": "2017-12-01", "end": "2019-02-28"})
    assert answer.status_code == 302
    with scopes_disabled():
        report = FunderReport.objects.get(programme=programme)
    draft_pdf = pdf_text(preparer.get(reverse("reports:funder_file", args=[report.pk, "pdf"])).content)
    assert italian("Draft: not approved yet. The figures may still change.") in draft_pdf.splitlines()
    assert "Giulia Bianchi" not in draft_pdf
    assert italian("Preparation") in draft_pdf.splitlines() and italian("Approval") not in draft_pdf.splitlines()
    assert (
        verified_client(second).post(reverse("reports:funder_approve", args=[report.pk]), {"confirm": "on"}).status_code
        == 302
    )
    with scopes_disabled():
        report.refresh_from_db()
    codes = ("emergency_women", "dormitory_men", "emergency_places", "autonomy", "street_contacts")

    xlsx = preparer.get(reverse("reports:funder_file", args=[report.pk, "xlsx"])).content
    book = load_workbook(io.BytesIO(xlsx))
    assert book.sheetnames == [italian("Summary")]
    cells = list(book.active.iter_rows(values_only=True))
    values = [row[1] for row in cells if row[0] is not None and isinstance(row[1], int)]
    assert values[:8] == [3575, 1667, 484, 553, 160, 17, 2, 179]
    capacity = _rows_after(cells, italian("Reception capacity (structures / beds)"))
    assert capacity["Pronto intervento per donne"][:2] == (3, 6)
    assert capacity["Posti per uomini in dormitorio"][:2] == (None, 2)  # places, no structure: blank as in the seed
    assert capacity[italian("Total")][:2] == (28, 84)
    assert _rows_after(cells, italian("Targets and results"))[italian("Street contacts")][:3] == (4000, 3575, 89)
    approval_cells = _rows_after(cells, italian("Approval"))
    assert approval_cells[italian("Approved by")][0] == "Giulia Bianchi (seconda-referente)"
    assert approval_cells[italian("Figures hash (SHA-256)")][0] == report.figures_hash
    shown = " ".join(str(value) for row in cells for value in row if value is not None)
    assert "Comune di Milano" in shown and "1 dicembre 2017 – 28 febbraio 2019" in shown
    assert not any(code in shown for code in codes), shown

    csv_text = preparer.get(reverse("reports:funder_file", args=[report.pk, "csv"])).content.decode()
    labels = [row[1] for row in csv.reader(io.StringIO(csv_text))]
    assert "Pronto intervento per donne: strutture" in labels and not any(c in " ".join(labels) for c in codes)
    assert "capacity.emergency_women.beds" in csv_text  # the §9 keys stay, for scripts

    pdf = preparer.get(reverse("reports:funder_file", args=[report.pk, "pdf"])).content
    assert hashlib.sha256(pdf).hexdigest() == report.file_hashes["pdf"]
    lines = pdf_text(pdf).splitlines()
    text = "\n".join(lines)
    assert "Comune di Milano" in lines and not any(code in text for code in codes)
    assert f"{italian('Period')}: 1 dicembre 2017 – 28 febbraio 2019" in lines
    pages = re.findall(r"^Pagina (\d+) di \n?(\d+)$", text, re.M)  # fpdf2 writes the total as its own text
    assert pages == [(str(n), str(len(pages))) for n in range(1, len(pages) + 1)] and len(pages) > 1
    at = lines.index("Pronto intervento per donne")
    assert lines[at + 1 : at + 3] == ["3", "6"]
    at = lines.index("Posti per uomini in dormitorio")
    assert lines[at + 1] == "2"
    at = lines.index(italian("Street contacts"))
    assert lines[at + 1 : at + 4] == ["4000", "3575", "89 %"]
    with translation.override("it"):
        approved_on = date_format(timezone.localtime(report.approved_at), "j F Y, H:i").lower()
    assert lines[lines.index(italian("Prepared by")) + 1].endswith("(coordinatrice)")
    assert lines[lines.index(italian("Approved by")) + 1] == "Giulia Bianchi (seconda-referente)"
    assert lines[lines.index(italian("Approved on")) + 1] == approved_on
    assert lines[lines.index(italian("Figures hash (SHA-256)")) + 1] == report.figures_hash
