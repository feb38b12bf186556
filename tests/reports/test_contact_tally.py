"""The dashboard's pre-aggregated contact figures (``ContactTally``) are the contacts' own, whatever writes them.

Random contacts are filed one by one, in bulk and from an import file, then changed one by one and in bulk, deleted
one by one and in bulk (an outing's deletion takes its contacts with it), in random order, in two programmes. After
that the tally equals the contacts grouped by hand (here, in Python, from the rows), ``manage.py rebuild_figures``
gives the same table, and the dashboard's contact figures for a random period (every breakdown cell, every month)
equal one hand-written SQL statement each over the contacts.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from datetime import date, timedelta
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import connection
from django_scopes import scopes_disabled
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from approdi.accounts.models import Membership, User
from approdi.core import importing
from approdi.core.importing import ImportFailed
from approdi.network.imports import run_import
from approdi.outreach import tally
from approdi.outreach.models import Contact, ContactTally, Outing
from approdi.reports.dashboard.selectors import dashboard
from tests.builders import acting
from tests.builders.network import two_programmes

FIRST = date(2024, 1, 1)
RUNNING_END = date(date.today().year + 1, 12, 31)
CHANNELS = ("street", "indoor", "drop_in")
MEASURES = {"street": "street", "indoor": "indoor", "drop_in": "drop_in"}
EXPLOITATIONS = ("", "sexual", "labour", "unknown")
NATIONALITIES = ("", "IT", "NG", "RO")
GENDERS = ("", "woman", "man", "trans_woman")

day = st.integers(0, 400)  # into 2025: periods cross years and months
contact = st.fixed_dictionaries(
    {
        "programme": st.integers(0, 1),
        "organisation": st.integers(0, 2),
        "channel": st.sampled_from(CHANNELS),
        "day": day,
        "headcount": st.integers(1, 3),
        "area": st.one_of(st.none(), st.integers(0, 1)),
        "exploitation": st.sampled_from(EXPLOITATIONS),
        "nationality": st.sampled_from(NATIONALITIES),
        "gender": st.sampled_from(GENDERS),
    }
)
operation = st.one_of(
    st.tuples(st.just("file"), contact),
    st.tuples(st.just("bulk"), st.lists(contact, min_size=1, max_size=5)),
    # A file in chunks of 1-3 rows: a chunk of two or more is added to the tally in one grouped statement.
    st.tuples(st.just("import"), st.lists(contact, min_size=1, max_size=5), st.integers(1, 3)),
    st.tuples(st.just("outing"), st.lists(contact, min_size=1, max_size=3)),  # street contacts of one outing
    st.tuples(st.just("change"), st.integers(0, 50), contact),
    st.tuples(st.just("change_many"), day, st.integers(0, 60), contact),
    st.tuples(st.just("delete"), st.integers(0, 50)),
    st.tuples(st.just("delete_many"), day, st.integers(0, 60)),
    st.tuples(st.just("delete_outing"), st.integers(0, 5)),
)


def _csv(rows: list[dict]) -> bytes:
    text = io.StringIO()
    writer = csv.DictWriter(text, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return text.getvalue().encode()


def _by_hand() -> Counter:
    """The tally the rule asks for, from the contacts' rows: {(programme, month, organisation, channel, dimension,
    value): (sum of headcounts, rows)}."""
    expected: Counter = Counter()
    with scopes_disabled():
        rows = Contact.objects.values_list(
            "programme_id",
            "date",
            "organisation_id",
            "channel",
            "area_id",
            "exploitation",
            "nationality",
            "gender",
            "headcount",
        )
        for programme, day_, organisation, channel, area, exploitation, nationality, gender, headcount in rows:
            split = {"area": "" if area is None else str(area), "exploitation": exploitation}
            split |= {"nationality": str(nationality or ""), "gender": gender}
            for dimension, value in split.items():
                key = (programme, day_.replace(day=1), organisation, channel, dimension, value)
                expected[(*key, "contacts")] += headcount
                expected[(*key, "records")] += 1
    return expected


def _table() -> Counter:
    kept: Counter = Counter()
    with scopes_disabled():
        for row in ContactTally.objects.values_list(
            "programme_id", "month", "organisation_id", "channel", "dimension", "value", "contacts", "records"
        ):
            assert row[7] > 0, f"an empty row is left: {row}"
            kept[(*row[:6], "contacts")] = row[6]
            kept[(*row[:6], "records")] = row[7]
    return kept


def _sql(query: str, *params) -> dict:
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return {key: value for key, value in cursor.fetchall()}


class TestTheTallyIsTheContacts(HypothesisTestCase):
    def world(self):
        programmes, partners, areas = two_programmes(FIRST, RUNNING_END)
        lead = partners[0]
        coordinator = User.objects.create(username="coordinator")
        Membership.objects.create(user=coordinator, organisation=lead, programme=programmes[0], role="coordinator")
        return programmes, partners, areas, coordinator

    @settings(
        max_examples=25,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
        phases=[Phase.explicit, Phase.reuse, Phase.generate],
    )
    @given(st.lists(operation, max_size=12), day, st.integers(0, 200))
    def test_after_any_writes_the_tally_is_the_contacts(self, operations, first_day, length):
        programmes, partners, areas, coordinator = self.world()

        def fields(c: dict) -> dict:
            return {
                "programme": programmes[c["programme"]],
                "organisation": partners[c["organisation"]],
                "channel": c["channel"],
                "date": FIRST + timedelta(days=c["day"]),
                "headcount": c["headcount"],
                "area": None if c["area"] is None else areas[c["area"]],
                "exploitation": c["exploitation"],
                "nationality": c["nationality"],
                "gender": c["gender"],
            }

        with scopes_disabled():
            for kind, *args in operations:
                filed = list(Contact.objects.order_by("id"))
                if kind == "file":
                    Contact.objects.create(**fields(args[0]))
                elif kind == "bulk":
                    Contact.objects.bulk_create([Contact(**fields(c)) for c in args[0]])
                elif kind == "import":
                    rows = [
                        {
                            "date": (FIRST + timedelta(days=c["day"])).isoformat(),
                            "organisation": partners[c["organisation"]].code,
                            "channel": c["channel"],
                            "headcount": c["headcount"],
                            "area": "" if c["area"] is None else areas[c["area"]].code,
                            "exploitation": c["exploitation"],
                            "nationality": c["nationality"],
                            "gender": c["gender"],
                        }
                        for c in args[0]
                    ]
                    with (
                        mock.patch.object(importing, "CHUNK_ROWS", args[1]),
                        mock.patch.object(tally, "IN_BULK", 2),
                    ):
                        run_import(
                            "contacts", _csv(rows), "contacts.csv", force=True, options={"programme": programmes[0]}
                        )
                elif kind == "outing":
                    first = fields(args[0][0])
                    outing = Outing.objects.create(
                        programme=first["programme"],
                        organisation=first["organisation"],
                        date=first["date"],
                        area=first["area"] or areas[0],
                        created_by=coordinator,
                    )
                    for c in args[0]:
                        values = fields(c) | {"programme": outing.programme, "organisation": outing.organisation}
                        Contact.objects.create(**values | {"channel": "street", "date": outing.date, "outing": outing})
                elif kind == "change" and filed:
                    changed = filed[args[0] % len(filed)]
                    for name, value in fields(args[1]).items():
                        if name != "channel" or changed.outing_id is None:
                            setattr(changed, name, value)
                    changed.save()
                elif kind == "change_many":
                    since = FIRST + timedelta(days=args[0])
                    new = fields(args[2])
                    Contact.objects.filter(date__gte=since, date__lte=since + timedelta(days=args[1])).update(
                        area=new["area"], gender=new["gender"], headcount=new["headcount"], date=new["date"]
                    )
                elif kind == "delete" and filed:
                    filed[args[0] % len(filed)].delete()
                elif kind == "delete_many":
                    since = FIRST + timedelta(days=args[0])
                    Contact.objects.filter(date__gte=since, date__lte=since + timedelta(days=args[1])).delete()
                elif kind == "delete_outing":
                    outings = list(Outing.objects.order_by("id"))
                    if outings:
                        outings[args[0] % len(outings)].delete()

        assert _table() == _by_hand()
        call_command("rebuild_figures", stdout=io.StringIO())
        assert _table() == _by_hand()

        start = FIRST + timedelta(days=first_day)
        end = start + timedelta(days=length)
        with acting(coordinator):
            board = dashboard(actor=coordinator, start=start, end=end)
        self.check_dashboard(board, programmes[0].pk, start, end)

    def check_dashboard(self, board, programme: int, start: date, end: date) -> None:
        where = " FROM outreach_contact WHERE programme_id = %s AND date >= %s AND date <= %s"
        columns = {
            "area": "(SELECT code FROM network_area a WHERE a.id = area_id)",
            "organisation": "(SELECT code FROM network_organisation o WHERE o.id = organisation_id)",
            "channel": "channel",
            "exploitation": "exploitation",
            "nationality": "nationality",
            "gender": "gender",
        }
        tables = {table.key: table for table in board.breakdowns}
        for dimension, column in columns.items():
            table = tables[dimension]
            got = {row.code: row.cells[0].value for row in table.rows if row.cells[0].value}
            expected = _sql(f"SELECT COALESCE({column}, ''), SUM(headcount){where} GROUP BY 1", programme, start, end)
            assert got == {k: v for k, v in expected.items() if v}, dimension
            if "street" in [m.code for m in table.columns]:
                for channel, measure in MEASURES.items():
                    n = [m.code for m in table.columns].index(measure)
                    got = {row.code: row.cells[n].value for row in table.rows if row.cells[n].value}
                    expected = _sql(
                        f"SELECT COALESCE({column}, ''), SUM(headcount){where} AND channel = %s GROUP BY 1",
                        programme,
                        start,
                        end,
                        channel,
                    )
                    assert got == expected, (dimension, channel)
        for channel, measure in MEASURES.items():
            total = _sql(
                f"SELECT channel, SUM(headcount){where} AND channel = %s GROUP BY 1", programme, start, end, channel
            )
            assert board.figures[measure] == total.get(channel, 0)
            n = [m.code for m in board.monthly.columns].index(measure)
            by_month = {row.code: row.cells[n].value for row in board.monthly.rows if row.cells[n].value}
            month = "strftime('%%Y-%%m', date)" if connection.vendor == "sqlite" else "to_char(date, 'YYYY-MM')"
            expected = _sql(
                f"SELECT {month}, SUM(headcount){where} AND channel = %s GROUP BY 1", programme, start, end, channel
            )
            assert by_month == expected, channel


@pytest.mark.django_db
def test_the_triggers_are_installed():
    """A migration that rebuilds ``outreach_contact`` on SQLite drops its triggers: this says so at once."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'outreach_contact'")
        else:
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE tgrelid = 'outreach_contact'::regclass AND NOT tgisinternal"
            )
        names = {name for (name,) in cursor.fetchall()}
    assert set(tally.SQLITE) <= names


