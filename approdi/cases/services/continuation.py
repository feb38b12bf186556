"""Continuation in the next edition: a person whose case is open when an edition of the project ends goes on in
the next edition (DA-2023 → DA-2025) without being typed again.

A coordinator of the lead entity, acting in the next edition and coordinator of the ended one too, continues the
case. In one transaction:

- the case of the ended edition closes on the edition's last day, outcome ``continued`` (and her exit record there,
  when it was her last open case); her stay there, if she has a bed, ends that day (exit ``continued``);
- her record is carried to the next edition (identity, keys of the duplicate check, consents, safety flags in
  force), or the record she already has there is used;
- a new case opens there on the day after the ended edition's last day (or on the next edition's first day), with
  the same lead organisation, case manager and team (whoever works in the next edition), her entry record, and her
  stay goes on in the same bed (a new placement of the next edition, linked to the one before);
- her individual plan goes on: its open goals and their open actions are copied to the new case (an action whose
  owner does not work in the next edition goes to the case manager, or to the coordinator who continues it);
- her documents go on: those of the case, and those of her record when it is carried, are copied to the new case
  and record (a new encrypted file each, so a purge in one edition leaves the other's copy whole);
- the ``Continuation`` links the two cases; both pages show it.

So each edition's funder summary counts her for what happened in its own period: the ended edition her stay until
its last day (and her referral, her contacts), the next one her stay from its first day. Nothing is counted twice
in one edition, and no referral is copied.
"""

from __future__ import annotations

import copy
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from approdi.accounts.actor import Actor
from approdi.accounts.models import Membership
from approdi.accounts.roles import Role
from approdi.audit.models import Action
from approdi.audit.services import record
from approdi.core import files
from approdi.core.conflicts import Conflict
from approdi.core.permissions import ensure
from approdi.network.dates import check_not_future
from approdi.network.models import Programme
from approdi.people.models import Consent, Person, PersonKey, ProgrammeRecord, SafetyFlag
from approdi.people.services import write_exit_record
from approdi.shelter.models import ExitReason, Placement

from ..models import Case, Continuation, Document, Goal, GoalStatus, Outcome, PlanAction, TeamMember
from ._common import save_changes, save_new
from .case import SEAT_FOR_ROLE, _tell


def earlier_editions(*, actor: Actor) -> list[Programme]:
    """The editions of the acting programme's project (same lead entity) that ended before it began, where the
    actor is a coordinator of the lead entity too."""
    ensure(actor, "cases.continue_case")
    programme = actor.active_membership.programme
    ids = (
        Membership.objects.acting()
        .filter(
            user=actor,
            role=Role.COORDINATOR,
            organisation_id=programme.lead_organisation_id,
            programme__lead_organisation_id=programme.lead_organisation_id,
            programme__end__lt=programme.start,
        )
        .values("programme_id")
    )
    return list(Programme.objects.filter(pk__in=ids).order_by("-end"))


def first_day(ended: Programme, programme: Programme):
    """Her first day in the next edition: the day after the ended one's last, or the next one's first day."""
    return max(ended.end + timedelta(days=1), programme.start)


