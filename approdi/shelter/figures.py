"""Capacity and occupancy figures (DESIGN.md §9 "capacity" and the shelter issue's occupancy)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, DateField, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce, Greatest, Least

from approdi.core.days import DaysBetween
from approdi.people.models import Person

from .beds import beds_on, capacity_nights, capacity_table
from .models import CapacityChange, Placement, Structure

__all__ = [
    "RECEPTION_GENDERS",
    "beds_on",
    "capacity_table",
    "hosted_people",
    "hosted_split",
    "occupancy",
    "overlapping",
    "reception",
    "reception_of",
]


RECEPTION_GENDERS = {"women": ["woman"], "men": ["man"], "transgender": ["trans_woman", "trans_man"]}


def overlapping(placements: QuerySet[Placement], start: date, end: date) -> QuerySet[Placement]:
    """Stays that overlap the period (both days included): who counts as "in reception" in it."""
    return placements.filter(start__lte=end).filter(Q(end__isnull=True) | Q(end__gte=start))


def hosted_people() -> Count:
    """People in reception, over placements already ``overlapping`` the period: each person once."""
    return Count("person_id", distinct=True)


def hosted_split(stays: QuerySet[Placement], dimensions: list[str]) -> tuple[int, dict[str, dict[Any, int]]]:
    """``hosted_people`` of ``stays``, and split by each of ``dimensions`` ({dimension: {value: people}}).

    Each person once in every value she belongs to, from one scan of the stays' distinct people and values instead of
    one distinct count per dimension.
    """
    people: dict[str, defaultdict[Any, set[int]]] = {d: defaultdict(set) for d in dimensions}
    everyone = set()
    for person, *values in stays.order_by().values_list("person_id", *dimensions).distinct():
        everyone.add(person)
        for dimension, value in zip(dimensions, values, strict=True):
            people[dimension][value].add(person)
    return len(everyone), {d: {value: len(ids) for value, ids in people[d].items()} for d in dimensions}


def reception_of(total: int, people_by_gender: dict[str, int]) -> dict[str, int]:
    """``reception``'s answer from people already counted, in all and by gender (a person has one gender)."""
    counted = {key: sum(people_by_gender.get(g, 0) for g in genders) for key, genders in RECEPTION_GENDERS.items()}
    return {**counted, "total": total}


def reception(placements: QuerySet[Placement], *, start: date, end: date) -> dict[str, int]:
    """Distinct people with a placement overlapping the period, by gender; non-binary and unknown only in the total.

    Each person is read once, by primary key, from the set of people the placements name (the placement_figures index
    gives them without reading a placement): counting distinct placement rows four times costs three times as much.
    """
    people = Person.objects.filter(pk__in=overlapping(placements, start, end).values("person_id"))
    totals = people.aggregate(
        total=Count("pk"),
        **{key: Count("pk", filter=Q(gender__in=genders)) for key, genders in RECEPTION_GENDERS.items()},
    )
    return {
        "women": totals["women"],
        "men": totals["men"],
        "transgender": totals["transgender"],
        "total": totals["total"],
    }


def _bed_nights(stays: QuerySet[Placement], start: date, end: date) -> QuerySet:
    """Per structure and stage: bed-nights in the period, days of the stays (whole), and stays, summed in SQL.

    Nights: from the later of the stay's first day and ``start`` to the earlier of the day she leaves and the day
    after ``end`` (the day she leaves is not a night spent; a move day is one night, in the new bed). A stay's length
    runs from its first day to the day she leaves, or to the day after ``end`` while it goes on.
    """
    after = Value(end + timedelta(days=1), output_field=DateField())
    left = Coalesce("end", after)
    nights = Greatest(DaysBetween(Least(left, after), Greatest("start", Value(start, output_field=DateField()))), 0)
    return (
        stays.order_by()
        .values("structure_id", "stage")
        .annotate(nights=Sum(nights), days=Sum(DaysBetween(left, "start")), stays=Count("pk"))
    )


def occupancy(
    structures: QuerySet[Structure],
    placements: QuerySet[Placement],
    start: date,
    end: date,
    *,
    people_by_gender: bool = True,
) -> dict:
    """Bed-nights and occupancy rate per structure and type, stay lengths per stage, people by gender.

    ``people_by_gender=False`` leaves out the people (a count of distinct people over the period, the costliest
    figure here) for a page that does not show them: ``people_by_gender`` is then empty.

    Counted by the database, a fixed number of queries whatever the period: the stays' nights and lengths in one
    grouped query, the people by gender in another, capacity by intervals of the few structures.
    """
    # The structures' own fields only, and their changes in one plain query: hundreds of structures, each with a
    # prefetched queryset and its organisation and area as objects, cost more than every figure's SQL.
    structure_list = list(structures.select_related(None).only("code", "type", "beds", "open_from", "open_to"))
    changes: defaultdict[int, list[CapacityChange]] = defaultdict(list)
    for structure_id, day, beds in (
        CapacityChange.objects.filter(structure_id__in=[s.pk for s in structure_list], date__lte=end)
        .order_by("date")  # of two changes on one day, the first listed wins (beds.capacity_nights)
        .values_list("structure_id", "date", "beds")
    ):
        changes[structure_id].append(CapacityChange(date=day, beds=beds))
    nights_open = {s.pk: capacity_nights(s, start, end, changes[s.pk]) for s in structure_list}
    stays = overlapping(placements, start, end)
    used: defaultdict[int, int] = defaultdict(int)
    lengths: defaultdict[str, list[int]] = defaultdict(lambda: [0, 0])
    for row in _bed_nights(stays, start, end):
        used[row["structure_id"]] += row["nights"]
        lengths[row["stage"]][0] += row["days"]
        lengths[row["stage"]][1] += row["stays"]
    genders: defaultdict[str, int] = defaultdict(int)
    # A person has one gender: the people of the groups "" and NULL, both "unknown", are different people.
    for row in stays.order_by().values("person__gender").annotate(people=hosted_people()) if people_by_gender else ():
        genders[row["person__gender"] or "unknown"] += row["people"]
    by_structure = []
    by_type: defaultdict[str, dict[str, int]] = defaultdict(lambda: {"bed_nights": 0, "capacity_nights": 0})
    for s in structure_list:
        nights, capacity = used.get(s.pk, 0), nights_open[s.pk]
        by_structure.append(
            {
                "structure": s,
                "bed_nights": nights,
                "capacity_nights": capacity,
                "rate": round(100 * nights / capacity, 1) if capacity else None,
            }
        )
        by_type[s.type]["bed_nights"] += nights
        by_type[s.type]["capacity_nights"] += capacity
    types = [
        {
            "type": t,
            **v,
            "rate": round(100 * v["bed_nights"] / v["capacity_nights"], 1) if v["capacity_nights"] else None,
        }
        for t, v in sorted(by_type.items())
    ]
    return {
        "by_structure": by_structure,
        "by_type": types,
        "average_stay": {stage: round(days / n, 1) for stage, (days, n) in sorted(lengths.items())},
        "people_by_gender": dict(sorted(genders.items())),
    }
