"""A new reception structure, added to the acting edition by its lead entity."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

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
    actor,
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
