"""Capacity and occupancy figures (DESIGN.md §9 "capacity" and the shelter issue's occupancy)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from django.db.models import Count, F, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce

from .models import RESERVED_PLACE_TYPES, CapacityChange, Placement, Structure, StructureType


def _changes() -> Prefetch:
    # An explicit queryset: the plain name rebuilds the scoped queryset once per structure.
    return Prefetch("capacity_changes", queryset=CapacityChange.objects.all())


def beds_on(structure: Structure, day: date, changes: list[CapacityChange] | None = None) -> int:
    """Beds of a structure on a day: 0 outside its open period, else the latest capacity change."""
    if (structure.open_from and structure.open_from > day) or (structure.open_to and structure.open_to < day):
        return 0
    relevant = [c for c in (changes if changes is not None else structure.capacity_changes.all()) if c.date <= day]
    return max(relevant, key=lambda c: c.date).beds if relevant else structure.beds


def capacity_table(structures: QuerySet[Structure], day: date) -> tuple[list[dict], dict]:
    """The "CAPACITÀ RICETTIVA" table on ``day``: per type, structures open and their beds.

    Reserved places (emergency places, dormitory beds) count their beds but no structure. The rule of ``beds_on``,
    counted by the database in one query: open on the day, the latest capacity change on or before it (else the
    structure's beds), and none of it when that is 0. Nothing secret is read.
    """
    rows = {t.value: {"type": t.value, "structures": 0, "beds": 0} for t in StructureType}
    latest = CapacityChange.objects.filter(structure=OuterRef("pk"), date__lte=day).order_by("-date").values("beds")
    counted = (
        structures.filter(Q(open_from__isnull=True) | Q(open_from__lte=day))
        .filter(Q(open_to__isnull=True) | Q(open_to__gte=day))
        .annotate(beds_then=Coalesce(Subquery(latest[:1]), F("beds")))
        .filter(beds_then__gt=0)
        .order_by()
        .values("type")
        .annotate(open=Count("pk"), beds_open=Sum("beds_then"))
    )
    for row in counted:
        rows[row["type"]]["beds"] += row["beds_open"]
        if row["type"] not in RESERVED_PLACE_TYPES:
            rows[row["type"]]["structures"] += row["open"]
    table = list(rows.values())
    total = {"structures": sum(r["structures"] for r in table), "beds": sum(r["beds"] for r in table)}
    return table, total


def overlapping(placements: QuerySet[Placement], start: date, end: date) -> QuerySet[Placement]:
    return placements.filter(start__lte=end).filter(Q(end__isnull=True) | Q(end__gte=start))


def occupancy(structures: QuerySet[Structure], placements: QuerySet[Placement], start: date, end: date) -> dict:
    """Bed-nights and occupancy rate per structure and type, stay lengths per stage, people by gender."""
    days = (end - start).days + 1
    structures = list(structures.prefetch_related(_changes()))
    capacity_nights = {}
    for s in structures:
        changes = list(s.capacity_changes.all())
        capacity_nights[s.pk] = sum(beds_on(s, start + timedelta(n), changes) for n in range(days))
    used = defaultdict(int)
    stays = defaultdict(list)
    genders = defaultdict(set)
    rows = (
        overlapping(placements, start, end)
        .select_related("person")
        .only("structure_id", "start", "end", "stage", "person__gender", "person_id")
    )
    for p in rows:
        # Nights: the day she leaves is not a night spent (a move day is one night, in the new bed).
        first, last = max(p.start, start), min(p.end, end + timedelta(days=1)) if p.end else end + timedelta(days=1)
        used[p.structure_id] += max((last - first).days, 0)
        stays[p.stage].append(((p.end or end + timedelta(days=1)) - p.start).days)
        genders[p.person.gender or "unknown"].add(p.person_id)
    by_structure = []
    by_type = defaultdict(lambda: {"bed_nights": 0, "capacity_nights": 0})
    for s in structures:
        nights, capacity = used.get(s.pk, 0), capacity_nights[s.pk]
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
