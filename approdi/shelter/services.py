"""Placements: the database keeps the invariants, these functions keep the path together."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_scopes import scopes_disabled

from approdi.accounts.actor import Actor
from approdi.audit.models import Action
from approdi.audit.services import record, record_many
from approdi.core.permissions import ensure
from approdi.network.closing import check_open, check_open_all, closed_problem, is_closed
from approdi.network.dates import check_not_future, future_problem, stay_problem, today
from approdi.network.models import Organisation, Programme
from approdi.network.services import ensure_partners
from approdi.people.models import Person

from . import admission
from .beds import free_bed, is_open
from .models import NEXT_STAGE, Bed, DiaryEntry, ExitReason, Placement, PlacementRequest, Structure


class PlacementConflict(Exception):
    """No bed is free, or the person is already placed: the API answers 409."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def sync_beds(structure: Structure, beds: int | None = None) -> None:
    """Bed rows in use match the structure's capacity (``beds``: today's, when it differs, 0 when closed).

    Occupied beds stay in use whatever their number; free ones leave use from the highest number down.
    """
    wanted = structure.beds if beds is None else beds
    with scopes_disabled():  # bed rows follow the structure, whoever changes it
        existing = {b.label: b for b in Bed.objects.filter(structure=structure)}
        for number in range(1, wanted + 1):
            if str(number) not in existing:
                existing[str(number)] = Bed.objects.create(structure=structure, label=str(number))
        numbered = sorted((b for b in existing.values() if b.label.isdigit()), key=lambda b: int(b.label))
        occupied = set(Placement.objects.filter(bed__in=numbered, end__isnull=True).values_list("bed_id", flat=True))
        if len(occupied) > wanted:
            raise ValidationError({"beds": [_("A bed to remove is occupied: end that placement first.")]})
        keep = occupied | {b.pk for b in [b for b in numbered if b.pk not in occupied][: wanted - len(occupied)]}
        for bed in numbered:
            if bed.in_use != (bed.pk in keep):
                bed.in_use = bed.pk in keep
                bed.save(update_fields=["in_use"])


def closed_on(structure: Structure, day: date) -> bool:
    return not is_open(structure, day)


def lead_entity(programme: Programme) -> Organisation:
    """Who registers the people placed in a programme: its lead entity (its Ufficio Filtro places them)."""
    if programme.lead_organisation is None:
        raise ValidationError(
            {
                "programme": [
                    _(
                        "Programme %(code)s has no lead entity, whose Ufficio Filtro registers the people placed: "
                        "give it one (add_programme --lead) before placements."
                    )
                    % {"code": programme.code}
                ]
            },
            code="no_lead_entity",
        )
    return programme.lead_organisation


def register_code(*, programme: Programme, code: str, created_by, gender: str = "", nationality: str = "") -> Person:
    """A person the programme knows by her code only, registered by its lead entity (placements, API and files)."""
    person = Person(
        programme=programme,
        organisation=lead_entity(programme),
        code=code,
        gender=gender,
        nationality=nationality,
        created_by=created_by,
    )
    person.full_clean(exclude=["organisation", "programme", "created_by", "identity_index", "birth_index"])
    person.save()
    record(actor=created_by, action=Action.CREATE, obj=person, fields=["code", "gender"])
    return person


@dataclass
class Stay:
    """A past or current stay read from a file; ``key`` is the file's row, given back in a refusal."""

    key: int
    code: str
    gender: str
    structure: Structure
    stage: str
    start: date
    end: date | None = None
    exit_reason: str = ""


class StayRefused(Exception):
    def __init__(self, stay: Stay, field: str, message: str):
        super().__init__(message)
        self.stay, self.field, self.message = stay, field, message


