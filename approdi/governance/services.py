"""Running the governance tables: tables, meetings, attendance and minutes, actions, and the calendar address.

Each write checks the permission, validates, leaves an audit row and runs in one transaction. Members with an
account are users acting in the programme; members from the directory are the programme's referents.
"""

from __future__ import annotations

import secrets
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from approdi.accounts.models import Membership, User
from approdi.audit.models import Action
from approdi.audit.services import changed_fields, record
from approdi.core.permissions import ensure
from approdi.directory.models import Referent

from . import engine, ical, invitations, recurrence, selectors
from .models import CalendarFeed, Meeting, MeetingAction, Table

if TYPE_CHECKING:
    from collections.abc import Iterable

    from approdi.accounts.actor import Actor

TABLE_FIELDS = (
    "name", "kind", "topic", "purpose", "convenor", "recurrence", "first_day", "start_time", "duration", "place",
)  # fmt: skip


def _in_acting_programme(actor: Actor, programme_id: int) -> None:
    if actor.active_membership.programme_id != programme_id:
        raise PermissionDenied


def programme_users(*, actor: Actor) -> list[User]:
    """The users acting in the actor's programme: who may sit at a table or owe an action."""
    ids = Membership.objects.acting().filter(programme_id=actor.active_membership.programme_id).values("user_id")
    return list(User.objects.filter(pk__in=ids, is_active=True).order_by("first_name", "last_name", "username"))


def programme_referents(*, actor: Actor) -> list[Referent]:
    return list(
        Referent.objects.filter(body__programme_id=actor.active_membership.programme_id)
        .select_related("body")
        .order_by("body__name", "name")
    )


@transaction.atomic
def save_table(
    *,
    actor: Actor,
    table: Table | None = None,
    name: str,
    kind: str,
    topic: str,
    convenor: User,
    first_day: date,
    start_time: time,
    recurrence: int = 0,
    duration: int = 120,
    place: str = "",
    purpose: str = "",
    users: Iterable[User] = (),
    referents: Iterable[Referent] = (),
) -> Table:
    """Adds a table or working group to the acting programme (a lead coordinator), or changes one (she or its
    convenor)."""
    programme_id = actor.active_membership.programme_id
    before = None
    if table is None:
        ensure(actor, selectors.ADD)
        table = Table(programme_id=programme_id)
    else:
        ensure(actor, selectors.RUN, table)
        _in_acting_programme(actor, table.programme_id)
        before = Table.objects.get(pk=table.pk)
    users, referents = list(users), list(referents)
    allowed = {u.pk for u in programme_users(actor=actor)}
    if convenor.pk not in allowed:
        raise ValidationError({"convenor": [_("Choose a user with a role in this programme.")]})
    if any(u.pk not in allowed for u in users):
        raise ValidationError({"users": [_("Choose users with a role in this programme.")]})
    if any(r.body.programme_id != programme_id for r in referents):
        raise ValidationError({"referents": [_("Choose referents of this programme's directory.")]})
    table.name, table.kind, table.topic, table.purpose = name.strip(), kind, topic, purpose.strip()
    table.convenor, table.recurrence, table.first_day, table.start_time = convenor, recurrence, first_day, start_time
    table.duration, table.place = duration, place.strip()
    if Table.objects.filter(programme_id=programme_id, name__iexact=table.name).exclude(pk=table.pk).exists():
        raise ValidationError({"name": [_("The programme has a table with this name already.")]})
    table.full_clean(exclude=["programme"])
    table.save()
    old_users = set(before.users.values_list("pk", flat=True)) if before else set()
    old_referents = set(before.referents.values_list("pk", flat=True)) if before else set()
    table.users.set(users)
    table.referents.set(referents)
    fields = changed_fields(before, table)
    if {u.pk for u in users} != old_users:
        fields.append("users")
    if {r.pk for r in referents} != old_referents:
        fields.append("referents")
    record(actor=actor, action=Action.CREATE if before is None else Action.CHANGE, obj=table, fields=fields)
    return table


@transaction.atomic
def schedule_meeting(
    *, actor: Actor, table: Table, day: date, start_time: time, duration: int, place: str = "", agenda: str = ""
) -> Meeting:
    """A meeting of ``table`` on ``day`` at ``start_time`` (the programme's wall-clock time), with its agenda."""
    ensure(actor, selectors.RUN, table)
    _in_acting_programme(actor, table.programme_id)
    if not 15 <= duration <= 720:
        raise ValidationError({"duration": [_("A meeting lasts from 15 minutes to 12 hours.")]})
    starts_at = recurrence.local_instant(day, start_time)
    if starts_at < timezone.now() - timedelta(days=366):
        raise ValidationError({"day": [_("A meeting cannot be scheduled more than a year in the past.")]})
    meeting = Meeting(
        table=table,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=duration),
        place=place.strip() or table.place,
        agenda=agenda.strip(),
        created_by=actor,
    )
    meeting.full_clean()
    meeting.save()
    record(actor=actor, action=Action.CREATE, obj=meeting, fields=["starts_at", "ends_at", "place", "agenda"])
    invitations.invite(users=[table.convenor, *table.users.all()], event=ical.event_of(meeting))
    return meeting


