"""One counting rule, one place: every answer that gives a §9 figure gives the one a plain SQL query gives.

Random programmes — partners joining and leaving, structures opening, closing and changing capacity,
contacts and groups, referrals with and without a person code, placements overlapping the period or
not, some records imported from a file and some filed one by one, and records of another programme —
and for each, the funder summary, the dashboard (totals, monthly sums, breakdown and drill-down), the
counts page, the publication tables before suppression and the API are compared with one hand-written
SQL statement per figure (DESIGN.md §9), written from the contract and not from the code.
"""

from __future__ import annotations

import csv
import io
from collections import Counter, defaultdict
from datetime import date, timedelta

from django.db import connection
from django.db.models import Min
from django.test import Client
from django_scopes import scopes_disabled
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from approdi.accounts.models import Membership, User
from approdi.accounts.services import issue_token
from approdi.network.imports import run_import
from approdi.network.models import Area, Organisation, Partnership, Programme
from approdi.network.services import end_partnership
from approdi.outreach.models import Contact, Referral
from approdi.outreach.selectors import CountFilters, counts
from approdi.outreach.services import normalise_code
from approdi.people.models import Person
from approdi.reports.dashboard.selectors import dashboard, drilldown
from approdi.reports.disclosure.publication import contact_drafts, reception_drafts
from approdi.reports.funder.summary import funder_summary
from approdi.shelter.beds import beds_on
from approdi.shelter.figures import occupancy
from approdi.shelter.models import Bed, CapacityChange, Placement, Structure
from tests.builders import acting

FIRST = date(2024, 1, 1)
LAST = date(2024, 12, 31)  # the records' last day
# The editions run on: an ended edition is closed to new work (approdi/network/closing.py).
RUNNING_END = date(date.today().year + 1, 12, 31)
CHANNELS = {"street_contacts": "street", "indoor_contacts": "indoor", "low_threshold_accesses": "drop_in"}
SOURCES = ("police", "helpline", "self", "outreach", "cas", "union")
GENDERS = ("woman", "man", "trans_woman", "trans_man", "non_binary", "unknown", "")
RECEPTION = {"women": ("woman",), "men": ("man",), "transgender": ("trans_woman", "trans_man")}
TYPES = ("women", "men", "emergency_women", "emergency_places", "dormitory_men", "autonomy")
STAGES = ("first", "second", "emergency")

day = st.integers(0, 330)
contacts = st.lists(
    st.tuples(
        st.integers(0, 2),  # organisation: the lead entity, a partner, a partner that leaves
        st.sampled_from(sorted(CHANNELS.values())),
        day,
        st.integers(1, 4),  # headcount; a group has no person code
        st.one_of(st.none(), st.integers(0, 4)),  # the person met, if known
        st.booleans(),  # imported from a file, or filed one by one
    ),
    max_size=10,
)
referrals = st.lists(
    st.tuples(st.integers(0, 2), st.sampled_from(SOURCES), day, st.one_of(st.none(), st.integers(0, 4)), st.booleans()),
    max_size=8,
)
structures = st.lists(
    st.tuples(
        st.sampled_from(TYPES),
        st.integers(0, 2),
        st.integers(1, 4),  # beds
        st.one_of(st.none(), day),  # open from
        st.one_of(st.none(), st.integers(0, 200)),  # open for so many days (none: for good)
        st.one_of(st.none(), st.tuples(day, st.integers(0, 4))),  # a capacity change (0 beds: closed for a while)
    ),
    min_size=1,
    max_size=4,
)
placements = st.lists(
    st.tuples(st.integers(0, 5), st.integers(0, 3), day, st.one_of(st.none(), st.integers(0, 120))), max_size=6
)
period = st.tuples(day, st.integers(0, 200))


