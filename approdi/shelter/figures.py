"""Capacity and occupancy figures (DESIGN.md §9 "capacity" and the shelter issue's occupancy)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from django.db.models import Count, Prefetch, Q, QuerySet

from approdi.people.models import Person

from .beds import beds_on, capacity_nights, capacity_table
from .models import CapacityChange, Placement, Structure

__all__ = ["RECEPTION_GENDERS", "beds_on", "capacity_table", "hosted_people", "occupancy", "overlapping", "reception"]


def _changes() -> Prefetch:
    # An explicit queryset: the plain name rebuilds the scoped queryset once per structure.
    return Prefetch("capacity_changes", queryset=CapacityChange.objects.all())


RECEPTION_GENDERS = {"women": ["woman"], "men": ["man"], "transgender": ["trans_woman", "trans_man"]}


def overlapping(placements: QuerySet[Placement], start: date, end: date) -> QuerySet[Placement]:
    """Stays that overlap the period (both days included): who counts as "in reception" in it."""
    return placements.filter(start__lte=end).filter(Q(end__isnull=True) | Q(end__gte=start))


def hosted_people() -> Count:
    """People in reception, over placements already ``overlapping`` the period: each person once."""
    return Count("person_id", distinct=True)


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


def occupancy(structures: QuerySet[Structure], placements: QuerySet[Placement], start: date, end: date) -> dict:
    """Bed-nights and occupancy rate per structure and type, stay lengths per stage, people by gender."""
    structure_list = list(structures.prefetch_related(_changes()))
    nights_open = {s.pk: capacity_nights(s, start, end, list(s.capacity_changes.all())) for s in structure_list}
    used: defaultdict[int, int] = defaultdict(int)
    stays: defaultdict[str, list[int]] = defaultdict(list)
    genders: defaultdict[str, set[int]] = defaultdict(set)
    after = end + timedelta(days=1)
    # Plain tuples, not model objects: a year of a national network is tens of thousands of stays.
    rows = overlapping(placements, start, end).values_list(
        "structure_id", "start", "end", "stage", "person__gender", "person_id"
    )
    for structure_id, first_day, last_day, stage, gender, person_id in rows:
        # Nights: the day she leaves is not a night spent (a move day is one night, in the new bed).
        first, last = max(first_day, start), min(last_day, after) if last_day else after
        used[structure_id] += max((last - first).days, 0)
        stays[stage].append(((last_day or after) - first_day).days)
        genders[gender or "unknown"].add(person_id)
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
        "average_stay": {stage: round(sum(v) / len(v), 1) for stage, v in sorted(stays.items())},
        "people_by_gender": {g: len(ids) for g, ids in sorted(genders.items())},
    }