def _carry_person(*, actor: Actor, person: Person, programme: Programme) -> Person:
    """Her record in the next edition: the one she already has there (same code), or a copy of this one with what
    protects her (consents as she gave them, safety flags in force, the duplicate check's keys)."""
    there = Person.objects.filter(programme=programme, code=person.code).first()
    if there is not None:
        return there
    fields = [*Person.IDENTITY_FIELDS, "nationality", "languages", "gender", "is_minor", "identity_index"]
    carried = Person(programme=programme, organisation_id=person.organisation_id, code=person.code, created_by=actor)
    for name in [*fields, "birth_index"]:
        setattr(carried, name, getattr(person, name))
    save_new(actor=actor, obj=carried, reason=f"continued from {person.programme.code}")
    PersonKey.objects.bulk_create(
        PersonKey(person=carried, programme=programme, key=key) for key in person.keys.values_list("key", flat=True)
    )
    for consent in person.consents.order_by("date", "recorded_at", "id"):
        copied = Consent(
            person=carried,
            purpose=consent.purpose,
            granted=consent.granted,
            date=consent.date,
            recorded_by_id=consent.recorded_by_id,
        )
        copied.save()
        record(actor=actor, action=Action.CREATE, obj=copied, fields=["purpose", "granted", "date"])
    for flag in person.safety_flags.filter(lifted_at__isnull=True).order_by("raised_at", "id"):
        kept = SafetyFlag(person=carried, kind=flag.kind, detail=flag.detail, raised_by_id=flag.raised_by_id)
        kept.save()
        record(actor=actor, action=Action.CREATE, obj=kept, fields=["kind", "detail"])
    return carried


@transaction.atomic
def continue_case(*, actor: Actor, case: Case) -> Continuation:
    """Continues ``case`` (open, of an ended edition) in the acting programme, the next edition."""
    ensure(actor, "cases.continue_case")
    programme = actor.active_membership.programme
    with scopes_disabled():
        case.refresh_from_db(from_queryset=Case.objects.select_for_update())
        ended = case.programme
        if ended.pk not in {p.pk for p in earlier_editions(actor=actor)}:
            raise PermissionDenied
        if case.status == Case.Status.CLOSED:
            raise Conflict(_("The case is closed: only an open case is continued."))
        if Continuation.objects.filter(from_case=case).exists():
            raise Conflict(_("This case has been continued already."))
        day = first_day(ended, programme)
        check_not_future(day, field="day")
        if day > programme.end:
            raise ValidationError(_("The next edition ended too: continue her case in the edition running now."))
        old_person = case.person
        stay = Placement.objects.filter(person=old_person, programme=ended, end__isnull=True).first()
        if stay is not None and not stay.structure.programmes.filter(pk=programme.pk).exists():
            raise ValidationError(
                _("Her structure is not in %(programme)s: add it to the edition, or end her stay first.")
                % {"programme": programme.code}
            )
        carried_now = not Person.objects.filter(programme=programme, code=old_person.code).exists()
        person = _carry_person(actor=actor, person=old_person, programme=programme)
        if Case.objects.filter(person=person, programme=programme, status=Case.Status.ACTIVE).exists():
            raise Conflict(_("She has an active case in %(programme)s already.") % {"programme": programme.code})

        # The ended edition: the case closes on its last day, and her stay there too.
        before = copy.copy(case)
        case.status, case.end, case.outcome = Case.Status.CLOSED, ended.end, Outcome.CONTINUED
        save_changes(actor=actor, before=before, after=case, exclude=["person", "decision"])
        others = Case.objects.filter(person=old_person).exclude(status=Case.Status.CLOSED).exclude(pk=case.pk)
        records = old_person.programme_records
        if (
            not others.exists()
            and records.filter(kind=ProgrammeRecord.Kind.ENTRY, date__lte=ended.end).exists()
            and not records.filter(kind=ProgrammeRecord.Kind.EXIT).exists()
        ):  # her exit record there, when she entered in its period (an entry dated later was a typing slip)
            write_exit_record(actor=actor, person=old_person, day=ended.end, outcome=Outcome.CONTINUED)
        if stay is not None:
            stay.end, stay.exit_reason = ended.end, ExitReason.CONTINUED
            stay.save(update_fields=["end", "exit_reason"])
            record(actor=actor, action=Action.CHANGE, obj=stay, fields=["end", "exit_reason"], reason="continued")

        # The next edition: her case, her entry, her team, her bed.
        manager = case.case_manager if _works_in(case.case_manager, programme) else None
        new_case = Case(
            programme=programme,
            person=person,
            lead_organisation_id=case.lead_organisation_id,
            case_manager=manager,
            type=case.type,
            start=day,
        )
        save_new(actor=actor, obj=new_case, exclude=["decision"], reason=f"continued from {ended.code}")
        if not person.programme_records.filter(kind=ProgrammeRecord.Kind.ENTRY).exists():
            entry = ProgrammeRecord(person=person, kind=ProgrammeRecord.Kind.ENTRY, date=day, created_by=actor)
            save_new(actor=actor, obj=entry, exclude=["decision"])
        for seat in case.members.filter(removed_at__isnull=True).select_related("user"):
            if seat.user_id == (manager.pk if manager else None) or _works_in(
                seat.user, programme, seat.organisation_id
            ):
                TeamMember.objects.create(
                    case=new_case, user=seat.user, organisation_id=seat.organisation_id, role=seat.role, added_by=actor
                )
        if stay is not None:
            moved = Placement(
                programme=programme,
                person=person,
                bed_id=stay.bed_id,
                structure_id=stay.structure_id,
                stage=stay.stage,
                start=day,
                planned_end=stay.planned_end,
                previous=stay,
                created_by=actor,
            )
            save_new(actor=actor, obj=moved, exclude=["request"])
        _carry_plan(actor=actor, case=case, new_case=new_case, fallback=manager or actor)
        _carry_documents(actor=actor, case=case, new_case=new_case, with_record=carried_now)
        link = Continuation(from_case=case, to_case=new_case, day=day, by=actor)
        save_new(actor=actor, obj=link)
        if manager is not None and manager.pk != actor.pk:
            _tell(kind="assigned", case=new_case, user=manager, path=reverse("cases:case_detail", args=[new_case.pk]))
    return link


