"""The floor of the outreach counts page (``outreach.selectors.counts``): its figures from hand-written SQL, in one
statement, written from the counting rules of DESIGN.md §9 and not from the selectors.

    from bench._counts_floor import counts_floor
    counts_floor(programme_pk, organisation_pks, date(2024, 12, 1), date(2025, 11, 30))             # COUNT(DISTINCT)
    counts_floor(programme_pk, organisation_pks, date(2024, 12, 1), date(2025, 11, 30), grouped=True)  # two levels

A contact figure is the sum of headcounts; a person figure the distinct non-empty person codes; a referral without
a code is a person of its own, and only referrals from bodies count. ``grouped``: each distinct count as groups of
(value, code) counted, instead of ``COUNT(DISTINCT)``. ``combined``: the selector's way in hand-written SQL — the
people from one pass grouped by code (each person's values joined, counted by combination, split in Python), the
contacts by dimension from the monthly tally (whole months only: the period must start and end on a month's edges),
the totals in one aggregate; the floor is the fastest of the three on each database.
``organisation_pks``: the acting user's scope (a coordinator's is the programme's organisations), which the
selector filters by too. The answer has the shape of the selector's, so the two can be compared with ``==``.
"""

from __future__ import annotations

from datetime import date

DIMENSIONS = ("channel", "gender", "nationality", "exploitation")
CHANNELS = {"street_contacts": "street", "indoor_contacts": "indoor", "low_threshold_accesses": "drop_in"}
NOT_FROM_BODIES = ("self", "outreach")


def _statement(grouped: bool) -> tuple[str, int]:
    where = "c.programme_id = %s AND c.organisation_id IN ({orgs}) AND c.date >= %s AND c.date <= %s"
    person = "SUM(CASE WHEN x.code <> '' THEN 1 ELSE 0 END)"
    if grouped:
        total = (
            f"SELECT 0 AS d, NULL AS value, SUM(x.h), {person}, SUM(x.a), SUM(x.f), SUM(x.r) FROM ("
            "SELECT c.person_code AS code, SUM(c.headcount) AS h, "
            "SUM(CASE WHEN c.person_code = '' THEN c.headcount ELSE 0 END) AS a, "
            "SUM(CASE WHEN c.first_contact THEN c.headcount ELSE 0 END) AS f, "
            "SUM(CASE WHEN NOT c.first_contact THEN c.headcount ELSE 0 END) AS r "
            f"FROM outreach_contact c WHERE {where} GROUP BY c.person_code) x"
        )
        split = [
            f"SELECT {i}, x.value, SUM(x.h), {person}, 0, 0, 0 FROM (SELECT c.{d} AS value, c.person_code AS code, "
            f"SUM(c.headcount) AS h FROM outreach_contact c WHERE {where} GROUP BY c.{d}, c.person_code) x "
            "GROUP BY x.value"
            for i, d in enumerate(DIMENSIONS, start=1)
        ]
    else:
        distinct = "COUNT(DISTINCT CASE WHEN c.person_code <> '' THEN c.person_code END)"
        total = (
            f"SELECT 0 AS d, NULL AS value, SUM(c.headcount), {distinct}, "
            "SUM(CASE WHEN c.person_code = '' THEN c.headcount ELSE 0 END), "
            "SUM(CASE WHEN c.first_contact THEN c.headcount ELSE 0 END), "
            f"SUM(CASE WHEN NOT c.first_contact THEN c.headcount ELSE 0 END) FROM outreach_contact c WHERE {where}"
        )
        split = [
            f"SELECT {i}, c.{d}, SUM(c.headcount), {distinct}, 0, 0, 0 FROM outreach_contact c WHERE {where} "
            f"GROUP BY c.{d}"
            for i, d in enumerate(DIMENSIONS, start=1)
        ]
    referred = (
        "SELECT 9, NULL, COUNT(DISTINCT CASE WHEN r.person_code <> '' THEN r.person_code END) "
        "+ SUM(CASE WHEN r.person_code = '' THEN 1 ELSE 0 END), 0, 0, 0, 0 FROM outreach_referral r "
        "WHERE r.programme_id = %s AND r.organisation_id IN ({orgs}) AND r.date >= %s AND r.date <= %s "
        f"AND r.source_type NOT IN ('{NOT_FROM_BODIES[0]}', '{NOT_FROM_BODIES[1]}')"
    )
    parts = [total, *split, referred]
    return " UNION ALL ".join(parts) + " ORDER BY 1, 3 DESC, 2", len(parts)