# A structure's beds on a day: open then, and its latest capacity change on or before it, else its beds.
CAPACITY_STRUCTURES = """
SELECT COUNT(*) FROM shelter_structure s JOIN shelter_structure_programmes sp ON sp.structure_id = s.id
WHERE COALESCE((SELECT c.beds FROM shelter_capacitychange c WHERE c.structure_id = s.id AND c.date <= %s
                ORDER BY c.date DESC LIMIT 1), s.beds) > 0
  AND sp.programme_id = %s AND (s.open_from IS NULL OR s.open_from <= %s) AND (s.open_to IS NULL OR s.open_to >= %s)
  AND s.type = %s
"""
CAPACITY_BEDS = """
SELECT SUM(COALESCE((SELECT c.beds FROM shelter_capacitychange c WHERE c.structure_id = s.id AND c.date <= %s
                     ORDER BY c.date DESC LIMIT 1), s.beds))
FROM shelter_structure s JOIN shelter_structure_programmes sp ON sp.structure_id = s.id
WHERE sp.programme_id = %s AND (s.open_from IS NULL OR s.open_from <= %s) AND (s.open_to IS NULL OR s.open_to >= %s)
  AND s.type = %s
"""


def one(sql: str, *params) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0] or 0


class TestEveryAnswerGivesTheFiguresOfTheContract(HypothesisTestCase):
    def world(self):
        lead = Organisation.objects.create(code="lead", name="Lead", type="lead")
        stays = Organisation.objects.create(code="stays", name="Stays", type="partner")
        leaves = Organisation.objects.create(code="leaves", name="Leaves", type="partner")
        programme = Programme.objects.create(code="P", name="P", start=FIRST, end=RUNNING_END, lead_organisation=lead)
        programme.partners.set([lead, stays, leaves], through_defaults={"joined": FIRST})
        other = Programme.objects.create(code="Q", name="Q", start=FIRST, end=RUNNING_END, lead_organisation=lead)
        other.partners.set([lead, stays, leaves], through_defaults={"joined": FIRST})
        area = Area.objects.create(code="MI", name="Milano")
        coordinator = User.objects.create(username="coordinator")
        Membership.objects.create(user=coordinator, organisation=lead, programme=programme, role="coordinator")
        return programme, other, [lead, stays, leaves], area, coordinator

    # No shrinking: a world takes a second to build, and shrinking one took minutes; the failing world is printed.
    @settings(
        max_examples=30,
        suppress_health_check=[HealthCheck.too_slow],
        phases=[Phase.explicit, Phase.reuse, Phase.generate],
    )
    @given(contacts, referrals, structures, placements, period)
    def test_the_figures_agree(self, contact_rows, referral_rows, structure_rows, placement_rows, span):
        programme, other, organisations, area, coordinator = self.world()
        start = FIRST + timedelta(days=span[0])
        end = min(start + timedelta(days=span[1]), LAST)

        # Contacts and referrals: some filed one by one, the others in one import per kind.
        imported_contacts, imported_referrals = [], []
        with scopes_disabled():
            for org, channel, offset, headcount, who, imported in contact_rows:
                code = f"ID-{who}" if who is not None and headcount == 1 else ""
                row = {
                    "date": (FIRST + timedelta(days=offset)).isoformat(),
                    "organisation": organisations[org].code,
                    "channel": channel,
                    "person_code": code,
                    "headcount": headcount,
                }
                if imported:
                    imported_contacts.append(row)
                    continue
                Contact.objects.create(
                    programme=programme,
                    organisation=organisations[org],
                    channel=channel,
                    date=FIRST + timedelta(days=offset),
                    headcount=headcount,
                    person_code=normalise_code(code),
                    area=area,
                )
            for org, source, offset, who, imported in referral_rows:
                code = f"ID-{who}" if who is not None else ""
                row = {
                    "date": (FIRST + timedelta(days=offset)).isoformat(),
                    "organisation": organisations[org].code,
                    "source_type": source,
                    "person_code": code,
                    "notes": "" if code else "sent by the helpline",
                }
                if imported:
                    imported_referrals.append(row)
                    continue
                Referral.objects.create(
                    programme=programme,
                    organisation=organisations[org],
                    source_type=source,
                    date=FIRST + timedelta(days=offset),
                    person_code=normalise_code(code),
                    notes=row["notes"],
                )
            for kind, rows in (("contacts", imported_contacts), ("referrals", imported_referrals)):
                if rows:
                    run_import(kind, _csv(rows), f"{kind}.csv", options={"programme": programme})
            # The same records in another programme never count in P's figures.
            Contact.objects.create(
                programme=other, organisation=organisations[1], channel="street", date=start, headcount=7
            )
            Referral.objects.create(
                programme=other, organisation=organisations[1], source_type="police", date=start, notes="x"
            )

            built = []
            for n, (kind, org, beds, opens, closes, change) in enumerate(structure_rows):
                structure = Structure.objects.create(
                    code=f"S{n}",
                    name=f"S{n}",
                    organisation=organisations[org],
                    type=kind,
                    area=area,
                    beds=beds,
                    open_from=None if opens is None else FIRST + timedelta(days=opens),
                    open_to=None if closes is None else FIRST + timedelta(days=(opens or 0) + closes),
                )
                structure.programmes.add(programme)
                if change is not None:
                    CapacityChange.objects.create(
                        structure=structure, date=FIRST + timedelta(days=change[0]), beds=change[1]
                    )
                built.append(structure)
            people = [
                Person.objects.create(
                    programme=programme,
                    organisation=organisations[0],
                    code=f"AP-P{n}",
                    gender=g,
                    created_by=coordinator,
                )
                for n, g in enumerate(GENDERS[:6])
            ]
            here_now = set()
            for n, (who, where, offset, length) in enumerate(placement_rows):
                structure = built[where % len(built)]
                first_day = FIRST + timedelta(days=offset)
                if length is None and who in here_now:
                    length = 10  # one stay at a time may still be open (the database holds it)
                if length is None:
                    here_now.add(who)
                Placement.objects.create(
                    programme=programme,
                    person=people[who],
                    structure=structure,
                    bed=Bed.objects.create(structure=structure, label=f"b{n}", in_use=False),
                    stage=STAGES[n % len(STAGES)],
                    start=first_day,
                    end=None if length is None else first_day + timedelta(days=length),
                    exit_reason="" if length is None else "autonomy",
                )
        # A partner leaves after filing its work: what it filed stays the programme's.
        end_partnership(actor=None, programme=programme, organisation=organisations[2], left=date(2025, 1, 1))
        assert Partnership.objects.get(programme=programme, organisation=organisations[2]).left is not None

        expected = self.contract(programme.pk, start, end)
        self.check_summary(programme, start, end, expected)
        with acting(coordinator):
            self.check_dashboard(coordinator, start, end, expected)
            self.check_counts(coordinator, start, end, expected)
            self.check_publication(start, end, expected)
        self.check_api(coordinator, start, end, expected)
        with acting(coordinator):
            self.check_occupancy(coordinator, programme, start, end)

    # --- the contract, one SQL statement per figure -------------------------------------------------

    def contract(self, programme: int, start: date, end: date) -> dict:
        figures = {
            name: one(
                "SELECT SUM(headcount) FROM outreach_contact"
                " WHERE programme_id = %s AND channel = %s AND date >= %s AND date <= %s",
                programme,
                channel,
                start,
                end,
            )
            for name, channel in CHANNELS.items()
        }
        figures["persons_referred_by_bodies"] = one(
            "SELECT (SELECT COUNT(DISTINCT person_code) FROM outreach_referral"
            "  WHERE programme_id = %s AND date >= %s AND date <= %s"
            "  AND source_type NOT IN ('self', 'outreach') AND person_code <> '')"
            " + (SELECT COUNT(*) FROM outreach_referral"
            "  WHERE programme_id = %s AND date >= %s AND date <= %s"
            "  AND source_type NOT IN ('self', 'outreach') AND person_code = '')",
            programme,
            start,
            end,
            programme,
            start,
            end,
        )
        figures["contacts"] = one(
            "SELECT SUM(headcount) FROM outreach_contact WHERE programme_id = %s AND date >= %s AND date <= %s",
            programme,
            start,
            end,
        )
        people = (
            "SELECT COUNT(DISTINCT p.person_id) FROM shelter_placement p JOIN intake_person i ON i.id = p.person_id"
            ' WHERE p.programme_id = %s AND p.start <= %s AND (p."end" IS NULL OR p."end" >= %s)'
        )
        reception = {
            key: one(
                people + " AND i.gender IN (" + ", ".join(["%s"] * len(genders)) + ")", programme, end, start, *genders
            )
            for key, genders in RECEPTION.items()
        }
        reception["total"] = one(people, programme, end, start)
        capacity = {
            kind: {
                "structures": one(CAPACITY_STRUCTURES, end, programme, end, end, kind)
                if kind not in ("emergency_places", "dormitory_men")
                else 0,
                "beds": one(CAPACITY_BEDS, end, programme, end, end, kind),
            }
            for kind in TYPES
        }
        return {"outreach": figures, "reception": reception, "capacity": capacity}

    # --- every answer ------------------------------------------------------------------------------

    def check_summary(self, programme, start, end, expected):
        summary = funder_summary(programme=programme, start=start, end=end)
        outreach = {k: v for k, v in expected["outreach"].items() if k != "contacts"}
        assert summary["outreach"] == outreach
        assert summary["reception"] == expected["reception"]
        capacity = {row["type"]: {"structures": row["structures"], "beds": row["beds"]} for row in summary["capacity"]}
        assert {t: capacity[t] for t in TYPES} == expected["capacity"]

    def check_dashboard(self, actor, start, end, expected):
        figures = expected["outreach"]
        board = dashboard(actor=actor, start=start, end=end)
        assert board.figures["street"] == figures["street_contacts"]
        assert board.figures["indoor"] == figures["indoor_contacts"]
        assert board.figures["drop_in"] == figures["low_threshold_accesses"]
        assert board.figures["referred"] == figures["persons_referred_by_bodies"]
        assert board.figures["contacts"] == figures["contacts"]
        assert board.figures["reception"] == expected["reception"]["total"]
        assert board.figures["reception_by_gender"] == expected["reception"]
        monthly = {
            m.code: sum(row.cells[n].value for row in board.monthly.rows) for n, m in enumerate(board.monthly.columns)
        }
        assert monthly["street"] == figures["street_contacts"]
        assert monthly["indoor"] == figures["indoor_contacts"]
        assert monthly["drop_in"] == figures["low_threshold_accesses"]
        by_channel = next(t for t in board.breakdowns if t.key == "channel")
        assert sum(row.cells[0].value for row in by_channel.rows) == figures["contacts"]
        results = {t.indicator: t.result.value for t in board.targets}
        assert results == {
            **{k: v for k, v in figures.items() if k != "contacts"},
            "reception_total": expected["reception"]["total"],
            # no event here: training's rule against SQL is tests/training/test_training_figures.py
            "training_events": 0,
            "training_participants": 0,
            "training_bodies": 0,
        }
        # Every cell of the breakdowns and of the months is the figure of the records behind it: the breakdowns are
        # read grouped by several dimensions at once and added up, the drill-down filters and aggregates one cell.
        for table in [*board.breakdowns, board.monthly]:
            for row in table.rows:
                for measure, cell in zip(table.columns, row.cells, strict=True):
                    where = {"month": row.code} if table.key == "monthly" else {"dimension": table.key}
                    if table.key != "monthly":
                        where["value"] = row.code or "-"
                    behind = drilldown(actor=actor, measure=measure.code, start=start, end=end, **where)
                    assert cell.value == behind.total, (table.key, row.code, measure.code)
        for measure, figure in (("street", "street_contacts"), ("referred", "persons_referred_by_bodies")):
            assert drilldown(actor=actor, measure=measure, start=start, end=end).total == figures[figure]
        assert drilldown(actor=actor, measure="reception", start=start, end=end).total == expected["reception"]["total"]
        capacity = {row["type"]: {"structures": row["structures"], "beds": row["beds"]} for row in board.capacity}
        assert {t: capacity[t] for t in TYPES} == expected["capacity"]
        behind = drilldown(actor=actor, measure="structures", start=start, end=end)
        assert behind.total == sum(c["structures"] for c in expected["capacity"].values())
        assert behind.beds == sum(c["beds"] for c in expected["capacity"].values())

    def check_occupancy(self, actor, programme, start, end):
        """Bed-nights, available bed-nights, stay lengths, people by gender and first entries, counted night by night
        from the stays as stored: a night is a day of the period she slept there (from her first day to the day
        before she leaves), a structure's beds on a day are those of ``beds_on``."""
        with scopes_disabled():
            stays = list(
                Placement.objects.filter(programme=programme, start__lte=end)
                .exclude(end__lt=start)
                .values_list("structure__type", "stage", "start", "end", "person_id", "person__gender")
            )
            structures = list(Structure.objects.filter(programmes=programme).prefetch_related("capacity_changes"))
            firsts = dict(
                Placement.objects.filter(programme=programme)
                .values("person_id")
                .annotate(first=Min("start"))
                .values_list("person_id", "first")
            )
        days = [start + timedelta(days=n) for n in range((end - start).days + 1)]
        after = end + timedelta(days=1)
        nights, lengths, genders = Counter(), defaultdict(list), defaultdict(set)
        for kind, stage, first_day, last_day, person, gender in stays:
            nights[kind] += sum(1 for d in days if first_day <= d and (last_day is None or d < last_day))
            lengths[stage].append(((last_day or after) - first_day).days)
            genders[gender or "unknown"].add(person)
        capacity = Counter()
        for structure in structures:
            capacity[structure.type] += sum(beds_on(structure, d, list(structure.capacity_changes.all())) for d in days)
        expected = {kind: (nights[kind], capacity[kind]) for kind in capacity}
        entries = Counter(f"{d:%Y-%m}" for d in firsts.values() if start <= d <= end)

        used = occupancy(Structure.objects.all(), Placement.objects.all(), start, end)
        assert {r["type"]: (r["bed_nights"], r["capacity_nights"]) for r in used["by_type"]} == expected
        assert used["average_stay"] == {k: round(sum(v) / len(v), 1) for k, v in sorted(lengths.items())}
        assert used["people_by_gender"] == {k: len(v) for k, v in sorted(genders.items())}
        board = dashboard(actor=actor, start=start, end=end)
        assert {r["type"]: (r["bed_nights"], r["capacity_nights"]) for r in board.occupancy} == expected
        column = [m.code for m in board.monthly.columns].index("new_reception")
        assert {r.code: r.cells[column].value for r in board.monthly.rows if r.cells[column].value} == entries

    def check_counts(self, actor, start, end, expected):
        figures = expected["outreach"]
        result = counts(actor=actor, filters=CountFilters(date_from=start, date_to=end))
        assert result["figures"] == {k: v for k, v in figures.items() if k != "contacts"}
        assert result["totals"]["contacts"] == figures["contacts"]
        assert sum(row["contacts"] for row in result["by_channel"]) == figures["contacts"]

    def check_publication(self, start, end, expected):
        figures = expected["outreach"]
        by_channel = contact_drafts(start=start, end=end, k=11)[0]
        channel_totals = dict(zip(by_channel.labels, (sum(row) for row in by_channel.cells), strict=True))
        assert list(channel_totals.values()) == [figures[name] for name in CHANNELS]
        for table in contact_drafts(start=start, end=end, k=11):
            assert sum(map(sum, table.cells)) == figures["contacts"]
        drafts, refused = reception_drafts(start=start, end=end, k=11)
        assert refused == 0
        for table in drafts:
            columns = [sum(row[n] for row in table.cells) for n in range(5)]
            assert columns[:3] == [expected["reception"][k] for k in ("women", "men", "transgender")]
            assert sum(columns) == expected["reception"]["total"]

    def check_api(self, actor, start, end, expected):
        _, key = issue_token(user=actor)
        client, auth = Client(), {"HTTP_AUTHORIZATION": f"Bearer {key}"}
        query = {"programme": "P", "from": start.isoformat(), "to": end.isoformat()}
        summary = client.get("/api/v1/reports/summary", query, **auth).json()
        assert summary["outreach"] == {k: v for k, v in expected["outreach"].items() if k != "contacts"}
        assert summary["reception"] == expected["reception"]
        answered = client.get("/api/v1/outreach/counts", query, **auth).json()
        assert answered["figures"] == summary["outreach"]
        assert answered["totals"]["contacts"] == expected["outreach"]["contacts"]


def _csv(rows: list[dict]) -> bytes:
    text = io.StringIO()
    writer = csv.DictWriter(text, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return text.getvalue().encode()
