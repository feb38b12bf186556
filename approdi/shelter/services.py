"""Placements: the database keeps the invariants, these functions keep the path together."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from approdi.audit.models import Action
from approdi.audit.services import record
from approdi.core.permissions import ensure
from approdi.network.dates import check_not_future, stay_problem

from .models import NEXT_STAGE, Bed, DiaryEntry, ExitReason, Placement, PlacementRequest, Structure


class PlacementConflict(Exception):
    """No bed is free, or the person is already placed: the API answers 409."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def sync_beds(structure: Structure) -> None:
    """One bed row per bed of the structure; beds beyond the capacity leave use once free."""
    with scopes_disabled():  # bed rows follow the structure, whoever changes it
        existing = {b.label: b for b in Bed.objects.filter(structure=structure)}
        for number in range(1, structure.beds + 1):
            bed = existing.get(str(number))
            if bed is None:
                Bed.objects.create(structure=structure, label=str(number))
            elif not bed.in_use:
                bed.in_use = True
                bed.save(update_fields=["in_use"])
        for label, bed in existing.items():
            if label.isdigit() and int(label) > structure.beds and bed.in_use:
                if bed.placements.filter(end__isnull=True).exists():
                    raise ValidationError({"beds": [_("A bed to remove is occupied: end that placement first.")]})
                bed.in_use = False
                bed.save(update_fields=["in_use"])


def _free_bed(structure: Structure, *, urgent: bool) -> Bed | None:
    occupied = Placement.objects.filter(bed=OuterRef("pk"), end__isnull=True)
    beds = Bed.objects.filter(structure=structure, in_use=True).exclude(Exists(occupied))
    if not urgent:
        beds = beds.filter(reserved=False)
    return beds.order_by("reserved", "id").first()


def place(
    *,
    actor,
    person,
    structure: Structure,
    stage: str,
    start: date,
    planned_end: date | None = None,
    request: PlacementRequest | None = None,
    previous: Placement | None = None,
) -> Placement:
    """Places a person in a free bed. Safe under concurrent calls: one succeeds, the others get a conflict."""
    ensure(actor, "shelter.place")
    check_not_future(start, field="start")
    problem = stay_problem(start, None, programme=person.programme)
    if problem:
        raise ValidationError({"start": [problem]})
    try:
        with transaction.atomic():
            # Requests for the same structure queue here (PostgreSQL row lock; SQLite's write lock).
            locked = Structure.objects.select_for_update(of=("self",)).filter(pk=structure.pk).first()
            if locked is None:
                raise ValidationError({"structure": [_("Unknown structure.")]})
            if (locked.open_to and locked.open_to < start) or (locked.open_from and locked.open_from > start):
                raise ValidationError({"structure": [_("The structure is closed on that date.")]})
            if Placement.objects.filter(person=person, end__isnull=True).exists():
                raise PlacementConflict(_("The person is already placed in a structure."))
            bed = _free_bed(locked, urgent=bool(request and request.urgent) or stage == "emergency")
            if bed is None:
                raise PlacementConflict(_("No bed is free in this structure."))
            placement = Placement(
                programme=person.programme,
                person=person,
                bed=bed,
                structure=locked,
                stage=stage,
                start=start,
                planned_end=planned_end,
                request=request,
                previous=previous,
                created_by=actor,
            )
            placement.full_clean(validate_unique=False, validate_constraints=False)
            placement.save()
            if request is not None:
                request.status = PlacementRequest.Status.PLACED
                request.save(update_fields=["status"])
            record(actor=actor, action=Action.CREATE, obj=placement, fields=["person", "bed", "stage", "start"])
            return placement
    except IntegrityError:
        # Another request took the bed (or placed the person) between our check and our insert.
        raise PlacementConflict(_("No bed is free in this structure, or the person is already placed.")) from None


@transaction.atomic
def end_placement(*, actor, placement: Placement, day: date, reason: str) -> Placement:
    ensure(actor, "shelter.place")
    if placement.end is not None:
        raise ValidationError({"end": [_("This placement has ended already.")]})
    if day < placement.start:
        raise ValidationError({"end": [_("A placement cannot end before it starts.")]})
    check_not_future(day, field="end")
    placement.end = day
    placement.exit_reason = reason
    placement.full_clean(validate_unique=False, validate_constraints=False)
    placement.save(update_fields=["end", "exit_reason"])
    record(actor=actor, action=Action.CHANGE, obj=placement, fields=["end", "exit_reason"])
    return placement


@transaction.atomic
def move_to_next_stage(
    *, actor, placement: Placement, day: date, structure: Structure | None = None, stage: str = ""
) -> Placement:
    """Closes one placement and opens the next, linked to it, in one step."""
    ensure(actor, "shelter.place")
    stage = stage or NEXT_STAGE.get(placement.stage, "")
    if not stage:
        raise ValidationError({"stage": [_("Third reception is the last stage: record the exit instead.")]})
    end_placement(actor=actor, placement=placement, day=day, reason=ExitReason.NEXT_STAGE)
    return place(
        actor=actor,
        person=placement.person,
        structure=structure or placement.structure,
        stage=stage,
        start=day,
        previous=placement,
    )


@transaction.atomic
def write_diary(*, actor, placement: Placement, day: date, kind: str, text: str) -> DiaryEntry:
    ensure(actor, "shelter.write_diary")
    check_not_future(day, field="day")
    entry = DiaryEntry(placement=placement, date=day, kind=kind, text=text, author=actor)
    entry.full_clean()
    entry.save()
    record(actor=actor, action=Action.CREATE, obj=entry, fields=["date", "kind", "text"])
    return entry


@transaction.atomic
def change_capacity(*, actor, structure: Structure, day: date, beds: int) -> None:
    """From ``day`` the structure has ``beds`` beds (0 closes it for a period); today's beds follow."""
    if not actor.has_perm("shelter.manage_structure", structure):
        raise PermissionDenied
    from django.utils import timezone

    from .models import CapacityChange

    change = CapacityChange.objects.filter(structure=structure, date=day).first() or CapacityChange(
        structure=structure, date=day
    )
    change.beds = beds
    change.full_clean()
    change.save()
    latest = (
        CapacityChange.objects.filter(structure=structure, date__lte=timezone.localdate()).order_by("-date").first()
    )
    if latest is not None and latest.beds and latest.beds != structure.beds:
        structure.beds = latest.beds
        structure.save(update_fields=["beds"])
        sync_beds(structure)
    record(actor=actor, action=Action.CHANGE, obj=structure, fields=["beds"], reason=f"capacity from {day.isoformat()}")


@transaction.atomic
def set_stage_durations(*, actor, programme, days: dict[str, int]) -> None:
    """The planned length of each reception stage in a programme (alerts follow them)."""
    ensure(actor, "shelter.configure_stages")
    from .models import StageDuration

    for stage, value in days.items():
        StageDuration.objects.update_or_create(programme=programme, stage=stage, defaults={"days": value})
    record(actor=actor, action=Action.CHANGE, obj=programme, fields=[f"stage_days_{s}" for s in days])
