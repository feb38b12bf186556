"""The programme dashboard: figures equal to hand-counted data, in the viewer's scope; the page, its permissions,
its queries, its exports and its charts (the same SVG in the page and in the PDF)."""

from __future__ import annotations

import csv
import io
import re
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled
from fpdf import FPDF
from openpyxl import load_workbook

from approdi.accounts.scoping import membership_scope
from approdi.audit.models import AuditEntry
from approdi.core.period import Period
from approdi.network.models import Area, Target
from approdi.outreach.models import Contact, Referral
from approdi.people.models import Person
from approdi.reports.dashboard import selectors
from approdi.reports.funder.summary import funder_summary
from approdi.shelter.models import Bed, Placement
from approdi.shelter.services import sync_beds
from tests.builders import verified_client
from tests.pdftext import pdf_text

pytestmark = pytest.mark.django_db
START, END = date(2024, 3, 1), date(2024, 5, 31)
PERIOD = {"start": "2024-03-01", "end": "2024-05-31"}
HOME_QUERIES = 13  # with the directory's two panels (network contacts, protocols to renew), training's figures and the
# governance tables' actions the coordinator owes


@pytest.fixture
def activity(network, make_user):
    """A small programme, counted by hand in the tests below (period 1 March – 31 May 2024).

    Contacts: the partner's street group of 3 and street contact A (MI), indoor B (CO); the other
    partner's drop-in C (MI) and a street group of 5 the day before the period; the lead's indoor
    contact without area on the last day. Referrals: A twice (police, CAS), one anonymous from the
    helpline, a self-referral and an outreach referral. Stays: P1 (from February) and P2 (from April)
    in the partner's structure, P3 from the last day in the other's; P4 from the day after.
    """
    filtro = make_user("filtro-builder", network.lead, "filtro", network.programme)
    como = Area.objects.create(code="CO", name="Como")
    with scopes_disabled():

        def contact(org, channel, day, **extra):
            return Contact.objects.create(
                programme=network.programme,
                organisation=org,
                channel=channel,
                date=date.fromisoformat(day),
                **extra,
            )

        contact(network.partner, "street", "2024-03-05", area=network.area, headcount=3)
        contact(
            network.partner,
            "street",
            "2024-03-10",
            area=network.area,
            person_code="AP-AAAAA",
            gender="woman",
            nationality="NG",
            exploitation="sexual",
        )
        contact(
            network.partner, "indoor", "2024-04-02", area=como, person_code="AP-BBBBB", gender="woman", nationality="NG"
        )
        contact(
            network.other,
            "drop_in",
            "2024-04-20",
            area=network.area,
            person_code="AP-CCCCC",
            gender="man",
            nationality="RO",
            exploitation="labour",
        )
        contact(network.other, "street", "2024-02-29", area=network.area, headcount=5)
        contact(network.lead, "indoor", "2024-05-31", gender="trans_woman", nationality="BR")

        def referral(org, source, day, **extra):
            return Referral.objects.create(
                programme=network.programme,
                organisation=org,
                source_type=source,
                date=date.fromisoformat(day),
                **extra,
            )

        referral(
            network.partner,
            "police",
            "2024-03-03",
            person_code="AP-AAAAA",
            given_name="Ada",
            family_name="Segreta",
            gender="woman",
            nationality="NG",
        )
        referral(network.partner, "cas", "2024-03-20", person_code="AP-AAAAA", gender="woman", nationality="NG")
        referral(network.other, "helpline", "2024-04-04", gender="man", nationality="RO", exploitation="labour")
        referral(network.other, "self", "2024-04-05", person_code="AP-DDDDD")
        referral(network.partner, "outreach", "2024-05-01", person_code="AP-EEEEE")

        for structure in (network.structure, network.other_structure):
            sync_beds(structure)

        free = {
            s.pk: iter(Bed.objects.filter(structure=s).order_by("id"))
            for s in (network.structure, network.other_structure)
        }

        def stay(code, gender, nationality, structure, start, end=None):
            person = Person.objects.create(
                programme=network.programme,
                organisation=network.lead,
                code=code,
                given_name="Nome Riservato",
                gender=gender,
                nationality=nationality,
                created_by=filtro,
            )
            bed = next(free[structure.pk])
            return Placement.objects.create(
                programme=network.programme,
                person=person,
                bed=bed,
                structure=structure,
                stage="first",
                start=date.fromisoformat(start),
                end=date.fromisoformat(end) if end else None,
                exit_reason="autonomy" if end else "",
            )

        stay("AP-P1P1P-AAAAA", "woman", "NG", network.structure, "2024-02-15", "2024-03-10")
        stay("AP-P2P2P-AAAAA", "woman", "RO", network.structure, "2024-04-01")
        stay("AP-P3P3P-AAAAA", "man", "AL", network.other_structure, "2024-05-31")
        stay("AP-P4P4P-AAAAA", "man", "AL", network.other_structure, "2024-06-01")
    Target.objects.create(programme=network.programme, indicator="street_contacts", value=10, description="10 contatti")
    Target.objects.create(programme=network.programme, indicator="reception_total", value=4)
    return network


