"""The funder report's activity section: "N training events, M participants from K bodies", in the page, the
XLSX, the CSV (with §9-style keys) and the PDF, with its targets beside the other figures; a report approved
before training was counted still shows as it was approved."""

import csv
import io
from datetime import date

import pytest
from django.urls import reverse
from django.utils import translation
from django_scopes import scopes_disabled
from openpyxl import load_workbook

from approdi.network.models import Target
from approdi.reports.funder import exports
from approdi.reports.funder.approval import prepare
from approdi.reports.funder.letterhead import Letterhead, target_rows
from tests.builders import acting, verified_client
from tests.builders.training import build_training
from tests.pdftext import pdf_text

pytestmark = pytest.mark.django_db
PERIOD = {"start": "2024-03-01", "end": "2024-03-31"}


@pytest.fixture
def reported(network, make_user):
    lead = make_user("coord-lead", network.lead, "coordinator", network.programme)
    build_training(network.programme, organiser=network.partner, uploaded_by=lead, day=date(2024, 3, 5))
    build_training(network.programme, organiser=network.lead, uploaded_by=lead, day=date(2024, 4, 5))  # after
    with scopes_disabled():
        Target.objects.create(programme=network.programme, indicator="training_events", value=4)
        Target.objects.create(programme=network.programme, indicator="training_participants", value=48)
    return network, lead


def sentence() -> str:
    with translation.override("it"):
        return exports.training_line({"training": {"events": 1, "participants": 12, "bodies": 2}})


def test_the_summary_page_shows_the_activity_section(reported):
    _network, lead = reported
    page = verified_client(lead).get(reverse("reports:summary"), PERIOD)
    assert page.context["result"]["training"] == {"events": 1, "participants": 12, "bodies": 2}
    assert sentence() in page.content.decode()
    assert sentence() == "1 evento di formazione, 12 partecipanti da 2 enti."
    section = dict(page.context["sections"])
    with translation.override("it"):
        title = translation.gettext("Training, awareness and capacity building")
    assert [value for _label, value in section[title]] == [1, 12, 2]


def test_every_file_of_the_summary_carries_it_with_its_targets(reported):
    _network, lead = reported
    client = verified_client(lead)
    rows = list(
        csv.reader(io.StringIO(client.get(reverse("reports:summary"), {**PERIOD, "format": "csv"}).content.decode()))
    )
    keyed = {row[0]: row[2] for row in rows if len(row) == 3}
    assert (keyed["training.events"], keyed["training.participants"], keyed["training.bodies"]) == ("1", "12", "2")
    assert (keyed["target.training_events"], keyed["target.training_participants"]) == ("4", "48")
    book = load_workbook(io.BytesIO(client.get(reverse("reports:summary"), {**PERIOD, "format": "xlsx"}).content))
    cells = [[v for v in row if v is not None] for row in book.active.iter_rows(values_only=True)]
    with translation.override("it"):
        events_label = translation.gettext("Training and awareness events")
    assert [events_label, 1] in cells
    assert [events_label, 4, 1, 25] in cells  # target, result, progress
    text = pdf_text(client.get(reverse("reports:summary"), {**PERIOD, "format": "pdf"}).content)
    assert sentence() in text


def test_a_prepared_report_freezes_it(reported):
    _network, lead = reported
    with acting(lead):
        report = prepare(actor=lead, start=date(2024, 3, 1), end=date(2024, 3, 31))
    assert report.figures["training"] == {"events": 1, "participants": 12, "bodies": 2}
    page = verified_client(lead).get(reverse("reports:funder_detail", args=[report.pk]))
    assert sentence() in page.content.decode()


def test_a_report_approved_before_training_was_counted_shows_as_approved():
    old = {
        "programme": "P-1", "from": "2024-03-01", "to": "2024-03-31",
        "outreach": {"street_contacts": 1, "indoor_contacts": 0, "low_threshold_accesses": 0,
                     "persons_referred_by_bodies": 0},
        "reception": {"women": 0, "men": 0, "transgender": 0, "total": 0},
        "capacity": [], "capacity_total": {"structures": 0, "beds": 0},
    }  # fmt: skip
    head = Letterhead(issuer="Comune", programme="P-1", targets={"street_contacts": 10, "training_events": 4})
    assert len(exports.rows(old)) == 2 and exports.training_line(old) == ""
    assert [row[0] for row in target_rows(old, head)] == ["street_contacts"]
    assert b"training." not in exports.csv(old, head)
    assert exports.pdf(old, head).startswith(b"%PDF")
