"""Imports of contacts and referrals (page and command line), all or nothing; audited exports."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation
from django_scopes import scopes_disabled
from openpyxl import load_workbook

from approdi.audit.models import AuditEntry
from approdi.outreach.models import Contact, Referral
from approdi.people.person_code import code_from_identifier
from tests.builders import verified_client

pytestmark = pytest.mark.django_db
GOOD_CONTACTS = (
    "date,organisation,channel,area,person_code,gender,age_band,nationality,exploitation,first_contact,headcount\n"
    "2024-03-01,partner,street,MI,CASE-17,woman,18-20,NG,sexual,yes,\n"
    "02/03/2024,PARTNER,Street,mi,,,,,,,6\n"
    "2024-03-03,other,indoor,,case-17,woman,,ng,,no,1\n"
)


def upload(client, kind, content, name="file.csv", dry_run=False):
    data = {"kind": kind, "file": SimpleUploadedFile(name, content.encode() if isinstance(content, str) else content)}
    if dry_run:
        data["dry_run"] = "on"
    client.cookies["django_language"] = "en"  # the messages below are asserted in English
    return client.post(reverse("outreach:import"), data)


def all_contacts():
    with scopes_disabled():
        return list(Contact.objects.order_by("date"))


def test_filtro_imports_contacts_on_the_page(network, people):
    client = verified_client(people("filtro", at=network.lead).owner)
    response = upload(client, "contacts", GOOD_CONTACTS)
    assert response.context["imported"] == 3 and not response.context["errors"]
    rows = all_contacts()
    assert [(c.organisation.code, c.channel, c.headcount) for c in rows] == [
        ("partner", "street", 1),
        ("partner", "street", 6),
        ("other", "indoor", 1),
    ]
    # The same identifier in any file, any case, means the same person; it is stored keyed-hashed.
    assert rows[0].person_code == rows[2].person_code == code_from_identifier("CASE-17") != "CASE-17"
    assert rows[0].programme == network.programme and str(rows[2].nationality) == "NG"


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (
            GOOD_CONTACTS + "2024-03-04,nobody,street,,,,,,,,1\n",
            "row 5, column organisation: unknown organisation 'nobody'",
        ),
        (GOOD_CONTACTS + "2024-13-04,partner,street,,,,,,,,1\n", "row 5, column date: '2024-13-04' is not a date"),
        (GOOD_CONTACTS + "2024-03-04,partner,street,,,,,,,,-2\n", "row 5, column headcount: must be at least 1"),
        (GOOD_CONTACTS + "2024-03-04,partner,street,ZZ,,,,,,,1\n", "row 5, column area: unknown area 'ZZ'"),
        (GOOD_CONTACTS + "2024-03-04,partner,bus,,,,,,,,1\n", "row 5, column channel: 'bus' is not one of"),
        (GOOD_CONTACTS + "2024-03-04,partner,street,,X1,,,,,,3\n", "row 5, column headcount: a group of people"),
        (GOOD_CONTACTS + "2024-03-04,partner,street,,,,,XX,,,1\n", "row 5, column nationality:"),
        ("date,organisation\n2024-03-01,partner\n", "row 1, column channel: required column is missing"),
        ("date,organisation,channel\n", "the file has no rows under the header"),
        ("\n\n", "the file is empty"),
    ],
)
def test_any_bad_row_imports_nothing(network, people, content, expected):
    client = verified_client(people("coordinator", at=network.lead).owner)
    response = upload(client, "contacts", content)
    messages = [str(e) for e in response.context["errors"]]
    assert any(expected in m for m in messages), messages
    assert not all_contacts()


def test_an_empty_upload_is_a_form_error(network, people):
    client = verified_client(people("coordinator", at=network.lead).owner)
    response = upload(client, "contacts", "")
    assert response.context["form"].errors["file"] and not all_contacts()


def test_a_file_over_the_byte_limit_is_refused(network, people, settings):
    settings.APPRODI_IMPORT_MAX_ROWS = 100_000  # 16 MB: as many rows of 160 bytes
    client = verified_client(people("coordinator", at=network.lead).owner)
    big = GOOD_CONTACTS + "2024-03-04,partner,street,,,,,,,,1\n" * 500_000
    response = upload(client, "contacts", big)
    assert "larger than 16 MB" in str(response.context["form"].errors["file"])
    assert not all_contacts()


def test_xlsx_import_and_dry_run(network, people):
    from openpyxl import Workbook

    book = Workbook()
    for row in csv.reader(io.StringIO(GOOD_CONTACTS)):
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    client = verified_client(people("filtro", at=network.lead).owner)
    checked = upload(client, "contacts", buffer.getvalue(), "file.xlsx", dry_run=True)
    assert checked.context["imported"] == 3 and not all_contacts()
    upload(client, "contacts", buffer.getvalue(), "file.xlsx")
    assert len(all_contacts()) == 3


def test_partner_coordinator_cannot_import_for_another_organisation(network, people):
    client = verified_client(people("coordinator").owner)  # at the partner: scope is its own organisation
    response = upload(client, "contacts", GOOD_CONTACTS)
    assert "row 4, column organisation: you cannot import records of 'other'" in [
        str(e) for e in response.context["errors"]
    ]
    assert not all_contacts()


@pytest.mark.parametrize("who", ["member", "outsider"])
def test_import_page_needs_the_role(network, people, who):
    trio = people("filtro", at=network.lead)
    client = verified_client(getattr(trio, who))
    expected = 403 if who == "member" else 200  # the outsider is another programme's Ufficio Filtro
    assert client.get(reverse("outreach:import")).status_code == expected


def test_template_has_the_contract_columns(network, people):
    client = verified_client(people("filtro", at=network.lead).owner)
    header = client.get(reverse("outreach:import_template", args=["contacts"])).content.decode().strip()
    assert (
        header == "date,organisation,channel,area,person_code,gender,age_band,nationality,exploitation,first_contact,"
        "headcount,sector,target_group"
    )


def test_import_referrals_from_the_command_line(network, tmp_path, capsys):
    path = tmp_path / "referrals.csv"
    path.write_text(
        "date,organisation,source_type,referring_body,person_code,gender,nationality,exploitation\n"
        "2024-03-01,partner,helpline,Numero Verde,R-1,woman,NG,sexual\n2024-03-02,lead,self,,R-2,,,\n"
    )
    call_command("import_data", "referrals", str(path), "--programme", "P-1")
    with scopes_disabled():
        assert Referral.objects.count() == 2
    with pytest.raises(CommandError, match="--programme is required"):
        call_command("import_data", "referrals", str(path))


def test_an_import_refuses_referrals_that_say_neither_who_nor_why(network, tmp_path, capsys):
    path = tmp_path / "referrals.csv"
    path.write_text(
        "date,organisation,source_type,person_code,notes\n"
        "2024-03-01,partner,cas,,\n"  # nobody, no reason: it would still count as a person referred
        "2024-03-02,partner,,R-3,\n"  # no source: none is assumed
        "2024-03-03,partner,police,,Segnalata per sfruttamento lavorativo\n"
    )
    with pytest.raises(CommandError):
        call_command("import_data", "referrals", str(path), "--programme", "P-1")
    err = capsys.readouterr().err
    assert "row 2, column person_code: give the person code or, in notes, why" in err
    assert "row 3, column source_type: this column is required" in err
    assert "row 4" not in err
    with scopes_disabled():
        assert not Referral.objects.exists()


def test_command_line_reports_every_bad_row(network, tmp_path, capsys):
    path = tmp_path / "contacts.csv"
    path.write_text("date,organisation,channel,headcount\n2024-03-01,partner,street,0\n2024-03-02,nope,street,1\n")
    with pytest.raises(CommandError, match="2 error"):
        call_command("import_data", "contacts", str(path), "--programme", "P-1")
    err = capsys.readouterr().err
    assert (
        "row 2, column headcount: must be at least 1" in err
        and "row 3, column organisation: unknown organisation 'nope'" in err
    )
    assert not all_contacts()


def test_operator_exports_their_contacts_and_the_export_is_audited(network, people):
    trio = people("outreach")
    with scopes_disabled():
        Contact.objects.create(
            programme=network.programme, organisation=network.partner, channel="street", date="2024-03-01", headcount=3
        )
        Contact.objects.create(
            programme=network.programme, organisation=network.other, channel="street", date="2024-03-01", headcount=99
        )
    client = verified_client(trio.owner)
    text = client.get(reverse("outreach:export", args=["contacts", "csv"])).content.decode()
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:3] == [italian("date").capitalize(), "Ente", italian("channel").capitalize()]
    assert len(rows) == 2 and rows[1][10] == "3"  # the headcount, before the labour desk's columns
    book = load_workbook(io.BytesIO(client.get(reverse("outreach:export", args=["contacts", "xlsx"])).content))
    assert book.active.max_row == 2
    with scopes_disabled():
        assert AuditEntry.objects.filter(action="export", object_type="outreach.contacts").count() == 2
    assert verified_client(trio.member).get(reverse("outreach:export", args=["contacts", "csv"])).status_code == 403


def italian(msgid: str) -> str:
    with translation.override("it"):
        return translation.gettext(msgid)


def test_exports_show_labels_and_country_names_never_codes(network, people, make_user):
    """Contacts and referrals exported as CSV and XLSX, and in the background: every code is its Italian label."""
    trio = people("outreach")
    filtro = make_user("filtro", network.lead, "filtro", network.programme)
    with scopes_disabled():
        Contact.objects.create(
            programme=network.programme,
            organisation=network.partner,
            channel="drop_in",
            date="2024-03-01",
            area=network.area,
            gender="trans_woman",
            age_band="18-20",
            nationality="NG",
            exploitation="labour",
            first_contact=True,
        )
        Referral.objects.create(
            programme=network.programme,
            organisation=network.lead,
            date="2024-03-02",
            source_type="territorial_commission",
            gender="woman",
            nationality="CI",
            exploitation="forced_marriage",
            urgency="immediate",
        )
    with translation.override("it"):
        contact = Contact(channel="drop_in", gender="trans_woman", exploitation="labour")
        expected_contact = [contact.get_channel_display(), contact.get_gender_display(), "Nigeria"]
        referral = Referral(source_type="territorial_commission", exploitation="forced_marriage", urgency="immediate")
        expected_referral = [referral.get_source_type_display(), "Costa d'Avorio", referral.get_urgency_display()]
    codes = {"drop_in", "trans_woman", "NG", "labour", "territorial_commission", "CI", "forced_marriage", "immediate"}

    def cells(kind, fmt, client):
        content = client.get(reverse("outreach:export", args=[kind, fmt])).content
        if fmt == "csv":
            return list(csv.reader(io.StringIO(content.decode())))
        return [
            [str(v or "") for v in row] for row in load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True)
        ]

    for kind, client, expected in (
        ("contacts", verified_client(trio.owner), expected_contact),
        ("referrals", verified_client(filtro), expected_referral),
    ):
        for fmt in ("csv", "xlsx"):
            header, row = cells(kind, fmt, client)
            assert all(value in row for value in expected), (kind, fmt, row)
            assert not codes & set(row), (kind, fmt, row)
            assert "date" not in header and italian("gender").capitalize() in header
    assert network.partner.name in cells("contacts", "csv", verified_client(trio.owner))[1]
    assert "Sì" in cells("contacts", "csv", verified_client(trio.owner))[1]
