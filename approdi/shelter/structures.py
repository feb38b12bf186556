"""A new reception structure, added to the acting edition by its lead entity."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from approdi.accounts.actor import Actor
from approdi.audit.models import Action
from approdi.audit.services import record
from approdi.core.permissions import ensure
from approdi.network.models import Area, Organisation, Programme
from approdi.network.services import ensure_partners

from .models import Structure
from .services import sync_beds

PERM = "shelter.add_structure"
MOST_BEDS = 500


@transaction.atomic
def add_structure(
    *,
    actor: Actor,
    programme: Programme,
    code: str,
    name: str,
    organisation: Organisation,
    type: str,
    area: Area,
    beds: int,
    gender: str,
    ages: str,
    open_from: date | None = None,
    open_to: date | None = None,
) -> Structure:
    """The structure, managed by a current partner, with its beds; its address is its own staff's to enter."""
    ensure(actor, PERM)
    if actor.active_membership.programme_id != programme.pk:
        raise ValidationError(_("A structure is added to the edition you are working in."))
    ensure_partners(programme, [organisation])
    errors = {}
    # Codes are unique across editions; the scoped manager would see only this one, so ask the table itself.
    if Structure._base_manager.filter(code__iexact=code.strip()).exists():
        errors["code"] = [_("A structure with this code exists already.")]
    if not 1 <= beds <= MOST_BEDS:
        errors["beds"] = [_("A structure has between 1 and %(most)d beds.") % {"most": MOST_BEDS}]
    if open_from and open_to and open_to < open_from:
        errors["open_to"] = [_("A structure cannot close before it opens.")]
    if errors:
        raise ValidationError(errors)
    structure = Structure(
        code=code.strip(),
        name=name.strip(),
        organisation=organisation,
        type=type,
        area=area,
        beds=beds,
        gender=gender,
        ages=ages,
        open_from=open_from,
        open_to=open_to,
    )
    structure.full_clean(validate_unique=False)  # checked above, across editions
    structure.save()
    structure.programmes.add(programme)
    sync_beds(structure)
    record(
        actor=actor,
        action=Action.CREATE,
        obj=structure,
        fields=["code", "name", "organisation", "type", "area", "beds", "gender", "ages", "open_from", "open_to"],
        organisation_id=organisation.pk,
    )
    return structure


@transaction.atomic
def update_structure(
    *,
    actor: Actor,
    structure: Structure,
    name: str,
    type: str,
    area: Area,
    gender: str,
    ages: str,
    open_from: date | None = None,
    open_to: date | None = None,
) -> Structure:
    """What a structure is and when it is open; its beds change through ``change_capacity``.

    It cannot close, or open later, while people live in it: their placements would lie outside its dates.
    """
    from django.utils import timezone

    from .models import Placement

    ensure(actor, PERM)
    if open_from and open_to and open_to < open_from:
        raise ValidationError({"open_to": [_("A structure cannot close before it opens.")]})
    today = timezone.localdate()
    closes = (open_to is not None and open_to < today) or (open_from is not None and open_from > today)
    if closes and Placement.objects.filter(structure=structure, end__isnull=True).exists():
        raise ValidationError(
            {"open_to": [_("People live in the structure now: end or move their placements before it closes.")]}
        )
    fields = ("name", "type", "area_id", "gender", "ages", "open_from", "open_to")
    before = Structure.objects.only(*fields).get(pk=structure.pk)  # never the secret address
    structure.name, structure.type, structure.area = name.strip(), type, area
    structure.gender, structure.ages = gender, ages
    structure.open_from, structure.open_to = open_from, open_to
    structure.full_clean(validate_unique=False)  # the code does not change
    structure.save(update_fields=["name", "type", "area", "gender", "ages", "open_from", "open_to"])
    changed = [f for f in fields if getattr(before, f) != getattr(structure, f)]
    record(actor=actor, action=Action.CHANGE, obj=structure, fields=changed, organisation_id=structure.organisation_id)
    return structure


def structures_to_carry(*, actor: Actor, programme: Programme) -> list[Structure]:
    """Structures of the other editions the actor sets up at their lead entity, not yet in ``programme``.

    Each edition is read in the actor's own scope there, so nothing she could not see already is listed.
    """
    from approdi.accounts.scoping import membership_scope, memberships_of

    from .selectors import structures_visible

    found: dict[int, Structure] = {}
    for membership in memberships_of(actor):
        if membership.programme_id == programme.pk:
            continue
        actor.active_membership, acting = membership, actor.active_membership
        try:
            if actor.has_perm(PERM):
                with membership_scope(membership):
                    for structure in structures_visible(actor=actor).exclude(programmes=programme):
                        found.setdefault(structure.pk, structure)
        finally:
            actor.active_membership = acting
    return sorted(found.values(), key=lambda s: s.code)


@transaction.atomic
def carry_structure(*, actor: Actor, programme: Programme, structure: Structure) -> Structure:
    """An existing structure continues in the acting edition, with its beds and its history."""
    ensure(actor, PERM)
    if actor.active_membership.programme_id != programme.pk:
        raise ValidationError(_("A structure is added to the edition you are working in."))
    if structure.pk not in {s.pk for s in structures_to_carry(actor=actor, programme=programme)}:
        raise ValidationError({"structure": [_("Choose a structure of another edition you set up.")]})
    ensure_partners(programme, [structure.organisation])
    structure.programmes.add(programme)
    record(
        actor=actor,
        action=Action.CHANGE,
        obj=structure,
        fields=["programmes"],
        organisation_id=structure.organisation_id,
        reason=f"continues in {programme.code}",
    )
    return structure
