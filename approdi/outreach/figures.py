"""The outreach counting rules of DESIGN.md §9, written once.

A contact figure is the sum of ``headcount`` (an anonymous group of five met at once is five contacts),
never a number of rows; a person figure counts distinct person codes, a record without a code being a
person of its own. The aggregate expressions below are the rules; the funder summary, the dashboard
(totals, breakdowns, months, drill-down), the counts page, the publication tables and the API compose
them over querysets their caller has already scoped, so they cannot drift apart.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from typing import Any

from django.db import connections
from django.db.models import Count, F, Q, QuerySet, Sum

from .codes import NOT_FROM_BODIES, Channel
from .models import Contact, Referral

# The figure of each channel, in the summary's order.
CHANNEL_FIGURES = {
    "street_contacts": Channel.STREET,
    "indoor_contacts": Channel.INDOOR,
    "low_threshold_accesses": Channel.DROP_IN,
}
# Referrals that count as "referred by bodies": neither self-referrals nor the network's own outreach.
FROM_BODIES = ~Q(source_type__in=[s.value for s in NOT_FROM_BODIES])


def _filtered(*conditions: Q | None) -> dict:
    parts = [c for c in conditions if c is not None]
    if not parts:
        return {}
    combined = parts[0]
    for part in parts[1:]:
        combined &= part
    return {"filter": combined}


def dated(rows: QuerySet, start: date, end: date) -> QuerySet:
    """Records dated in the period, both days included."""
    return rows.filter(date__gte=start, date__lte=end)


def contacts(condition: Q | None = None) -> Sum:
    """Contacts: the sum of headcounts (0 when there are none) of the rows matching ``condition``."""
    return Sum("headcount", default=0, **_filtered(condition))


def contacts_of_outing() -> Sum:
    """Contacts of an outing, as an annotation of outings: the sum of its contacts' headcounts."""
    return Sum("contacts__headcount", default=0)


def channel_contacts(channel: str, condition: Q | None = None) -> Sum:
    return contacts(Q(channel=channel) if condition is None else Q(channel=channel) & condition)


def contact_aggregates(condition: Q | None = None) -> dict[str, Sum]:
    """``street_contacts``, ``indoor_contacts``, ``low_threshold_accesses`` as aggregate expressions."""
    return {name: channel_contacts(channel, condition) for name, channel in CHANNEL_FIGURES.items()}


def distinct_codes(*conditions: Q) -> Count:
    """Distinct person codes among the rows (rows without a code are not counted here)."""
    return Count("person_code", distinct=True, **_filtered(~Q(person_code=""), *conditions))


def referred_aggregates(
    prefix: str = "referred", condition: Q | None = None, *, from_bodies_only: bool = False
) -> dict[str, Count]:
    """The two halves of ``persons_referred_by_bodies``; ``referred_value`` adds them up.

    ``from_bodies_only``: the rows are already restricted by ``FROM_BODIES`` (in the WHERE clause, where
    an index serves it), so the aggregates need not test it again.
    """
    bodies = None if from_bodies_only else FROM_BODIES
    return {
        f"{prefix}_coded": distinct_codes(*[c for c in (bodies, condition) if c is not None]),
        # Counting a column of referral_counting, not the id, lets PostgreSQL answer from the index alone.
        f"{prefix}_anonymous": Count("person_code", **_filtered(bodies, Q(person_code=""), condition)),
    }


def referred_value(row: dict, prefix: str = "referred") -> int:
    return (row[f"{prefix}_coded"] or 0) + (row[f"{prefix}_anonymous"] or 0)


def referred_split(referrals: QuerySet[Referral], dimensions: list[str]) -> tuple[int, dict[str, dict[Any, int]]]:
    """``persons_referred_by_bodies`` of ``referrals``, and split by each of ``dimensions``: {dimension: {value: n}}.

    The rule of ``referred_aggregates`` (distinct codes, and a referral without code a person of its own) applied to
    one scan grouped by every dimension and the code at once, instead of one distinct count per dimension.
    """
    grouped = referrals.filter(FROM_BODIES).order_by().values_list(*dimensions, "person_code").annotate(n=Count("*"))
    codes: dict[str, defaultdict[Any, set[str]]] = {d: defaultdict(set) for d in dimensions}
    anonymous: dict[str, defaultdict[Any, int]] = {d: defaultdict(int) for d in dimensions}
    everyone, nameless = set(), 0
    for *values, code, n in grouped:
        if code:
            everyone.add(code)
        else:
            nameless += n
        for dimension, value in zip(dimensions, values, strict=True):
            if code:
                codes[dimension][value].add(code)
            else:
                anonymous[dimension][value] += n
    return len(everyone) + nameless, {
        d: {v: len(codes[d].get(v, ())) + anonymous[d].get(v, 0) for v in codes[d].keys() | anonymous[d].keys()}
        for d in dimensions
    }