def build(user, start=START, end=END):
    with membership_scope(user.active_membership):
        return selectors.dashboard(actor=user, start=start, end=end)


@pytest.fixture
def lead_coordinator(activity, make_user):
    user = make_user("coordinatrice", activity.lead, "coordinator", activity.programme)
    user.active_membership = user.memberships.get()
    return user


@pytest.fixture
def partner_coordinator(activity, make_user):
    user = make_user("referente-alfa", activity.partner, "coordinator", activity.programme)
    user.active_membership = user.memberships.get()
    return user


def table(result, key):
    found = next(t for t in [result.monthly, *result.breakdowns] if t.key == key)
    return {row.code: {m.code: c.value for m, c in zip(found.columns, row.cells, strict=True)} for row in found.rows}


def totals(result, key):
    found = next(t for t in [result.monthly, *result.breakdowns] if t.key == key)
    return {m.code: c.value for m, c in zip(found.columns, found.totals, strict=True)}


def test_targets_and_results_equal_the_hand_count(lead_coordinator):
    result = build(lead_coordinator)
    rows = {row.indicator: (row.result.value, row.target, row.percent) for row in result.targets}
    assert rows == {
        "street_contacts": (4, 10, 40),
        "indoor_contacts": (2, None, None),
        "low_threshold_accesses": (1, None, None),
        "persons_referred_by_bodies": (2, None, None),  # A once (two referrals), the anonymous one; not self/outreach
        "reception_total": (3, 4, 75),  # P1 (left in the period), P2, P3 (from the last day); not P4
        # no event in this world: training's rule is tested on its own data (tests/training/)
        "training_events": (0, None, None),
        "training_participants": (0, None, None),
        "training_bodies": (0, None, None),
    }


@pytest.mark.parametrize("who", ["lead_coordinator", "partner_coordinator"])
def test_the_home_pages_targets_are_the_dashboards_own(who, request):
    user = request.getfixturevalue(who)
    with membership_scope(user.active_membership):
        on_home = selectors.targets_vs_results(actor=user, start=START, end=END)
    on_dashboard = build(user).targets
    assert [(r.indicator, r.result.value, r.target) for r in on_home] == [
        (r.indicator, r.result.value, r.target) for r in on_dashboard
    ]


def test_lead_entity_sees_the_funder_summary_figures(lead_coordinator, activity):
    result = build(lead_coordinator)
    summary = funder_summary(programme=activity.programme, start=START, end=END)
    assert result.figures["street"] == summary["outreach"]["street_contacts"]
    assert result.figures["indoor"] == summary["outreach"]["indoor_contacts"]
    assert result.figures["drop_in"] == summary["outreach"]["low_threshold_accesses"]
    assert result.figures["referred"] == summary["outreach"]["persons_referred_by_bodies"]
    assert result.figures["reception_by_gender"] == summary["reception"]


def test_months_split_the_period(lead_coordinator):
    result = build(lead_coordinator)
    assert table(result, "monthly") == {
        "2024-03": {"street": 4, "indoor": 0, "drop_in": 0, "referrals": 2, "new_reception": 0},
        "2024-04": {"street": 0, "indoor": 1, "drop_in": 1, "referrals": 2, "new_reception": 1},
        "2024-05": {"street": 0, "indoor": 1, "drop_in": 0, "referrals": 1, "new_reception": 1},
    }
    # The months add up to the period's figures (P1 entered in February: not new in the period).
    assert totals(result, "monthly") == {"street": 4, "indoor": 2, "drop_in": 1, "referrals": 5, "new_reception": 2}


