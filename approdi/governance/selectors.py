"""Reading the governance tables of the acting programme: the tables a user sits at, their meetings, her actions.

Tables and minutes hold professionals' names and people's codes only, so reading them is not audited as a read of
people's data; the minutes' PDF is an export and is audited (views).
"""

from __future__ import annotations

import hashlib
from datetime import timedelta
from typing import TYPE_CHECKING

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from approdi.accounts.models import Membership
from approdi.core.permissions import ensure

from . import recurrence
from .models import CalendarFeed, Meeting, MeetingAction, Table

if TYPE_CHECKING:
    from datetime import datetime

    from approdi.accounts.actor import Actor
    from approdi.accounts.models import User

VIEW = "governance.view_tables"
VIEW_TABLE = "governance.view_table"
VIEW_EVERY = "governance.view_every_table"
ADD = "governance.add_table"
RUN = "governance.run_table"
COMPLETE = "governance.complete_action"
CALENDAR = "governance.use_calendar"


def _programme_id(actor: Actor) -> int:
    return actor.active_membership.programme_id


def _sits_at(user: User) -> Q:
    return Q(convenor=user) | Q(users=user)


def tables(*, actor: Actor) -> QuerySet[Table]:
    """The tables of the acting programme the actor sits at (a coordinator: every table), with their next meeting."""
    ensure(actor, VIEW)
    found = Table.objects.filter(programme_id=_programme_id(actor))
    if not actor.has_perm(VIEW_EVERY):  # a coordinator sees every table; the others hers
        found = found.filter(_sits_at(actor)).distinct()
    upcoming = Meeting.objects.filter(starts_at__gte=timezone.now()).exclude(status=Meeting.Status.CANCELLED)
    return (
        found.select_related("convenor")
        .prefetch_related(Prefetch("meetings", queryset=upcoming.order_by("starts_at"), to_attr="upcoming"))
        .order_by("kind", "name", "id")
    )


def table(*, actor: Actor, pk: int) -> Table:
    """A table of the acting programme the actor may see (404 otherwise, whether it exists elsewhere or not)."""
    ensure(actor, VIEW)
    found = (
        Table.objects.filter(programme_id=_programme_id(actor), pk=pk)
        .select_related("convenor")
        .prefetch_related("users", "referents__body")
        .first()
    )
    if found is None or not actor.has_perm(VIEW_TABLE, found):
        raise Http404
    return found


def meetings_of(*, actor: Actor, table: Table) -> list[Meeting]:
    ensure(actor, VIEW_TABLE, table)
    return list(table.meetings.order_by("-starts_at", "-id").prefetch_related("actions"))


def planned(*, table: Table, after: datetime | None = None, count: int = 3) -> list[datetime]:
    """The table's next ``count`` starts by its recurrence (what the coordinator is offered to schedule)."""
    return recurrence.next_meetings(
        first=table.first_day,
        at=table.start_time,
        every_months=table.recurrence,
        after=after or timezone.now(),
        count=count,
    )


def meeting(*, actor: Actor, pk: int) -> Meeting:
    ensure(actor, VIEW)
    found = (
        Meeting.objects.filter(table__programme_id=_programme_id(actor), pk=pk)
        .select_related("table__convenor", "created_by")
        .prefetch_related(
            "present_users",
            "present_referents__body",
            Prefetch("actions", queryset=MeetingAction.objects.select_related("owner")),
            "table__users",
            "table__referents__body",
        )
        .first()
    )
    if found is None or not actor.has_perm(VIEW_TABLE, found.table):
        raise Http404
    return found


def my_actions(*, actor: Actor) -> list[MeetingAction]:
    """The open actions of the acting programme's meetings the actor owes, soonest first (My work)."""
    return list(
        MeetingAction.objects.filter(
            owner=actor, status=MeetingAction.Status.OPEN, meeting__table__programme_id=_programme_id(actor)
        )
        .select_related("meeting__table")
        .order_by("due", "id")
    )


def action(*, actor: Actor, pk: int) -> MeetingAction:
    """An action of the acting programme its owner, or whoever sees its table, finds; 404 for anyone else (an
    action of a table she does not sit at does not exist for her)."""
    ensure(actor, VIEW)
    found = (
        MeetingAction.objects.filter(pk=pk, meeting__table__programme_id=_programme_id(actor))
        .select_related("meeting__table")
        .first()
    )
    if found is None or (found.owner_id != actor.pk and not actor.has_perm(VIEW_TABLE, found.meeting.table)):
        raise Http404
    return found


def meetings_for_feed(*, user: User, programme_id: int) -> QuerySet[Meeting]:
    """The meetings of the tables a user sits at, from a year ago on (her calendar feed)."""
    since = timezone.now() - timedelta(days=365)
    sits = Table.objects.filter(programme_id=programme_id).filter(_sits_at(user)).values("pk")
    return Meeting.objects.filter(table__in=sits, starts_at__gte=since).select_related("table").order_by("starts_at")


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def feed_of_token(token: str) -> CalendarFeed | None:
    """The live feed the token opens, or None (unknown or revoked)."""
    if not token or len(token) > 100:
        return None
    feed = (
        CalendarFeed.objects.filter(token_hash=hash_token(token), revoked_at__isnull=True)
        .select_related("user", "programme")
        .first()
    )
    if feed is None or not feed.user.is_active:
        return None
    # A user who no longer acts in the programme reads nothing of it, whatever address she kept.
    if not Membership.objects.acting().filter(user=feed.user, programme=feed.programme).exists():
        return None
    return feed


def live_feed(*, actor: Actor) -> CalendarFeed | None:
    ensure(actor, CALENDAR)
    return CalendarFeed.objects.filter(user=actor, programme_id=_programme_id(actor), revoked_at__isnull=True).first()
