"""An assisted voluntary return (with IOM), followed through its steps: the request to IOM, IOM's answer, the
travel documents and the planned departure, her departure (which closes this programme's case with outcome
``assisted_return``, never before), her arrival confirmed, and the reintegration follow-up.

Who must act is told (accounts/notifications.py): the case team when IOM accepted (the documents to prepare) and
when the departure is planned (her bed, her things, her goodbye); the case manager sees on My work a departure
whose day passed unconfirmed and the reintegration follow-up falling due. A notice names the person by her code
only: never the notes, the reference or the country.
"""

from __future__ import annotations

import copy
from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from approdi.accounts import notifications
from approdi.accounts.actor import Actor
from approdi.core.conflicts import Conflict
from approdi.core.permissions import ensure
from approdi.directory.models import Body
from approdi.network.dates import check_not_future
from approdi.shelter.models import Placement

from ..models import AssistedReturn, Case, Outcome
from ..models.onward import REINTEGRATION_AFTER, RETURN_TYPES
from ._common import ensure_open, lock, save_changes, save_new
from .case import close_case

KIND = "return_step"
EXCLUDE = ["case", "body"]


def _locked(item: AssistedReturn) -> Case:
    case = item.case
    lock(case)
    item.refresh_from_db()
    return case


def _tell_team(*, actor: Actor, case: Case) -> None:
    """The case team (but whom recorded the step) is told there is a return to prepare: the code and a link."""
    members = [seat.user for seat in case.members.filter(removed_at__isnull=True).select_related("user")]
    if case.case_manager is not None:
        members.append(case.case_manager)
    recipients = [user for user in members if user.pk != actor.pk]
    code = case.person.code
    path = reverse("cases:case_detail", args=[case.pk]) + "#return"
    notifications.announce(kind=KIND, programme_id=case.programme_id, recipients=recipients, code=code, path=path)


def _check_day(day: date, after: date | None, message: str) -> None:
    check_not_future(day, field="day")
    if after is not None and day < after:
        raise ValidationError({"day": [message]})


@transaction.atomic
def request_return(*, actor: Actor, case: Case, body: Body, requested_on: date, notes: str = "") -> AssistedReturn:
    """She asked to go home: the request sent to IOM (a directory entry), with what documents she needs."""
    lock(case)
    ensure_open(actor, "cases.manage_case", case)
    if body.programme_id != case.programme_id or body.type not in RETURN_TYPES:
        raise ValidationError({"body": [_("Choose IOM (or whom acts for it) from this programme's directory.")]})
    check_not_future(requested_on, field="requested_on")
    if requested_on < case.start:
        raise ValidationError({"requested_on": [_("The request cannot come before the case starts.")]})
    if any(r.under_way for r in case.assisted_returns.all()):
        raise Conflict({"body": [_("An assisted voluntary return of this person is under way already.")]})
    item = AssistedReturn(case=case, body=body, requested_on=requested_on, notes=notes, requested_by=actor)
    try:
        with transaction.atomic():
            save_new(actor=actor, obj=item)
    except IntegrityError as error:  # the database's one_assisted_return_under_way
        raise Conflict({"body": [_("An assisted voluntary return of this person is under way already.")]}) from error
    return item


@transaction.atomic
def answer_return(
    *, actor: Actor, item: AssistedReturn, accepted: bool, day: date, reference: str = ""
) -> AssistedReturn:
    """IOM accepted (with its reference) or refused the return on ``day``. Accepted: the team is told."""
    case = _locked(item)
    ensure_open(actor, "cases.manage_case", case)
    if item.answer != AssistedReturn.Answer.PENDING or item.withdrawn_on is not None:
        raise Conflict(_("This return has been answered already."))
    _check_day(day, item.requested_on, _("IOM's answer comes after the request."))
    before = copy.copy(item)
    item.answer = AssistedReturn.Answer.ACCEPTED if accepted else AssistedReturn.Answer.REFUSED
    item.answered_on = day
    item.reference = reference.strip()
    save_changes(actor=actor, before=before, after=item, exclude=EXCLUDE)
    if accepted:
        _tell_team(actor=actor, case=case)
    return item


