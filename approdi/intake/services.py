"""Ufficio Filtro writes: each checks permission, validates, audits, and runs in one transaction."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, time, timedelta
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from approdi.accounts import notifications
from approdi.accounts.actor import Actor
from approdi.accounts.models import User
from approdi.audit.models import Action
from approdi.audit.services import changed_fields, record
from approdi.core.permissions import ensure
from approdi.governance import engine, invitations
from approdi.network.dates import check_not_future
from approdi.network.models import Area
from approdi.outreach.models import Referral
from approdi.people.models import Consent, ConsentPurpose, Person, ProgrammeRecord
from approdi.people.person_code import NotEnoughFacts, code_from_facts, code_from_identifier
from approdi.people.services import has_consent, index_person, write_exit_record
from approdi.shelter.night import night_stay, regularise

from . import rule
from .conference_calendar import conference_event
from .models import Assessment, CaseConference, Decision, FollowUpAction, IndicatorList, Screening
from .permits import permit_options

if TYPE_CHECKING:
    from approdi.cases.models import Case


def _age_on(birth_date: date | None, day: date) -> int | None:
    if birth_date is None:
        return None
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def _code_for(
    *, code: str, given_name: str, family_name: str, birth_date: date | None, nationality: str, gender: str
) -> str:
    if code:
        try:
            return code_from_identifier(code)
        except NotEnoughFacts as refused:  # punctuation only
            raise ValidationError({"code": [str(refused)]}) from None
    try:
        return code_from_facts(
            given_name=given_name,
            family_name=family_name,
            birth_year=birth_date.year if birth_date else None,
            nationality=nationality,
            gender=gender,
        )
    except NotEnoughFacts:
        raise ValidationError(
            {"code": [_("Give a person code, or both names, the birth date, the nationality and the gender.")]}
        ) from None


@transaction.atomic
def register_person(*, actor: Actor, referral: Referral | None = None, code: str = "", **identity) -> Person:
    """Opens a person from a referral (or directly) with an encrypted identity and blind indexes."""
    ensure(actor, "intake.work_queue")
    membership = actor.active_membership
    code = _code_for(
        code=code or (referral.person_code if referral else ""),
        given_name=identity.get("given_name", ""),
        family_name=identity.get("family_name", ""),
        birth_date=identity.get("birth_date"),
        nationality=str(identity.get("nationality", "")),
        gender=identity.get("gender", ""),
    )
    if Person.objects.filter(code=code).exists():
        raise ValidationError(
            {"code": [_("A person with this code exists already: attach the referral to her instead.")]}
        )
    person = Person(
        programme=membership.programme, organisation=membership.organisation, code=code, created_by=actor, **identity
    )
    check_not_future(person.birth_date, field="birth_date")
    age = _age_on(person.birth_date, timezone.localdate())
    if age is not None and age < 18:
        person.is_minor = True
    person.full_clean(exclude=["identity_index", "birth_index"])
    person.save()
    index_person(person)
    record(actor=actor, action=Action.CREATE, obj=person, fields=changed_fields(None, person))
    if referral is not None:
        attach_referral(actor=actor, referral=referral, person=person)
    return person


@transaction.atomic
def update_identity(*, actor: Actor, person: Person, **identity) -> Person:
    ensure(actor, "intake.work_queue")
    before = Person.objects.get(pk=person.pk)
    for name, value in identity.items():
        if name not in Person.IDENTITY_FIELDS + ("nationality", "languages", "gender", "is_minor"):
            raise TypeError(name)
        setattr(person, name, value)
    check_not_future(person.birth_date, field="birth_date")
    person.full_clean(exclude=["identity_index", "birth_index"])
    person.save()
    index_person(person)
    record(actor=actor, action=Action.CHANGE, obj=person, fields=changed_fields(before, person))
    return person


@transaction.atomic
def attach_referral(*, actor: Actor, referral: Referral, person: Person) -> Referral:
    ensure(actor, "intake.work_queue")
    if referral.programme_id != person.programme_id:
        raise ValidationError({"person": [_("The person belongs to another programme.")]})
    referral.person = person
    referral.person_code = person.code
    if referral.status == Referral.Status.NEW:
        referral.status = Referral.Status.ASSESSING
    referral.save(update_fields=["person", "person_code", "status"])
    record(actor=actor, action=Action.CHANGE, obj=referral, fields=["person", "person_code", "status"])
    return referral


@transaction.atomic
def assign_referral(*, actor: Actor, referral: Referral, assignee) -> Referral:
    ensure(actor, "intake.work_queue")
    referral.assignee = assignee
    fields = ["assignee"]
    if referral.status == Referral.Status.NEW:  # taken on: the referring organisation reads it being assessed
        referral.status = Referral.Status.ASSESSING
        fields.append("status")
    referral.save(update_fields=fields)
    record(actor=actor, action=Action.CHANGE, obj=referral, fields=fields)
    return referral


@transaction.atomic
def record_consent(*, actor: Actor, person: Person, purpose: str, granted: bool, day: date) -> Consent:
    ensure(actor, "intake.work_queue")
    check_not_future(day, field="day")
    consent = Consent(person=person, purpose=purpose, granted=granted, date=day, recorded_by=actor)
    consent.full_clean()
    consent.save()
    record(actor=actor, action=Action.CREATE, obj=consent, fields=["purpose", "granted", "date"])
    if purpose == ConsentPurpose.NETWORK_SHARING and not granted:
        # Withdrawn: other organisations lose their seats on her cases at once.
        from approdi.cases.services.case import withdraw_sharing

        withdraw_sharing(actor=actor, person=person)
    return consent


def current_list(code: str) -> IndicatorList:
    found = IndicatorList.objects.filter(code=code, is_current=True).first()
    if found is None:
        raise ValidationError({"list": [_("Unknown indicator list: %(code)s.") % {"code": code}]})
    return found


def evaluate_refs(
    indicator_list: IndicatorList, refs: list[str], *, language: str = "it"
) -> tuple[rule.Evaluation, list]:
    chosen = list(indicator_list.indicators.filter(ref__in=set(refs)))
    unknown = set(refs) - {i.ref for i in chosen}
    if unknown:
        raise ValidationError({"indicators": [_("Not in this list: %(refs)s.") % {"refs": ", ".join(sorted(unknown))}]})
    selected = [rule.SelectedIndicator(i.ref, i.dimension, i.strength, i.text(language)) for i in chosen]
    return rule.evaluate(selected, child=indicator_list.for_children), chosen


@transaction.atomic
def screen(
    *,
    actor: Actor,
    person: Person,
    list_code: str,
    refs: list[str],
    conclusion: str,
    notes: str = "",
    referral: Referral | None = None,
    language: str = "it",
) -> Screening:
    """Records a screening: the rule's result and, beside it, the operator's own conclusion."""
    ensure(actor, "intake.work_queue")
    indicator_list = current_list(list_code)
    if person.is_minor and not indicator_list.for_children:
        raise ValidationError({"list": [_("This person is a minor: use a list for children.")]})
    evaluation, chosen = evaluate_refs(indicator_list, refs, language=language)
    screening = Screening(
        person=person,
        referral=referral,
        indicator_list=indicator_list,
        dimensions=evaluation.dimensions,
        rule_presumed_victim=evaluation.presumed_victim,
        explanation=evaluation.explanation,
        conclusion=conclusion,
        notes=notes,
        created_by=actor,
    )
    screening.full_clean()
    screening.save()
    screening.indicators.set(chosen)
    record(actor=actor, action=Action.CREATE, obj=screening, fields=["indicators", "conclusion", "notes"])
    return screening


@transaction.atomic
def assess(
    *,
    actor: Actor,
    person: Person,
    vulnerabilities: list[str],
    exploitation: str,
    complaint_filed: bool,
    cooperates_with_justice: bool,
    asylum_claim: bool,
    wishes: str = "",
    notes: str = "",
) -> Assessment:
    ensure(actor, "intake.work_queue")
    latest = person.screenings.first()
    presumed = bool(latest and latest.conclusion == Screening.Conclusion.PRESUMED_VICTIM)
    options = permit_options(
        exploitation=exploitation,
        complaint_filed=complaint_filed,
        cooperates=cooperates_with_justice,
        asylum_claim=asylum_claim,
        presumed_victim=presumed,
    )
    assessment = Assessment(
        person=person,
        vulnerabilities=sorted(set(vulnerabilities)),
        exploitation=exploitation,
        complaint_filed=complaint_filed,
        cooperates_with_justice=cooperates_with_justice,
        asylum_claim=asylum_claim,
        permit_paths=[o.path for o in options if o.applies],
        missing=[{"path": o.path, "missing": list(o.missing)} for o in options if not o.applies],
        wishes=wishes,
        notes=notes,
        created_by=actor,
    )
    assessment.full_clean()
    assessment.save()
    record(actor=actor, action=Action.CREATE, obj=assessment, fields=changed_fields(None, assessment))
    return assessment


def _ensure_no_residential_path(person: Person) -> None:
    """One open residential request per person, and none while she is placed: her path moves on from there."""
    from approdi.shelter.models import Placement, PlacementRequest

    if PlacementRequest.objects.filter(person=person, status=PlacementRequest.Status.OPEN).exists():
        raise ValidationError({"kind": [_("The person is already on the waiting list: place her from that request.")]})
    placed = Placement.objects.filter(person=person, end__isnull=True)
    # A night entry's stay is hers before any decision: the residential decision makes it her first placement.
    if placed.exists() and night_stay(person) is None:
        raise ValidationError(
            {"kind": [_("The person is already placed: move her to the next stage from her placement instead.")]}
        )


@transaction.atomic
def decide(
    *,
    actor: Actor,
    person: Person,
    kind: str,
    reason: str,
    referral: Referral | None = None,
    stage: str = "",
    urgent: bool = False,
    avoid_area: Area | None = None,
) -> Decision:
    """Decides the path. Residential reception opens a request for a place; territorial management opens a case.

    ``avoid_area``: where a residential placement must not be (the waiting list's proposals leave it out)."""
    ensure(actor, "intake.work_queue")
    from approdi.cases.models import Case
    from approdi.shelter.models import PlacementRequest

    if kind == Decision.Kind.TRANSFER and not has_consent(person, ConsentPurpose.NATIONAL_NETWORK):
        raise ValidationError({"kind": [_("The person has not consented to the transfer to the national network.")]})
    if kind in (Decision.Kind.RESIDENTIAL, Decision.Kind.TERRITORIAL) and not has_consent(
        person, ConsentPurpose.SERVICES
    ):
        raise ValidationError({"kind": [_("Record the person's consent to receive services first.")]})
    if kind == Decision.Kind.RESIDENTIAL:
        _ensure_no_residential_path(person)
    decision = Decision(
        person=person, referral=referral, kind=kind, reason=reason, stage=stage, urgent=urgent, decided_by=actor
    )
    decision.full_clean()
    decision.save()
    membership = actor.active_membership
    if kind == Decision.Kind.RESIDENTIAL:
        request = PlacementRequest(
            programme=person.programme,
            person=person,
            decision=decision,
            stage=stage,
            urgent=urgent,
            gender=person.gender,
            avoid_area=avoid_area,
        )
        request.full_clean(exclude=["person", "decision"])
        try:
            with transaction.atomic():
                request.save()
        except IntegrityError:  # a concurrent decision opened hers first: the database keeps one
            raise ValidationError({"kind": [_("The person is already waiting for a place.")]}) from None
    if kind in (Decision.Kind.RESIDENTIAL, Decision.Kind.TERRITORIAL):
        # The case opens with the decision, led by the Ufficio Filtro until it assigns a case manager.
        case = Case.objects.filter(person=person, status=Case.Status.ACTIVE).first()
        if case is None:
            case = Case(
                programme=person.programme,
                person=person,
                lead_organisation=membership.organisation,
                type=kind,
                start=timezone.localdate(),
                decision=decision,
            )
            case.full_clean(exclude=["person", "decision"])
            case.save()
            record(actor=actor, action=Action.CREATE, obj=case, fields=["type", "start", "lead_organisation"])
        elif case.type != kind:
            case.type = kind
            case.save(update_fields=["type"])
            record(actor=actor, action=Action.CHANGE, obj=case, fields=["type"])
    if (
        kind in (Decision.Kind.RESIDENTIAL, Decision.Kind.TERRITORIAL)
        and not person.programme_records.filter(kind="entry").exists()
    ):
        ProgrammeRecord.objects.create(
            person=person,
            kind=ProgrammeRecord.Kind.ENTRY,
            date=timezone.localdate(),
            decision=decision,
            created_by=actor,
        )
    if referral is not None:
        referral.status = Referral.Status.DECIDED
        referral.outcome = kind  # a code: each reader sees it in their own language (outcome_label)
        referral.save(update_fields=["status", "outcome"])
        record(actor=actor, action=Action.CHANGE, obj=referral, fields=["status", "outcome"])
    record(actor=actor, action=Action.CREATE, obj=decision, fields=["kind", "reason", "stage", "urgent"])
    regularise(actor=actor, person=person, decision=decision)
    return decision


@transaction.atomic
def record_exit(*, actor: Actor, person: Person, day: date, outcome: str) -> ProgrammeRecord:
    """The Ufficio Filtro's exit record; the case module writes it when the person's last case closes."""
    ensure(actor, "intake.work_queue")
    return write_exit_record(actor=actor, person=person, day=day, outcome=outcome)


@transaction.atomic
def record_conference(
    *,
    actor: Actor,
    person: Person,
    day: date,
    start_time: time | None = None,
    duration: int | None = None,
    place: str = "",
    organisations,
    participants=(),
    other_participants: str = "",
    decisions: str = "",
    actions: Sequence[tuple[str, User, date]] = (),
) -> CaseConference:
    """A multi-agency case conference: who took part, what was decided, who does what by when; or, scheduled
    ahead (a future day, a time and a place), who is invited (``_write_conference``).

    Organisations other than the lead entity take part in a person's case only with her consent.
    """
    ensure(actor, "intake.work_queue")
    lead = actor.active_membership.organisation
    return _write_conference(
        actor=actor,
        person=person,
        own={lead.pk},
        day=day,
        start_time=start_time,
        duration=duration,
        place=place,
        organisations=organisations,
        participants=participants,
        other_participants=other_participants,
        decisions=decisions,
        actions=actions,
    )


@transaction.atomic
def record_case_conference(
    *,
    actor: Actor,
    case: Case,
    day: date,
    start_time: time | None = None,
    duration: int | None = None,
    place: str = "",
    organisations,
    participants=(),
    other_participants: str = "",
    decisions: str = "",
    actions: Sequence[tuple[str, User, date]] = (),
) -> CaseConference:
    """A case conference recorded from the case page by her case team (or the Ufficio Filtro).

    Its participants with an account and the owners of its actions sit on the team: each reads the case and finds
    her actions on My work. Organisations other than the case's lead and the lead entity need her consent.
    """
    ensure(actor, "cases.work_on_case", case)
    if case.status == case.Status.CLOSED:
        raise ValidationError(_("The case is closed: it can be read but not changed."))
    team = {member.user_id for member in case.members.filter(removed_at__isnull=True)}
    if any(user.pk not in team for user in participants) or any(owner.pk not in team for _d, owner, _due in actions):
        raise ValidationError({"participants": [_("Participants and owners of actions sit on the case team.")]})
    own = {pk for pk in (case.lead_organisation_id, case.programme.lead_organisation_id) if pk is not None}
    return _write_conference(
        actor=actor,
        person=case.person,
        own=own,
        day=day,
        start_time=start_time,
        duration=duration,
        place=place,
        case_id=case.pk,
        organisations=organisations,
        participants=participants,
        other_participants=other_participants,
        decisions=decisions,
        actions=actions,
    )


def _write_conference(
    *,
    actor: Actor,
    person: Person,
    own: set[int],
    day: date,
    start_time: time | None,
    duration: int | None,
    place: str,
    organisations,
    participants,
    other_participants: str,
    decisions: str,
    actions: Sequence[tuple[str, User, date]],
    case_id: int | None = None,
) -> CaseConference:
    """``own``: the organisations that take part without her consent to share her case. A conference that has not
    taken place yet is scheduled ahead: its participants with an account get the invitation (the meeting engine's,
    governance/invitations.py), and its decisions wait for it to take place."""
    if day > timezone.localdate() + timedelta(days=366):
        raise ValidationError({"day": [_("A case conference is scheduled at most a year ahead.")]})
    if start_time is None:
        duration = None
    elif duration is None:
        duration = DEFAULT_CONFERENCE_MINUTES
    elif not 15 <= duration <= 720:
        raise ValidationError({"duration": [_("A meeting lasts from 15 minutes to 12 hours.")]})
    if any(o.pk not in own for o in organisations) and not has_consent(person, ConsentPurpose.NETWORK_SHARING):
        raise ValidationError(
            {"organisations": [_("The person has not consented to share her case with other organisations.")]}
        )
    conference = CaseConference(
        person=person,
        date=day,
        start_time=start_time,
        duration=duration,
        place=place.strip(),
        other_participants=other_participants,
        decisions=decisions.strip(),
        created_by=actor,
    )
    _check_outcome(conference, actions)
    conference.full_clean()
    conference.save()
    conference.organisations.set(organisations)
    conference.participants.set(participants)
    _give_actions(conference, actions)
    record(
        actor=actor,
        action=Action.CREATE,
        obj=conference,
        fields=["date", "start_time", "duration", "place", "organisations", "participants", "decisions"],
    )
    if not conference.has_begun():
        invitations.invite(users=participants, event=conference_event(conference, case_id=case_id))
    return conference


DEFAULT_CONFERENCE_MINUTES = 60


def _check_outcome(conference: CaseConference, actions: Sequence[tuple[str, User, date]]) -> None:
    """One rule for the decisions: written once the conference has taken place (then required), never before."""
    if conference.has_begun():
        if not conference.decisions:
            raise ValidationError({"decisions": [_("Write what the conference decided: it has taken place.")]})
    elif conference.decisions or actions:
        raise ValidationError(
            {"decisions": [_("Decisions and actions are recorded once the conference has taken place.")]}
        )


def _give_actions(conference: CaseConference, actions: Sequence[tuple[str, User, date]]) -> None:
    for description, owner, due in actions:
        item = FollowUpAction(conference=conference, description=description, owner=owner, due=due)
        item.full_clean()
        item.save()
    owners = {owner.pk: owner for _description, owner, _due in actions}
    notifications.announce(
        kind="conference_action",
        programme_id=conference.person.programme_id,
        recipients=owners.values(),
        code=conference.person.code,
    )


@transaction.atomic
def record_conference_decisions(
    *,
    actor: Actor,
    case: Case,
    conference: CaseConference,
    decisions: str,
    actions: Sequence[tuple[str, User, date]] = (),
) -> CaseConference:
    """What a conference scheduled ahead decided, written by her case team once it has taken place, and who does
    what by when (owners on the case team). Written once: a conference's decisions are not rewritten."""
    ensure(actor, "cases.work_on_case", case)
    if case.status == case.Status.CLOSED:
        raise ValidationError(_("The case is closed: it can be read but not changed."))
    if conference.person_id != case.person_id:
        raise ValidationError(_("This conference is not about this case's person."))
    team = {member.user_id for member in case.members.filter(removed_at__isnull=True)}
    if any(owner.pk not in team for _d, owner, _due in actions):
        raise ValidationError({"follow_up": [_("Participants and owners of actions sit on the case team.")]})
    locked = CaseConference.objects.select_for_update().get(pk=conference.pk)
    if locked.decisions:
        raise ValidationError(_("This conference's decisions are recorded already."))
    conference.decisions = decisions.strip()
    _check_outcome(conference, actions)
    conference.full_clean()
    conference.save(update_fields=["decisions"])
    _give_actions(conference, actions)
    record(actor=actor, action=Action.CHANGE, obj=conference, fields=["decisions"])
    return conference


@transaction.atomic
def complete_conference_action(*, actor: Actor, action: FollowUpAction) -> FollowUpAction:
    """A conference's action marked done, by whom owes it alone."""
    return engine.complete(actor=actor, action=action, permission="intake.complete_conference_action")
