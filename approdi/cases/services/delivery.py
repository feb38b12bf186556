"""Services delivered, and the programme's reference list of service types with their unit costs."""

from __future__ import annotations

import copy
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from approdi.accounts.actor import Actor
from approdi.core.permissions import ensure
from approdi.network.closing import check_open
from approdi.network.dates import check_activity

from ..models import Case, ServiceDelivery, ServiceType
from ._common import ensure_open, save_changes, save_new


@transaction.atomic
def record_service(
    *,
    actor: Actor,
    case: Case,
    service_type: ServiceType,
    day: date,
    quantity: Decimal = Decimal(1),
    duration_minutes: int | None = None,
    reason: str = "",
) -> ServiceDelivery:
    """A service the actor's organisation delivered. Its unit cost is the list's on that day.

    A ``day`` in a closed period (``approdi.network.closing``) is the lead coordinator's, with a ``reason``.
    """
    ensure_open(actor, "cases.work_on_case", case)
    if service_type.programme_id != case.programme_id or not service_type.active:
        raise ValidationError({"service_type": [_("Choose a service of this programme's list.")]})
    check_activity(day, programme=case.programme, field="day")
    note = check_open(day, programme=case.programme, actor=actor, reason=reason, field="day")
    if day < case.start:
        raise ValidationError({"day": [_("The service cannot come before the case starts.")]})
    delivery = ServiceDelivery(
        case=case,
        service_type=service_type,
        date=day,
        quantity=quantity,
        duration_minutes=duration_minutes,
        unit_cost=service_type.unit_cost,
        organisation=actor.active_membership.organisation,
        operator=actor,
    )
    return save_new(actor=actor, obj=delivery, exclude=["case", "service_type"], reason=note)


@transaction.atomic
def save_service_type(
    *, actor: Actor, programme, code: str, name: str, unit: str, unit_cost: Decimal, active: bool = True
) -> ServiceType:
    """Adds a line to the reference list or changes one. Services recorded before keep their cost."""
    ensure(actor, "cases.manage_service_types")
    existing = ServiceType.objects.filter(programme=programme, code=code).first()
    if existing is None:
        return save_new(
            actor=actor,
            obj=ServiceType(programme=programme, code=code, name=name, unit=unit, unit_cost=unit_cost, active=active),
        )
    before = copy.copy(existing)
    existing.name, existing.unit, existing.unit_cost, existing.active = name, unit, unit_cost, active
    save_changes(actor=actor, before=before, after=existing)
    return existing
