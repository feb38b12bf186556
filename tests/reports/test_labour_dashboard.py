"""The labour-exploitation desk's figures on the dashboard (seed 002): by employment sector, by target group, and the
referrals to and from the city's desks; only for an edition that asks for them (``Programme.labour_breakdown``)."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django_scopes import scopes_disabled

from approdi.directory.models import Body
from approdi.network.models import Programme
from approdi.outreach.codes import Sector, TargetGroup
from approdi.outreach.models import Contact, Referral
from tests.builders import verified_client

from .test_dashboard import build, table, totals

pytestmark = pytest.mark.django_db
START, END = date(2024, 3, 1), date(2024, 5, 31)
PERIOD = {"start": "2024-03-01", "end": "2024-05-31"}


@pytest.fixture
def desk(network):
    Programme.objects.filter(pk=network.programme.pk).update(labour_breakdown=True)
    network.programme.refresh_from_db()
    return network


@pytest.fixture
def coordinator(desk, make_user):
    user = make_user("coordinatrice", desk.lead, "coordinator", desk.programme)
    user.active_membership = user.memberships.get()
    return user


def random_activity(network, seed: int) -> None:
    """Desk accesses, street contacts and referrals with random sectors and groups, some outside the period."""
    rng = random.Random(seed)
    sectors = ["", *Sector.values]
    groups = ["", *TargetGroup.values]
    with scopes_disabled():
        for _ in range(120):
            day = START + timedelta(days=rng.randint(-20, 110))  # some before, some after the period
            organisation = rng.choice([network.partner, network.other, network.lead])
            if rng.random() < 0.7:
                Contact.objects.create(
                    programme=network.programme,
                    organisation=organisation,
                    channel="drop_in",
                    date=day,
                    headcount=rng.randint(1, 4),
                    sector=rng.choice(sectors),
                    target_group=rng.choice(groups),
                )
            else:  # a street contact never has a sector: it must not count in the desk's table
                Contact.objects.create(
                    programme=network.programme, organisation=organisation, channel="street", date=day, headcount=2
                )
            Referral.objects.create(
                programme=network.programme,
                organisation=organisation,
                date=day,
                source_type=rng.choice(["self", "union", "labour_inspectorate", "social_services"]),
                person_code=f"AP-{rng.randint(1, 40):05d}",
                sector=rng.choice(sectors),
                target_group=rng.choice(groups),
            )
        # Another programme's records never count.
        Contact.objects.create(
            programme=network.other_programme,
            organisation=network.partner,
            channel="drop_in",
            date=START,
            sector="construction",
        )


def sql(query: str, *params) -> dict[str, int]:
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return {code: int(n) for code, n in cursor.fetchall()}


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_breakdown_by_sector_equals_a_hand_written_sql_count(desk, coordinator, seed):
    random_activity(desk, seed)
    result = build(coordinator)
    accesses = sql(
        "SELECT sector, SUM(headcount) FROM outreach_contact "
        "WHERE programme_id = %s AND channel = 'drop_in' AND date >= %s AND date <= %s GROUP BY sector",
        desk.programme.pk,
        START,
        END,
    )
    referrals = sql(
        "SELECT sector, COUNT(*) FROM outreach_referral "
        "WHERE programme_id = %s AND date >= %s AND date <= %s GROUP BY sector",
        desk.programme.pk,
        START,
        END,
    )
    shown = table(result, "sector")
    assert {code: row["drop_in"] for code, row in shown.items() if row["drop_in"]} == accesses
    assert {code: row["referrals"] for code, row in shown.items() if row["referrals"]} == referrals
    assert totals(result, "sector") == {"drop_in": sum(accesses.values()), "referrals": sum(referrals.values())}
    # The desk accesses add up to the dashboard's own low-threshold figure (§9's rule).
    assert totals(result, "sector")["drop_in"] == result.figures["drop_in"]
    groups = sql(
        "SELECT target_group, COUNT(*) FROM outreach_referral "
        "WHERE programme_id = %s AND date >= %s AND date <= %s GROUP BY target_group",
        desk.programme.pk,
        START,
        END,
    )
    assert {code: row["referrals"] for code, row in table(result, "target_group").items() if row["referrals"]} == groups


def test_rows_are_labels_in_the_codes_order_and_drill_down_to_the_records(desk, coordinator):
    random_activity(desk, 7)
    client = verified_client(coordinator)
    page = client.get(reverse("reports:dashboard"), PERIOD, HTTP_ACCEPT_LANGUAGE="it")
    found = next(t for t in page.context["result"].breakdowns if t.key == "sector")
    order = [row.code for row in found.rows]
    assert order == sorted(order, key=lambda c: (not c, Sector.values.index(c) if c else 0))
    html = page.content.decode()
    assert "Edilizia" in html and "Per settore lavorativo" in html
    drill = client.get(
        reverse("reports:drilldown"), PERIOD | {"measure": "drop_in", "dimension": "sector", "value": "construction"}
    )
    assert drill.status_code == 200
    with scopes_disabled():
        expected = sum(
            Contact.objects.filter(
                programme=desk.programme, channel="drop_in", sector="construction", date__gte=START, date__lte=END
            ).values_list("headcount", flat=True)
        )
    assert drill.context["found"].total == expected


def test_only_an_edition_that_asks_has_the_labour_tables(desk, coordinator):
    assert {"sector", "target_group", "desks"} <= {t.key for t in build(coordinator).breakdowns}
    Programme.objects.filter(pk=desk.programme.pk).update(labour_breakdown=False)
    coordinator.active_membership.programme.refresh_from_db()
    assert not {"sector", "target_group", "desks"} & {t.key for t in build(coordinator).breakdowns}


def test_referrals_to_and_from_the_citys_desks_both_ways(desk, coordinator):
    with scopes_disabled():
        for name in ("Centro Sammartini", "Casa Jannacci", "CeLav – Centro di mediazione al lavoro"):
            Body.objects.create(programme=desk.programme, name=name, type="municipality")
        Body.objects.create(programme=desk.programme, name="CGIL Milano", type="union")

        def referral(body, day="2024-03-10"):
            Referral.objects.create(
                programme=desk.programme,
                organisation=desk.partner,
                date=day,
                source_type="social_services",
                referring_body=body,
                person_code="AP-00001",
            )

        def access(to, headcount=1, day="2024-04-10"):
            Contact.objects.create(
                programme=desk.programme,
                organisation=desk.partner,
                channel="drop_in",
                date=day,
                headcount=headcount,
                referred_to=to,
            )

        referral("Centro Sammartini")
        referral("Centro Sammartini")
        referral("Casa Jannacci")
        referral("CGIL Milano")  # not a desk of the city
        referral("Centro Sammartini", day="2024-06-01")  # after the period
        access("CeLav – Centro di mediazione al lavoro", headcount=2)
        access("Centro Sammartini")
        access("Questura")
    result = build(coordinator)
    desks = table(result, "desks")
    assert desks == {
        "Casa Jannacci": {"from_desk": 1, "to_desk": 0},
        "CeLav – Centro di mediazione al lavoro": {"from_desk": 0, "to_desk": 2},
        "Centro Sammartini": {"from_desk": 2, "to_desk": 1},
    }
    assert totals(result, "desks") == {"from_desk": 3, "to_desk": 3}
    drill = verified_client(coordinator).get(
        reverse("reports:drilldown"),
        PERIOD | {"measure": "referrals", "dimension": "referring_body", "value": "Centro Sammartini"},
    )
    assert drill.status_code == 200 and drill.context["found"].records == 2


def test_a_partners_coordinator_sees_only_her_own_records(desk, make_user):
    with scopes_disabled():
        for organisation, sector in ((desk.partner, "hotels"), (desk.other, "logistics")):
            Contact.objects.create(
                programme=desk.programme, organisation=organisation, channel="drop_in", date=START, sector=sector
            )
    user = make_user("referente-alfa", desk.partner, "coordinator", desk.programme)
    user.active_membership = user.memberships.get()
    assert table(build(user), "sector") == {"hotels": {"drop_in": 1, "referrals": 0}}


@pytest.mark.parametrize("who", ["owner", "member", "outsider"])
def test_owner_member_and_outsider(desk, people, who):
    with scopes_disabled():
        Contact.objects.create(
            programme=desk.programme, organisation=desk.lead, channel="drop_in", date=START, sector="hotels"
        )
    user = getattr(people("coordinator", at=desk.lead), who)
    page = verified_client(user).get(reverse("reports:dashboard"), PERIOD)
    if who == "member":  # same organisation, no coordinator's role
        assert page.status_code == 403
        return
    assert page.status_code == 200
    keys = {t.key: t for t in page.context["result"].breakdowns}
    if who == "owner":
        assert keys["sector"].totals[0].value == 1
    else:  # a coordinator at another partner: the lead's access is not hers
        assert keys["sector"].totals[0].value == 0


@pytest.mark.parametrize("who", ["owner", "member", "outsider"])
def test_the_edition_page_sets_the_breakdown(network, people, who):
    user = getattr(people("coordinator", at=network.lead), who)
    client = verified_client(user)
    page = client.get(reverse("network:edition"))
    if who != "owner":
        assert page.status_code in (403, 404)
        return
    form = page.context["form"]
    data = {k: v for k, v in form.initial.items() if k not in ("areas", "labour_breakdown") and v is not None}
    data |= {"start": "2024-01-01", "end": network.programme.end.isoformat(), "labour_breakdown": "on"}
    data["start"] = network.programme.start.isoformat()
    response = client.post(reverse("network:edition"), data)
    assert response.status_code == 302, response.context["form"].errors
    network.programme.refresh_from_db()
    assert network.programme.labour_breakdown


def test_the_demo_labour_desk_has_months_of_activity_by_sector_and_desk(db):
    """LAB-2024 with the demo data: the coordinator reads desk accesses by sector and the city's desks both ways."""
    from django.core.management import call_command

    from approdi.accounts.models import Membership, User

    call_command("load_demo", "--quiet")
    call_command("load_demo", "--quiet")  # idempotent
    user = User.objects.get(username="coordinatrice")
    client = verified_client(user)
    session = client.session
    session["approdi_membership_id"] = Membership.objects.get(user=user, programme__code="LAB-2024").pk
    session.save()
    page = client.get(reverse("reports:dashboard"), {"start": "2024-07-01", "end": "2025-08-31"})
    result = page.context["result"]
    by_sector = table(result, "sector")
    assert {"construction", "restaurants", "hotels", "logistics"} <= set(by_sector)
    assert totals(result, "sector")["drop_in"] == result.figures["drop_in"] > 100
    assert totals(result, "sector")["referrals"] > 10
    desks = table(result, "desks")
    assert len(desks) == 3
    assert sum(row["from_desk"] for row in desks.values()) > 0 and sum(row["to_desk"] for row in desks.values()) > 0
    months = [row.code for row in result.monthly.rows if row.cells[2].value]  # desk accesses by month
    assert len(months) >= 5
    with scopes_disabled():
        first = Contact.objects.filter(programme__code="LAB-2024", first_contact=True).count()
        again = Contact.objects.filter(programme__code="LAB-2024", first_contact=False).count()
        assert first == 70 and again > 0  # first contact, then engagement under the same code
        services = {s for c in Contact.objects.filter(programme__code="LAB-2024") for s in c.services}
        assert {"legal_advice", "psychological_advice", "referral", "listening"} <= services


def test_the_exports_carry_the_labour_tables(desk, coordinator):
    import csv
    import io

    from openpyxl import load_workbook

    random_activity(desk, 5)
    with scopes_disabled():
        Body.objects.create(programme=desk.programme, name="Casa Jannacci", type="municipality")
    client = verified_client(coordinator)
    pdf = client.get(reverse("reports:dashboard"), {**PERIOD, "format": "pdf"})
    assert pdf.content.startswith(b"%PDF")
    book = load_workbook(io.BytesIO(client.get(reverse("reports:dashboard"), {**PERIOD, "format": "xlsx"}).content))
    assert {"sector", "target_group", "desks"} <= set(book.sheetnames)
    text = client.get(reverse("reports:dashboard"), {**PERIOD, "format": "csv"}, HTTP_ACCEPT_LANGUAGE="it")
    rows = list(csv.reader(io.StringIO(text.content.decode())))
    assert any(r[4] == "construction" and r[5] == "Edilizia" for r in rows)
