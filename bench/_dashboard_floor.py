"""The floor of ``bench/dashboard_scale.py``: the dashboard's and the occupancy page's figures from hand-written SQL,
one statement per figure family (contacts by place, by person, by month; referrals; stays; capacity), added up in
Python, written from the counting rules of DESIGN.md §9 and not from the selectors. Two floors for the dashboard: the
contacts' families from the contacts' rows (the rule itself), or from the monthly tally the page reads. ``shape``
puts the selectors' answers in the same form, so the two can be compared.

The floor filters by programme only; the selectors run inside a coordinator's scope, which also filters by the
programme's organisations.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, timedelta


def _sql(statement: str, params: list) -> list[tuple]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            statement, [connection.ops.adapt_datefield_value(p) if isinstance(p, date) else p for p in params]
        )
        return cursor.fetchall()


TRAINING_SQL = """
SELECT COUNT(DISTINCT e.id), COALESCE(SUM(p.participants), 0), COUNT(DISTINCT p.body_id),
       COUNT(DISTINCT CASE WHEN p.id IS NOT NULL AND p.body_id IS NULL THEN LOWER(p.organisation_name) END)
FROM training_event e LEFT JOIN training_participation p ON p.event_id = e.id
WHERE e.programme_id = %s AND e.date >= %s AND e.date <= %s
"""


def training_floor(programme_pk: int, start: date, end: date) -> dict[str, int]:
    """Training events, their participants and the bodies they came from, in one hand-written statement."""
    from django.db import connection

    a, b = connection.ops.adapt_datefield_value(start), connection.ops.adapt_datefield_value(end)
    with connection.cursor() as cursor:
        cursor.execute(TRAINING_SQL, [programme_pk, a, b])
        events, participants, directory, typed = (int(v) for v in cursor.fetchone())
    return {"events": events, "participants": participants, "bodies": directory + typed}


def _dialect() -> dict[str, str]:
    from django.db import connection

    if connection.vendor == "sqlite":
        return {
            "month": "substr({0}, 1, 7)",
            "days": "CAST(julianday({0}) - julianday({1}) AS INTEGER)",
            "max": "MAX",
            "min": "MIN",
        }
    return {"month": "to_char({0}, 'YYYY-MM')", "days": "({0} - {1})", "max": "GREATEST", "min": "LEAST"}


def _tables() -> dict[str, str]:
    from approdi.network.models import Area, Organisation
    from approdi.outreach.models import Contact, ContactTally, Referral
    from approdi.people.models import Person
    from approdi.shelter.models import CapacityChange, Placement, Structure

    return {
        "contact": Contact._meta.db_table,
        "tally": ContactTally._meta.db_table,
        "referral": Referral._meta.db_table,
        "area": Area._meta.db_table,
        "org": Organisation._meta.db_table,
        "person": Person._meta.db_table,
        "placement": Placement._meta.db_table,
        "structure": Structure._meta.db_table,
        "programmes": Structure.programmes.through._meta.db_table,
        "change": CapacityChange._meta.db_table,
    }


CHANNELS = {"street": "street", "indoor": "indoor", "drop_in": "drop_in"}


def _add(split: dict, dimension: str, code: str | None, name: str | None, counted: dict) -> None:
    names, values = split.setdefault(dimension, ({}, defaultdict(Counter)))
    names.setdefault(code or "", name or "")
    values[code or ""].update(counted)


def _contacts(t: dict, d: dict, p: int, start: date, end: date, split: dict, months: dict) -> None:
    where = '"programme_id" = %s AND "date" >= %s AND "date" <= %s'
    by_place = _sql(
        f'SELECT a."code", a."name", o."code", o."name", g."channel", g.n FROM (SELECT "area_id", "organisation_id", '
        f'"channel", SUM("headcount") AS n FROM "{t["contact"]}" WHERE {where} GROUP BY 1, 2, 3) AS g '
        f'LEFT JOIN "{t["area"]}" AS a ON a."id" = g."area_id" JOIN "{t["org"]}" AS o ON o."id" = g."organisation_id"',
        [p, start, end],
    )
    for area, area_name, org, org_name, channel, n in by_place:
        counted = {"contacts": n, CHANNELS[channel]: n}
        _add(split, "area", area, area_name, counted)
        _add(split, "organisation", org, org_name, counted)
        _add(split, "channel", channel, "", {"contacts": n})
    by_person = _sql(
        f'SELECT "exploitation", "nationality", "gender", SUM("headcount") FROM "{t["contact"]}" '
        f"WHERE {where} GROUP BY 1, 2, 3",
        [p, start, end],
    )
    for exploitation, nationality, gender, n in by_person:
        counted = {"contacts": n}  # the tables by person have no column per channel
        for dimension, code in (("exploitation", exploitation), ("nationality", nationality), ("gender", gender)):
            _add(split, dimension, code, "", counted)
    month = d["month"].format('"date"')
    for key, channel, n in _sql(
        f'SELECT {month}, "channel", SUM("headcount") FROM "{t["contact"]}" WHERE {where} GROUP BY 1, 2',
        [p, start, end],
    ):
        months[key][CHANNELS[channel]] += n
    for key, n in _sql(f'SELECT {month}, COUNT(*) FROM "{t["referral"]}" WHERE {where} GROUP BY 1', [p, start, end]):
        months[key]["referrals"] += n


def _contacts_tallied(t: dict, p: int, start: date, end: date, split: dict, months: dict) -> None:
    """The contact families of ``_contacts`` from the monthly tally: three statements over its rows (whole months)."""
    if start.day != 1 or (end + timedelta(days=1)).day != 1:
        raise SystemExit("the tally's floor is written for whole months")
    where = '"programme_id" = %s AND "month" >= %s AND "month" <= %s'
    params = [p, start, end]
    by_place = _sql(
        f'SELECT a."code", a."name", o."code", o."name", g."channel", g.n FROM (SELECT "value", "organisation_id", '
        f'"channel", SUM("contacts") AS n FROM "{t["tally"]}" WHERE {where} AND "dimension" = \'area\' '
        f'GROUP BY 1, 2, 3) AS g LEFT JOIN "{t["area"]}" AS a ON CAST(a."id" AS TEXT) = g."value" '
        f'JOIN "{t["org"]}" AS o ON o."id" = g."organisation_id"',
        params,
    )
    for area, area_name, org, org_name, channel, n in by_place:
        counted = {"contacts": n, CHANNELS[channel]: n}
        _add(split, "area", area, area_name, counted)
        _add(split, "organisation", org, org_name, counted)
        _add(split, "channel", channel, "", {"contacts": n})
    by_person = _sql(
        f'SELECT "dimension", "value", SUM("contacts") FROM "{t["tally"]}" WHERE {where} '
        f"AND \"dimension\" <> 'area' GROUP BY 1, 2",
        params,
    )
    for dimension, code, n in by_person:
        _add(split, dimension, code, "", {"contacts": n})
    month = _dialect()["month"].format('"month"')
    for key, channel, n in _sql(
        f'SELECT {month}, "channel", SUM("contacts") FROM "{t["tally"]}" WHERE {where} AND "dimension" = \'area\' '
        "GROUP BY 1, 2",
        params,
    ):
        months[key][CHANNELS[channel]] += n
    dated = '"programme_id" = %s AND "date" >= %s AND "date" <= %s'
    day_month = _dialect()["month"].format('"date"')
    for key, n in _sql(f'SELECT {day_month}, COUNT(*) FROM "{t["referral"]}" WHERE {dated} GROUP BY 1', params):
        months[key]["referrals"] += n


def _referred(t: dict, p: int, start: date, end: date, split: dict) -> int:
    """Distinct codes plus one per referral without a code, among referrals from other bodies (§9)."""
    rows = _sql(
        f'SELECT o."code", o."name", r."exploitation", r."nationality", r."gender", r."person_code", COUNT(*) '
        f'FROM "{t["referral"]}" AS r JOIN "{t["org"]}" AS o ON o."id" = r."organisation_id" '
        f'WHERE r."programme_id" = %s AND r."date" >= %s AND r."date" <= %s '
        f"AND r.\"source_type\" NOT IN ('self', 'outreach') GROUP BY 1, 2, 3, 4, 5, 6",
        [p, start, end],
    )
    people: dict[tuple, set] = defaultdict(set)
    anonymous: Counter = Counter()
    for org, org_name, exploitation, nationality, gender, code, n in rows:
        for key in (
            ("organisation", org),
            ("exploitation", exploitation),
            ("nationality", nationality),
            ("gender", gender),
            ("", ""),
        ):
            if code:
                people[key].add(code)
            else:
                anonymous[key] += n
        _add(split, "organisation", org, org_name, {})
        for dimension, value in (("exploitation", exploitation), ("nationality", nationality), ("gender", gender)):
            _add(split, dimension, value, "", {})
    for (dimension, value), codes in people.items():
        if dimension:
            split[dimension][1][value or ""]["referred"] += len(codes)
    for (dimension, value), n in anonymous.items():
        if dimension:
            split[dimension][1][value or ""]["referred"] += n
    return len(people[("", "")]) + anonymous[("", "")]


def _hosted(t: dict, d: dict, p: int, start: date, end: date, split: dict, months: dict) -> dict:
    rows = _sql(
        f'SELECT DISTINCT pl."person_id", a."code", a."name", o."code", o."name", s."type", pe."gender", '
        f'pe."nationality" FROM "{t["placement"]}" AS pl JOIN "{t["structure"]}" AS s ON s."id" = pl."structure_id" '
        f'JOIN "{t["area"]}" AS a ON a."id" = s."area_id" JOIN "{t["org"]}" AS o ON o."id" = s."organisation_id" '
        f'JOIN "{t["person"]}" AS pe ON pe."id" = pl."person_id" WHERE pl."programme_id" = %s AND pl."start" <= %s '
        f'AND (pl."end" IS NULL OR pl."end" >= %s)',
        [p, end, start],
    )
    people: dict[tuple, set] = defaultdict(set)
    for person, area, area_name, org, org_name, type_, gender, nationality in rows:
        for key in (
            ("area", area, area_name),
            ("organisation", org, org_name),
            ("structure_type", type_, ""),
            ("gender", gender, ""),
            ("nationality", nationality, ""),
            ("", "", ""),
        ):
            people[key].add(person)
    for (dimension, value, name), ids in people.items():
        if dimension:
            _add(split, dimension, value, name, {"reception": len(ids)})
    first = d["month"].format("f.first")
    for key, n in _sql(
        f'SELECT {first}, COUNT(*) FROM (SELECT "person_id", MIN("start") AS first FROM "{t["placement"]}" '
        f'WHERE "programme_id" = %s GROUP BY 1) AS f WHERE f.first >= %s AND f.first <= %s GROUP BY 1',
        [p, start, end],
    ):
        months[key]["new_reception"] += n
    everyone = people[("", "", "")]
    genders = Counter(g for (dimension, g, _n), ids in people.items() if dimension == "gender" for _ in ids)
    return {
        "women": genders["woman"],
        "men": genders["man"],
        "transgender": genders["trans_woman"] + genders["trans_man"],
        "total": len(everyone),
    }


def _capacity_nights(t: dict, p: int, start: date, end: date) -> dict[int, tuple[str, str, int]]:
    """{structure: (code, type, beds summed over the days)}: open days only, each change from its own day on."""
    structures = _sql(
        f'SELECT s."id", s."code", s."type", s."beds", s."open_from", s."open_to" FROM "{t["structure"]}" AS s '
        f'JOIN "{t["programmes"]}" AS sp ON sp."structure_id" = s."id" WHERE sp."programme_id" = %s',
        [p],
    )
    changes: dict[int, list] = defaultdict(list)
    for structure, day, beds in _sql(
        f'SELECT c."structure_id", c."date", c."beds" FROM "{t["change"]}" AS c JOIN "{t["programmes"]}" AS sp '
        f'ON sp."structure_id" = c."structure_id" WHERE sp."programme_id" = %s AND c."date" <= %s ORDER BY 1, 2',
        [p, end],
    ):
        changes[structure].append((_day(day), beds))
    nights = {}
    for pk, code, type_, beds, open_from, open_to in structures:
        first, last = max(start, _day(open_from) or start), min(end, _day(open_to) or end)
        total = 0
        # The beds of each day from ``first`` to ``last``: a step at every change, the structure's own before any.
        steps = [(first, beds)] + [(when, b) for when, b in changes[pk] if when > first]
        for when, b in changes[pk]:
            if when <= first:
                steps[0] = (first, b)
        for (since, b), (until, _next) in zip(steps, [*steps[1:], (last + timedelta(days=1), 0)], strict=True):
            total += b * max((min(until, last + timedelta(days=1)) - since).days, 0)
        nights[pk] = (code, type_, total if first <= last else 0)
    return nights


def _day(value) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) else value


def _capacity(t: dict, p: int, end: date) -> dict:
    from approdi.shelter.models import RESERVED_PLACE_TYPES

    rows = _sql(
        f'SELECT o."type", COUNT(*), SUM(o.beds) FROM (SELECT s."type", COALESCE((SELECT c."beds" FROM "{t["change"]}" '
        f'AS c WHERE c."structure_id" = s."id" AND c."date" <= %s ORDER BY c."date" DESC LIMIT 1), s."beds") AS beds '
        f'FROM "{t["structure"]}" AS s JOIN "{t["programmes"]}" AS sp ON sp."structure_id" = s."id" '
        f'WHERE sp."programme_id" = %s AND (s."open_from" IS NULL OR s."open_from" <= %s) '
        f'AND (s."open_to" IS NULL OR s."open_to" >= %s)) AS o WHERE o.beds > 0 GROUP BY 1',
        [end, p, end, end],
    )
    return {type_: (0 if type_ in RESERVED_PLACE_TYPES else n, beds) for type_, n, beds in rows}


def occupancy(programme, start: date, end: date) -> dict:
    t, d = _tables(), _dialect()
    p, after = programme.pk, end + timedelta(days=1)
    stay_end = 'COALESCE(pl."end", %s)'
    nights = d["days"].format(f"{d['min']}({stay_end}, %s)", f'{d["max"]}(pl."start", %s)')
    length = d["days"].format(stay_end, 'pl."start"')
    rows = _sql(
        f'SELECT pl."structure_id", pl."stage", SUM({d["max"]}({nights}, 0)), SUM({length}), COUNT(*) '
        f'FROM "{t["placement"]}" AS pl WHERE pl."programme_id" = %s AND pl."start" <= %s '
        f'AND (pl."end" IS NULL OR pl."end" >= %s) GROUP BY 1, 2',
        [after, after, start, after, p, end, start],
    )
    used: Counter = Counter()
    stays: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for structure, stage, spent, days, n in rows:
        used[structure] += spent
        stays[stage][0] += days
        stays[stage][1] += n
    genders = _sql(
        f"SELECT COALESCE(NULLIF(pe.\"gender\", ''), 'unknown'), COUNT(DISTINCT pl.\"person_id\") "
        f'FROM "{t["placement"]}" AS pl JOIN "{t["person"]}" AS pe ON pe."id" = pl."person_id" '
        f'WHERE pl."programme_id" = %s AND pl."start" <= %s AND (pl."end" IS NULL OR pl."end" >= %s) GROUP BY 1',
        [p, end, start],
    )
    by_structure, by_type = {}, defaultdict(lambda: [0, 0])
    for pk, (code, type_, capacity) in _capacity_nights(t, p, start, end).items():
        by_structure[code] = (used[pk], capacity)
        by_type[type_][0] += used[pk]
        by_type[type_][1] += capacity
    return {
        "by_structure": by_structure,
        "by_type": {k: tuple(v) for k, v in by_type.items()},
        "average_stay": {stage: round(total / n, 1) for stage, (total, n) in stays.items()},
        "people_by_gender": dict(genders),
        "capacity": _capacity(t, p, end),
    }


def dashboard(programme, start: date, end: date, *, tallied: bool = False) -> dict:
    """The dashboard's figures; ``tallied``: its contacts from the monthly tally (ContactTally), as the page reads
    them, instead of the contacts' rows."""
    t, d = _tables(), _dialect()
    p = programme.pk
    split: dict = {}
    months: dict[str, Counter] = defaultdict(Counter)
    if tallied:
        _contacts_tallied(t, p, start, end, split, months)
    else:
        _contacts(t, d, p, start, end, split, months)
    referred = _referred(t, p, start, end, split)
    reception = _hosted(t, d, p, start, end, split, months)
    used = occupancy(programme, start, end)
    street, indoor, drop_in = (split["channel"][1][c]["contacts"] for c in CHANNELS)
    totals = {
        "street": street,
        "indoor": indoor,
        "drop_in": drop_in,
        "referred": referred,
        "reception": reception["total"],
        "contacts": street + indoor + drop_in,
    } | {f"training_{key}": value for key, value in training_floor(p, start, end).items()}
    return {
        "totals": totals,
        "reception_by_gender": reception,
        "months": {k: dict(+v) for k, v in sorted(months.items())},
        "breakdowns": {
            dimension: {code: dict(+values[code]) for code in names if +values[code]}
            for dimension, (names, values) in sorted(split.items())
        },
        "occupancy": {k: v for k, v in used["by_type"].items()},
        "capacity": used["capacity"],
    }


