"""Issue 7, done when: a coordinator opens the dashboard, downloads the DA-2017 funder report as XLSX and PDF with
seed 001's figures, approves it (a second coordinator does), and exports an HTCDS file that passes the standard's
code lists.

The demo data (``load_demo``: the seeds' network and DA-2017's activity) is loaded once, for the one test below:
the path goes through two coordinators of the lead entity, the demo ``coordinatrice`` who prepares the report
and the demo ``referente`` who approves it, each signing in with the demo password and the authenticator's code.

1. coordinatrice chooses DA-2017 in the header, opens Reports: the dashboard shows seed 001's capacity;
2. she prepares the funder report for 2017-12-01 – 2019-02-28 and downloads the draft as XLSX (the cells are
   read with openpyxl) and PDF (its text is read from the file's content streams): 3,575 / 1,667 / 484 / 553;
   160 / 17 / 2 / 179; 28 structures and 84 beds; the page says a second coordinator must approve it;
3. referente approves it; the approved XLSX he downloads and the one she downloads afterwards are the same bytes,
   whose SHA-256 the report's page shows; the PDF too;
4. she exports the anonymised HTCDS 2.0 file (CSV and XLSX): every column is a field of the standard and every
   value one of its codes (the validator of tests/reports/test_htcds.py).
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import time
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import translation
from django_scopes import scopes_disabled
from openpyxl import load_workbook

from approdi.demo.seeds import DEMO_PASSWORD
from approdi.reports.disclosure import htcds
from approdi.reports.models import FunderReport
from tests.pdftext import pdf_text
from tests.reports.test_htcds import assert_valid_htcds

from .conftest import expect, open_menu, path_of, totp_code, wait_for_path

pytestmark = pytest.mark.browser

PERIOD = ("2017-12-01", "2019-02-28")
# Seed 001, "DATI DEL PROGETTO" and "CAPACITÀ RICETTIVA", by the labels of the funder report.
OUTREACH = {
    "Street-unit contacts": 3575,
    "Indoor contacts": 1667,
    "Low-threshold accesses": 484,
    "People referred by other bodies": 553,
}
RECEPTION = {"Women": 160, "Men": 17, "Transgender": 2, "Total": 179}
CAPACITY_TOTAL = (28, 84)  # structures, beds


# --- helpers ----------------------------------------------------------------------------------------


def italian(text: str) -> str:
    with translation.override("it"):
        return translation.gettext(text)


def click_and_wait(page, locator) -> None:
    with page.expect_navigation():
        locator.click()


def send(page, form) -> None:
    click_and_wait(page, form.locator("button[type=submit]"))


class Desk:
    """Signs the demo users in and out of one page; a code is used once: the same user waits for the next one."""

    def __init__(self, page):
        self.page = page
        self.steps: dict[str, int] = {}

    def sign_in(self, username: str, programme: str) -> None:
        page = self.page
        if self.steps.get(username) == int(time.time()) // 30:
            time.sleep(30 - time.time() % 30 + 0.5)
        page.goto("/accounts/login/")
        page.locator("input[name=username]").fill(username)
        page.locator("input[name=password]").fill(DEMO_PASSWORD)
        send(page, page.locator("main form"))
        wait_for_path(page, "/accounts/two-factor/")
        page.locator("input[name=code]").fill(totp_code())
        send(page, page.locator("main form"))
        wait_for_path(page, "/")
        self.steps[username] = int(time.time()) // 30
        # The newest programme is the default: she chooses DA-2017 in the header's programme list.
        switch = page.locator("#programme-switch")
        option = switch.locator("option", has_text=programme)
        with page.expect_navigation():
            switch.select_option(option.get_attribute("value"))
        expect(switch.locator("option:checked")).to_contain_text(programme)

    def sign_out(self) -> None:
        send(self.page, self.page.locator("form[action='/accounts/logout/']"))


def download(page, link) -> bytes:
    with page.expect_download() as info:
        link.click()
    return Path(info.value.path()).read_bytes()


def xlsx_sections(content: bytes) -> dict[str, dict[str, object]]:
    """The funder report's workbook: {section: {label: value}} (a title row, then sections of label/value rows)."""
    sheet = load_workbook(io.BytesIO(content)).active
    sections: dict[str, dict[str, object]] = {}
    current = None
    for row in list(sheet.iter_rows(values_only=True))[1:]:
        label, value = (list(row) + [None, None])[:2]
        if label is None:
            current = None
        elif current is None:
            current = sections.setdefault(str(label), {})
        else:
            current[str(label)] = value
    return sections


