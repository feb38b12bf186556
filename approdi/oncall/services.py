"""Planning the roster: the lead entity's coordinators and administrators (``oncall.manage_roster``)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from approdi.accounts.actor import Actor
from approdi.accounts.models import Membership
from approdi.accounts.roles import Role
from approdi.audit.models import Action
from approdi.audit.services import record
from approdi.core.permissions import ensure
from approdi.network.models import Programme
from approdi.network.services import ensure_partners

from .models import OnCallShift

MANAGE = "oncall.manage_roster"
LONGEST_SHIFT = timedelta(days=14)
# Who may be on call: the network's staff who work with people (not the administrator, nor the DPO).
ON_CALL_ROLES = tuple(r for r in Role.values if r not in (Role.ADMIN, Role.DPO))


def when(moment: datetime) -> str:
    return f"{timezone.localtime(moment):%d/%m/%Y %H:%M}"


def staff(*, actor: Actor):
    """The memberships of the acting programme whose holders may be put on call."""
    programme = actor.active_membership.programme
    return (
        Membership.objects.acting()
        .filter(programme=programme, role__in=ON_CALL_ROLES, user__is_active=True)
        .select_related("user", "organisation")
        .order_by("organisation__name", "user__last_name", "user__first_name", "user__username")
    )


@transaction.atomic
def add_shift(*, actor: Actor, membership: Membership, phone: str, start: datetime, end: datetime) -> OnCallShift:
    """Puts ``membership``'s holder on call from ``start`` to ``end``; one person at a time, audited."""
    ensure(actor, MANAGE)
    programme = actor.active_membership.programme
    if not staff(actor=actor).filter(pk=membership.pk).exists():
        raise ValidationError({"membership": [_("Choose a member of this programme's staff.")]})
    ensure_partners(programme, [membership.organisation])
    if end <= start:
        raise ValidationError({"end": [_("A shift ends after it starts.")]})
    if end - start > LONGEST_SHIFT:
        raise ValidationError({"end": [_("A shift lasts at most fourteen days: split a longer one.")]})
    # Two planners at once queue on the programme's row, so neither can slip an overlapping shift past the other.
    Programme.objects.select_for_update().filter(pk=programme.pk).first()
    overlapping = OnCallShift.objects.filter(programme=programme, start__lt=end, end__gt=start).first()
    if overlapping is not None:
        raise ValidationError(
            {
                "start": [
                    _("%(name)s is on call then already (%(start)s–%(end)s).")
                    % {
                        "name": overlapping.user.get_full_name() or overlapping.user.username,
                        "start": when(overlapping.start),
                        "end": when(overlapping.end),
                    }
                ]
            }
        )
    shift = OnCallShift(
        programme=programme,
        organisation=membership.organisation,
        user=membership.user,
        phone=phone.strip(),
        start=start,
        end=end,
        created_by=actor,
    )
    shift.full_clean()
    shift.save()
    record(actor=actor, action=Action.CREATE, obj=shift, fields=["organisation", "user", "phone", "start", "end"])
    return shift


@transaction.atomic
def remove_shift(*, actor: Actor, shift: OnCallShift) -> None:
    ensure(actor, MANAGE)
    record(actor=actor, action=Action.DELETE, obj=shift, fields=["user", "start", "end"])
    shift.delete()
