"""Legal support: permits (with renewals and conversions), complaints, proceedings, asylum, hearings."""

from __future__ import annotations

import copy
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from approdi.accounts.actor import Actor
from approdi.network.dates import check_not_future

from ..models import Case, Hearing, LegalMatter, Permit
from ._common import ensure_open, save_changes, save_new


@transaction.atomic
def apply_for_permit(
    *,
    actor: Actor,
    case: Case,
    type: str,
    application_date: date,
    questura: str,
    previous: Permit | None = None,
    change: str = "",
) -> Permit:
    """A permit application; with ``previous``, a renewal or a conversion of that permit."""
    ensure_open(actor, "cases.record_legal", case)
    check_not_future(application_date, field="application_date")
    if previous is not None:
        if previous.case_id != case.pk:
            raise ValidationError({"previous": [_("That permit belongs to another case.")]})
        if previous.status != Permit.Status.ISSUED:
            raise ValidationError({"previous": [_("Only an issued permit can be renewed or converted.")]})
        if not change:
            change = Permit.Change.RENEWAL if type == previous.type else Permit.Change.CONVERSION
    permit = Permit(
        case=case,
        type=type,
        application_date=application_date,
        questura=questura,
        previous=previous,
        change=change,
        created_by=actor,
    )
    return save_new(actor=actor, obj=permit, exclude=["case", "previous"])


@transaction.atomic
def issue_permit(*, actor: Actor, permit: Permit, issue_date: date, expiry: date) -> Permit:
    """The Questura issued it. A renewal or conversion issued retires the permit it follows."""
    ensure_open(actor, "cases.record_legal", permit.case)
    if permit.status != Permit.Status.APPLIED:
        raise ValidationError(_("Only a permit applied for can be issued."))
    check_not_future(issue_date, field="issue_date")
    before = copy.copy(permit)
    permit.status, permit.issue_date, permit.expiry = Permit.Status.ISSUED, issue_date, expiry
    save_changes(actor=actor, before=before, after=permit, exclude=["case", "previous"])
    if permit.previous is not None:
        previous = permit.previous
        before = copy.copy(previous)
        previous.status = Permit.Status.RENEWED if permit.change == Permit.Change.RENEWAL else Permit.Status.CONVERTED
        save_changes(actor=actor, before=before, after=previous, exclude=["case", "previous"])
    return permit


@transaction.atomic
def refuse_permit(*, actor: Actor, permit: Permit) -> Permit:
    ensure_open(actor, "cases.record_legal", permit.case)
    if permit.status != Permit.Status.APPLIED:
        raise ValidationError(_("Only a permit applied for can be refused."))
    before = copy.copy(permit)
    permit.status = Permit.Status.REFUSED
    save_changes(actor=actor, before=before, after=permit, exclude=["case", "previous"])
    return permit


@transaction.atomic
def open_matter(*, actor: Actor, case: Case, kind: str, day: date, authority: str, reference: str = "") -> LegalMatter:
    """A complaint (the date it was filed, to which authority), a proceeding or an asylum application."""
    ensure_open(actor, "cases.record_legal", case)
    check_not_future(day, field="day")
    matter = LegalMatter(case=case, kind=kind, date=day, authority=authority, reference=reference, created_by=actor)
    return save_new(actor=actor, obj=matter, exclude=["case"])


@transaction.atomic
def close_matter(*, actor: Actor, matter: LegalMatter, outcome: str) -> LegalMatter:
    ensure_open(actor, "cases.record_legal", matter.case)
    before = copy.copy(matter)
    matter.status, matter.outcome = LegalMatter.Status.CLOSED, outcome
    save_changes(actor=actor, before=before, after=matter, exclude=["case"])
    return matter


@transaction.atomic
def schedule_hearing(*, actor: Actor, matter: LegalMatter, starts_at: datetime, place: str, note: str = "") -> Hearing:
    """A court hearing, or the Commissione Territoriale's interview of an asylum application."""
    ensure_open(actor, "cases.record_legal", matter.case)
    if matter.kind == LegalMatter.Kind.COMPLAINT:
        raise ValidationError(_("A complaint has no hearings: open the criminal proceeding it started."))
    return save_new(
        actor=actor, obj=Hearing(matter=matter, starts_at=starts_at, place=place, note=note, created_by=actor)
    )
