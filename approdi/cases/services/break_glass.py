"""Break-glass: opening a case off its team in an emergency, and telling the DPO and the case manager of it.

A member of a case role (``cases.break_glass``) names an open case of her programme by its person code and says
why; the access lasts ``APPRODI_BREAK_GLASS_HOURS`` (4 by default) and grants reading only (``rules``:
``cases.read_in_emergency``). The grant is audited with its reason. Each morning ``send_break_glass_notices``
e-mails the DPO and the case manager the case's code and a link, never an identity, and marks the grant notified.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from approdi.accounts.actor import Actor
from approdi.accounts.models import Membership
from approdi.accounts.notifications import link as site_link
from approdi.accounts.roles import Role
from approdi.audit.models import Action
from approdi.audit.services import record
from approdi.core.permissions import ensure

from ..models import BreakGlass, Case
from ..models.break_glass import REASON_MAX_LENGTH, REASON_MIN_LENGTH, REFUSED_OBJECT_TYPE


def open_in_emergency(*, actor: Actor, code: str, reason: str) -> BreakGlass:
    """Opens the programme's open case of the person coded ``code`` to the actor, for a few hours, for ``reason``.

    A refusal is audited too (with the code typed and the reason given): someone trying codes at night is what
    the DPO must see.
    """
    ensure(actor, "cases.break_glass")
    try:
        return _open(actor=actor, code=code, reason=reason)
    except ValidationError as refusal:
        record(
            actor=actor,
            action=Action.PERMISSION_DENIED,
            object_type=REFUSED_OBJECT_TYPE,
            object_id=code.strip()[:64],
            fields=sorted(refusal.message_dict),
            reason=" ".join(reason.split())[:REASON_MAX_LENGTH],
        )
        raise


@transaction.atomic
def _open(*, actor: Actor, code: str, reason: str) -> BreakGlass:
    reason = " ".join(reason.split())
    if len(reason) < REASON_MIN_LENGTH:
        raise ValidationError(
            {"reason": [_("Say why you must open this case (at least %(n)s characters).") % {"n": REASON_MIN_LENGTH}]}
        )
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError({"reason": [_("At most %(n)s characters.") % {"n": REASON_MAX_LENGTH}]})
    code = code.strip()
    case = (
        Case.objects.filter(person__code__iexact=code, programme_id=actor.active_membership.programme_id)
        .exclude(status=Case.Status.CLOSED)
        .first()
        if code
        else None
    )
    if case is None:
        raise ValidationError({"code": [_("No open case of this programme has this person code.")]})
    seated = case.members.filter(user=actor, removed_at__isnull=True).exists()
    if seated or BreakGlass.objects.active().filter(case=case, user=actor).exists():
        raise ValidationError({"code": [_("You already see this case: open it from your cases.")]})
    now = timezone.now()
    grant = BreakGlass(
        case=case,
        user=actor,
        role=actor.active_membership.role,
        reason=reason,
        started_at=now,
        ends_at=now + timedelta(hours=settings.APPRODI_BREAK_GLASS_HOURS),
    )
    grant.full_clean()
    grant.save()
    record(actor=actor, action=Action.BREAK_GLASS, obj=case, fields=["person"], reason=reason)
    return grant


def _recipients(grant: BreakGlass) -> tuple[list[str], list[str]]:
    """The e-mail addresses of the programme's DPOs (of the lead entity and of the case's organisation) and of
    the case manager."""
    case = grant.case
    dpos = (
        Membership.objects.acting()
        .filter(programme_id=case.programme_id, role=Role.DPO)
        .filter(organisation_id__in={case.programme.lead_organisation_id, case.lead_organisation_id})
        .exclude(user__email="")
        .values_list("user__email", flat=True)
    )
    manager = case.case_manager
    managers = [manager.email] if manager is not None and manager.is_active and manager.email else []
    return sorted(set(dpos)), managers


def _when(moment: datetime) -> str:
    return date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")


def send_notices(*, now: datetime | None = None, dry_run: bool = False) -> list[str]:
    """Tells the DPO and the case manager of every emergency access not yet notified; one line per access.

    Each access is claimed (``notified_at``) in the transaction that sends its e-mails, so it goes once however
    often the command runs. The e-mails carry the case's code, the time span and a link: never a name.
    """
    now = now or timezone.now()
    lines = []
    with scopes_disabled(), translation.override(settings.LANGUAGE_CODE):
        pending = (
            BreakGlass.objects.filter(notified_at__isnull=True, started_at__lte=now)
            .select_related("case__person", "case__programme", "case__case_manager")
            .order_by("started_at", "id")
        )
        for grant in pending:
            code = grant.case.person.code
            span = {"code": code, "start": _when(grant.started_at), "end": _when(grant.ends_at)}
            line = _("%(code)s: opened in an emergency from %(start)s to %(end)s") % span
            if dry_run:
                lines.append(line)
                continue
            dpos, managers = _recipients(grant)
            with transaction.atomic():
                if not BreakGlass.objects.filter(pk=grant.pk, notified_at__isnull=True).update(notified_at=now):
                    continue  # another run sent it
                lines.append(line)
                grant.notified_at = now
                record(action=Action.CHANGE, obj=grant, fields=["notified_at"], username="send_break_glass_notices")
                subject = _("Approdi: a case was opened in an emergency (%(code)s)") % {"code": code}
                if dpos:
                    link = site_link(reverse("cases:break_glass_review"))
                    send_mail(
                        subject=subject,
                        message=_("%(line)s.\n\nReview the emergency accesses in Approdi: %(link)s")
                        % {"line": line, "link": link},
                        from_email=None,
                        recipient_list=dpos,
                    )
                if managers:
                    link = site_link(reverse("cases:case_detail", args=[grant.case_id]))
                    send_mail(
                        subject=subject,
                        message=_("%(line)s.\n\nYou manage this case: %(link)s") % {"line": line, "link": link},
                        from_email=None,
                        recipient_list=managers,
                    )
    return lines
