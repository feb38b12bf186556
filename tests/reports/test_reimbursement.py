"""Services delivered and reimbursement: amounts from the cost stored on each delivery, period edges,
each coordinator's scope, the budgets and their check, the exports, the records behind a number."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation
from django_scopes import scopes_disabled
from fpdf import FPDF
from openpyxl import load_workbook

from approdi.audit.models import Action, AuditEntry
from approdi.cases.models import Case, ServiceDelivery, ServiceType
from approdi.cases.services.delivery import save_service_type
from approdi.demo import service_types as demo_services
from approdi.network import budgets
from approdi.network.models import PartnerBudget
from approdi.people.models import Person
from approdi.reports.reimbursement import exports as reimbursement_exports
from approdi.reports.reimbursement import selectors
from tests.builders import acting, verified_client
from tests.pdftext import pdf_text

pytestmark = pytest.mark.django_db
START, END = date(2024, 3, 1), date(2024, 3, 31)
PERIOD = {"start": "2024-03-01", "end": "2024-03-31"}
D = Decimal


@pytest.fixture
def ledger(network, make_user):
    """Services in programme P-1 (from 1 January 2024), counted by hand for March 2024.

    The interview cost 35.00 until the lead raised it to 40.00 in the middle of March. The partner
    ("Cooperativa Alfa"): an interview on 29 February (before the period: spent, not in the period),
    interviews on 1 and 31 March (35.00 then 40.00), 2.5 hours of mediation at 28.00 on 15 March
    (70.00), an interview on 1 April (after the period: nowhere). The other partner ("Cooperativa
    Beta"): 3 interviews on 10 March at 35.00 (105.00). Budgets: Alfa 1,000 (co-funding 100), Beta
    50 (overspent); the programme's budget is 1,000, so the partners' budgets exceed it by 50.
    """
    users = {
        "lead": make_user("coord-lead", network.lead, "coordinator", network.programme),
        "alfa": make_user("coord-alfa", network.partner, "coordinator", network.programme),
        "filtro": make_user("filtro-lead", network.lead, "filtro", network.programme),
        "worker": make_user("worker-alfa", network.partner, "case_worker", network.programme),
        "worker_beta": make_user("worker-beta", network.other, "case_worker", network.programme),
    }
    network.programme.budget = D("1000.00")
    network.programme.save()
    with scopes_disabled():
        interview = ServiceType.objects.create(
            programme=network.programme, code="interview", name="Colloquio", unit="session", unit_cost=D("35.00")
        )
        mediation = ServiceType.objects.create(
            programme=network.programme, code="mediation", name="Mediazione", unit="hour", unit_cost=D("28.00")
        )

        def case_for(code: str, organisation):
            person = Person.objects.create(
                programme=network.programme, organisation=network.lead, code=code, created_by=users["filtro"]
            )
            return Case.objects.create(
                programme=network.programme,
                person=person,
                lead_organisation=organisation,
                type="territorial",
                start=date(2024, 1, 10),
            )

        alfa_case, beta_case = case_for("AP-ALFA1-00001", network.partner), case_for("AP-BETA1-00002", network.other)

        def deliver(case, service_type, day, quantity="1", operator="worker"):
            return ServiceDelivery.objects.create(
                case=case,
                service_type=service_type,
                date=date.fromisoformat(day),
                quantity=D(quantity),
                unit_cost=service_type.unit_cost,  # copied on the day, as record_service does
                organisation=case.lead_organisation,
                operator=users[operator],
            )

        deliver(alfa_case, interview, "2024-02-29")
        deliver(alfa_case, interview, "2024-03-01")
        deliver(alfa_case, mediation, "2024-03-15", "2.5")
        deliver(beta_case, interview, "2024-03-10", "3", operator="worker_beta")
    with acting(users["lead"]):
        interview = save_service_type(
            actor=users["lead"], programme=network.programme, code="interview", name="Colloquio", unit="session",
            unit_cost=D("40.00"),
        )  # fmt: skip
    with scopes_disabled():
        deliver(alfa_case, interview, "2024-03-31")
        deliver(alfa_case, interview, "2024-04-01")
        PartnerBudget.objects.create(
            programme=network.programme, organisation=network.partner, budget=D("1000"), co_funding=D("100")
        )
        PartnerBudget.objects.create(programme=network.programme, organisation=network.other, budget=D("50"))
    users["interview"] = interview
    return users


def figures(user, start=START, end=END) -> selectors.Reimbursement:
    with acting(user):
        return selectors.reimbursement(actor=user, start=start, end=end)


def lines(partner) -> dict[str, tuple[int, Decimal, Decimal]]:
    return {line.code: (line.deliveries, line.units, line.amount) for line in partner.lines}


def test_each_delivery_keeps_the_cost_of_its_day(ledger, network):
    result = figures(ledger["lead"])
    alfa, beta = result.partners  # by name: Alfa, Beta
    assert (alfa.code, beta.code) == ("partner", "other")
    assert lines(alfa) == {"interview": (2, D("2.00"), D("75.00")), "mediation": (1, D("2.50"), D("70.00"))}
    assert lines(beta) == {"interview": (1, D("3.00"), D("105.00"))}
    assert (alfa.amount, alfa.spent, alfa.budget, alfa.remaining, alfa.spent_percent) == (
        D("145.00"), D("180.00"), D("1000.00"), D("820.00"), D("18.0"),
    )  # fmt: skip
    assert (beta.amount, beta.spent, beta.remaining, beta.spent_percent, beta.over_budget) == (
        D("105.00"), D("105.00"), D("-55.00"), D("210.0"), True,
    )  # fmt: skip
    assert (result.amount, result.spent, result.budget, result.remaining, result.co_funding) == (
        D("250.00"), D("285.00"), D("1050.00"), D("765.00"), D("100.00"),
    )  # fmt: skip
    totals = {line.code: (line.deliveries, line.units, line.amount) for line in result.service_lines}
    assert totals == {"interview": (3, D("5.00"), D("180.00")), "mediation": (1, D("2.50"), D("70.00"))}
    # Raising the list's cost again changes nothing already delivered.
    with acting(ledger["lead"]):
        save_service_type(
            actor=ledger["lead"], programme=network.programme, code="interview", name="Colloquio", unit="session",
            unit_cost=D("99.00"),
        )  # fmt: skip
    assert figures(ledger["lead"]).amount == D("250.00")


def test_the_period_includes_both_edges_and_nothing_beyond(ledger):
    first_day = figures(ledger["lead"], START, START)
    assert [(p.code, p.amount) for p in first_day.partners] == [("partner", D("35.00")), ("other", D("0.00"))]
    last_day = figures(ledger["lead"], END, END)
    assert lines(last_day.partners[0]) == {"interview": (1, D("1.00"), D("40.00"))}
    # "Spent" runs from the programme's start: February's interview counts, April's does not.
    assert last_day.partners[0].spent == D("180.00")
    april = figures(ledger["lead"], date(2024, 4, 1), date(2024, 4, 30))
    assert (april.partners[0].amount, april.partners[0].spent) == (D("40.00"), D("220.00"))
    assert figures(ledger["lead"]).month_rows() == [(date(2024, 3, 1), [D("145.00"), D("105.00")], D("250.00"))]


def test_a_partners_coordinator_sees_her_organisation_only(ledger, network):
    result = figures(ledger["alfa"])
    assert [p.code for p in result.partners] == ["partner"] and not result.whole_network
    assert result.amount == D("145.00") and result.budget == D("1000.00") and result.check is None
    page = verified_client(ledger["alfa"]).get(reverse("reports:reimbursement"), PERIOD).content.decode()
    assert "Cooperativa Alfa" in page and "Cooperativa Beta" not in page
    assert "105,00" not in page and "145,00 €" in page
    # The records behind her numbers are hers; another partner's answer 404, like a missing one.
    client = verified_client(ledger["alfa"])
    drill = reverse("reports:reimbursement_deliveries")
    everything = client.get(drill, PERIOD).content.decode()
    assert "AP-ALFA1-00001" in everything and "AP-BETA1-00002" not in everything
    refused = client.get(drill, {**PERIOD, "organisation": "other"})
    missing = client.get(drill, {**PERIOD, "organisation": "nobody"})
    assert refused.status_code == missing.status_code == 404


def test_the_lead_sees_every_partner_the_overspending_and_the_budget_check(ledger):
    answer = verified_client(ledger["lead"]).get(reverse("reports:reimbursement"), PERIOD)
    page = answer.content.decode()
    assert answer.status_code == 200
    assert "Cooperativa Alfa" in page and "Cooperativa Beta" in page
    assert "18,0%" in page.split('data-testid="partner-partner"')[1].split("</tr>")[0]
    beta_row = page.split('data-testid="partner-other"')[1].split("</tr>")[0]
    assert "210,0%" in beta_row and ("over budget" in beta_row or "oltre il budget" in beta_row)
    assert "-55,00 €" in beta_row
    warning = page.split('data-testid="budget-warning"')[1].split("</div>")[0]
    assert "1.050,00 €" in warning and "50,00 €" in warning and "1.000,00 €" in warning


def test_the_records_behind_a_number_add_up_to_it(ledger):
    client = verified_client(ledger["filtro"])  # the Ufficio Filtro sees every partner, as the lead does
    answer = client.get(
        reverse("reports:reimbursement_deliveries"), {**PERIOD, "organisation": "partner", "service": "interview"}
    )
    page = answer.content.decode()
    count = page.split('data-testid="drill-count">')[1].split("<")[0]
    amount = page.split('data-testid="drill-amount">')[1].split("<")[0]
    assert (count, amount) == ("2", "75,00 €")
    rows = page.split('data-testid="drill-rows"')[1]
    assert rows.count("AP-ALFA1-00001") == 2 and "AP-BETA1-00002" not in rows
    assert "35,00 €" in rows and "40,00 €" in rows
    # Reading person codes is audited.
    with scopes_disabled():
        entry = AuditEntry.objects.filter(action=Action.VIEW, object_type="reports.reimbursement_deliveries").get()
    assert entry.fields == ["person_code"] and "organisation=partner" in entry.reason
    # Lists are unknown for a service type the programme does not have.
    assert client.get(reverse("reports:reimbursement_deliveries"), {**PERIOD, "service": "nope"}).status_code == 404


def coded(row, kinds: dict[str, str]) -> dict:
    """An export's row by column code, its kind of row read back from its label."""
    return {
        **dict(zip(reimbursement_exports.COLUMNS, row, strict=True)),
        "row": next(code for code, name in kinds.items() if name == row[0]),
    }


def test_exports_carry_the_page_figures_and_are_audited(ledger, network, monkeypatch):
    client = verified_client(ledger["lead"])
    url = reverse("reports:reimbursement")
    answer = client.get(url, {**PERIOD, "format": "csv"})
    assert answer["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(answer.content.decode())))
    assert rows[0] == ["Programma", "P-1", "Dal", "2024-03-01", "Al", "2024-03-31"]
    # Columns, kinds of row and units in the requester's language (Italian), never their codes.
    with translation.override("it"):
        header, kinds = reimbursement_exports.header(), dict(reimbursement_exports.ROW_KINDS.items())
        kinds = {code: str(name) for code, name in kinds.items()}
    assert rows[1] == header and "Prestazione" in header and "amount_eur" not in header
    table = [coded(row, kinds) for row in rows[2:]]
    assert {r["unit"] for r in table if r["row"] == "service"} == {"seduta", "ora"}
    services = {
        (r["organisation_code"], r["service_code"]): (r["units"], r["amount_eur"])
        for r in table
        if r["row"] == "service"
    }
    assert services == {
        ("partner", "interview"): ("2.00", "75.00"),
        ("partner", "mediation"): ("2.50", "70.00"),
        ("other", "interview"): ("3.00", "105.00"),
    }
    alfa = next(r for r in table if r["row"] == "organisation_total" and r["organisation_code"] == "partner")
    wanted = ("amount_eur", "spent_to_date_eur", "budget_eur", "remaining_eur", "spent_percent")
    assert [alfa[key] for key in wanted] == ["145.00", "180.00", "1000.00", "820.00", "18.0"]
    total = next(r for r in table if r["row"] == "total")
    assert (total["amount_eur"], total["spent_to_date_eur"], total["budget_eur"]) == ("250.00", "285.00", "1050.00")

    book = load_workbook(io.BytesIO(client.get(url, {**PERIOD, "format": "xlsx"}).content))
    sheet = list(book["services"].iter_rows(min_row=4, values_only=True))
    assert list(sheet[0]) == header
    body = [coded(row, kinds) for row in sheet[1:]]
    assert {(r["organisation_code"], r["service_code"]): r["amount_eur"] for r in body if r["row"] == "service"} == {
        ("partner", "interview"): 75.0,
        ("partner", "mediation"): 70.0,
        ("other", "interview"): 105.0,
    }
    assert next(r for r in body if r["row"] == "total")["spent_to_date_eur"] == 285.0
    assert list(book["months"].iter_rows(values_only=True)) == [
        ("Mese", "Cooperativa Alfa", network.other.name, "Totale"),
        ("2024-03", 145.0, 105.0, 250.0),
    ]

    written: list[str] = []
    cell = FPDF.cell

    def spy(self, w=None, h=None, text="", *args, **kwargs):
        written.append(str(text))
        return cell(self, w, h, text, *args, **kwargs)

    monkeypatch.setattr(FPDF, "cell", spy)
    pdf = client.get(url, {**PERIOD, "format": "pdf"})
    assert pdf.content.startswith(b"%PDF") and pdf["Content-Type"] == "application/pdf"
    lines = pdf_text(pdf.content).splitlines()  # a document of the lead entity, numbered page by page
    assert "Comune di Prova" in lines and "Programma uno (P-1)" in lines and "Pagina 1 di " in lines
    for figure in ("75,00 €", "70,00 €", "105,00 €", "145,00 €", "180,00 €", "1.000,00 €", "-55,00 €", "285,00 €"):
        assert figure in written, figure
    with scopes_disabled():
        exports = list(AuditEntry.objects.filter(action=Action.EXPORT, object_type="reports.reimbursement"))
    assert sorted(e.reason.rsplit(" ", 1)[-1] for e in exports) == ["csv", "pdf", "xlsx"]
    assert {e.object_id for e in exports} == {"P-1"}


def test_a_partners_export_holds_her_organisation_only(ledger):
    answer = verified_client(ledger["alfa"]).get(reverse("reports:reimbursement"), {**PERIOD, "format": "csv"})
    text = answer.content.decode()
    assert "partner" in text and ",other," not in text and "105.00" not in text


def test_queries_are_pinned_and_do_not_grow_with_the_deliveries(ledger, network, max_queries):
    client = verified_client(ledger["lead"])
    client.get(reverse("reports:reimbursement"), PERIOD)
    with max_queries(12) as first:
        client.get(reverse("reports:reimbursement"), PERIOD)
    with scopes_disabled():
        case = Case.objects.filter(lead_organisation=network.other).get()
        for n in range(25):
            ServiceDelivery.objects.create(
                case=case,
                service_type=ServiceType.objects.get(code="mediation"),
                date=date(2024, 3, 1 + n),
                quantity=1,
                unit_cost=D("28.00"),
                organisation=network.other,
                operator=ledger["worker_beta"],
            )
    with max_queries(12) as second:
        client.get(reverse("reports:reimbursement"), PERIOD)
    assert second.count == first.count


def test_owner_member_and_outsider(ledger, people, network, client):
    trio = people("coordinator", at=network.lead)
    url = reverse("reports:reimbursement")
    assert client.get(url)["Location"].startswith(reverse("accounts:login"))
    owner = verified_client(trio.owner).get(url, PERIOD).content.decode()
    assert "Cooperativa Alfa" in owner and "Cooperativa Beta" in owner
    assert verified_client(trio.member).get(url, PERIOD).status_code == 403
    # The outsider, a coordinator at another partner, sees her own organisation only.
    outsider = verified_client(trio.outsider).get(url, PERIOD).content.decode()
    assert "Cooperativa Beta" in outsider and "Cooperativa Alfa" not in outsider
    with scopes_disabled():
        assert AuditEntry.objects.filter(action=Action.PERMISSION_DENIED, object_type=selectors.PERM).exists()


def test_a_bad_period_is_explained_not_computed(ledger):
    answer = verified_client(ledger["lead"]).get(
        reverse("reports:reimbursement"), {"start": "2024-03-31", "end": "2024-03-01"}
    )
    assert answer.status_code == 200 and 'data-testid="partners"' not in answer.content.decode()
    assert "is-invalid" in answer.content.decode()


# Budgets


def test_the_lead_sets_budgets_and_is_warned_when_they_exceed_the_programme(ledger, network):
    client = verified_client(ledger["lead"])
    url = reverse("network:budgets")
    page = client.get(url, {"organisation": "partner"}).content.decode()
    assert 'value="1000,00"' in page  # the chosen partner's budget, ready to change, as Italians write it
    answer = client.post(url, {"organisation": "lead", "budget": "199,5", "co_funding": ""}, follow=True)
    with scopes_disabled():
        saved = PartnerBudget.objects.get(organisation=network.lead)
    assert (saved.budget, saved.co_funding) == (D("199.50"), D("0.00"))
    warning = answer.content.decode().split('data-testid="budget-warning"')[1].split("</div>")[0]
    assert "1.249,50 €" in warning and "249,50 €" in warning
    with scopes_disabled():
        entry = AuditEntry.objects.filter(object_type="network.partnerbudget", action=Action.CREATE).get()
    assert "budget" in entry.fields and "199" not in entry.reason
    # Within the programme's budget, no warning.
    client.post(url, {"organisation": "lead", "budget": "0"})
    client.post(url, {"organisation": "other", "budget": "0"})
    page = client.get(url).content.decode()
    assert 'data-testid="budget-warning"' not in page
    assert page.split('data-testid="unallocated">')[1].startswith("0,00 €")


def test_a_budget_cannot_be_negative_nor_for_an_organisation_outside_the_programme(ledger, network):
    from approdi.network.models import Organisation

    client = verified_client(ledger["lead"])
    answer = client.post(reverse("network:budgets"), {"organisation": "partner", "budget": "-1"})
    assert answer.status_code == 200 and "is-invalid" in answer.content.decode()
    stranger = Organisation.objects.create(code="stranger", name="Estranea", type="partner")
    assert client.post(reverse("network:budgets"), {"organisation": "stranger", "budget": "10"}).status_code == 200
    with acting(ledger["lead"]), pytest.raises(Exception, match="organisation"):
        budgets.save_budget(actor=ledger["lead"], organisation=stranger, budget=D("10"))
    with scopes_disabled():
        assert not PartnerBudget.objects.filter(organisation=stranger).exists()
        assert PartnerBudget.objects.get(organisation=network.partner).budget == D("1000.00")
        with transaction.atomic(), pytest.raises(IntegrityError):
            PartnerBudget.objects.filter(organisation=network.partner).update(budget=D("-1"))
        with transaction.atomic(), pytest.raises(IntegrityError):
            PartnerBudget.objects.create(programme=network.programme, organisation=network.partner)


def test_only_the_lead_entity_sets_budgets(ledger, network, make_user):
    url = reverse("network:budgets")
    admin = make_user("admin-lead", network.lead, "admin", network.programme)
    assert verified_client(admin).get(url).status_code == 200
    assert verified_client(ledger["alfa"]).get(url).status_code == 403  # a partner's coordinator
    assert verified_client(ledger["filtro"]).get(url).status_code == 403
    assert verified_client(ledger["alfa"]).post(url, {"organisation": "partner", "budget": "9999"}).status_code == 403
    with scopes_disabled():
        assert PartnerBudget.objects.get(organisation=network.partner).budget == D("1000.00")


def test_the_reports_tabs_link_the_services_page(ledger):
    page = verified_client(ledger["lead"]).get(reverse("reports:summary")).content.decode()
    assert f'href="{reverse("reports:reimbursement")}"' in page


# Demo data


def test_demo_service_types_and_budgets_load_once(network):
    types = demo_services.ensure_service_types(network.programme)
    for code in ("interview", "mediation", "italian_lesson", "job_search", "legal_consultation"):
        assert types[code].programme_id == network.programme.pk
    for code in ("medical_accompaniment", "psychological_session", "ethnopsychiatric_session", "return_support"):
        assert types[code].unit_cost > 0
    with scopes_disabled():
        ServiceType.objects.filter(code="interview").update(unit_cost=D("37.00"))  # a coordinator's change
    again = demo_services.ensure_service_types(network.programme)
    assert again["interview"].unit_cost == D("37.00") and len(again) == len(types)
    wanted = {"partner": ("100.00", "5.00"), "not-a-partner": ("1.00", "0.00")}
    assert demo_services.ensure_budgets(network.programme, wanted) == 1
    assert demo_services.ensure_budgets(network.programme, wanted) == 0
    # The demo's budgets fit the DA-2023 grant of 2,000,000 EUR.
    total = sum(D(budget) for budget, _co in demo_services.BUDGETS_2023.values())
    assert total <= D("2000000")
