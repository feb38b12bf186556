from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django_scopes import scopes_disabled

from approdi.audit.models import AuditEntry

from ..scoping import at_lead_entity

if TYPE_CHECKING:
    from approdi.accounts.actor import Actor


def search_log(
    *,
    actor: Actor,
    username: str = "",
    action: str = "",
    object_type: str = "",
    object_id: str = "",
    day_from: date | None = None,
    day_to: date | None = None,
) -> QuerySet[AuditEntry]:
    """The DPO's search: entries of the organisations in the DPO's scope, newest first."""
    if not actor.has_perm("audit.search_log"):
        raise PermissionDenied
    entries = AuditEntry.objects.all()
    if at_lead_entity(actor.active_membership):
        # Failed sign-ins with an unknown username belong to no organisation: the lead entity's DPO sees them.
        with scopes_disabled():
            entries = entries | AuditEntry.objects.filter(organisation__isnull=True)
    if username:
        entries = entries.filter(actor_username__iexact=username)
    if action:
        entries = entries.filter(action=action)
    if object_type:
        entries = entries.filter(object_type=object_type)
    if object_id:
        entries = entries.filter(object_id=object_id)
    if day_from:
        entries = entries.filter(at__date__gte=day_from)
    if day_to:
        entries = entries.filter(at__date__lte=day_to)
    return entries.order_by("-at", "-id")
