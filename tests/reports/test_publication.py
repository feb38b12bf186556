"""Tables for publication: suppressed with the export's k, the note in the file, audited, coordinators only."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from django_scopes import scopes_disabled
from openpyxl import load_workbook

from approdi.audit.models import Action, AuditEntry
from approdi.outreach.models import Contact
from approdi.people.models import Consent, Person
from approdi.reports.disclosure import publication
from approdi.reports.disclosure.suppression import SYMBOL
from approdi.shelter.models import Bed, Placement
from tests.builders import verified_client

pytestmark = pytest.mark.django_db
PERIOD = {"start": date(2024, 1, 1), "end": date(2024, 12, 31)}


def contacts(network, channel: str, gender: str, count: int, *, nationality: str = "", day=date(2024, 5, 2)):
    with scopes_disabled():
        Contact.objects.bulk_create(
            Contact(
                programme=network.programme,
                organisation=network.partner,
                channel=channel,
                date=day,
                gender=gender,
                nationality=nationality,
            )
            for _n in range(count)
        )


def hosted(network, author, n: int, *, gender="woman", nationality="NG", refused=False) -> Person:
    with scopes_disabled():
        person = Person.objects.create(
            programme=network.programme,
            organisation=network.lead,
            code=f"AP-P{n:05d}",
            gender=gender,
            nationality=nationality,
            created_by=author,
        )
        bed = Bed.objects.create(structure=network.structure, label=f"b{n}")
        Placement.objects.create(
            programme=network.programme,
            person=person,
            bed=bed,
            structure=network.structure,
            stage="first",
            start=date(2024, 2, 1),
            end=date(2024, 3, 1),
            exit_reason="autonomy",
        )
        if refused:
            Consent.objects.create(
                person=person, purpose="statistics", granted=False, date=date(2024, 2, 1), recorded_by=author
            )
    return person


def table(result: publication.Publication, key: str) -> publication.PublishedTable:
    return next(t for t in result.tables if t.key == key)


def build(network, k: int = 11) -> publication.Publication:
    with translation.override("en"):
        return publication.build(programme=network.programme, **PERIOD, k=k)


def test_small_counts_and_their_complements_are_hidden_and_the_rest_is_exact(network):
    contacts(network, "street", "woman", 40)
    contacts(network, "street", "man", 3)
    contacts(network, "street", "", 25)  # an anonymous group: gender not known
    contacts(network, "indoor", "woman", 30)
    contacts(network, "indoor", "man", 20)
    contacts(network, "indoor", "", 50)
    contacts(network, "street", "woman", 5, day=date(2023, 12, 31))  # outside the period
    channels = table(build(network), "contacts_channel")
    street, indoor, drop_in = channels.rows
    assert street == ("Street unit", [40, None, 0, 0, None], 68)
    assert indoor == ("Indoor", [30, None, 0, 0, None], 100)
    assert drop_in == ("Drop-in / desk", [0, 0, 0, 0, 0], 0)
    assert channels.column_totals == [70, 23, 0, 0, 75] and channels.total == 168
    assert channels.hidden == 4


def test_rare_nationalities_are_grouped_before_suppression(network):
    contacts(network, "street", "woman", 30, nationality="NG")
    contacts(network, "street", "woman", 6, nationality="BR")
    contacts(network, "street", "woman", 7, nationality="PE")
    contacts(network, "street", "woman", 12, nationality="RO")
    rows = table(build(network), "contacts_nationality").rows
    assert [(label, cells[0], total) for label, cells, total in rows] == [
        ("Nigeria", 30, 30),
        ("Romania", 12, 12),
        ("Other nationalities", 13, 13),  # Brazil and Peru: neither is named
    ]


def test_people_in_reception_are_counted_once_and_those_who_refused_are_left_out(network, make_user):
    author = make_user("filtro", network.lead, "filtro", network.programme)
    for n in range(12):
        hosted(network, author, n)
    hosted(network, author, 99, refused=True)
    hosted(network, author, 100, gender="trans_woman", nationality="BR")
    result = build(network)
    assert result.refused == 1
    by_kind = table(result, "reception_exploitation")
    assert by_kind.total == 13
    # Twelve women and one transgender person, exploitation unknown: the one cannot be shown, and neither
    # can the twelve (13 − 12 would give her away); the row's total, 13, can.
    assert by_kind.rows[-1] == ("Unknown", [None, 0, None, 0, 0], 13)
    assert by_kind.column_totals == [None, 0, None, 0, 0]


def test_the_file_carries_the_note_with_k_and_the_symbol(network):
    contacts(network, "street", "woman", 40)
    contacts(network, "street", "man", 2)
    result = build(network, k=15)
    text = publication.to_csv(result).decode()
    assert "15" in text.splitlines()[1] and SYMBOL in text.splitlines()[1]
    lines = list(csv.reader(io.StringIO(text)))
    street = next(line for line in lines if line and line[0] == "Street unit")
    assert street[1:] == [SYMBOL, SYMBOL, "0", "0", "0", "42"]  # 2 is below 15, and 42 − 40 would give it away
    sheet = load_workbook(io.BytesIO(publication.to_xlsx(result)))["tables"]
    first = [row[0] for row in sheet.iter_rows(max_row=3, values_only=True)]
    assert any("15" in (line or "") and SYMBOL in (line or "") for line in first)


def test_no_visible_count_below_k_in_the_demos_tables(db, tmp_path):
    call_command("load_demo", "--quiet")
    target = tmp_path / "tables.csv"
    call_command(
        "report", "publication", "--programme", "DA-2017", "--from", "2017-12-01", "--to", "2019-02-28",
        "--output", str(target),
    )  # fmt: skip
    lines = list(csv.reader(io.StringIO(target.read_text(encoding="utf-8"))))
    numbers = [cell for line in lines if len(line) > 2 for cell in line[1:] if cell.isdigit()]
    assert numbers and all(int(n) == 0 or int(n) >= 11 for n in numbers)
    assert any(SYMBOL in line for line in lines)  # the demo's 2 transgender people are hidden
    assert ["Totale", "2696", "334", "352", "0", "2344", "5726"] in lines  # contacts: nothing small, nothing hidden
    with scopes_disabled():
        entry = AuditEntry.objects.get(object_type="reports.publication")
    assert (entry.action, entry.actor_username) == (Action.EXPORT, "manage.py report")


def test_the_coordinator_previews_and_downloads_and_the_download_is_audited(network, make_user):
    contacts(network, "street", "woman", 40)
    contacts(network, "street", "man", 3)
    coordinator = make_user("coordinatrice", network.lead, "coordinator", network.programme)
    client = verified_client(coordinator)
    url = reverse("reports:publication")
    page = client.get(url, {"start": "2024-01-01", "end": "2024-12-31"})
    assert page.status_code == 200
    body = page.content.decode()
    assert 'data-testid="publication-contacts_channel"' in body
    assert '<span aria-hidden="true">*</span>' in body and ">3<" not in body
    with scopes_disabled():
        assert not AuditEntry.objects.filter(action=Action.EXPORT).exists()
    response = client.get(url, {"start": "2024-01-01", "end": "2024-12-31", "k": "12", "format": "xlsx"})
    assert response["Content-Disposition"].startswith('attachment; filename="publication-P-1')
    load_workbook(io.BytesIO(response.content))
    with scopes_disabled():
        entry = AuditEntry.objects.get(action=Action.EXPORT)
    assert (entry.object_type, entry.object_id, entry.actor_id) == ("reports.publication", "P-1", coordinator.pk)
    assert "k = 12" in entry.reason