def _combined(programme_pk: int, orgs: str, a, b, referred_sql: str) -> dict:
    from collections import Counter

    from django.db import connection

    joined = "group_concat({0})" if connection.vendor == "sqlite" else "string_agg({0}, ',')"
    where = f"c.programme_id = %s AND c.organisation_id IN ({orgs}) AND c.date >= %s AND c.date <= %s"
    met = ", ".join(joined.format(f"c.{d}") + f" AS m{i}" for i, d in enumerate(DIMENSIONS))
    columns = ", ".join(f"x.m{i}" for i in range(len(DIMENSIONS)))
    people_sql = (
        f"SELECT {columns}, COUNT(*) FROM (SELECT {met} FROM outreach_contact c WHERE {where} "
        f"AND c.person_code <> '' GROUP BY c.person_code) x GROUP BY {columns}"
    )
    totals_sql = (
        "SELECT SUM(c.headcount), SUM(CASE WHEN c.person_code = '' THEN c.headcount ELSE 0 END), "
        "SUM(CASE WHEN c.first_contact THEN c.headcount ELSE 0 END), "
        f"SUM(CASE WHEN NOT c.first_contact THEN c.headcount ELSE 0 END) FROM outreach_contact c WHERE {where}"
    )
    tally_sql = (
        "SELECT t.channel, t.dimension, t.value, SUM(t.contacts) FROM outreach_contacttally t "
        f"WHERE t.programme_id = %s AND t.organisation_id IN ({orgs}) AND t.month >= %s AND t.month <= %s "
        "AND t.dimension IN ('gender', 'nationality', 'exploitation') GROUP BY t.channel, t.dimension, t.value"
    )
    with connection.cursor() as cursor:
        cursor.execute(people_sql, [programme_pk, a, b])
        combinations = cursor.fetchall()
        cursor.execute(totals_sql, [programme_pk, a, b])
        contacts, anonymous, first, repeat = (int(v or 0) for v in cursor.fetchone())
        cursor.execute(tally_sql, [programme_pk, a, b])
        tallied = cursor.fetchall()
        cursor.execute(referred_sql, [programme_pk, a, b])
        referred = int(cursor.fetchone()[2] or 0)
    people = {d: Counter() for d in DIMENSIONS}
    everyone = 0
    for *values, n in combinations:
        everyone += n
        for d, joined_values in zip(DIMENSIONS, values, strict=True):
            for value in set(joined_values.split(",")):
                people[d][value] += n
    summed = {d: Counter() for d in DIMENSIONS}
    for channel, dimension, value, n in tallied:
        summed[dimension][value] += int(n)
        if dimension == "gender":
            summed["channel"][channel] += int(n)
    result: dict = {
        "totals": {"contacts": contacts, "people": everyone, "anonymous": anonymous, "first": first, "repeat": repeat}
    }
    for d in DIMENSIONS:
        ordered = sorted(summed[d].items(), key=lambda item: (-item[1], item[0]))
        result[f"by_{d}"] = [{d: v, "contacts": n, "people": people[d][v]} for v, n in ordered]
    result["figures"] = {name: summed["channel"].get(channel, 0) for name, channel in CHANNELS.items()}
    result["figures"]["persons_referred_by_bodies"] = referred
    return result


def counts_floor(
    programme_pk: int,
    organisation_pks: list[int],
    start: date,
    end: date,
    *,
    grouped: bool = False,
    combined: bool = False,
):
    from django.db import connection

    statement, parts = _statement(grouped)
    orgs = ", ".join(str(int(pk)) for pk in organisation_pks)
    a, b = connection.ops.adapt_datefield_value(start), connection.ops.adapt_datefield_value(end)
    if combined:
        referred_sql = statement.split(" UNION ALL ")[-1].split(" ORDER BY ")[0].replace("{orgs}", orgs)
        return _combined(programme_pk, orgs, a, b, referred_sql)
    with connection.cursor() as cursor:
        cursor.execute(statement.replace("{orgs}", orgs), [programme_pk, a, b] * parts)
        found = cursor.fetchall()
    result: dict = {f"by_{d}": [] for d in DIMENSIONS}
    for d, value, n, people, anonymous, first, repeat in found:
        if d == 0:
            keys = ("contacts", "people", "anonymous", "first", "repeat")
            result["totals"] = {
                k: int(v or 0) for k, v in zip(keys, (n, people, anonymous, first, repeat), strict=True)
            }
        elif d == 9:
            referred = int(n or 0)
        else:
            result[f"by_{DIMENSIONS[d - 1]}"].append(
                {DIMENSIONS[d - 1]: value, "contacts": int(n), "people": int(people)}
            )
    by_channel = {row["channel"]: row["contacts"] for row in result["by_channel"]}
    result["figures"] = {name: by_channel.get(channel, 0) for name, channel in CHANNELS.items()}
    result["figures"]["persons_referred_by_bodies"] = referred
    return result