def test_breakdowns_by_area_organisation_channel_exploitation_nationality_gender(lead_coordinator):
    result = build(lead_coordinator)
    assert table(result, "area") == {
        "MI": {"contacts": 5, "street": 4, "indoor": 0, "drop_in": 1, "reception": 3},
        "CO": {"contacts": 1, "street": 0, "indoor": 1, "drop_in": 0, "reception": 0},
        "": {"contacts": 1, "street": 0, "indoor": 1, "drop_in": 0, "reception": 0},
    }
    assert table(result, "organisation") == {
        "partner": {"contacts": 5, "street": 4, "indoor": 1, "drop_in": 0, "referred": 1, "reception": 2},
        "other": {"contacts": 1, "street": 0, "indoor": 0, "drop_in": 1, "referred": 1, "reception": 1},
        "lead": {"contacts": 1, "street": 0, "indoor": 1, "drop_in": 0, "referred": 0, "reception": 0},
    }
    assert table(result, "channel") == {
        "street": {"contacts": 4},
        "indoor": {"contacts": 2},
        "drop_in": {"contacts": 1},
    }
    assert table(result, "exploitation") == {
        "sexual": {"contacts": 1, "referred": 0},
        "labour": {"contacts": 1, "referred": 1},
        "": {"contacts": 5, "referred": 1},
    }
    assert table(result, "nationality") == {
        "NG": {"contacts": 2, "referred": 1, "reception": 1},
        "RO": {"contacts": 1, "referred": 1, "reception": 1},
        "BR": {"contacts": 1, "referred": 0, "reception": 0},
        "AL": {"contacts": 0, "referred": 0, "reception": 1},
        "": {"contacts": 3, "referred": 0, "reception": 0},
    }
    assert table(result, "gender") == {
        "woman": {"contacts": 2, "referred": 1, "reception": 2},
        "man": {"contacts": 1, "referred": 1, "reception": 1},
        "trans_woman": {"contacts": 1, "referred": 0, "reception": 0},
        "": {"contacts": 3, "referred": 0, "reception": 0},
    }
    assert totals(result, "organisation") == {
        "contacts": 7,
        "street": 4,
        "indoor": 2,
        "drop_in": 1,
        "referred": 2,
        "reception": 3,
    }
    # Rows in the order of the codes, "not recorded" last.
    assert [row.code for row in result.breakdowns[2].rows] == ["street", "indoor", "drop_in"]
    assert result.breakdowns[0].rows[-1].code == ""


def test_occupancy_and_capacity(lead_coordinator):
    result = build(lead_coordinator)
    by_type = {row["type"]: row for row in result.occupancy}
    # P1: 1–9 March (9 nights; she left on the 10th); P2: 1 April – 31 May (61 nights); P3: 31 May (1 night).
    assert by_type["women"]["bed_nights"] == 70 and by_type["women"]["capacity_nights"] == 4 * 92
    assert by_type["men"]["bed_nights"] == 1 and by_type["men"]["people"].value == 1
    assert by_type["women"]["people"].value == 2
    assert result.capacity_total["structures"] == 2 and result.capacity_total["beds"] == 7


def test_a_partners_coordinator_sees_only_their_organisation(partner_coordinator):
    result = build(partner_coordinator)
    assert not result.network_wide and result.organisations == ["Cooperativa Alfa"]
    assert {row.indicator: row.result.value for row in result.targets} == {
        "street_contacts": 4,
        "indoor_contacts": 1,
        "low_threshold_accesses": 0,
        "persons_referred_by_bodies": 1,
        "reception_total": 2,  # the residents of the partner's own structure
        "training_events": 0,  # no event here (a partner's own events: tests/training/test_training_figures.py)
        "training_participants": 0,
        "training_bodies": 0,
    }
    assert set(table(result, "organisation")) == {"partner"}
    assert totals(result, "monthly")["referrals"] == 3
    assert [row["type"] for row in result.occupancy] == ["women"]


def test_the_period_must_not_end_before_it_starts(lead_coordinator):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        build(lead_coordinator, start=END, end=START)


# The page


def test_page_defaults_to_the_running_year_and_links_every_number(activity, lead_coordinator):
    page = verified_client(lead_coordinator).get(reverse("reports:dashboard"))
    assert page.status_code == 200
    result = page.context["result"]
    year = Period.running_year(activity.programme, timezone.localdate())
    assert (result.start, result.end) == (year.start, year.end)
    page = verified_client(lead_coordinator).get(reverse("reports:dashboard"), PERIOD)
    html = page.content.decode()
    drill = reverse("reports:drilldown")
    assert f'{drill}?start=2024-03-01&amp;end=2024-05-31&amp;measure=street"' in html
    assert "measure=reception&amp;dimension=gender&amp;value=woman" in html
    assert 'data-testid="reports-nav"' in html