def assert_seed_figures_in_xlsx(content: bytes) -> None:
    sections = xlsx_sections(content)
    outreach, reception = sections[italian("Area emersione")], sections[italian("Area accoglienza")]
    assert {label: outreach[italian(label)] for label in OUTREACH} == OUTREACH
    assert {label: reception[italian(label)] for label in RECEPTION} == RECEPTION
    capacity = sections[italian("Reception capacity (structures / beds)")]
    assert capacity[italian("Total")] == CAPACITY_TOTAL[0]
    assert capacity[italian("Emergency reception for women")] == 3  # the type's Italian name, not its code
    assert len(capacity) > 2, "the capacity has a row per type of structure before its total"


def assert_seed_figures_in_pdf(content: bytes) -> None:
    assert content.startswith(b"%PDF")
    lines = pdf_text(content).splitlines()
    assert lines, "no text could be read from the PDF"

    def value_after(label: str, start: int = 0) -> tuple[str, int]:
        at = lines.index(italian(label), start)
        return lines[at + 1], at

    for label, figure in OUTREACH.items():
        assert value_after(label)[0] == str(figure), (label, lines)
    _heading, reception_at = value_after("Area accoglienza")
    for label, figure in RECEPTION.items():
        assert value_after(label, reception_at)[0] == str(figure), (label, lines)
    capacity_at = lines.index(italian("Reception capacity (structures / beds)"))
    total_at = lines.index(italian("Total"), capacity_at)
    assert lines[total_at + 1 : total_at + 3] == [str(n) for n in CAPACITY_TOTAL], lines
    assert "Comune di Milano" in lines and f"{italian('Period')}: 1 dicembre 2017 – 28 febbraio 2019" in lines


def shown_hash(page, fmt: str) -> str:
    row = page.locator("table[data-testid=report-files] tbody tr").filter(has=page.locator(f"a[href$='file.{fmt}']"))
    return row.locator("code").inner_text().strip()


def file_link(page, fmt: str):
    return page.locator(f"table[data-testid=report-files] a[href$='file.{fmt}']")


def htcds_rows_from_xlsx(content: bytes) -> tuple[list[str], list[dict[str, str]]]:
    values = list(load_workbook(io.BytesIO(content))["htcds"].iter_rows(values_only=True))
    header = [str(name) for name in values[0]]
    rows = [
        {
            name: (value.date().isoformat() if hasattr(value, "date") else ("" if value is None else str(value)))
            for name, value in zip(header, row, strict=True)
        }
        for row in values[1:]
    ]
    return header, rows


# --- the world: the demo ------------------------------------------------------------------------------


@pytest.fixture
def demo(transactional_db, live_server):
    call_command("load_demo", "--quiet")