@transaction.atomic
def record_documents(*, actor: Actor, item: AssistedReturn, day: date, departure_planned: date) -> AssistedReturn:
    """Her travel documents are ready on ``day``, and she leaves on ``departure_planned``: the team is told."""
    case = _locked(item)
    ensure_open(actor, "cases.manage_case", case)
    if item.step != "documents":
        raise Conflict(_("Travel documents are recorded once IOM accepted the return, and once."))
    _check_day(day, item.answered_on, _("The travel documents come after IOM accepted the return."))
    if departure_planned < day:
        raise ValidationError({"departure_planned": [_("She leaves after her travel documents are ready.")]})
    before = copy.copy(item)
    item.documents_on, item.departure_planned = day, departure_planned
    save_changes(actor=actor, before=before, after=item, exclude=EXCLUDE)
    _tell_team(actor=actor, case=case)
    return item


@transaction.atomic
def confirm_departure(*, actor: Actor, item: AssistedReturn, day: date) -> AssistedReturn:
    """She left on ``day``: this programme's case closes on that day with outcome ``assisted_return``."""
    case = _locked(item)
    ensure_open(actor, "cases.manage_case", case)
    if item.step != "departed":
        raise Conflict(_("Only a return with its travel documents ready waits for her departure."))
    _check_day(day, item.documents_on, _("She leaves only once her travel documents are ready."))
    if Placement.objects.filter(person_id=case.person_id, programme_id=case.programme_id, end__isnull=True).exists():
        # Her bed here is the shelter's to free (exit: assisted return): the funder's figures end her stay that day.
        raise ValidationError(
            {"day": [_("She still has a bed in one of this programme's structures: the shelter ends her stay first.")]}
        )
    before = copy.copy(item)
    item.departed_on = day
    save_changes(actor=actor, before=before, after=item, exclude=EXCLUDE)
    close_case(actor=actor, case=case, day=day, outcome=Outcome.ASSISTED_RETURN)
    return item


@transaction.atomic
def confirm_arrival(*, actor: Actor, item: AssistedReturn, day: date) -> AssistedReturn:
    """IOM confirmed her arrival on ``day``: the reintegration follow-up falls due three months later."""
    case = _locked(item)
    ensure(actor, "cases.manage_case", case)  # the case is closed by then
    if item.step != "arrived":
        raise Conflict(_("Only a return whose departure is confirmed waits for her arrival."))
    _check_day(day, item.departed_on, _("Her arrival is confirmed after her departure."))
    before = copy.copy(item)
    item.arrived_on, item.reintegration_due = day, day + REINTEGRATION_AFTER
    save_changes(actor=actor, before=before, after=item, exclude=EXCLUDE)
    return item


@transaction.atomic
def record_reintegration(*, actor: Actor, item: AssistedReturn, day: date, text: str) -> AssistedReturn:
    """How her reintegration goes, heard from IOM or from her."""
    case = _locked(item)
    ensure(actor, "cases.manage_case", case)
    if item.step != "reintegration":
        raise Conflict(_("Only a return whose arrival is confirmed waits for its reintegration follow-up."))
    _check_day(day, item.arrived_on, _("The reintegration follow-up comes after her arrival."))
    if not text.strip():
        raise ValidationError({"text": [_("Say how her reintegration goes, and who you heard it from.")]})
    before = copy.copy(item)
    item.reintegration_on, item.reintegration = day, text
    save_changes(actor=actor, before=before, after=item, exclude=EXCLUDE)
    return item


@transaction.atomic
def withdraw_return(*, actor: Actor, item: AssistedReturn, day: date) -> AssistedReturn:
    """She changed her mind (or it cannot be done) before leaving: the case goes on here."""
    case = _locked(item)
    ensure_open(actor, "cases.manage_case", case)
    if not item.under_way:
        raise Conflict(_("Only a return under way can be withdrawn."))
    _check_day(day, item.requested_on, _("A return is withdrawn after it was requested."))
    before = copy.copy(item)
    item.withdrawn_on = day
    save_changes(actor=actor, before=before, after=item, exclude=EXCLUDE)
    notifications.settle(kind=KIND, path=reverse("cases:case_detail", args=[case.pk]) + "#return")
    return item
