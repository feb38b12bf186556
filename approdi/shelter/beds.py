"""Bed arithmetic, in one place: beds on a day, capacity, free beds and who may take a reserved bed.

The bed board, the waiting list's proposals, ``place()``, the capacity table and the dashboard read
these functions, so a bed the board shows free is one ``place()`` would give, and the proposals offer
a structure only when ``place()`` would find it a bed for that request.

Two notions of beds live here, and they differ on purpose:
- *capacity on a day* (``beds_on``, ``capacity_table``): the structure's open period and its capacity
  changes, for figures over any period;
- *bed rows today* (``free_beds``, ``board_counts``): the ``Bed`` rows in use and the people in them now,
  for placing someone.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any, cast

from django.db.models import Count, Exists, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce

from .models import RESERVED_PLACE_TYPES, Bed, CapacityChange, Placement, Stage, Structure, StructureType

if TYPE_CHECKING:
    from typing import TypedDict

    from django_stubs_ext import WithAnnotations

    class BoardCounts(TypedDict):  # what board_counts() annotates
        beds_in_use: int
        occupied: int
        reserved_free: int
        departures: int
        night: int
        free: int


def is_open(structure: Structure, day: date) -> bool:
    """Open from ``open_from`` (or always) until ``open_to`` (or for good), both days included."""
    return not ((structure.open_to and structure.open_to < day) or (structure.open_from and structure.open_from > day))


def beds_on(structure: Structure, day: date, changes: list[CapacityChange] | None = None) -> int:
    """Beds of a structure on a day: 0 outside its open period, else the latest capacity change."""
    if not is_open(structure, day):
        return 0
    relevant = [c for c in (changes if changes is not None else structure.capacity_changes.all()) if c.date <= day]
    return max(relevant, key=lambda c: c.date).beds if relevant else structure.beds


def capacity_nights(structure: Structure, start: date, end: date, changes: list[CapacityChange] | None = None) -> int:
    """``beds_on`` summed over every day from ``start`` to ``end`` (both included), one step per capacity change.

    The same rule as ``beds_on`` (a change counts from its own day; of two changes on one day the first listed
    wins), counted by intervals: a year of a structure is a handful of additions, not 365 calls.
    """
    first = max(start, structure.open_from) if structure.open_from else start
    last = min(end, structure.open_to) if structure.open_to else end
    if first > last:
        return 0
    steps: dict[date, int] = {}
    for change in changes if changes is not None else structure.capacity_changes.all():
        steps.setdefault(change.date, change.beds)
    total, beds, cursor = 0, structure.beds, first
    for day, then in sorted(steps.items()):
        if day > last:
            break
        if day > cursor:
            total += beds * (day - cursor).days
            cursor = day
        beds = then
    return total + beds * ((last - cursor).days + 1)


def capacity_table(structures: QuerySet[Structure], day: date) -> tuple[list[dict], dict]:
    """The "CAPACITÀ RICETTIVA" table on ``day``: per type, structures open and their beds.

    Reserved places (emergency places, dormitory beds) count their beds but no structure. The rule of ``beds_on``,
    counted by the database in one query: open on the day, the latest capacity change on or before it (else the
    structure's beds), and none of it when that is 0. Nothing secret is read.
    """
    rows: dict[str, dict[str, Any]] = {t.value: {"type": t.value, "structures": 0, "beds": 0} for t in StructureType}
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


def may_take_reserved(*, stage: str, urgent: bool = False) -> bool:
    """Beds reserved for emergencies go to urgent requests and to emergency-stage placements."""
    return urgent or stage == Stage.EMERGENCY


def _free() -> Q:
    """A bed row in use with nobody in it now."""
    return Q(in_use=True) & ~Q(Exists(Placement.objects.filter(bed=OuterRef("pk"), end__isnull=True)))


def free_beds(structure: Structure | None = None) -> QuerySet[Bed]:
    """Bed rows in use with nobody in them now (of one structure, or of every structure in scope)."""
    beds = Bed.objects.filter(_free())
    return beds if structure is None else beds.filter(structure=structure)


def free_bed(structure: Structure, *, stage: str, urgent: bool = False) -> Bed | None:
    """The bed ``place()`` gives: a free unreserved bed first, a reserved one only to who may take it."""
    beds = free_beds(structure)
    if not may_take_reserved(stage=stage, urgent=urgent):
        beds = beds.filter(reserved=False)
    return beds.order_by("reserved", "id").first()


def _board_rules(today: date) -> dict[type[Bed] | type[Placement], tuple[Q, dict[str, Q | None]]]:
    """What each figure of the board counts: bed rows in use or current placements of a structure, which of them."""
    return {
        Bed: (Q(in_use=True), {"beds_in_use": None, "reserved_free": _free() & Q(reserved=True)}),
        Placement: (
            Q(end__isnull=True),
            {
                "occupied": None,
                "departures": Q(planned_end__gte=today, planned_end__lte=today + timedelta(days=30)),
                # Taken in at night and not yet regularised by the Ufficio Filtro (approdi/shelter/night.py).
                "night": Q(night_entry__isnull=False, night_entry__regularised_at__isnull=True),
            },
        ),
    }


def _free_of(figures) -> Any:
    """Free (unreserved) beds: beds in use less the people placed and the reserved beds still free."""
    return figures["beds_in_use"] - figures["occupied"] - figures["reserved_free"]


def board_counts(structures: QuerySet[Structure], today: date) -> QuerySet[WithAnnotations[Structure, BoardCounts]]:
    """Annotates beds in use, occupied, free (unreserved), reserved free, departures due in 30 days and night entries.

    One correlated count per figure, in the structures' own query: the database counts only for the rows it returns,
    cheap for a few structures (``board_figures`` counts the same rules for many at once).
    """
    counts = {
        name: _count(model.objects.filter(rows, *([q] if q else [])))
        for model, (rows, figures) in _board_rules(today).items()
        for name, q in figures.items()
    }
    annotated = structures.annotate(**counts).annotate(free=_free_of({name: F(name) for name in counts}))
    return cast("QuerySet[WithAnnotations[Structure, BoardCounts]]", annotated)


def board_figures(structures: QuerySet[Structure], today: date) -> defaultdict[int, dict[str, int]]:
    """``board_counts``' figures of each of ``structures``, by id: the same rules, counted grouped by structure.

    Two statements however many structures (one per model), where ``board_counts`` runs one count per figure and
    structure. A structure with no bed row nor current placement is not read: it counts 0 of everything.
    """
    ids = structures.order_by().values("pk")
    rules = _board_rules(today)
    zero = {name: 0 for _rows, figures in rules.values() for name in figures} | {"free": 0}
    found: defaultdict[int, dict[str, int]] = defaultdict(lambda: dict(zero))
    for model, (rows, figures) in rules.items():
        counted = {name: Count("pk", filter=q) for name, q in figures.items()}
        grouped = model.objects.filter(rows, structure__in=ids).order_by().values("structure").annotate(**counted)
        for row in cast("list[dict[str, int]]", grouped):
            found[row["structure"]].update({name: row[name] for name in figures})
    for counts in found.values():
        counts["free"] = _free_of(counts)
    return found


def board_totals(figures: dict[int, dict[str, int]]) -> dict[str, int]:
    """The figures of ``board_figures`` summed over its structures (free too: it is a difference of sums)."""
    names = ("beds_in_use", "occupied", "reserved_free", "departures", "night", "free")
    return {name: sum(counts[name] for counts in figures.values()) for name in names}


def free_for(structure: WithAnnotations[Structure, BoardCounts], *, stage: str, urgent: bool = False) -> int:
    """Free beds of a structure annotated by ``board_counts`` that ``place()`` would give this request."""
    return structure.free + (structure.reserved_free if may_take_reserved(stage=stage, urgent=urgent) else 0)


def _count(rows) -> Coalesce:
    """A correlated COUNT of ``rows`` belonging to the outer structure (0 when there are none)."""
    counted = rows.filter(structure=OuterRef("pk")).order_by().values("structure").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)