@transaction.atomic
def record_stays(*, actor: Actor, programme: Programme, stays: list[Stay], author) -> list[Placement]:
    """Files past and current stays, each in the first bed free over its period, by the rules of ``place``.

    The structures' organisations must be current partners, the structure open on the first day, the person
    not placed twice at once; people new to the programme are registered by its lead entity. ``actor`` None
    is the command line; ``author`` the user named as creator.
    """
    lead_entity(programme)
    ensure_partners(programme, {s.structure.organisation for s in stays})
    people = {p.code: p for p in Person.objects.filter(programme=programme, code__in={s.code for s in stays})}
    placed = set(
        Placement.objects.filter(person__in=list(people.values()), end__isnull=True).values_list("person_id", flat=True)
    )
    saved = []
    for stay in sorted(stays, key=lambda s: s.start):
        problem = future_problem(stay.start) or future_problem(stay.end)
        problem = problem or stay_problem(stay.start, stay.end, programme=programme)
        if problem:
            raise StayRefused(stay, "start", problem)
        # A file carries no reason: a stay into a closed period is refused, whoever imports it.
        problem = closed_problem(stay.start, programme=programme, last=stay.end or today())
        if problem:
            raise StayRefused(stay, "start", problem)
        if closed_on(stay.structure, stay.start):
            raise StayRefused(stay, "structure", _("The structure is closed on that date."))
        person = people.get(stay.code)
        if person is None:
            person = people[stay.code] = register_code(
                programme=programme, code=stay.code, gender=stay.gender, created_by=author
            )
        elif stay.end is None and person.pk in placed:
            raise StayRefused(stay, "person_code", _("The person is already placed in a structure."))
        try:
            admission.check(person=person, structure=stay.structure, stage=stay.stage, day=stay.start)
        except ValidationError as refused:
            raise StayRefused(stay, "structure", " ".join(refused.messages)) from None
        busy = Placement.objects.filter(structure=stay.structure).filter(Q(end__isnull=True) | Q(end__gte=stay.start))
        if stay.end is not None:
            busy = busy.filter(start__lte=stay.end)
        bed = stay.structure.bed_set.filter(in_use=True).exclude(pk__in=busy.values("bed_id")).order_by("id").first()
        if bed is None:
            raise StayRefused(
                stay,
                "structure",
                _("No bed is free in %(code)s from %(day)s.")
                % {"code": stay.structure.code, "day": stay.start.isoformat()},
            )
        placement = Placement(
            programme=programme,
            person=person,
            bed=bed,
            structure=stay.structure,
            stage=stay.stage,
            start=stay.start,
            end=stay.end,
            exit_reason=stay.exit_reason,
            created_by=author,
        )
        placement.full_clean(validate_unique=False, validate_constraints=False, exclude=["created_by"])
        placement.save()
        saved.append(placement)
    record_many(actor=actor, action=Action.CREATE, objects=saved, fields=["person", "bed", "stage", "start", "end"])
    return saved


def place(
    *,
    actor: Actor,
    person,
    structure: Structure,
    stage: str,
    start: date,
    planned_end: date | None = None,
    request: PlacementRequest | None = None,
    previous: Placement | None = None,
    reason: str = "",
) -> Placement:
    """Places a person in a free bed. Safe under concurrent calls: one succeeds, the others get a conflict.

    A stay from a closed period on (``approdi.network.closing``) is the lead coordinator's, with a ``reason``.
    """
    ensure(actor, "shelter.place")
    return _place(
        actor=actor,
        person=person,
        structure=structure,
        stage=stage,
        start=start,
        planned_end=planned_end,
        request=request,
        previous=previous,
        reason=reason,
    )


def _place(
    *,
    actor: Actor,
    person,
    structure: Structure,
    stage: str,
    start: date,
    planned_end: date | None = None,
    request: PlacementRequest | None = None,
    previous: Placement | None = None,
    reason: str = "",
) -> Placement:
    """``place`` once the caller's permission is checked: the bed lock, admission and the closed periods."""
    check_not_future(start, field="start")
    problem = stay_problem(start, None, programme=person.programme)
    if problem:
        raise ValidationError({"start": [problem]})
    note = check_open(start, programme=person.programme, actor=actor, reason=reason, field="start", last=today())
    try:
        with transaction.atomic():
            # Requests for the same structure queue here (PostgreSQL row lock; SQLite's write lock).
            locked = Structure.objects.select_for_update(of=("self",)).filter(pk=structure.pk).first()
            if locked is None:
                raise ValidationError({"structure": [_("Unknown structure.")]})
            ensure_partners(person.programme, [locked.organisation])
            if closed_on(locked, start):
                raise ValidationError({"structure": [_("The structure is closed on that date.")]})
            admission.check(person=person, structure=locked, stage=stage, day=start)
            if Placement.objects.filter(person=person, end__isnull=True).exists():
                raise PlacementConflict(_("The person is already placed in a structure."))
            bed = free_bed(locked, stage=stage, urgent=bool(request and request.urgent))
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
            record(
                actor=actor,
                action=Action.CREATE,
                obj=placement,
                fields=["person", "bed", "stage", "start"],
                reason=note,
            )
            return placement
    except IntegrityError:
        # Another request took the bed (or placed the person) between our check and our insert.
        raise PlacementConflict(_("No bed is free in this structure, or the person is already placed.")) from None


