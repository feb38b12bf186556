"""The results a programme promised its funder (seed 000: over 200 people in shelters, 4,000 street
contacts). The lead entity's coordinators and administrators set them; the dashboard compares."""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING

from django.db import transaction

from approdi.audit.models import Action
from approdi.audit.services import changed_fields, record
from approdi.core.permissions import ensure

from .models import Programme, Target

if TYPE_CHECKING:
    from approdi.accounts.actor import Actor

PERM = "network.manage_targets"


def targets_of(*, actor: Actor, programme: Programme) -> dict[str, Target]:
    ensure(actor, PERM)
    return {target.indicator: target for target in programme.targets.all()}


@transaction.atomic
def save_targets(*, actor: Actor, programme: Programme, values: dict[str, tuple[int | None, str]]) -> None:
    """Sets each indicator's target value and description; a value of None removes the target."""
    ensure(actor, PERM)
    current = {target.indicator: target for target in programme.targets.select_for_update()}
    for indicator, (value, description) in values.items():
        target = current.get(indicator)
        if value is None:
            if target is not None:
                record(actor=actor, action=Action.DELETE, obj=target, fields=["value"])
                target.delete()
            continue
        if target is None:
            target = Target(programme=programme, indicator=indicator, value=value, description=description)
            target.full_clean()
            target.save()
            record(actor=actor, action=Action.CREATE, obj=target, fields=["indicator", "value", "description"])
            continue
        before = copy.copy(target)
        target.value, target.description = value, description
        fields = changed_fields(before, target)
        if fields:
            target.full_clean()
            target.save()
            record(actor=actor, action=Action.CHANGE, obj=target, fields=fields)