def counted_split(rows: QuerySet[Contact], dimensions: Sequence[str]) -> tuple[dict[str, int], dict[str, list[dict]]]:
    """Contacts and distinct people of ``rows``: in total, and by each of ``dimensions`` (most contacts first).

    The totals are ``contacts``, ``people`` (``distinct_codes``), ``anonymous`` (contacts without a code), ``first``
    and ``repeat``; each dimension is a list of ``{dimension: value, "contacts": n, "people": n}``. The rules above,
    counted in one statement: the rows are grouped by value and code first, so a person is one group and the groups
    with a code are the distinct people. PostgreSQL hashes those groups where ``COUNT(DISTINCT)`` sorted every group
    (and compiled each of five statements); SQLite sorts one key per row either way, now read from the covering
    ``contact_counting`` index alone.
    """
    rows = rows.order_by()
    parts = [
        rows.values(code=F("person_code")).annotate(
            contacts=contacts(),
            anonymous=contacts(Q(person_code="")),
            first=contacts(Q(first_contact=True)),
            repeat=contacts(Q(first_contact=False)),
        )
    ]
    parts += [rows.values(value=F(d), code=F("person_code")).annotate(contacts=contacts()) for d in dimensions]
    compiled = [part.query.get_compiler(using=rows.db).as_sql() for part in parts]
    person = "SUM(CASE WHEN x.code <> '' THEN 1 ELSE 0 END)"  # a group with a code is one person
    total = (
        f"SELECT 0 AS d, NULL AS value, SUM(x.contacts) AS contacts, {person} AS people, SUM(x.anonymous), "  # noqa: S608
        f'SUM(x."first"), SUM(x."repeat") FROM ({compiled[0][0]}) x'
    )
    split = [
        f"SELECT {i} AS d, x.value, SUM(x.contacts), {person}, 0, 0, 0 FROM ({sql}) x GROUP BY x.value"  # noqa: S608
        for i, (sql, _params) in enumerate(compiled[1:], start=1)
    ]
    params = [p for _sql, part_params in compiled for p in part_params]
    with connections[rows.db].cursor() as cursor:
        cursor.execute(" UNION ALL ".join([total, *split]) + " ORDER BY 1, 3 DESC, 2", params)
        found = cursor.fetchall()
    totals = dict.fromkeys(("contacts", "people", "anonymous", "first", "repeat"), 0)
    by: dict[str, list[dict]] = {d: [] for d in dimensions}
    for d, value, n, people, anonymous, first, repeat in found:
        if d == 0:
            counted = (n, people, anonymous, first, repeat)
            totals = {k: int(v or 0) for k, v in zip(totals, counted, strict=True)}
        else:
            by[dimensions[d - 1]].append({dimensions[d - 1]: value, "contacts": int(n), "people": int(people)})
    return totals, by


def contact_figures(contacts_rows: QuerySet[Contact], *, start: date, end: date) -> dict[str, int]:
    """Sum of headcounts per channel, for contacts dated in the period (both days included)."""
    return dated(contacts_rows, start, end).aggregate(**contact_aggregates())


def persons_referred_by_bodies(referrals: QuerySet[Referral], *, start: date, end: date) -> int:
    """Distinct people referred by other bodies in the period; a referral without code is a person of its own."""
    # The condition goes in the WHERE clause too, so the database reads only the referrals that count.
    counted = dated(referrals, start, end).filter(FROM_BODIES)
    return referred_value(counted.aggregate(**referred_aggregates(from_bodies_only=True)))


def outreach_figures(
    contacts_rows: QuerySet[Contact], referrals: QuerySet[Referral], *, start: date, end: date
) -> dict[str, int]:
    return {
        **contact_figures(contacts_rows, start=start, end=end),
        "persons_referred_by_bodies": persons_referred_by_bodies(referrals, start=start, end=end),
    }
