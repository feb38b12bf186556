"""Safety flags on a person: raised by one person, lifted by two (``accounts/rules.py``, ``SafetyFlag``).

``with_flags`` is the one read every page showing people calls, once per page, before
``templates/people/_flags.html`` shows them beside each person's code.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from approdi.accounts.actor import Actor
from approdi.audit.models import Action
from approdi.audit.services import record
from approdi.core.permissions import ensure

from .models import Person, SafetyFlag


def with_flags(people: Iterable[Person | None]) -> None:
    """Sets ``safety_flags_raised`` (the flags not lifted, oldest first) on each of ``people``, in one query."""
    found = [person for person in people if person is not None]
    by_person: dict[int, list[SafetyFlag]] = {person.pk: [] for person in found}
    if by_person:
        for flag in SafetyFlag.objects.filter(person_id__in=by_person, lifted_at__isnull=True).select_related(
            "lift_requested_by"
        ):
            by_person[flag.person_id].append(flag)
    for person in found:
        person.safety_flags_raised = by_person[person.pk]  # type: ignore[attr-defined]


def flag_of(*, actor: Actor, person: Person, pk: int) -> SafetyFlag:
    """A flag still raised on ``person``, for whom keeps her (404 otherwise: she is not hers to see)."""
    if not actor.has_perm("people.view_safety_flags", person):
        raise Http404
    flag = SafetyFlag.objects.filter(person=person, pk=pk, lifted_at__isnull=True).select_related("person").first()
    if flag is None:
        raise Http404
    return flag


@transaction.atomic
def raise_flag(*, actor: Actor, person: Person, kind: str, detail: str = "") -> SafetyFlag:
    ensure(actor, "people.raise_safety_flag", person)
    detail = detail.strip()
    if kind == SafetyFlag.Kind.OTHER and not detail:
        raise ValidationError({"detail": [_("Say what the danger is.")]})
    flag = SafetyFlag(person=person, kind=kind, detail=detail, raised_by=actor)
    flag.full_clean()
    try:
        with transaction.atomic():
            flag.save()
    except IntegrityError:  # raised at the same moment by someone else: the database keeps one
        raise ValidationError({"kind": [_("This flag is raised on her already.")]}) from None
    record(actor=actor, action=Action.CREATE, obj=flag, fields=["kind", "detail"])
    return flag


@transaction.atomic
def request_lift(*, actor: Actor, flag: SafetyFlag, reason: str) -> SafetyFlag:
    """The first of the two people of a lift: she asks, with a reason; the flag stays until a second approves."""
    ensure(actor, "people.request_flag_lift", flag.person)
    flag = SafetyFlag.objects.select_for_update().select_related("person").get(pk=flag.pk)
    if flag.lifted_at is not None:
        raise ValidationError({"reason": [_("The flag has been lifted already.")]})
    if flag.lift_requested_by_id is not None:
        raise ValidationError({"reason": [_("Someone has asked to lift this flag already: another person approves.")]})
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": [_("Say why the danger is over.")]})
    flag.lift_requested_by = actor
    flag.lift_requested_at = timezone.now()
    flag.lift_reason = reason
    flag.full_clean()
    flag.save(update_fields=["lift_requested_by", "lift_requested_at", "lift_reason"])
    record(actor=actor, action=Action.CHANGE, obj=flag, fields=["lift_requested_by", "lift_reason"])
    return flag


@transaction.atomic
def approve_lift(*, actor: Actor, flag: SafetyFlag) -> SafetyFlag:
    """The second person of a lift: someone who keeps the person too, and not whom asked for it."""
    flag = SafetyFlag.objects.select_for_update().select_related("person").get(pk=flag.pk)
    if flag.lifted_at is not None:
        raise ValidationError(_("The flag has been lifted already."))
    if flag.lift_requested_by_id is None:
        raise ValidationError(_("Nobody has asked to lift this flag: ask first, with a reason."))
    if flag.lift_requested_by_id == actor.pk:
        raise PermissionDenied(_("Lifting a safety flag takes a second person: someone else approves your request."))
    ensure(actor, "people.approve_flag_lift", flag)
    flag.lifted_by = actor
    flag.lifted_at = timezone.now()
    flag.save(update_fields=["lifted_by", "lifted_at"])
    record(actor=actor, action=Action.CHANGE, obj=flag, fields=["lifted_by", "lifted_at"])
    return flag
