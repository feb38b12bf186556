"""Setting a network up from the interface: programme editions and their co-funding, organisations, areas.

The lead entity's coordinators and administrators do it (``network.manage_editions`` and
``network.manage_reference_data``); each change is audited in its own transaction.
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
from approdi.core.permissions import ensure

from .models import Area, CoFunding, Organisation, Programme
from .services import _open_partnership

if TYPE_CHECKING:
    from approdi.accounts.actor import Actor

EDITIONS = "network.manage_editions"
REFERENCE = "network.manage_reference_data"
# Wide enough for any edition of a grant (the longest run three years), narrow enough to catch a typed year.
LONGEST_EDITION_DAYS = 10 * 366


FIRST_YEAR, LAST_YEAR = 2000, 2099  # anti-trafficking programmes in Italy began with art. 18 (1998)


def _check_period(start: date, end: date) -> None:
    if not (start.year >= FIRST_YEAR and end.year <= LAST_YEAR):
        raise ValidationError(
            {"start": [_("An edition lies between %(first)d and %(last)d.") % {"first": FIRST_YEAR, "last": LAST_YEAR}]}
        )
    if end < start:
        raise ValidationError({"end": [_("An edition cannot end before it starts.")]})
    if (end - start).days > LONGEST_EDITION_DAYS:
        raise ValidationError({"end": [_("An edition lasts ten years at most: check the years.")]})


def _fill(programme: Programme, *, name: str, start: date, end: date, funder: str, call: str, budget) -> None:
    _check_period(start, end)
    programme.name = name.strip()
    programme.start, programme.end = start, end
    programme.funder, programme.call = funder.strip(), call.strip()
    programme.budget = budget


@transaction.atomic
def create_edition(
    *,
    actor: Actor,
    code: str,
    name: str,
    start: date,
    end: date,
    funder: str = "",
    call: str = "",
    budget: Decimal | None = None,
    areas=(),
) -> Programme:
    """A new edition led by the actor's organisation, with the actor's role carried into it.

    Her organisation becomes the lead entity and its first partner. Her acting membership, already
    approved by a second person, is carried over (same role, granter and approver): the new edition
    holds nobody's data yet, and every other role in it goes through the usual grant and approval.
    """
    from approdi.accounts.models import Membership

    ensure(actor, EDITIONS)
    acting = actor.active_membership
    if Programme.objects.filter(code__iexact=code.strip()).exists():
        raise ValidationError({"code": [_("An edition with this code exists already.")]})
    programme = Programme(code=code.strip(), lead_organisation=acting.organisation)
    _fill(programme, name=name, start=start, end=end, funder=funder, call=call, budget=budget)
    programme.full_clean()
    programme.save()
    programme.areas.set(areas)
    record(actor=actor, action=Action.CREATE, obj=programme, fields=[*changed_fields(None, programme), "areas"])
    _open_partnership(actor=actor, programme=programme, organisation=acting.organisation, joined=programme.start)
    carried = Membership(
        user=actor,
        organisation=acting.organisation,
        programme=programme,
        role=acting.role,
        status=Membership.Status.ACTIVE,
        granted_by_id=acting.granted_by_id,
        approved_by_id=acting.approved_by_id,
        approved_at=acting.approved_at,
    )
    carried.full_clean()
    carried.save()
    record(
        actor=actor,
        action=Action.CREATE,
        obj=carried,
        fields=["user", "role", "status"],
        organisation_id=acting.organisation_id,
        reason=f"carried over from membership {acting.pk} to the new edition",
    )
    return programme


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
    _fill(programme, name=name, start=start, end=end, funder=funder, call=call, budget=budget)
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
def remove_co_funding(*, actor: Actor, line: CoFunding) -> None:
    programme = line.programme
    _ensure_acting_edition(actor, programme)
    record(actor=actor, action=Action.DELETE, obj=line, fields=["contributor", "kind", "amount"])
    line.delete()
    _resum(programme)


# --- Reference data: organisations and territorial areas ----------------------------------------------


@transaction.atomic
def save_organisation(*, actor: Actor, code: str, name: str, type: str) -> tuple[Organisation, bool]:
    """Creates an organisation, or renames or retypes the one with this code.

    An organisation whose people hold roles cannot become a law-enforcement body: those hold no account.
    """
    from approdi.accounts.models import Membership

    ensure(actor, REFERENCE)
    organisation = Organisation.objects.filter(code__iexact=code.strip()).first()
    created = organisation is None
    before = None if organisation is None else Organisation.objects.get(pk=organisation.pk)
    organisation = organisation or Organisation(code=code.strip().lower())
    if (
        not created
        and type == Organisation.Type.ENFORCEMENT
        and Membership.objects.filter(organisation=organisation).exists()
    ):
        raise ValidationError(
            {"type": [_("People of this organisation hold roles in Approdi: it cannot become a law-enforcement body.")]}
        )
    organisation.name, organisation.type = name.strip(), type
    organisation.full_clean()
    organisation.save()
    record(
        actor=actor,
        action=Action.CREATE if created else Action.CHANGE,
        obj=organisation,
        fields=changed_fields(before, organisation),
    )
    return organisation, created


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
