"""The funder summary: the §9 counting rules on hand-built data, and seed 001's figures from the demo."""

import csv
import html
import io
import json
import re
from datetime import date

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django_scopes import scopes_disabled
from openpyxl import load_workbook

from approdi.accounts.services import issue_token
from approdi.people.models import Person
from approdi.reports.funder.summary import funder_summary
from approdi.shelter.models import Bed, Placement, Structure
from approdi.shelter.services import sync_beds
from tests.builders import verified_client
from tests.pdftext import pdf_text

pytestmark = pytest.mark.django_db
SEED_001 = {
    "programme": "DA-2017",
    "from": "2017-12-01",
    "to": "2019-02-28",
    "outreach": {
        "street_contacts": 3575,
        "indoor_contacts": 1667,
        "low_threshold_accesses": 484,
        "persons_referred_by_bodies": 553,
    },
    "reception": {"women": 160, "men": 17, "transgender": 2, "total": 179},
    "capacity": [
        {"type": "emergency_women", "structures": 3, "beds": 6},
        {"type": "women", "structures": 16, "beds": 52},
        {"type": "men", "structures": 2, "beds": 7},
        {"type": "autonomy", "structures": 7, "beds": 12},
        {"type": "emergency_places", "structures": 0, "beds": 5},
        {"type": "dormitory_men", "structures": 0, "beds": 2},
    ],
    "capacity_total": {"structures": 28, "beds": 84},
    # Seed 001 gives no figures of training: the demo records none in DA-2017 (docs/contracts.md, "training").
    "training": {"events": 0, "participants": 0, "bodies": 0},
}


def test_demo_data_reproduce_seed_001_exactly(db, capsys):
    call_command("load_demo", "--quiet")
    call_command(
        "report", "summary", "--programme", "DA-2017", "--from", "2017-12-01", "--to", "2019-02-28", "--format", "json"
    )
    assert json.loads(capsys.readouterr().out.strip().splitlines()[-1]) == SEED_001


@pytest.fixture
def hosted(network, make_user):
    """Placements around the period 2024-03-01 – 2024-03-31, and structures opening and closing."""
    filtro = make_user("filtro", network.lead, "filtro", network.programme)
    with scopes_disabled():
        Structure.objects.filter(pk=network.other_structure.pk).update(type="women")
        Structure.objects.filter(pk=network.structure.pk).update(beds=6)
        network.other_structure.refresh_from_db()
        network.structure.refresh_from_db()
        closed = Structure.objects.create(
            code="S-OLD",
            name="Chiusa",
            organisation=network.partner,
            type="women",
            area=network.area,
            beds=5,
            open_to=date(2024, 3, 15),
        )
        reserved = Structure.objects.create(
            code="S-RES", name="Posti", organisation=network.partner, type="emergency_places", area=network.area, beds=2
        )
        later = Structure.objects.create(
            code="S-NEW",
            name="Nuova",
            organisation=network.partner,
            type="men",
            area=network.area,
            beds=3,
            open_from=date(2024, 4, 1),
        )
        for s in (closed, reserved, later):
            s.programmes.add(network.programme)
        for s in (network.structure, network.other_structure):
            sync_beds(s)
        stays = [
            ("woman", "2024-02-01", "2024-03-01"),  # ends on the first day: counted
            ("woman", "2024-03-31", None),  # starts on the last day: counted
            ("woman", "2024-01-01", "2024-02-29"),  # ends the day before: not counted
            ("man", "2024-04-01", None),  # starts the day after: not counted
            ("trans_woman", "2024-03-10", "2024-03-20"),
            ("trans_man", "2024-03-10", None),
            ("non_binary", "2024-03-05", None),
            ("unknown", "2024-03-05", None),
        ]
        beds = iter(Bed.objects.filter(structure__in=[network.structure, network.other_structure]).order_by("id"))
        for n, (gender, start, end) in enumerate(stays):
            person = Person.objects.create(
                programme=network.programme,
                organisation=network.lead,
                code=f"AP-HOST{n}-AAAAA",
                gender=gender,
                created_by=filtro,
            )
            bed = next(beds)
            Placement.objects.create(
                programme=network.programme,
                person=person,
                bed=bed,
                structure=bed.structure,
                stage="first",
                start=start,
                end=end,
                exit_reason="autonomy" if end else "",
            )
    return network


def test_reception_and_capacity_follow_the_counting_rules(hosted):
    result = funder_summary(programme=hosted.programme, start=date(2024, 3, 1), end=date(2024, 3, 31))
    assert result["reception"] == {"women": 2, "men": 0, "transgender": 2, "total": 6}
    capacity = {row["type"]: (row["structures"], row["beds"]) for row in result["capacity"]}
    # S-OLD closed before the period's last day; S-NEW opens after it; S-RES has beds but no structure.
    assert capacity["women"] == (2, 9) and capacity["men"] == (0, 0) and capacity["emergency_places"] == (0, 2)
    assert result["capacity_total"] == {"structures": 2, "beds": 11}


