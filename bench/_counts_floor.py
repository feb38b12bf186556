"""The floor of the outreach counts page (``outreach.selectors.counts``): its figures from hand-written SQL, in one
statement, written from the counting rules of DESIGN.md §9 and not from the selectors.

    from bench._counts_floor import counts_floor
    counts_floor(programme_pk, organisation_pks, date(2024, 12, 1), date(2025, 11, 30))             # COUNT(DISTINCT)
    counts_floor(programme_pk, organisation_pks, date(2024, 12, 1), date(2025, 11, 30), grouped=True)  # two levels

A contact figure is the sum of headcounts; a person figure the distinct non-empty person codes; a referral without
a code is a person of its own, and only referrals from bodies count. ``grouped``: each distinct count as groups of
(value, code) counted, instead of ``COUNT(DISTINCT)``; the floor is the faster of the two on each database.
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


def counts_floor(programme_pk: int, organisation_pks: list[int], start: date, end: date, *, grouped: bool = False):
    from django.db import connection

    statement, parts = _statement(grouped)
    orgs = ", ".join(str(int(pk)) for pk in organisation_pks)
    a, b = connection.ops.adapt_datefield_value(start), connection.ops.adapt_datefield_value(end)
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
