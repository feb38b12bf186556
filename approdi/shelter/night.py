"""Night emergency entries: the on-call operator takes a person in; the Ufficio Filtro regularises her stay.

At night, on weekends and holidays the helpline calls the on-call operator of an emergency structure, who records
the least data that protects the person and puts her in a free emergency bed of her own structures, with the bed
lock of ``place()`` (two entries for the last bed: one gets it, the other a clear refusal). No consent form and no
decision at 3 a.m.: the entry heads the Ufficio Filtro's queue until it is regularised, and the stay it opened is
the first placement of her path.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from approdi.accounts import notifications
from approdi.accounts.actor import Actor
from approdi.audit.models import Action
from approdi.audit.services import record
from approdi.core.permissions import ensure
from approdi.outreach.codes import AgeBand, SourceType
from approdi.people.models import Person

from .models import STAGE_TYPES, NightEntry, Placement, PlacementRequest, Stage, Structure
from .services import _place, register_code

PERM = "shelter.record_night_entry"
MINOR_BANDS = {AgeBand.B0_8, AgeBand.B9_17}
EARLIEST = timedelta(days=2)  # an entry is recorded the night it happens, or the day after at the latest
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


@dataclass
class Arrival:
    """What the on-call operator records: nothing here may be guessed for her (no field has a default)."""

    code: str
    gender: str
    age_band: str
    language: str
    nationality: str
    referred_by: str
    referring_body: str
    arrived_at: datetime
    needs: str


def emergency_structures(*, actor: Actor):
    """The acting operator's own structures that take emergencies, in the acting programme."""
    membership = actor.active_membership
    return Structure.objects.filter(
        organisation_id=membership.organisation_id,
        programmes=membership.programme,
        type__in=STAGE_TYPES[Stage.EMERGENCY],
    ).order_by("code")


def new_code() -> str:
    return "NOTTE-" + "".join(secrets.choice(CODE_ALPHABET) for _ in range(6))


@transaction.atomic
def record_night_entry(*, actor: Actor, structure: Structure, arrival: Arrival) -> NightEntry:
    """Registers (or finds, by her code) the person, places her in an emergency bed and opens the entry; audited."""
    ensure(actor, PERM, structure)
    programme = actor.active_membership.programme
    if not emergency_structures(actor=actor).filter(pk=structure.pk).exists():
        raise ValidationError({"structure": [_("Choose an emergency structure of your organisation.")]})
    now = timezone.now()
    if arrival.arrived_at > now + timedelta(minutes=5):
        raise ValidationError({"arrived_at": [_("The time of arrival cannot be in the future.")]})
    if arrival.arrived_at < now - EARLIEST:
        raise ValidationError(
            {"arrived_at": [_("A night entry is recorded within two days of the arrival: ask the Ufficio Filtro.")]}
        )
    if arrival.age_band not in AgeBand.values:
        raise ValidationError({"age_band": [_("Choose an age band.")]})
    if arrival.referred_by not in SourceType.values:
        raise ValidationError({"referred_by": [_("Say who referred her.")]})
    code = arrival.code.strip().upper() or new_code()
    person = Person.objects.filter(programme=programme, code=code).first()
    if person is None:
        person = register_code(
            programme=programme,
            code=code,
            gender=arrival.gender,
            nationality=arrival.nationality,
            created_by=actor,
        )
    changed: list[str] = []
    if arrival.language and not person.languages:
        person.languages, changed = arrival.language[:100], [*changed, "languages"]
    if arrival.age_band in MINOR_BANDS and not person.is_minor:
        person.is_minor, changed = True, [*changed, "is_minor"]
    if not person.gender and arrival.gender:
        person.gender, changed = arrival.gender, [*changed, "gender"]
    if changed:
        person.save(update_fields=changed)
        record(actor=actor, action=Action.CHANGE, obj=person, fields=changed)
    arrived = timezone.localtime(arrival.arrived_at)
    placement = _place(actor=actor, person=person, structure=structure, stage=Stage.EMERGENCY, start=arrived.date())
    entry = NightEntry(
        programme=programme,
        placement=placement,
        age_band=arrival.age_band,
        referred_by=arrival.referred_by,
        referring_body=arrival.referring_body.strip(),
        arrived_at=arrival.arrived_at,
        needs=arrival.needs.strip(),
        regularise_by=arrival.arrived_at + timedelta(hours=programme.night_entry_hours),
        created_by=actor,
    )
    entry.full_clean(exclude=["placement", "programme"])
    entry.save()
    record(
        actor=actor,
        action=Action.CREATE,
        obj=entry,
        fields=["age_band", "referred_by", "referring_body", "arrived_at", "needs"],
    )
    office = notifications.queue_office(programme)
    notifications.announce(kind="night_entry", programme_id=programme.pk, recipients=office, code=person.code)
    return entry


def open_entries(*, programme):
    """The entries still to regularise, the most pressing first (the Ufficio Filtro's queue heads with them)."""
    return (
        NightEntry.objects.filter(programme=programme, regularised_at__isnull=True)
        .select_related("placement__person", "placement__bed__structure")
        .order_by("regularise_by", "id")
    )


def night_stay(person) -> Placement | None:
    """The stay a night entry opened for the person, while it waits to be regularised."""
    return (
        Placement.objects.filter(
            person=person, end__isnull=True, night_entry__isnull=False, night_entry__regularised_at__isnull=True
        )
        .select_related("night_entry")
        .first()
    )


def regularise(*, actor: Actor, person, decision) -> NightEntry | None:
    """The Ufficio Filtro's decision regularises the person's night entry, in the decision's transaction.

    A residential decision takes the night stay as the first placement of her path: the request it opens is
    placed there at once (she is not put on the waiting list for the bed she sleeps in).
    """
    ensure(actor, "intake.work_queue")
    stay = night_stay(person)
    if stay is None:
        return None
    entry = stay.night_entry
    request = getattr(decision, "placement_request", None)
    if isinstance(request, PlacementRequest):
        request.status = PlacementRequest.Status.PLACED
        request.save(update_fields=["status"])
        stay.request = request
        stay.save(update_fields=["request"])
        record(actor=actor, action=Action.CHANGE, obj=stay, fields=["request"])
    entry.regularised_at, entry.regularised_by = timezone.now(), actor
    entry.save(update_fields=["regularised_at", "regularised_by"])
    record(actor=actor, action=Action.CHANGE, obj=entry, fields=["regularised_at", "regularised_by"])
    return entry