@transaction.atomic
def record_meeting(
    *,
    actor: Actor,
    meeting: Meeting,
    status: str,
    agenda: str = "",
    minutes: str = "",
    decisions: str = "",
    present_users: Iterable[User] = (),
    present_referents: Iterable[Referent] = (),
) -> Meeting:
    """What happened at a meeting: held or cancelled, who attended (members of the table), minutes, decisions."""
    table = meeting.table
    ensure(actor, selectors.RUN, table)
    _in_acting_programme(actor, table.programme_id)
    present_users, present_referents = list(present_users), list(present_referents)
    sitting = {u.pk for u in table.users.all()} | {table.convenor_id}
    if any(u.pk not in sitting for u in present_users):
        raise ValidationError({"present_users": [_("Only the table's members can be recorded as present.")]})
    if any(r.pk not in {x.pk for x in table.referents.all()} for r in present_referents):
        raise ValidationError({"present_referents": [_("Only the table's members can be recorded as present.")]})
    if status == Meeting.Status.HELD and meeting.starts_at > timezone.now():
        raise ValidationError({"status": [_("A meeting that has not started yet cannot be held.")]})
    before = Meeting.objects.get(pk=meeting.pk)
    meeting.status, meeting.agenda = status, agenda.strip()
    meeting.minutes, meeting.decisions = minutes.strip(), decisions.strip()
    if meeting.status != before.status or meeting.agenda != before.agenda:
        meeting.sequence += 1  # the calendars that hold the invitation replace it
    meeting.full_clean()
    meeting.save()
    meeting.present_users.set(present_users)
    meeting.present_referents.set(present_referents)
    fields = [f for f in changed_fields(before, meeting) if f != "sequence"] + ["attendance"]
    record(actor=actor, action=Action.CHANGE, obj=meeting, fields=fields)
    if meeting.status == Meeting.Status.CANCELLED and before.status != Meeting.Status.CANCELLED:
        # METHOD:CANCEL, the same UID, the SEQUENCE bumped: each member's calendar drops the meeting.
        invitations.invite(users=[table.convenor, *table.users.all()], event=ical.event_of(meeting))
    return meeting


@transaction.atomic
def add_action(*, actor: Actor, meeting: Meeting, description: str, owner: User, due: date) -> MeetingAction:
    """Something the meeting gives ``owner`` (a user of the programme) to do by ``due``: it goes on her My work."""
    ensure(actor, selectors.RUN, meeting.table)
    _in_acting_programme(actor, meeting.table.programme_id)
    if owner.pk not in {u.pk for u in programme_users(actor=actor)}:
        raise ValidationError({"owner": [_("Choose a user with a role in this programme.")]})
    engine.check_due(due, meeting.starts_at.astimezone(timezone.get_current_timezone()).date())
    item = MeetingAction(meeting=meeting, description=description.strip(), owner=owner, due=due)
    item.full_clean()
    item.save()
    record(actor=actor, action=Action.CREATE, obj=item, fields=["description", "owner", "due"])
    return item


@transaction.atomic
def complete_action(*, actor: Actor, action: MeetingAction) -> MeetingAction:
    """An action marked done, by whom owes it alone."""
    _in_acting_programme(actor, action.meeting.table.programme_id)
    return engine.complete(actor=actor, action=action, permission=selectors.COMPLETE)


@transaction.atomic
def new_calendar_feed(*, actor: Actor) -> str:
    """A new private calendar address for the actor in her programme (revoking the one she had); the token is
    returned once and only its hash is kept."""
    ensure(actor, selectors.CALENDAR)
    revoke_calendar_feed(actor=actor)
    token = secrets.token_urlsafe(32)
    feed = CalendarFeed.objects.create(
        user=actor, programme_id=actor.active_membership.programme_id, token_hash=selectors.hash_token(token)
    )
    record(actor=actor, action=Action.CREATE, obj=feed, fields=["token_hash"])
    return token


@transaction.atomic
def revoke_calendar_feed(*, actor: Actor) -> bool:
    ensure(actor, selectors.CALENDAR)
    feed = selectors.live_feed(actor=actor)
    if feed is None:
        return False
    feed.revoked_at = timezone.now()
    feed.save(update_fields=["revoked_at"])
    record(actor=actor, action=Action.CHANGE, obj=feed, fields=["revoked_at"])
    return True


def feed_read(feed: CalendarFeed) -> None:
    """When her calendar last read the address (shown to her, so she sees an address in use)."""
    CalendarFeed.objects.filter(pk=feed.pk).update(last_read_at=timezone.now())


def schedule_at(meeting_start: datetime) -> tuple[date, time]:
    local = meeting_start.astimezone(timezone.get_current_timezone())
    return local.date(), local.time().replace(second=0, microsecond=0)
