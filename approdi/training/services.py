"""Keeping the training and awareness events: the lead entity's coordinators, and a partner's coordinators for
the events their organisation organises; each change audited in one transaction.

Every number is bounded (approdi/training/models.py); participants and questionnaires are recorded once the event
has taken place; the material is a PDF checked as a protocol's document is (approdi/directory/services.py).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from approdi.accounts.scoping import at_lead_entity
from approdi.audit.models import Action
from approdi.audit.services import changed_fields, record
from approdi.core.permissions import ensure
from approdi.directory.models import Body
from approdi.directory.services import check_document
from approdi.network import dates
from approdi.network.models import Area, Organisation

from .models import (
    MAX_HOURS,
    MAX_PARTICIPANTS_PER_ROW,
    MAX_ROWS_PER_EVENT,
    MAX_SCORE,
    MIN_HOURS,
    MIN_SCORE,
    Event,
    EventMaterial,
    Participation,
)

if TYPE_CHECKING:
    from approdi.accounts.actor import Actor

MANAGE = "training.manage_events"
EVENT_FIELDS = ("kind", "title", "agenda", "organiser", "date", "area", "audience", "hours", "trainers", "materials")


def _in_acting_programme(actor: Actor, event: Event) -> None:
    if actor.active_membership.programme_id != event.programme_id:
        raise PermissionDenied


def organisers(*, actor: Actor) -> list[Organisation]:
    """Whom the actor may name as the organiser: every partner of the programme at the lead entity, else her own."""
    membership = actor.active_membership
    if not at_lead_entity(membership):
        return [membership.organisation]
    programme = membership.programme
    found = {o.pk: o for o in programme.partners.all()}
    if programme.lead_organisation is not None:
        found.setdefault(programme.lead_organisation.pk, programme.lead_organisation)
    return sorted(found.values(), key=lambda o: o.name)


def _check_bounds(hours: Decimal) -> None:
    if not MIN_HOURS <= hours <= MAX_HOURS:
        raise ValidationError(
            {"hours": [_("Give the hours between %(min)s and %(max)s.") % {"min": MIN_HOURS, "max": MAX_HOURS}]}
        )


def _participants(event: Event) -> int:
    return Participation.objects.filter(event=event).aggregate(total=Sum("participants"))["total"] or 0


def _check_questionnaire(event: Event, respondents: int | None, mean_score: Decimal | None) -> None:
    if respondents is None and mean_score is None:
        return
    if event.date > dates.today():
        raise ValidationError({"respondents": [_("Record the questionnaires once the event has taken place.")]})
    if respondents is None or respondents < 0:
        raise ValidationError({"respondents": [_("Give how many questionnaires were returned.")]})
    total = _participants(event) if event.pk else 0
    if respondents > total:
        raise ValidationError(
            {
                "respondents": [
                    _(
                        "%(respondents)d questionnaires, but %(total)d participants are recorded: "
                        "record the participants first."
                    )
                    % {"respondents": respondents, "total": total}
                ]
            }
        )
    if respondents == 0 and mean_score is not None:
        raise ValidationError({"mean_score": [_("A mean score needs at least one questionnaire.")]})
    if respondents > 0 and mean_score is None:
        raise ValidationError({"mean_score": [_("Give the mean score of the questionnaires.")]})
    if mean_score is not None and not MIN_SCORE <= mean_score <= MAX_SCORE:
        raise ValidationError(
            {"mean_score": [_("Give a mean score between %(min)s and %(max)s.") % {"min": MIN_SCORE, "max": MAX_SCORE}]}
        )


def _material_name(name: str) -> str:
    name = name.replace("\\", "/").rsplit("/", 1)[-1].strip() or "material.pdf"
    return name[:200]


@transaction.atomic
def save_event(
    *,
    actor: Actor,
    event: Event | None = None,
    kind: str,
    title: str,
    organiser: Organisation,
    date: date,
    audience: str,
    hours: Decimal,
    agenda: str = "",
    area: Area | None = None,
    trainers: str = "",
    materials: str = "",
    respondents: int | None = None,
    mean_score: Decimal | None = None,
    material: bytes | None = None,
    material_name: str = "",
) -> Event:
    """Adds an event to the acting programme, or changes ``event``; a new material file replaces the old one."""
    ensure(actor, MANAGE, event)
    programme = actor.active_membership.programme
    if organiser.pk not in {o.pk for o in organisers(actor=actor)}:
        raise ValidationError({"organiser": [_("Choose your own organisation, or ask the lead entity.")]})
    if area is not None and not programme.areas.filter(pk=area.pk).exists() and programme.areas.exists():
        raise ValidationError({"area": [_("Choose one of the programme's areas.")]})
    dates.check_in_programme(date, programme=programme, field="date")
    _check_bounds(hours)
    if material is not None:
        try:
            check_document(material)
        except ValidationError as error:
            raise ValidationError({"material": error.message_dict["document"]}) from None
    before = None
    if event is None:
        event = Event(programme=programme)
    else:
        _in_acting_programme(actor, event)
        before = Event.objects.get(pk=event.pk)
        if date > dates.today() and Participation.objects.filter(event=event).exists():
            raise ValidationError({"date": [_("Participants are recorded: the event cannot move to the future.")]})
    event.kind, event.title, event.agenda = kind, title.strip(), agenda.strip()
    event.organiser, event.date, event.area, event.audience = organiser, date, area, audience
    event.hours, event.trainers, event.materials = hours, trainers.strip(), materials.strip()
    _check_questionnaire(event, respondents, mean_score)
    event.respondents, event.mean_score = respondents, mean_score
    event.full_clean(exclude=["programme"])
    event.save()
    fields = changed_fields(before, event)
    if material is not None:
        EventMaterial.objects.update_or_create(
            event=event,
            defaults={
                "filename": _material_name(material_name),
                "content": material,
                "size": len(material),
                "uploaded_by": actor,
            },
        )
        fields.append("material")
    record(actor=actor, action=Action.CREATE if before is None else Action.CHANGE, obj=event, fields=fields)
    return event


def _normalised(name: str) -> str:
    return " ".join(name.split())


@transaction.atomic
def add_participation(
    *,
    actor: Actor,
    event: Event,
    role: str,
    participants: int,
    body: Body | None = None,
    organisation_name: str = "",
) -> Participation:
    """``participants`` people of one organisation (a body of the directory, or a name) in one role took part."""
    ensure(actor, MANAGE, event)
    _in_acting_programme(actor, event)
    if event.date > dates.today():
        raise ValidationError({"participants": [_("Record the participants once the event has taken place.")]})
    if not 1 <= participants <= MAX_PARTICIPANTS_PER_ROW:
        raise ValidationError(
            {
                "participants": [
                    _("Give between 1 and %(max)d participants for one organisation and role.")
                    % {"max": MAX_PARTICIPANTS_PER_ROW}
                ]
            }
        )
    if Participation.objects.filter(event=event).count() >= MAX_ROWS_PER_EVENT:
        raise ValidationError(
            {"__all__": [_("An event has at most %(max)d rows of participants.") % {"max": MAX_ROWS_PER_EVENT}]}
        )
    name = _normalised(organisation_name)
    if body is None and name:
        # A name the directory has is its body: the count of bodies then sees one organisation, not two.
        body = Body.objects.filter(programme_id=event.programme_id, name__iexact=name).first()
    if body is not None:
        if body.programme_id != event.programme_id:
            raise ValidationError({"body": [_("Choose a body of this programme's directory.")]})
        name = ""
    elif not name:
        raise ValidationError({"body": [_("Choose a body of the directory or type the organisation's name.")]})
    same = Participation.objects.filter(event=event, role=role, body=body)
    same = same.filter(organisation_name__iexact=name) if body is None else same
    if same.exists():
        raise ValidationError(
            {"__all__": [_("This organisation and role are recorded already: remove the row to change it.")]}
        )
    participation = Participation(event=event, body=body, organisation_name=name, role=role, participants=participants)
    participation.full_clean()
    participation.save()
    record(
        actor=actor,
        action=Action.CREATE,
        obj=participation,
        fields=["body_id", "organisation_name", "role", "participants"],
    )
    return participation


@transaction.atomic
def remove_participation(*, actor: Actor, participation: Participation) -> None:
    event = participation.event
    ensure(actor, MANAGE, event)
    _in_acting_programme(actor, event)
    left = _participants(event) - participation.participants
    if event.respondents and event.respondents > left:
        raise ValidationError(
            _(
                "%(respondents)d questionnaires were returned: %(left)d participants would be left. "
                "Correct the questionnaires first."
            )
            % {"respondents": event.respondents, "left": left}
        )
    record(actor=actor, action=Action.DELETE, obj=participation, fields=["body_id", "organisation_name", "role"])
    participation.delete()