@pytest.mark.parametrize("role", ["coordinator", "filtro"])
def test_owner_member_and_outsider(activity, people, role):
    trio = people(role, at=activity.lead)
    assert verified_client(trio.owner).get(reverse("reports:dashboard"), PERIOD).status_code == 200
    assert verified_client(trio.member).get(reverse("reports:dashboard"), PERIOD).status_code == 403
    assert verified_client(trio.member).get(reverse("reports:drilldown"), {"measure": "street"}).status_code == 403
    # The same role elsewhere opens the dashboard with none of these records: a coordinator at another partner
    # sees that partner's own access only; the Ufficio Filtro (a lead entity's office) of another programme, none.
    outsider = verified_client(trio.outsider).get(reverse("reports:dashboard"), PERIOD)
    assert outsider.status_code == 200
    assert outsider.context["result"].figures["street"] == 0  # the street contacts are the partner's
    assert outsider.context["result"].figures["drop_in"] == (1 if role == "coordinator" else 0)


def test_menu_and_summary_lead_to_the_dashboard(lead_coordinator):
    client = verified_client(lead_coordinator)
    home = client.get(reverse("core:home")).content.decode()
    assert f'href="{reverse("reports:dashboard")}"' in home
    summary = client.get(reverse("reports:summary")).content.decode()
    assert f'href="{reverse("reports:dashboard")}"' in summary and 'data-testid="reports-nav"' in summary


def test_queries_are_pinned_and_do_not_grow_with_the_data(activity, lead_coordinator, max_queries):
    client = verified_client(lead_coordinator)
    client.get(reverse("reports:dashboard"), PERIOD)  # warm the session and the caches
    # 35 before the contacts were split in two scans, 29 before the people referred and in reception were read in one
    # scan each, 23 before the totals were counted from those scans, 20 before the contacts were read from the monthly
    # tally in one query (a period of whole months; ContactTally), 18 before occupancy's people by gender (not shown
    # here) were left out; 19 with training and awareness (its figures in one query, its table by type in another)
    with max_queries(19) as first:
        client.get(reverse("reports:dashboard"), PERIOD)
    with scopes_disabled():
        for n in range(30):
            Contact.objects.create(
                programme=activity.programme,
                organisation=activity.other,
                channel="street",
                date=date(2024, 3 + n % 3, 1 + n),
                area=Area.objects.create(code=f"A{n}", name=f"Area {n}"),
                nationality=["FR", "DE", "ES"][n % 3],
            )
    with max_queries(19) as second:
        client.get(reverse("reports:dashboard"), PERIOD)
    assert second.count == first.count
    # Whole months: the contacts' figures come from the tally alone, not from a scan of the contacts.
    assert not any('"outreach_contact"' in q["sql"] for q in second.context.captured_queries)
    read = [q["sql"] for q in second.context.captured_queries]
    assert any('"outreach_contacttally"' in sql for sql in read)
    assert not any('"outreach_contact"' in sql for sql in read)  # no scan of the year's contacts


def test_the_coordinators_home_page_reads_the_tally_in_pinned_queries(activity, lead_coordinator, max_queries):
    """The running year's targets on every visit of the home page: contacts from the monthly tally (one query for a
    year of whole months), the people referred and in reception by their rule; as many queries with more data."""
    client = verified_client(lead_coordinator)
    client.get(reverse("core:home"))  # warm the session and the caches
    with max_queries(HOME_QUERIES) as first:
        home = client.get(reverse("core:home"))
    assert home.status_code == 200
    year = Period.running_year(activity.programme, timezone.localdate())
    with scopes_disabled():
        for n in range(30):
            Contact.objects.create(
                programme=activity.programme,
                organisation=activity.other,
                channel="street",
                date=min(year.start + timedelta(days=12 * n), year.end),
                area=Area.objects.create(code=f"H{n}", name=f"Area {n}"),
                nationality=["FR", "DE", "ES"][n % 3],
            )
    with max_queries(HOME_QUERIES) as second:
        client.get(reverse("core:home"))
    assert second.count == first.count
    read = [q["sql"] for q in second.context.captured_queries]
    assert any('"outreach_contacttally"' in sql for sql in read)
    assert not any('"outreach_contact"' in sql for sql in read)  # no scan of the year's contacts


def test_htmx_answers_the_body_only_and_announces_the_period(lead_coordinator):
    answer = verified_client(lead_coordinator).get(reverse("reports:dashboard"), PERIOD, HTTP_HX_REQUEST="true")
    html = answer.content.decode()
    assert "<html" not in html and 'id="dashboard-body"' in html
    assert 'id="dashboard-status" hx-swap-oob="innerHTML"' in html


def test_a_bad_period_shows_the_error(lead_coordinator):
    answer = verified_client(lead_coordinator).get(
        reverse("reports:dashboard"), {"start": "2024-05-31", "end": "2024-03-01"}
    )
    assert answer.status_code == 200 and "result" not in answer.context
    assert answer.context["form"].errors


# Exports