# --- the path ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("viewport", ["desktop"])
def test_a_coordinator_reports_da_2017_to_the_funder_and_exports_htcds(page, viewport, demo):
    desk = Desk(page)

    # 1. The dashboard, for DA-2017: seed 001's reception capacity.
    desk.sign_in("coordinatrice", "DA-2017")
    menu = open_menu(page, viewport)
    click_and_wait(page, menu.get_by_role("link", name=italian("Reports"), exact=True))
    assert path_of(page) == "/reports/"
    expect(page.locator("[data-testid=dashboard-scope]")).to_contain_text("DA-2017")
    total = page.locator("table[data-testid=table-capacity] tbody tr").last
    expect(total.locator("td")).to_have_text(["28", "84"])

    # 2. She prepares the funder report for the programme's period and downloads the draft.
    nav = page.locator("[data-testid=reports-nav]")
    click_and_wait(page, nav.get_by_role("link", name=italian("Funder reports")))
    click_and_wait(page, page.get_by_role("link", name=italian("Prepare a report")))
    form = page.locator("main form[method=post]")
    form.locator("[name=start]").fill(PERIOD[0])
    form.locator("[name=end]").fill(PERIOD[1])
    send(page, form)
    match = re.fullmatch(r"/reports/funder/(\d+)/", path_of(page))
    assert match, page.url
    report_url = path_of(page)
    expect(page.locator("main .alert-success")).to_be_visible()
    expect(page.locator("[data-testid=needs-second]")).to_be_visible()  # not hers to approve
    expect(page.get_by_role("button", name=italian("Approve these figures"))).to_have_count(0)
    section = page.locator("table[data-testid=report-section-1]")
    expect(section.locator("tr").filter(has_text=italian("Street-unit contacts")).locator("td")).to_have_text("3575")
    assert_seed_figures_in_xlsx(download(page, file_link(page, "xlsx")))
    assert_seed_figures_in_pdf(download(page, file_link(page, "pdf")))
    desk.sign_out()

    # 3. The second coordinator approves it; the approved files never change.
    desk.sign_in("referente", "DA-2017")
    page.goto("/reports/funder/")
    row = page.locator("table[data-testid=funder-reports] tbody tr").first
    click_and_wait(page, row.locator(f"a[href='{report_url}']"))
    page.locator("label[for=id_confirm]").click()  # the styled box is ticked through its label, as by a person
    expect(page.locator("#id_confirm")).to_be_checked()
    click_and_wait(page, page.get_by_role("button", name=italian("Approve these figures")))
    expect(page.locator("[data-testid=approved-by]")).to_contain_text("referente")
    expect(page.locator("[data-testid=content-hash]")).to_have_text(re.compile(r"^[0-9a-f]{64}$"))
    approved_xlsx = download(page, file_link(page, "xlsx"))
    approved_pdf = download(page, file_link(page, "pdf"))
    assert_seed_figures_in_xlsx(approved_xlsx)
    assert_seed_figures_in_pdf(approved_pdf)
    assert hashlib.sha256(approved_xlsx).hexdigest() == shown_hash(page, "xlsx")
    assert hashlib.sha256(approved_pdf).hexdigest() == shown_hash(page, "pdf")
    desk.sign_out()

    desk.sign_in("coordinatrice", "DA-2017")
    page.goto(report_url)
    expect(page.locator("[data-testid=approved-by]")).to_contain_text("referente")
    expect(page.get_by_role("button", name=italian("Prepare again with today's data"))).to_have_count(0)
    again = download(page, file_link(page, "xlsx"))
    assert again == approved_xlsx, "the approved XLSX is downloaded again byte for byte"
    assert download(page, file_link(page, "pdf")) == approved_pdf
    with scopes_disabled():
        report = FunderReport.objects.get(pk=int(match.group(1)))
    assert report.status == "approved" and report.approved_by.username == "referente"
    assert report.file_hashes["xlsx"] == hashlib.sha256(again).hexdigest()

    # 4. The anonymised HTCDS 2.0 file, for the same period, with the network's k.
    click_and_wait(page, page.locator("[data-testid=reports-nav]").get_by_role("link", name=italian("HTCDS export")))
    assert path_of(page) == "/reports/htcds/"
    form = page.locator("main form[method=get]")
    form.locator("[name=start]").fill(PERIOD[0])
    form.locator("[name=end]").fill(PERIOD[1])
    expect(form.locator("[name=k]")).to_have_value("11")
    send(page, form)
    rows_shown = int(page.locator("[data-testid=htcds-rows]").inner_text())
    assert rows_shown > 0, "the file holds no rows: nothing would be checked"

    content = download(page, page.locator("[data-testid=htcds-csv]"))
    header = content.decode("utf-8").splitlines()[0].split(",")
    rows = list(csv.DictReader(io.StringIO(content.decode("utf-8"))))
    assert header == list(htcds.FIELDS)
    assert len(rows) == rows_shown
    assert_valid_htcds(rows, header)
    coded = {name for row in rows for name, value in row.items() if value and htcds.code_list(name) is not None}
    assert coded, "every coded value was withheld: the code lists checked nothing"
    assert min(htcds.classes(rows).values()) >= 11, "every combination of quasi-identifiers is shared by 11 rows"

    header, rows = htcds_rows_from_xlsx(download(page, page.locator("[data-testid=htcds-xlsx]")))
    assert header == list(htcds.FIELDS) and len(rows) == rows_shown
    assert_valid_htcds(rows, header)
