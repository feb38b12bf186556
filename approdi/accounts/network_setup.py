"""Setting the network up where it touches accounts: a new edition carries its creator's role into it, and
an organisation whose people hold roles cannot become a law-enforcement body (approdi/network/editions.py
does the rest).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from approdi.audit.models import Action
from approdi.audit.services import changed_fields, record
from approdi.core.permissions import ensure
from approdi.network.editions import EDITIONS, REFERENCE, fill_edition
from approdi.network.models import Organisation, Programme
from approdi.network.services import open_partnership

from .models import Membership


@transaction.atomic
def create_edition(
    *,
    actor,
    code: str,
    name: str,
    start: date,
    end: date,
    funder: str = "",
    call: str = "",
    budget: Decimal | None = None,
    areas=(),
    labour_breakdown: bool = False,
) -> Programme:
    """A new edition led by the actor's organisation, with the actor's role carried into it.

    Her organisation becomes the lead entity and its first partner. Her acting membership, already
    approved by a second person, is carried over (same role, granter and approver): the new edition
    holds nobody's data yet, and every other role in it goes through the usual grant and approval.
    """
    ensure(actor, EDITIONS)
    acting = actor.active_membership
    if Programme.objects.filter(code__iexact=code.strip()).exists():
        raise ValidationError({"code": [_("An edition with this code exists already.")]})
    programme = Programme(code=code.strip(), lead_organisation=acting.organisation)
    fill_edition(programme, name=name, start=start, end=end, funder=funder, call=call, budget=budget)
    programme.labour_breakdown = labour_breakdown
    programme.full_clean()
    programme.save()
    programme.areas.set(areas)
    record(actor=actor, action=Action.CREATE, obj=programme, fields=[*changed_fields(None, programme), "areas"])
    open_partnership(actor=actor, programme=programme, organisation=acting.organisation, joined=programme.start)
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


@transaction.atomic
def save_organisation(*, actor, code: str, name: str, type: str) -> tuple[Organisation, bool]:
    """Creates an organisation, or renames or retypes the one with this code.

    An organisation whose people hold roles cannot become a law-enforcement body: those hold no account.
    """
    ensure(actor, REFERENCE)
    organisation = Organisation.objects.filter(code__iexact=code.strip()).first()
    created = organisation is None
    before = None if created else Organisation.objects.get(pk=organisation.pk)
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
