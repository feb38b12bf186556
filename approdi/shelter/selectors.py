from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404

from approdi.audit.services import record_view

from .models import Structure


@dataclass(frozen=True)
class StructureSecrets:
    address: str
    phone: str


def structures_visible(*, actor) -> QuerySet[Structure]:
    """Structures of the actor's programme managed by organisations in the actor's scope."""
    return Structure.objects.select_related("organisation", "area").order_by("code")


def structure_detail(*, actor, code: str) -> tuple[Structure, StructureSecrets | None]:
    """One structure; its address and phone only for those allowed, and their reading audited."""
    structure = structures_visible(actor=actor).filter(code__iexact=code).first()
    if structure is None:
        raise Http404
    if not actor.has_perm("shelter.view_structure_secrets", structure):
        return structure, None
    record_view(actor=actor, obj=structure, fields=Structure.SECRET_FIELDS)
    return structure, StructureSecrets(address=structure.address, phone=structure.phone)
