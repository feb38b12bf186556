"""The case's life: assignment, team and sharing, transfer, suspension, notes, closure."""

from __future__ import annotations

import copy
from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from approdi.accounts import notifications
from approdi.accounts.actor import Actor
from approdi.accounts.models import Membership
from approdi.accounts.roles import Role
from approdi.audit.models import Action
from approdi.audit.services import record
from approdi.core.conflicts import Conflict
from approdi.core.permissions import ensure
from approdi.network.dates import check_not_future
from approdi.people.models import ConsentPurpose, Person
from approdi.people.services import has_consent, write_exit_record

from ..models import Case, Note, Outcome, TeamMember, TeamRole, Transfer
from ..models.case import confidentiality_for
from ..models.onward import RETURN_UNDER_WAY
from ._common import ensure_open, lock, save_changes, save_new

# Memberships that may sit on a case team, and the seat each takes by default.
SEAT_FOR_ROLE = {
    Role.CASE_WORKER: TeamRole.CASE_WORKER,
    Role.LEGAL: TeamRole.LEGAL,
    Role.SHELTER: TeamRole.EDUCATOR,
    Role.FILTRO: TeamRole.CASE_WORKER,
}


def _membership(user, case: Case) -> Membership:
    membership = (
        Membership.objects.acting()
        .filter(user=user, programme_id=case.programme_id, role__in=list(SEAT_FOR_ROLE))
        .select_related("organisation")
        .first()
    )
    if membership is None or not user.is_active:
        raise ValidationError({"user": [_("This user does not work on cases in this programme.")]})
    return membership


def _require_sharing_consent(case: Case, organisation_id: int) -> None:
    if organisation_id != case.lead_organisation_id and not has_consent(case.person, ConsentPurpose.NETWORK_SHARING):
        raise ValidationError({"user": [_("The person has not consented to share her case with other organisations.")]})


def _seat(*, actor: Actor, case: Case, user, role: str) -> TeamMember:
    current = case.members.filter(user=user, removed_at__isnull=True).first()
    if current is not None:
        if current.role != role:
            before = copy.copy(current)
            current.role = role
            save_changes(actor=actor, before=before, after=current)
        return current
    organisation = _membership(user, case).organisation
    _require_sharing_consent(case, organisation.pk)
    seat = TeamMember(case=case, user=user, organisation=organisation, role=role, added_by=actor)
    return save_new(actor=actor, obj=seat)


def _unseat(*, actor: Actor, seat: TeamMember) -> None:
    seat.removed_at = timezone.now()
    seat.removed_by = actor
    seat.save(update_fields=["removed_at", "removed_by"])
    record(actor=actor, action=Action.CHANGE, obj=seat, fields=["removed_at"])


@transaction.atomic
def assign_case(*, actor: Actor, case: Case, case_manager) -> Case:
    """The Ufficio Filtro gives the case to a case manager; her organisation leads it from now on."""
    lock(case)
    ensure_open(actor, "cases.assign_case", case)
    membership = _membership(case_manager, case)
    before = copy.copy(case)
    old_manager_id = case.case_manager_id
    case.case_manager = case_manager
    case.lead_organisation = membership.organisation
    save_changes(actor=actor, before=before, after=case, exclude=["person", "decision"])
    if old_manager_id and old_manager_id != case_manager.pk:
        for seat in case.members.filter(user_id=old_manager_id, removed_at__isnull=True):
            _unseat(actor=actor, seat=seat)
    _seat(actor=actor, case=case, user=case_manager, role=TeamRole.CASE_MANAGER)
    if old_manager_id != case_manager.pk:
        _tell(kind="assigned", case=case, user=case_manager, path=reverse("cases:case_detail", args=[case.pk]))
    return case


def _tell(*, kind: str, case: Case, user, path: str) -> None:
    """The one person the event is for: the person's code and a link, in this transaction."""
    code = (
        case.person.code
        if Case.person.is_cached(case)
        else Person.objects.filter(pk=case.person_id).values_list("code", flat=True).get()  # not her identity
    )
    notifications.announce(kind=kind, programme_id=case.programme_id, recipients=[user], code=code, path=path)


@transaction.atomic
def add_team_member(*, actor: Actor, case: Case, user, role: str) -> TeamMember:
    """Adds a named user. A user of another organisation (sharing) needs the person's consent."""
    lock(case)
    ensure_open(actor, "cases.manage_case", case)
    if role == TeamRole.CASE_MANAGER:
        raise ValidationError({"role": [_("The case manager is chosen by assigning or transferring the case.")]})
    return _seat(actor=actor, case=case, user=user, role=role)