@pytest.mark.django_db
def test_a_file_in_chunks_adds_its_tally_once_and_a_failed_one_nothing(monkeypatch):
    """Chunks added in one grouped statement each (SQLite sets its row trigger aside meanwhile): the tally is the
    contacts'; a file refused in its last chunk leaves the tally as it was and the trigger in place."""
    programmes, partners, areas, _coordinator = TestTheTallyIsTheContacts.world(None)
    monkeypatch.setattr(importing, "CHUNK_ROWS", 3)
    monkeypatch.setattr(tally, "IN_BULK", 2)
    rows = [
        {
            "date": (FIRST + timedelta(days=i * 17)).isoformat(),
            "organisation": partners[i % 3].code,
            "channel": CHANNELS[i % 2],
            "headcount": 1 + i % 3,
            "area": "" if i % 4 == 0 else areas[i % 2].code,
            "exploitation": EXPLOITATIONS[i % 4],
            "nationality": NATIONALITIES[i % 4],
            "gender": GENDERS[i % 4],
        }
        for i in range(10)
    ]
    with scopes_disabled():
        Contact.objects.create(
            programme=programmes[0], organisation=partners[0], channel="street", date=FIRST, headcount=2
        )
        run_import("contacts", _csv(rows), "contacts.csv", options={"programme": programmes[0]})
        assert Contact.objects.count() == 11
        assert _table() == _by_hand()
        before = _table()
        bad = [*rows, {**rows[0], "channel": "bus"}]
        with pytest.raises(ImportFailed):
            run_import("contacts", _csv(bad), "bad.csv", options={"programme": programmes[0]})
        assert _table() == before == _by_hand()
        Contact.objects.create(programme=programmes[0], organisation=partners[1], channel="indoor", date=FIRST)
        assert _table() == _by_hand()  # the row trigger is back
    test_the_triggers_are_installed()


def test_whole_months():
    assert tally.whole_months(date(2024, 1, 1), date(2024, 12, 31)) == (date(2024, 1, 1), date(2024, 12, 1))
    assert tally.whole_months(date(2024, 1, 2), date(2024, 3, 30)) == (date(2024, 2, 1), date(2024, 2, 1))
    assert tally.whole_months(date(2024, 1, 2), date(2024, 2, 28)) is None
    assert tally.whole_months(date(2024, 2, 1), date(2024, 2, 29)) == (date(2024, 2, 1), date(2024, 2, 1))