def test_summary_page_downloads_and_api(hosted, people):
    trio = people("coordinator", at=hosted.lead)
    client = verified_client(trio.owner)
    page = client.get(reverse("reports:summary"), {"start": "2024-03-01", "end": "2024-03-31"})
    assert page.context["result"]["reception"]["total"] == 6
    xlsx = client.get(reverse("reports:summary"), {"start": "2024-03-01", "end": "2024-03-31", "format": "xlsx"})
    assert xlsx.content[:2] == b"PK"
    pdf = client.get(reverse("reports:summary"), {"start": "2024-03-01", "end": "2024-03-31", "format": "pdf"})
    assert pdf.content.startswith(b"%PDF")
    _, key = issue_token(user=trio.owner)
    answer = (
        Client()
        .get("/api/v1/reports/summary?programme=P-1&from=2024-03-01&to=2024-03-31", HTTP_AUTHORIZATION=f"Bearer {key}")
        .json()
    )
    assert answer["reception"]["total"] == 6 and answer["programme"] == "P-1"
    bad = Client().get(
        "/api/v1/reports/summary?programme=P-1&from=2024-03-31&to=2024-03-01", HTTP_AUTHORIZATION=f"Bearer {key}"
    )
    assert bad.status_code == 400
    assert verified_client(trio.member).get(reverse("reports:summary")).status_code == 403


def test_command_writes_xlsx_and_pdf(hosted, tmp_path):
    for fmt in ("xlsx", "pdf"):
        target = tmp_path / f"summary.{fmt}"
        call_command(
            "report",
            "summary",
            "--programme",
            "P-1",
            "--from",
            "2024-03-01",
            "--to",
            "2024-03-31",
            "--format",
            fmt,
            "--output",
            str(target),
        )
        assert target.stat().st_size > 500


def italian(msgid: str) -> str:
    with translation.override("it"):
        return translation.gettext(msgid)


CODES = ("emergency_women", "emergency_places", "dormitory_men", "autonomy")


def test_the_summary_shows_the_types_of_structure_by_their_italian_names_in_the_page_and_every_file(hosted, people):
    client = verified_client(people("coordinator", at=hosted.lead).owner)
    period = {"start": "2024-03-01", "end": "2024-03-31"}
    page = html.unescape(client.get(reverse("reports:summary"), period).content.decode())
    assert "Pronto intervento per donne" in page and "Posti per uomini in dormitorio" in page
    assert not any(code in page for code in CODES)
    cells = r"<td[^>]*>(\d+)</td><td[^>]*>(\d+)</td>"
    women = re.search(r'<th scope="row">Struttura di accoglienza per donne</th>' + cells, page)
    assert women and women.groups() == ("2", "9")  # the seed's table: structures and beds in their own columns

    book = load_workbook(io.BytesIO(client.get(reverse("reports:summary"), {**period, "format": "xlsx"}).content))
    cells = [[value for value in row if value is not None] for row in book.active.iter_rows(values_only=True)]
    assert ["Struttura di accoglienza per donne", 2, 9] in cells
    assert ["Posti di pronto intervento per donne", 2] in cells  # reserved places: beds, no structure
    assert [italian("Lead entity"), "Comune di Prova"] in cells
    assert [italian("Period"), "1 marzo 2024 – 31 marzo 2024"] in cells
    assert not any(code in str(cells) for code in CODES)

    text = client.get(reverse("reports:summary"), {**period, "format": "csv"}).content.decode()
    found = list(csv.reader(io.StringIO(text)))
    assert found[0] == [italian("Key"), italian("Item"), italian("Value")]
    labels = " ".join(row[1] + " " + str(row[2]) for row in found)
    assert "Struttura di accoglienza per donne: strutture" in labels and not any(code in labels for code in CODES)
    assert ["capacity.women.beds", "Struttura di accoglienza per donne: posti letto", "9"] in found

    lines = pdf_text(client.get(reverse("reports:summary"), {**period, "format": "pdf"}).content).splitlines()
    assert "Comune di Prova" in lines and f"{italian('Period')}: 1 marzo 2024 – 31 marzo 2024" in lines
    assert italian("Working copy: this is not an approved report.") in lines
    assert lines[lines.index("Struttura di accoglienza per donne") + 1 :][:2] == ["2", "9"]
    assert "Pagina 1 di " in lines and italian("Approval") not in lines
    assert not any(code in "\n".join(lines) for code in CODES)


def test_the_lead_entitys_logo_heads_the_pdf_when_one_is_configured(hosted, people, settings, tmp_path):
    from PIL import Image

    client = verified_client(people("coordinator", at=hosted.lead).owner)
    period = {"start": "2024-03-01", "end": "2024-03-31", "format": "pdf"}
    images = re.compile(rb"/Subtype\s*/Image")
    assert not images.search(client.get(reverse("reports:summary"), period).content)

    Image.new("RGB", (120, 40), (0, 102, 204)).save(tmp_path / "lead.png")  # the folder: one file per lead entity
    Image.new("RGB", (120, 40), (200, 0, 0)).save(tmp_path / "someone-else.png")
    settings.APPRODI_REPORT_LOGO = str(tmp_path)
    assert len(images.findall(client.get(reverse("reports:summary"), period).content)) == 1
    settings.APPRODI_REPORT_LOGO = str(tmp_path / "someone-else.png")  # one file for every programme
    assert len(images.findall(client.get(reverse("reports:summary"), period).content)) == 1
    (tmp_path / "broken.png").write_bytes(b"not an image")
    settings.APPRODI_REPORT_LOGO = str(tmp_path / "broken.png")  # printed without it, never a 500
    answer = client.get(reverse("reports:summary"), period)
    assert answer.status_code == 200 and not images.search(answer.content)