@transaction.atomic
def remove_team_member(*, actor: Actor, case: Case, seat: TeamMember) -> None:
    """Ends a seat on the team (revokes a share); the row stays, with who removed it and when."""
    lock(case)
    ensure(actor, "cases.manage_case", case)
    seat.refresh_from_db()
    if seat.case_id != case.pk or seat.removed_at is not None:
        raise ValidationError(_("This person is not on the team."))
    if seat.role == TeamRole.CASE_MANAGER:
        raise ValidationError(_("The case manager stays on the team: assign or transfer the case instead."))
    _unseat(actor=actor, seat=seat)


def withdraw_sharing(*, actor: Actor, person) -> int:
    """The person withdrew her consent to sharing: seats outside each case's lead organisation end and
    pending transfers are revoked. Called by the consent service, inside its transaction."""
    removed = 0
    for case in Case.objects.filter(person=person).exclude(status=Case.Status.CLOSED):
        seats = case.members.filter(removed_at__isnull=True).exclude(organisation_id=case.lead_organisation_id)
        for seat in seats:
            _unseat(actor=actor, seat=seat)
            removed += 1
        for transfer in case.transfers.filter(status=Transfer.Status.PENDING):
            _decide(actor=actor, transfer=transfer, status=Transfer.Status.REVOKED, answer="")
    return removed


@transaction.atomic
def request_transfer(*, actor: Actor, case: Case, to_user, reason: str) -> Transfer:
    """Proposes the case to a named user of another organisation; nothing moves until she accepts."""
    lock(case)
    ensure_open(actor, "cases.manage_case", case)
    organisation = _membership(to_user, case).organisation
    if organisation.pk == case.lead_organisation_id:
        raise ValidationError(
            {"to_user": [_("Choose someone of another organisation: this one leads the case already.")]}
        )
    if not has_consent(case.person, ConsentPurpose.NETWORK_SHARING):
        raise ValidationError(
            {"to_user": [_("The person has not consented to share her case with other organisations.")]}
        )
    if case.transfers.filter(status=Transfer.Status.PENDING).exists():
        raise Conflict({"to_user": [_("A transfer of this case is waiting for an answer already.")]})
    transfer = Transfer(
        case=case,
        from_organisation_id=case.lead_organisation_id,
        to_organisation=organisation,
        to_user=to_user,
        reason=reason,
        requested_by=actor,
    )
    try:
        with transaction.atomic():  # a savepoint: the refusal below leaves the outer transaction usable
            save_new(actor=actor, obj=transfer)
    except IntegrityError as error:  # the database's one_pending_transfer, if the lock was ever bypassed
        raise Conflict({"to_user": [_("A transfer of this case is waiting for an answer already.")]}) from error
    _tell(kind="proposed", case=case, user=to_user, path=reverse("cases:transfer", args=[transfer.pk]))
    return transfer


def _decide(*, actor: Actor, transfer: Transfer, status: str, answer: str) -> None:
    transfer.status = status
    transfer.decided_by = actor
    transfer.decided_at = timezone.now()
    transfer.answer = answer
    transfer.save(update_fields=["status", "decided_by", "decided_at", "answer"])
    record(actor=actor, action=Action.CHANGE, obj=transfer, fields=["status", "answer"])
    notifications.settle(kind="proposed", path=reverse("cases:transfer", args=[transfer.pk]))


def _pending(transfer: Transfer) -> Case:
    """Locks the transfer's case, then checks the transfer, as it is now, still waits for an answer."""
    case = transfer.case
    lock(case)
    transfer.refresh_from_db()
    if transfer.status != Transfer.Status.PENDING:
        raise Conflict(_("This transfer has been answered already."))
    if case.status == Case.Status.CLOSED:
        raise Conflict(_("The case is closed: it can be read but not changed."))
    return case


@transaction.atomic
def accept_transfer(*, actor: Actor, transfer: Transfer, answer: str = "") -> Case:
    """The receiver takes the case: her organisation leads it, she manages it, the sender's seats end."""
    if transfer.to_user_id != actor.pk:
        raise ValidationError(_("Only the person the case was sent to can answer."))
    case = _pending(transfer)
    if not has_consent(case.person, ConsentPurpose.NETWORK_SHARING):
        raise ValidationError(_("The person has withdrawn her consent to share her case: the transfer cannot go on."))
    _decide(actor=actor, transfer=transfer, status=Transfer.Status.ACCEPTED, answer=answer)
    before = copy.copy(case)
    case.lead_organisation_id = transfer.to_organisation_id
    case.case_manager = actor
    save_changes(actor=actor, before=before, after=case, exclude=["person", "decision"])
    for seat in case.members.filter(removed_at__isnull=True, organisation_id=transfer.from_organisation_id):
        _unseat(actor=actor, seat=seat)
    _seat(actor=actor, case=case, user=actor, role=TeamRole.CASE_MANAGER)
    return case


