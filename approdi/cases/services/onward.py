"""A transfer to another project of the national network: sent, answered, her arrival (which closes this
programme's case with outcome ``transfer``), and the follow-up a month later."""

from __future__ import annotations

import copy
from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from approdi.accounts.actor import Actor
from approdi.core.conflicts import Conflict
from approdi.core.permissions import ensure
from approdi.directory.models import Body
from approdi.network.dates import check_not_future
from approdi.shelter.models import Placement

from ..models import Case, ExternalTransfer, Outcome
from ..models.onward import FOLLOW_UP_AFTER, RECEIVING_TYPES
from ._common import ensure_open, lock, save_changes, save_new
from .case import close_case


def _locked(transfer: ExternalTransfer) -> Case:
    """Locks the transfer's case (every change of the case's state queues there) and reloads the transfer."""
    case = transfer.case
    lock(case)
    transfer.refresh_from_db()
    return case


@transaction.atomic
def send_external_transfer(*, actor: Actor, case: Case, body: Body, sent_on: date) -> ExternalTransfer:
    """Records that the person's transfer was asked of another project of the network (a directory entry)."""
    lock(case)
    ensure_open(actor, "cases.manage_case", case)
    if body.programme_id != case.programme_id or body.type not in RECEIVING_TYPES:
        raise ValidationError({"body": [_("Choose a project of the network from this programme's directory.")]})
    check_not_future(sent_on, field="sent_on")
    if sent_on < case.start:
        raise ValidationError({"sent_on": [_("The transfer cannot be sent before the case starts.")]})
    if any(t.under_way for t in case.external_transfers.all()):
        raise Conflict({"body": [_("A transfer of this person to another project is under way already.")]})
    transfer = ExternalTransfer(case=case, body=body, sent_on=sent_on, sent_by=actor)
    try:
        with transaction.atomic():
            save_new(actor=actor, obj=transfer)
    except IntegrityError as error:  # the database's one_external_transfer_under_way
        raise Conflict({"body": [_("A transfer of this person to another project is under way already.")]}) from error
    return transfer


@transaction.atomic
def answer_external_transfer(
    *, actor: Actor, transfer: ExternalTransfer, accepted: bool, day: date
) -> ExternalTransfer:
    """The receiving project accepted or refused her, on ``day``."""
    case = _locked(transfer)
    ensure_open(actor, "cases.manage_case", case)
    if transfer.answer != ExternalTransfer.Answer.PENDING:
        raise Conflict(_("This transfer has been answered already."))
    check_not_future(day, field="day")
    if day < transfer.sent_on:
        raise ValidationError({"day": [_("The answer comes after the transfer was sent.")]})
    before = copy.copy(transfer)
    transfer.answer = ExternalTransfer.Answer.ACCEPTED if accepted else ExternalTransfer.Answer.REFUSED
    transfer.answered_on = day
    save_changes(actor=actor, before=before, after=transfer, exclude=["case", "body"])
    return transfer


@transaction.atomic
def record_arrival(*, actor: Actor, transfer: ExternalTransfer, day: date) -> ExternalTransfer:
    """She arrived at the receiving project: this programme's case closes with outcome ``transfer`` on that day,
    and her case manager's follow-up falls due a month later."""
    case = _locked(transfer)
    ensure_open(actor, "cases.manage_case", case)
    if transfer.answer != ExternalTransfer.Answer.ACCEPTED or transfer.arrived_on is not None:
        raise Conflict(_("Only a transfer the receiving project accepted waits for her arrival."))
    check_not_future(day, field="day")
    if transfer.answered_on is not None and day < transfer.answered_on:
        raise ValidationError({"day": [_("She arrives only after the receiving project accepted her.")]})
    if Placement.objects.filter(person_id=case.person_id, programme_id=case.programme_id, end__isnull=True).exists():
        # Her bed here is the shelter's to free (exit: transfer); the funder's figures then end her stay that day.
        raise ValidationError(
            {"day": [_("She still has a bed in one of this programme's structures: the shelter ends her stay first.")]}
        )
    before = copy.copy(transfer)
    transfer.arrived_on = day
    transfer.follow_up_due = day + FOLLOW_UP_AFTER
    save_changes(actor=actor, before=before, after=transfer, exclude=["case", "body"])
    close_case(actor=actor, case=case, day=day, outcome=Outcome.TRANSFERRED)
    return transfer


@transaction.atomic
def record_follow_up(*, actor: Actor, transfer: ExternalTransfer, day: date, text: str) -> ExternalTransfer:
    """How she is, a month after her arrival. The case is closed by then: only this is written on it."""
    case = _locked(transfer)
    ensure(actor, "cases.manage_case", case)
    if transfer.arrived_on is None or transfer.followed_up_on is not None:
        raise Conflict(_("Only a transfer whose person arrived waits for its follow-up."))
    check_not_future(day, field="day")
    if day < transfer.arrived_on:
        raise ValidationError({"day": [_("The follow-up comes after her arrival.")]})
    if not text.strip():
        raise ValidationError({"text": [_("Say how she is, and who you heard it from.")]})
    before = copy.copy(transfer)
    transfer.followed_up_on = day
    transfer.follow_up = text
    save_changes(actor=actor, before=before, after=transfer, exclude=["case", "body"])
    return transfer