def _carry_plan(*, actor: Actor, case: Case, new_case: Case, fallback) -> None:
    """Her plan's open goals, with their open actions, on the new case."""
    works_on: dict[int, bool] = {}  # an owner's answer once, however many actions she holds
    for goal in case.goals.filter(status=GoalStatus.OPEN).order_by("id"):
        kept = Goal(case=new_case, domain=goal.domain, description=goal.description, created_by=goal.created_by)
        save_new(actor=actor, obj=kept, exclude=["case"], reason="continued")
        for action in goal.actions.filter(done_on__isnull=True).select_related("owner").order_by("id"):
            if action.owner_id not in works_on:
                works_on[action.owner_id] = _works_in(action.owner, new_case.programme)
            owner = action.owner if works_on[action.owner_id] else fallback
            copied = PlanAction(goal=kept, description=action.description, owner=owner, due=action.due)
            save_new(actor=actor, obj=copied, exclude=["goal"], reason="continued")


def _carry_documents(*, actor: Actor, case: Case, new_case: Case, with_record: bool) -> None:
    """The case's documents (and her record's, when the record was carried now) as new encrypted files."""
    held = Document.objects.filter(person=case.person, removed_at__isnull=True, purged_at__isnull=True)
    held = held.filter(Q(case=case) | Q(case__isnull=True)) if with_record else held.filter(case=case)
    for document in held.order_by("id"):
        copied = copy.copy(document)
        copied.pk = None
        copied.person, copied.case = new_case.person, new_case if document.case_id else None
        copied.stored_as = files.store(files.load(document.stored_as))
        try:
            copied.save()
            record(actor=actor, action=Action.CREATE, obj=copied, fields=["kind", "date", "file"], reason="continued")
        except BaseException:
            files.remove(copied.stored_as)
            raise


def _works_in(user, programme: Programme, organisation_id: int | None = None) -> bool:
    """The user works on cases in ``programme`` (for ``organisation_id``, when given)."""
    if user is None or not user.is_active:
        return False
    memberships = Membership.objects.acting().filter(user=user, programme=programme, role__in=list(SEAT_FOR_ROLE))
    if organisation_id is not None:
        memberships = memberships.filter(organisation_id=organisation_id)
    return memberships.exists()
