"""Hostile or broken import files get a clear error and change nothing; a real file of 100,000 rows goes in."""

from __future__ import annotations

import io
import time
import zipfile
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation
from django_scopes import scopes_disabled
from openpyxl import Workbook

from approdi.audit.models import AuditEntry
from approdi.core import importing
from approdi.core.importing import ImportFailed
from approdi.core.models import ImportedFile
from approdi.network.imports import run_import
from approdi.network.models import Programme
from approdi.outreach.models import Contact, Referral
from tests.builders import verified_client

pytestmark = [pytest.mark.django_db, pytest.mark.security]

CONTACT_HEADER = "date,organisation,channel,area,person_code,gender,age_band,nationality,exploitation,first_contact"
REFERRALS = (
    "date,organisation,source_type,referring_body,notes\n"
    "2024-03-01,partner,police,Questura di Milano,met at the station\n"
)


def run(kind: str, content: bytes, name: str, network, **options):
    """As the command line runs an import: for the whole network, outside any organisation's scope."""
    with scopes_disabled(), translation.override("en"):
        return run_import(kind, content, name, options={"programme": network.programme}, **options)


def messages(failure: pytest.ExceptionInfo) -> list[str]:
    with translation.override("en"):  # a row error is worded when it is read
        return [str(e) for e in failure.value.errors]


def contacts(network) -> int:
    with scopes_disabled():
        return Contact.objects.filter(programme=network.programme).count()


def upload(client, kind, content: bytes, name="file.csv", **flags):
    data = {"kind": kind, "file": SimpleUploadedFile(name, content), **{k: "on" for k, v in flags.items() if v}}
    client.cookies["django_language"] = "en"
    return client.post(reverse("outreach:import"), data)


def xlsx(rows: list[list]) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# Zip bombs


