"""The list of outreach materials (condoms, leaflets by language…), kept by the lead entity.

A material is retired rather than deleted: outings that gave it out keep counting it.
"""

from __future__ import annotations

from django.db import transaction

from approdi.accounts.actor import Actor
from approdi.audit.models import Action
from approdi.audit.services import changed_fields, record
from approdi.core.permissions import ensure

from .models import Material

PERM = "network.manage_reference_data"


@transaction.atomic
def save_material(*, actor: Actor, code: str, name: str, active: bool = True) -> tuple[Material, bool]:
    """Creates a material, or renames, retires or brings back the one with this code."""
    ensure(actor, PERM)
    material = Material.objects.filter(code__iexact=code.strip()).first()
    created = material is None
    before = None if material is None else Material.objects.get(pk=material.pk)
    material = material or Material(code=code.strip().lower())
    material.name, material.active = name.strip(), active
    material.full_clean()
    material.save()
    record(
        actor=actor,
        action=Action.CREATE if created else Action.CHANGE,
        obj=material,
        fields=changed_fields(before, material),
    )
    return material, created
