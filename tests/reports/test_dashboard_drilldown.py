"""From any number of the dashboard, the records behind it: as codes, only what the user may see, paginated, audited."""

from __future__ import annotations

from datetime import date
from urllib.parse import parse_qsl

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from approdi.accounts.scoping import membership_scope
from approdi.audit.models import AuditEntry
from approdi.outreach.models import Contact, Referral
from approdi.reports.dashboard import selectors
from tests.builders import verified_client
from tests.reports import test_dashboard as data
from tests.reports.test_dashboard import END, PERIOD, START, build

# The hand-counted programme of test_dashboard, and its coordinators.
activity, lead_coordinator, partner_coordinator = data.activity, data.lead_coordinator, data.partner_coordinator

pytestmark = pytest.mark.django_db


def drill(user, query: str | dict, start=START, end=END):
    params = dict(parse_qsl(query)) if isinstance(query, str) else query
    with membership_scope(user.active_membership):
        found = selectors.drilldown(actor=user, start=start, end=end, **params)
        rows = list(found.rows)
    return found, rows


def every_cell(result):
    for row in result.targets:
        yield row.label, row.result
    for table in [result.monthly, *result.breakdowns]:
        for row in table.rows:
            yield from ((f"{table.key}/{row.code}", cell) for cell in row.cells)
        yield from ((f"{table.key}/total", cell) for cell in table.totals)
    for row in result.occupancy:
        yield f"occupancy/{row['type']}", row["people"]


@pytest.mark.parametrize("who", ["lead_coordinator", "partner_coordinator"])
def test_every_number_opens_records_that_add_up_to_it(who, request):
    user = request.getfixturevalue(who)
    result = build(user)
    checked = 0
    for name, cell in every_cell(result):
        if not cell.drill:  # training's figures open the events' page (tests/training/), not the drill-down
            continue
        found, rows = drill(user, cell.drill)
        assert found.total == cell.value, name
        if found.kind == "contacts":
            assert sum(r["headcount"] for r in rows) == cell.value, name
        elif found.kind in ("people", "entries"):
            assert len(rows) == cell.value, name
        checked += 1
    assert checked > 60
    for row in result.capacity:
        found, _ = drill(user, row["drill"])
        assert (found.total, found.beds) == (row["structures"], row["beds"])


def test_a_partner_never_sees_the_other_partners_records(activity, partner_coordinator):
    with scopes_disabled():
        own_contacts = set(
            Contact.objects.filter(organisation=activity.partner, date__gte=START, date__lte=END).values_list(
                "id", flat=True
            )
        )
        own_referrals = set(Referral.objects.filter(organisation=activity.partner).values_list("id", flat=True))
    _, contacts = drill(partner_coordinator, "measure=contacts")
    assert {r["id"] for r in contacts} == own_contacts
    _, referrals = drill(partner_coordinator, "measure=referrals")
    assert {r["id"] for r in referrals} == own_referrals
    # Asking for the other partner's rows by name finds nothing, as if they did not exist.
    found, rows = drill(partner_coordinator, "measure=contacts&dimension=organisation&value=other")
    assert (found.total, rows) == (0, [])
    found, rows = drill(partner_coordinator, "measure=drop_in")
    assert (found.total, rows) == (0, [])
    _, people = drill(partner_coordinator, "measure=reception")
    assert [r["person__code"] for r in people] == ["AP-P1P1P-AAAAA", "AP-P2P2P-AAAAA"]
    found, _ = drill(partner_coordinator, "measure=structures")
    assert [r["code"] for r in found.rows] == ["S-ALFA"]
    page = verified_client(partner_coordinator).get(reverse("reports:drilldown"), {**PERIOD, "measure": "reception"})
    html = page.content.decode()
    assert "AP-P1P1P-AAAAA" in html and "AP-P3P3P-AAAAA" not in html


def test_the_lead_entity_sees_every_partner(lead_coordinator):
    _, people = drill(lead_coordinator, "measure=reception")
    assert [r["person__code"] for r in people] == ["AP-P1P1P-AAAAA", "AP-P2P2P-AAAAA", "AP-P3P3P-AAAAA"]
    found, rows = drill(lead_coordinator, "measure=contacts&dimension=area&value=-")  # not recorded
    assert found.total == 1 and rows[0]["channel"] == "indoor" and rows[0]["area__code"] is None
    found, rows = drill(lead_coordinator, "measure=new_reception&month=2024-04")
    assert [r["person__code"] for r in rows] == ["AP-P2P2P-AAAAA"]
    found, _ = drill(lead_coordinator, "measure=street&month=2024-03")
    assert (found.start, found.end, found.total) == (date(2024, 3, 1), date(2024, 3, 31), 4)


def test_codes_only_never_names_and_the_view_is_audited(lead_coordinator):
    client = verified_client(lead_coordinator)
    for measure in ("referred", "referrals", "reception", "new_reception"):
        page = client.get(reverse("reports:drilldown"), {**PERIOD, "measure": measure})
        html = page.content.decode()
        assert page.status_code == 200
        for name in ("Ada", "Segreta", "Nome Riservato"):
            assert name not in html, (measure, name)
    assert "AP-AAAAA" in client.get(reverse("reports:drilldown"), {**PERIOD, "measure": "referred"}).content.decode()
    with scopes_disabled():
        views = AuditEntry.objects.filter(action="view", object_type="reports.drilldown").order_by("id")
        assert [v.object_id for v in views] == ["referred", "referrals", "reception", "new_reception", "referred"]
        assert views[0].reason.startswith("2024-03-01–2024-05-31") and views[0].actor == lead_coordinator
    # The list of structures shows nobody: it is not a view of people's records.
    client.get(reverse("reports:drilldown"), {**PERIOD, "measure": "structures"})
    with scopes_disabled():
        assert not AuditEntry.objects.filter(object_type="reports.drilldown", object_id="structures").exists()


def test_long_lists_are_paginated(activity, lead_coordinator):
    with scopes_disabled():
        Contact.objects.bulk_create(
            Contact(
                programme=activity.programme, organisation=activity.partner, channel="street", date=date(2024, 4, 9)
            )
            for _ in range(60)
        )
    client = verified_client(lead_coordinator)
    first = client.get(reverse("reports:drilldown"), {**PERIOD, "measure": "street"})
    assert len(first.context["page"].object_list) == 50 and first.context["found"].total == 64
    assert "page=2" in first.content.decode()
    second = client.get(reverse("reports:drilldown"), {**PERIOD, "measure": "street", "page": 2})
    assert len(second.context["page"].object_list) == 12  # 62 records: the group of 3, A, and these 60
    with scopes_disabled():
        reasons = list(AuditEntry.objects.filter(object_type="reports.drilldown").values_list("reason", flat=True))
    assert sorted(r.rsplit("; ", 1)[-1] for r in reasons) == ["page 1", "page 2"]


@pytest.mark.parametrize(
    "query",
    [
        {"measure": "nonsense"},
        {"measure": "referrals", "dimension": "area", "value": "MI"},  # referrals have no area
        {"measure": "street", "month": "2024-13"},
        {"measure": "street", "month": "marzo"},
        {"measure": "new_reception", "dimension": "gender", "value": "woman"},
        {"measure": "street", "start": "2024-05-31", "end": "2024-03-01"},
    ],
)
def test_a_figure_that_does_not_exist_is_not_found(lead_coordinator, query):
    answer = verified_client(lead_coordinator).get(reverse("reports:drilldown"), {**PERIOD, **query})
    assert answer.status_code == 404
