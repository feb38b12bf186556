"""Setting a network up from the interface: programme editions and their co-funding, organisations, areas.

The lead entity's coordinators and administrators do it (``network.manage_editions`` and
``network.manage_reference_data``); each change is audited in its own transaction. Creating an edition
and saving an organisation touch memberships, so they are accounts' (approdi/accounts/network_setup.py).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from approdi.audit.models import Action
from approdi.audit.services import changed_fields, record
from approdi.core.period import FIRST_YEAR, LAST_YEAR
from approdi.core.permissions import ensure

from .models import Area, CoFunding, Programme

if TYPE_CHECKING:
    from approdi.accounts.actor import Actor

EDITIONS = "network.manage_editions"
REFERENCE = "network.manage_reference_data"
# Wide enough for any edition of a grant (the longest run three years), narrow enough to catch a typed year.
LONGEST_EDITION_DAYS = 10 * 366


def _check_period(start: date, end: date) -> None:
    if not (start.year >= FIRST_YEAR and end.year <= LAST_YEAR):
        raise ValidationError(
            {"start": [_("An edition lies between %(first)d and %(last)d.") % {"first": FIRST_YEAR, "last": LAST_YEAR}]}
        )
    if end < start:
        raise ValidationError({"end": [_("An edition cannot end before it starts.")]})
    if (end - start).days > LONGEST_EDITION_DAYS:
        raise ValidationError({"end": [_("An edition lasts ten years at most: check the years.")]})


def fill_edition(programme: Programme, *, name: str, start: date, end: date, funder: str, call: str, budget) -> None:
    _check_period(start, end)
    programme.name = name.strip()
    programme.start, programme.end = start, end
    programme.funder, programme.call = funder.strip(), call.strip()
    programme.budget = budget


def _ensure_acting_edition(actor: Actor, programme: Programme) -> None:
    """Only the edition the actor acts in, where she is at the lead entity, changes."""
    ensure(actor, EDITIONS)
    if actor.active_membership.programme_id != programme.pk:
        raise PermissionDenied


@transaction.atomic
def update_edition(
    *,
    actor: Actor,
    programme: Programme,
    name: str,
    start: date,
    end: date,
    funder: str = "",
    call: str = "",
    budget: Decimal | None = None,
    areas=(),
    labour_breakdown: bool | None = None,
) -> Programme:
    """Changes an edition's name, funder, call, budget, areas or period; the period may grow, never shrink.

    Work already recorded lies within the period, and would fall outside a shorter one.
    """
    _ensure_acting_edition(actor, programme)
    before = Programme.objects.get(pk=programme.pk)
    if start > before.start or end < before.end:
        raise ValidationError(
            {"start": [_("The period of an edition can grow but not shrink: work may be recorded in it already.")]}
        )
    fill_edition(programme, name=name, start=start, end=end, funder=funder, call=call, budget=budget)
    if labour_breakdown is not None:
        programme.labour_breakdown = labour_breakdown
    programme.full_clean()
    programme.save()
    fields = changed_fields(before, programme)
    if {a.pk for a in areas} != set(before.areas.values_list("pk", flat=True)):
        programme.areas.set(areas)
        fields.append("areas")
    record(actor=actor, action=Action.CHANGE, obj=programme, fields=fields)
    return programme


def _resum(programme: Programme) -> None:
    total = CoFunding.objects.filter(programme=programme).aggregate(total=Sum("amount"))["total"]
    programme.co_funding = total
    programme.save(update_fields=["co_funding"])


@transaction.atomic
def add_co_funding(
    *, actor: Actor, programme: Programme, contributor: str, kind: str, amount: Decimal, description: str = ""
) -> CoFunding:
    """A co-funding line, in money or in kind; the edition's co-funding becomes the sum of its lines."""
    _ensure_acting_edition(actor, programme)
    line = CoFunding(
        programme=programme,
        contributor=contributor.strip(),
        kind=kind,
        amount=amount,
        description=description.strip(),
    )
    line.full_clean()
    line.save()
    _resum(programme)
    record(actor=actor, action=Action.CREATE, obj=line, fields=["contributor", "kind", "amount", "description"])
    return line


@transaction.atomic
def change_co_funding(
    *, actor: Actor, line: CoFunding, contributor: str, kind: str, amount: Decimal, description: str = ""
) -> CoFunding:
    """Corrects a line in place (a contributor's name, an in-kind value the funder revised); the sum follows."""
    _ensure_acting_edition(actor, line.programme)
    before = CoFunding.objects.get(pk=line.pk)
    line.contributor, line.kind, line.amount = contributor.strip(), kind, amount
    line.description = description.strip()
    line.full_clean()
    line.save()
    _resum(line.programme)
    record(actor=actor, action=Action.CHANGE, obj=line, fields=changed_fields(before, line))
    return line


@transaction.atomic
def remove_co_funding(*, actor: Actor, line: CoFunding) -> None:
    programme = line.programme
    _ensure_acting_edition(actor, programme)
    record(actor=actor, action=Action.DELETE, obj=line, fields=["contributor", "kind", "amount"])
    line.delete()
    _resum(programme)


# --- Reference data: organisations and territorial areas ----------------------------------------------


@transaction.atomic
def save_area(*, actor: Actor, code: str, name: str) -> tuple[Area, bool]:
    """Creates a territorial area, or renames the one with this code."""
    ensure(actor, REFERENCE)
    area = Area.objects.filter(code__iexact=code.strip()).first()
    created = area is None
    before = None if area is None else Area.objects.get(pk=area.pk)
    area = area or Area(code=code.strip().upper())
    area.name = name.strip()
    area.full_clean()
    area.save()
    record(
        actor=actor, action=Action.CREATE if created else Action.CHANGE, obj=area, fields=changed_fields(before, area)
    )
    return area, created
