"""The outreach counting rules of DESIGN.md §9, written once.

A contact figure is the sum of ``headcount`` (an anonymous group of five met at once is five contacts),
never a number of rows; a person figure counts distinct person codes, a record without a code being a
person of its own. The aggregate expressions below are the rules; the funder summary, the dashboard
(totals, breakdowns, months, drill-down), the counts page, the publication tables and the API compose
them over querysets their caller has already scoped, so they cannot drift apart.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from datetime import date
from typing import Any

from django.db import connections
from django.db.models import Aggregate, CharField, Count, Q, QuerySet, Sum

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


class _Met(Aggregate):
    """The values of a column in a group joined by commas, repeated and in no order: which values a person met."""

    function = "GROUP_CONCAT"
    output_field = CharField()

    def as_postgresql(self, compiler, connection, **extra_context):
        template = "%(function)s(%(expressions)s, ',')"
        return self.as_sql(compiler, connection, function="STRING_AGG", template=template, **extra_context)


def people_split(rows: QuerySet[Contact], dimensions: Sequence[str]) -> tuple[int, dict[str, Counter]]:
    """``distinct_codes`` of ``rows``, and by each of ``dimensions``: (people, {dimension: {value: people}}).

    One statement, one pass: the rows with a code grouped by code, each person's values of every dimension joined,
    and the people counted by those combinations (a few thousand, not a row per person); a person who met several
    values of a dimension counts once under each. ``COUNT(DISTINCT)`` per dimension instead reads and sorts (SQLite)
    or sorts each group (PostgreSQL) the rows once per dimension. The dimensions' values never hold a comma (codes of
    choices and countries).
    """
    met = (
        rows.order_by()
        .exclude(person_code="")
        .values("person_code")
        .annotate(**{f"met{i}": _Met(d) for i, d in enumerate(dimensions)})
    )
    sql, params = met.query.get_compiler(using=rows.db).as_sql()
    columns = ", ".join(f"x.met{i}" for i in range(len(dimensions)))
    with connections[rows.db].cursor() as cursor:
        cursor.execute(f"SELECT {columns}, COUNT(*) FROM ({sql}) x GROUP BY {columns}", params)  # noqa: S608
        found = cursor.fetchall()
    joined: list[Counter] = [Counter() for _ in dimensions]
    everyone = 0
    for *combinations, people in found:
        everyone += people
        for counter, combination in zip(joined, combinations, strict=True):
            counter[combination] += people
    split: dict[str, Counter] = {}
    for dimension, counter in zip(dimensions, joined, strict=True):
        split[dimension] = Counter()
        for combination, people in counter.items():
            for value in set(combination.split(",")):
                split[dimension][value] += people
    return everyone, split


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