def bomb(inflated_mb: int) -> bytes:
    """A small workbook whose sheet inflates to ``inflated_mb`` MB of rows (streamed: little memory)."""
    sound = zipfile.ZipFile(io.BytesIO(xlsx([["date", "organisation", "channel"]])))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as out:
        for member in sound.infolist():
            if member.filename != "xl/worksheets/sheet1.xml":
                out.writestr(member, sound.read(member))
                continue
            with out.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
                sheet.write(b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
                row = b'<row><c t="inlineStr"><is><t>2024-03-01</t></is></c></row>' * 16_384
                for _ in range(inflated_mb * 1024 * 1024 // len(row)):
                    sheet.write(row)
                sheet.write(b"</sheetData></worksheet>")
    return buffer.getvalue()


@pytest.mark.parametrize("inflated_mb", [12, 210])
def test_a_zip_bomb_is_refused_before_anything_inflates_it(network, monkeypatch, inflated_mb):
    content = bomb(inflated_mb)
    assert len(content) < 1024 * 1024  # under every upload limit
    monkeypatch.setattr(importing, "_open_sheet", lambda *a, **k: pytest.fail("openpyxl opened a zip bomb"))
    started = time.monotonic()
    with pytest.raises(ImportFailed) as failure:
        run("contacts", content, "bomb.xlsx", network)
    assert time.monotonic() - started < 2
    assert "expands to more than 200 MB or is compressed suspiciously" in messages(failure)[0]


def test_the_import_page_refuses_a_zip_bomb_with_a_translated_message(network, people):
    client = verified_client(people("coordinator", at=network.lead).owner)
    client.cookies["django_language"] = "it"
    answer = client.post(
        reverse("outreach:import"), {"kind": "contacts", "file": SimpleUploadedFile("b.xlsx", bomb(12))}
    )
    assert answer.status_code == 200
    assert "compressa in modo sospetto" in answer.content.decode()
    assert contacts(network) == 0


def test_too_many_rows_or_columns_are_refused(network):
    rows = "\n".join(["date,organisation,channel", *["2024-03-01,partner,street"] * 200_001]).encode()
    with pytest.raises(ImportFailed) as failure:
        run("contacts", rows, "c.csv", network, dry_run=True)
    assert "more than 200,000 rows" in messages(failure)[0]
    wide = xlsx([["date", "organisation", "channel", *[f"x{i}" for i in range(60)]]])
    with pytest.raises(ImportFailed) as failure:
        run("contacts", wide, "c.xlsx", network, dry_run=True)
    assert "more than 50 columns" in messages(failure)[0]


def test_100000_contacts_in_a_7_mb_csv_go_in(network, people):
    """The size a real programme's year of contacts has, over the old 5 MB limit: imported through the page.
    (The one 100,000-row import of the suite: tests/security/test_import_limits.py bounds the rest in small.)"""
    line = "2024-03-01,partner,street,MI,,woman,21-23,NG,sexual,yes\n"
    content = (CONTACT_HEADER + "\n" + line * 100_000).encode()
    assert 5 * 1024 * 1024 < len(content) < importing.max_bytes()
    client = verified_client(people("coordinator", at=network.lead).owner)
    answer = upload(client, "contacts", content)
    assert not answer.context["form"].errors and not answer.context["errors"]
    assert answer.context["imported"] == 100_000
    assert contacts(network) == 100_000


# Row numbers, formulas, names


def test_row_numbers_are_the_spreadsheets_even_after_blank_rows(network):
    csv_file = f"{CONTACT_HEADER}\n\n2024-03-01,partner,street\n\n\n2024-03-01,partner,bus\n".encode()
    with pytest.raises(ImportFailed) as failure:
        run("contacts", csv_file, "c.csv", network)
    assert [m[:36] for m in messages(failure)] == ["row 6, column channel: 'bus' is not "]
    book = xlsx([["date", "organisation", "channel"], [], ["2024-03-01", "partner", "bus"]])
    with pytest.raises(ImportFailed) as failure:
        run("contacts", book, "c.xlsx", network)
    assert messages(failure)[0].startswith("row 3, column channel:")


def test_a_formula_without_a_saved_value_is_a_row_error_not_an_empty_cell(network):
    # openpyxl, like other libraries, writes formulas without computing them: no cached value.
    book = xlsx([["date", "organisation", "channel", "headcount"], ["2024-03-01", "partner", "street", "=1+1"]])
    with pytest.raises(ImportFailed) as failure:
        run("contacts", book, "c.xlsx", network)
    assert messages(failure) == [
        "row 2, column headcount: formula without a value: save the file in Excel or LibreOffice first"
    ]
    assert contacts(network) == 0


@pytest.mark.parametrize("body", ['=HYPERLINK("http://evil.example","RB")', "@SUM(A1)", "+39 02", "-Caritas"])
def test_a_name_a_spreadsheet_would_run_as_a_formula_is_refused(network, body):
    quoted = body.replace('"', '""')
    content = (
        f'date,organisation,source_type,referring_body,notes\n2024-03-01,partner,police,"{quoted}",met at the station\n'
    )
    with pytest.raises(ImportFailed) as failure:
        run("referrals", content.encode(), "r.csv", network)
    assert messages(failure) == [
        f"row 2, column referring_body: starts with '{body[0]}', which spreadsheets run as a formula: remove it"
    ]
    with scopes_disabled():
        assert not Referral.objects.exists()


def test_a_nul_character_is_a_row_error(network, people):
    client = verified_client(people("coordinator", at=network.lead).owner)
    answer = upload(client, "referrals", REFERRALS.replace("Questura", "Que\x00stura").encode())
    assert answer.status_code == 200
    assert [str(e) for e in answer.context["errors"]] == ["row 2, column referring_body: contains a NUL character"]


# The same file twice


def test_the_same_file_twice_is_refused_unless_forced_on_the_command_line(network, tmp_path, capsys):
    path = tmp_path / "referrals.csv"
    path.write_text(REFERRALS, encoding="utf-8")
    call_command("import_data", "referrals", str(path), "--programme", "P-1")
    with pytest.raises(CommandError):
        call_command("import_data", "referrals", str(path), "--programme", "P-1")
    assert "importing it again would count every row twice" in capsys.readouterr().err
    running_until = date(date.today().year + 1, 12, 31)  # an ended edition is closed to new work
    Programme.objects.filter(pk=network.other_programme.pk).update(start=date(2024, 1, 1), end=running_until)
    call_command("import_data", "referrals", str(path), "--programme", "P-2")  # another programme: its own
    call_command("import_data", "referrals", str(path), "--programme", "P-1", "--force")
    with scopes_disabled():
        assert Referral.objects.filter(programme=network.programme).count() == 2
        assert list(ImportedFile.objects.filter(programme=network.programme).values_list("forced", flat=True)) == [
            False,
            True,
        ]
        assert AuditEntry.objects.filter(object_type="core.importedfile", reason__contains="forced").count() == 1


def test_the_page_warns_of_a_file_imported_before_and_imports_it_again_only_when_ticked(network, people):
    client = verified_client(people("coordinator", at=network.lead).owner)
    assert upload(client, "referrals", REFERRALS.encode()).context["imported"] == 1
    again = upload(client, "referrals", REFERRALS.encode())
    assert "importing it again would count every row twice" in str(again.context["errors"][0])
    assert "import it again" in again.content.decode().lower()
    assert upload(client, "referrals", REFERRALS.encode(), force=True).context["imported"] == 1
    with scopes_disabled():
        assert Referral.objects.count() == 2