@transaction.atomic
def reject_transfer(*, actor: Actor, transfer: Transfer, answer: str) -> Transfer:
    if transfer.to_user_id != actor.pk:
        raise ValidationError(_("Only the person the case was sent to can answer."))
    if not answer.strip():
        raise ValidationError({"answer": [_("Say why, for the colleague who sent it.")]})
    _pending(transfer)
    _decide(actor=actor, transfer=transfer, status=Transfer.Status.REJECTED, answer=answer)
    return transfer


@transaction.atomic
def revoke_transfer(*, actor: Actor, transfer: Transfer) -> Transfer:
    ensure(actor, "cases.manage_case", transfer.case)
    _pending(transfer)
    _decide(actor=actor, transfer=transfer, status=Transfer.Status.REVOKED, answer="")
    return transfer


@transaction.atomic
def set_status(*, actor: Actor, case: Case, status: str) -> Case:
    """Suspends an active case or resumes a suspended one (closing has its own step)."""
    lock(case)
    ensure_open(actor, "cases.manage_case", case)
    if status not in (Case.Status.ACTIVE, Case.Status.SUSPENDED):
        raise ValidationError({"status": [_("Use the closure to close a case.")]})
    before = copy.copy(case)
    case.status = status
    save_changes(actor=actor, before=before, after=case, exclude=["person", "decision"])
    return case


@transaction.atomic
def close_case(*, actor: Actor, case: Case, day: date, outcome: str) -> Case:
    """Closes with an outcome; when it was the person's last open case, writes her exit record."""
    # Every case of the person, in one order: two of her cases closing at once cannot both miss (or both
    # write) the exit record.
    list(Case.objects.select_for_update().filter(person_id=case.person_id).order_by("pk").values_list("pk"))
    lock(case)
    ensure_open(actor, "cases.manage_case", case)
    check_not_future(day, field="day")
    if day < case.start:
        raise ValidationError({"day": [_("A case cannot close before it starts.")]})
    if outcome == Outcome.TRANSFERRED and not case.external_transfers.filter(arrived_on=day).exists():
        raise ValidationError(
            {
                "outcome": [
                    _(
                        "A case closes as transferred only when she arrived at the receiving project: "
                        "record her arrival under Transfers to another project."
                    )
                ]
            }
        )
    if outcome == Outcome.ASSISTED_RETURN and not case.assisted_returns.filter(departed_on=day).exists():
        raise ValidationError(
            {
                "outcome": [
                    _(
                        "A case closes as an assisted voluntary return only when her departure is confirmed: "
                        "record it under Assisted voluntary return."
                    )
                ]
            }
        )
    if outcome != Outcome.ASSISTED_RETURN and case.assisted_returns.filter(RETURN_UNDER_WAY).exists():
        # Closed for another reason, the return would stay "under way" with IOM and on My work.
        raise ValidationError(
            {
                "outcome": [
                    _(
                        "An assisted voluntary return is under way: record under Assisted voluntary return that it "
                        "is withdrawn before closing the case for another reason."
                    )
                ]
            }
        )
    if outcome == Outcome.CONTINUED:
        raise ValidationError(
            {"outcome": [_("A case is continued in the next edition by a coordinator, from the next edition.")]}
        )
    before = copy.copy(case)
    case.status, case.end, case.outcome = Case.Status.CLOSED, day, outcome
    save_changes(actor=actor, before=before, after=case, exclude=["person", "decision"])
    others_open = Case.objects.filter(person_id=case.person_id).exclude(status=Case.Status.CLOSED).exclude(pk=case.pk)
    if not others_open.exists():
        write_exit_record(actor=actor, person=case.person, day=day, outcome=outcome)
    return case


@transaction.atomic
def write_note(*, actor: Actor, case: Case, day: date, text: str, domain: str, confidentiality: str) -> Note:
    """A note. Legal, psychological and health notes are always kept to the author's role on the team."""
    ensure_open(actor, "cases.work_on_case", case)
    seat = case.seat_of(actor)
    if seat is None:
        raise ValidationError(_("Only members of the case team write notes on it."))
    check_not_future(day, field="day")
    confidentiality = confidentiality_for(domain=domain, chosen=confidentiality)
    note = Note(
        case=case, date=day, text=text, domain=domain, confidentiality=confidentiality, author_role=seat, author=actor
    )
    note.full_clean(exclude=["case"])
    note.save()
    record(actor=actor, action=Action.CREATE, obj=note, fields=["date", "domain", "confidentiality", "text"])
    return note