@transaction.atomic
def end_placement(*, actor: Actor, placement: Placement, day: date, reason: str, amend_reason: str = "") -> Placement:
    """``reason`` is the exit's; ``amend_reason`` why a lead coordinator ends a stay inside a closed period."""
    ensure(actor, "shelter.end_stay", placement.structure)
    if placement.end is not None:
        raise ValidationError({"end": [_("This placement has ended already.")]})
    if day < placement.start:
        raise ValidationError({"end": [_("A placement cannot end before it starts.")]})
    check_not_future(day, field="end")
    note = check_open(day, programme=placement.programme, actor=actor, reason=amend_reason, field="end", last=today())
    placement.end = day
    placement.exit_reason = reason
    placement.full_clean(validate_unique=False, validate_constraints=False)
    placement.save(update_fields=["end", "exit_reason"])
    record(actor=actor, action=Action.CHANGE, obj=placement, fields=["end", "exit_reason"], reason=note)
    return placement


@transaction.atomic
def move_to_next_stage(
    *,
    actor: Actor,
    placement: Placement,
    day: date,
    structure: Structure | None = None,
    stage: str = "",
    reason: str = "",
) -> Placement:
    """Closes one placement and opens the next, linked to it, in one step.

    The Ufficio Filtro moves anyone anywhere; an educator, a resident of her structures into one of them.
    """
    target = structure or placement.structure
    ensure(actor, "shelter.move_stage", placement.structure)
    ensure(actor, "shelter.move_stage", target)
    stage = stage or NEXT_STAGE.get(placement.stage, "")
    if not stage:
        raise ValidationError({"stage": [_("Third reception is the last stage: record the exit instead.")]})
    end_placement(actor=actor, placement=placement, day=day, reason=ExitReason.NEXT_STAGE, amend_reason=reason)
    return _place(
        actor=actor,
        person=placement.person,
        structure=target,
        stage=stage,
        start=day,
        previous=placement,
        reason=reason,
    )


@transaction.atomic
def write_diary(*, actor: Actor, placement: Placement, day: date, kind: str, text: str) -> DiaryEntry:
    ensure(actor, "shelter.write_diary")
    check_not_future(day, field="day")
    entry = DiaryEntry(placement=placement, date=day, kind=kind, text=text, author=actor)
    entry.full_clean()
    entry.save()
    record(actor=actor, action=Action.CREATE, obj=entry, fields=["date", "kind", "text"])
    return entry


@transaction.atomic
def change_capacity(*, actor: Actor, structure: Structure, day: date, beds: int, reason: str = "") -> None:
    """From ``day`` the structure has ``beds`` beds (0 closes it for a period); today's bed rows follow.

    Never fewer beds than the people living there now: they would be in beds the board does not show.
    A ``day`` in a closed period of one of its programmes is the lead coordinator's, with a ``reason``.
    """
    programmes = list(structure.programmes.all())
    # A capacity counts from its day until the next change: every report ending after it reads it.
    closed = is_closed(day, programmes=programmes, last=today())
    if not (
        actor.has_perm("shelter.change_capacity", structure)
        or (closed and actor.has_perm("network.amend_closed_period"))
    ):
        raise PermissionDenied
    note = check_open_all(day, programmes=programmes, actor=actor, reason=reason, field="day", last=today())
    from django.utils import timezone

    from .models import CapacityChange

    residents = Placement.objects.filter(structure=structure, end__isnull=True).count()
    if beds < residents:
        raise ValidationError(
            {
                "beds": [
                    ngettext(
                        "%(count)d person lives in the structure now: it cannot have fewer beds. "
                        "End or move her placement first.",
                        "%(count)d people live in the structure now: it cannot have fewer beds. "
                        "End or move their placements first.",
                        residents,
                    )
                    % {"count": residents}
                ]
            }
        )
    change = CapacityChange.objects.filter(structure=structure, date=day).first() or CapacityChange(
        structure=structure, date=day
    )
    change.beds = beds
    change.full_clean()
    change.save()
    latest = (
        CapacityChange.objects.filter(structure=structure, date__lte=timezone.localdate()).order_by("-date").first()
    )
    if latest is not None:
        if latest.beds and latest.beds != structure.beds:
            structure.beds = latest.beds  # the structure keeps its last open capacity while closed
            structure.save(update_fields=["beds"])
        sync_beds(structure, beds=latest.beds)
    record(
        actor=actor,
        action=Action.CHANGE,
        obj=structure,
        fields=["beds"],
        reason="; ".join(filter(None, [f"capacity from {day.isoformat()}", note])),
    )


@transaction.atomic
def set_stage_durations(*, actor: Actor, programme, days: dict[str, int]) -> None:
    """The planned length of each reception stage in a programme (alerts follow them)."""
    ensure(actor, "shelter.configure_stages")
    from .models import StageDuration

    for stage, value in days.items():
        StageDuration.objects.update_or_create(programme=programme, stage=stage, defaults={"days": value})
    record(actor=actor, action=Action.CHANGE, obj=programme, fields=[f"stage_days_{s}" for s in days])