def test_exports_are_audited_and_carry_the_tables(lead_coordinator):
    client = verified_client(lead_coordinator)
    pdf = client.get(reverse("reports:dashboard"), {**PERIOD, "format": "pdf"})
    assert pdf.content.startswith(b"%PDF") and pdf["Content-Type"] == "application/pdf"
    lines = pdf_text(pdf.content).splitlines()  # a document of the lead entity, numbered page by page
    assert "Comune di Prova" in lines and "Pagina 1 di " in lines
    book = load_workbook(io.BytesIO(client.get(reverse("reports:dashboard"), {**PERIOD, "format": "xlsx"}).content))
    organisation = book["organisation"]
    rows = {r[0]: r for r in organisation.iter_rows(min_row=3, values_only=True)}
    assert rows["partner"][2:] == (5, 4, 1, 0, 1, 2)
    assert rows["total"][2:] == (7, 4, 2, 1, 2, 3)
    text = client.get(reverse("reports:dashboard"), {**PERIOD, "format": "csv"}).content.decode()
    header, *found = list(csv.reader(io.StringIO(text)))
    # Named for people, in their language: the columns, the tables and the measures; the codes stay in "Codice".
    assert header == ["Programma", "Dal", "Al", "Tabella", "Codice", "Voce", "Misura", "Valore"]
    street = [r for r in found if r[3] == "Obiettivi e risultati" and r[4] == "street_contacts" and r[6] == "Risultato"]
    assert street[0][7] == "4" and street[0][0] == "P-1" and street[0][5] == "Contatti in strada"
    assert not {"targets", "result", "percent"} & {value for row in found for value in (row[3], row[6])}
    with scopes_disabled():
        exports = AuditEntry.objects.filter(action="export", object_type="reports.dashboard")
        assert sorted(e.reason.rsplit(" ", 1)[-1] for e in exports) == ["csv", "pdf", "xlsx"]


def test_the_pdf_embeds_the_very_svg_of_the_page(lead_coordinator, monkeypatch):
    """One function draws each chart; the page shows its SVG inline and the PDF embeds the same bytes."""
    client = verified_client(lead_coordinator)
    page = client.get(reverse("reports:dashboard"), PERIOD).content.decode()
    in_page = re.findall(r"<svg xmlns=.*?</svg>", page, flags=re.S)
    embedded = []
    original = FPDF.image

    def spy(self, name, *args, **kwargs):
        if hasattr(name, "getvalue"):
            embedded.append(name.getvalue().decode())
        return original(self, name, *args, **kwargs)

    monkeypatch.setattr(FPDF, "image", spy)
    assert client.get(reverse("reports:dashboard"), {**PERIOD, "format": "pdf"}).status_code == 200
    assert len(in_page) >= 12
    assert sorted(embedded) == sorted(in_page)
    assert any('id="chart-targets"' in svg for svg in embedded)


def test_the_demo_coordinator_sees_seed_001_on_the_dashboard(db):
    """DA-2017 with the demo data: the lead entity's coordinator reads seed 001's figures, and the PDF has them."""
    from django.core.management import call_command

    from approdi.accounts.models import Membership, User

    call_command("load_demo", "--quiet")
    user = User.objects.get(username="coordinatrice")
    client = verified_client(user)
    session = client.session
    session["approdi_membership_id"] = Membership.objects.get(user=user, programme__code="DA-2017").pk
    session.save()
    ended = client.get(reverse("reports:dashboard")).context["result"]
    assert (ended.start, ended.end) == (date(2019, 1, 1), date(2019, 2, 28))  # an ended programme: its last year
    page = client.get(reverse("reports:dashboard"), {"start": "2017-12-01", "end": "2019-02-28"})
    result = page.context["result"]
    figures = {row.indicator: row.result.value for row in result.targets}
    assert figures == {
        "street_contacts": 3575,
        "indoor_contacts": 1667,
        "low_threshold_accesses": 484,
        "persons_referred_by_bodies": 553,
        "reception_total": 179,
        # DA-2017's demo records no training (seed 001 gives no figure of it)
        "training_events": 0,
        "training_participants": 0,
        "training_bodies": 0,
    }
    assert result.figures["reception_by_gender"] == {"women": 160, "men": 17, "transgender": 2, "total": 179}
    assert (result.capacity_total["structures"], result.capacity_total["beds"]) == (28, 84)
    assert totals(result, "area") == {
        "contacts": 5726,
        "street": 3575,
        "indoor": 1667,
        "drop_in": 484,
        "reception": 179,
    }
    pdf = client.get(reverse("reports:dashboard"), {"start": "2017-12-01", "end": "2019-02-28", "format": "pdf"})
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