# --- the selectors' answers in the floor's form ----------------------------------------------------------------------


def shape(page: str, result) -> dict:
    if page == "occupancy":
        used, (table, _total) = result
        return {
            "by_structure": {
                r["structure"].code: (r["bed_nights"], r["capacity_nights"]) for r in used["by_structure"]
            },
            "by_type": {r["type"]: (r["bed_nights"], r["capacity_nights"]) for r in used["by_type"]},
            "average_stay": used["average_stay"],
            "people_by_gender": used["people_by_gender"],
            "capacity": {r["type"]: (r["structures"], r["beds"]) for r in table if r["beds"]},
        }
    breakdowns: dict[str, dict] = {}
    for table in result.breakdowns:
        for row in table.rows:
            for measure, cell in zip(table.columns, row.cells, strict=True):
                if cell.value:
                    breakdowns.setdefault(table.key, {}).setdefault(row.code, {})[measure.code] = cell.value
                else:
                    breakdowns.setdefault(table.key, {}).setdefault(row.code, {})
    for row in result.occupancy:  # people by type of structure, as the floor counts them with the other splits
        if row["people"].value:
            breakdowns.setdefault("structure_type", {}).setdefault(row["type"], {})["reception"] = row["people"].value
    months = {}
    for row in result.monthly.rows:
        values = {m.code: c.value for m, c in zip(result.monthly.columns, row.cells, strict=True) if c.value}
        if values:
            months[row.code] = values
    breakdowns = {key: {code: values for code, values in rows.items() if values} for key, rows in breakdowns.items()}
    return {
        "totals": {k: v for k, v in result.figures.items() if k != "reception_by_gender"},
        "reception_by_gender": result.figures["reception_by_gender"],
        "months": months,
        "breakdowns": breakdowns,
        "occupancy": {r["type"]: (r["bed_nights"], r["capacity_nights"]) for r in result.occupancy},
        "capacity": {r["type"]: (r["structures"], r["beds"]) for r in result.capacity if r["beds"]},
    }
