"""The desks the public site lists (offices people may walk into): the lead coordinators keep them.

Never a shelter: a shelter's address is secret. Each write checks the permission, validates the desk as the
database will, writes its audit row, in one transaction.
"""

from __future__ import annotations

from datetime import time
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from approdi.audit.models import Action
from approdi.audit.services import record
from approdi.core.permissions import ensure
from approdi.network.models import Organisation

from .models import Desk
from .services import PERM

if TYPE_CHECKING:
    from approdi.accounts.actor import Actor

FIELDS = ["organisation", "name", "address", "weekdays", "opens", "closes", "phone"]


def desk_organisations():
    """Whose desks the site may list: not the police or an immigration office (seed 003's safe-reporting promise)."""
    return Organisation.objects.exclude(type=Organisation.Type.ENFORCEMENT).order_by("name")


@transaction.atomic
def save_desk(
    *,
    actor: Actor,
    desk: Desk | None = None,
    organisation: Organisation,
    name: str,
    address: str,
    weekdays: str,
    opens: time,
    closes: time,
    phone: str = "",
) -> Desk:
    ensure(actor, PERM)
    if organisation.is_enforcement:
        raise ValidationError({"organisation": [_("The public site lists no police or immigration office.")]})
    if opens >= closes:
        raise ValidationError({"closes": [_("A desk closes after it opens.")]})
    values = {
        "organisation": organisation,
        "name": name.strip(),
        "address": address.strip(),
        "weekdays": "".join(sorted(set(weekdays))),
        "opens": opens,
        "closes": closes,
        "phone": phone.strip(),
    }
    new = desk is None
    if desk is None:
        desk = Desk(**values)
        changed = FIELDS
    else:
        desk = Desk.objects.select_for_update().get(pk=desk.pk)
        changed = [field for field, value in values.items() if getattr(desk, field) != value]
        for field, value in values.items():
            setattr(desk, field, value)
    desk.full_clean()
    if new or changed:
        desk.save()
        record(actor=actor, action=Action.CREATE if new else Action.CHANGE, obj=desk, fields=changed)
    return desk


@transaction.atomic
def remove_desk(*, actor: Actor, desk: Desk) -> None:
    ensure(actor, PERM)
    record(actor=actor, action=Action.DELETE, obj=desk, fields=[])
    desk.delete()
