"""A governance table for the test network: a Tavolo emersione every two months, a member from the directory, one
meeting held yesterday with an action."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time, timedelta

from django.utils import timezone
from django_scopes import scopes_disabled

from approdi.governance.models import Meeting, MeetingAction, Table
from approdi.governance.recurrence import local_instant
from approdi.network.models import Programme


@dataclass
class Governance:
    table: Table
    meeting: Meeting
    action: MeetingAction


def build_table(programme: Programme, *, convenor, users=(), referents=(), action_owner=None) -> Governance:
    today = timezone.localdate()
    with scopes_disabled():
        table = Table.objects.create(
            programme=programme,
            name="Tavolo emersione di Prova",
            kind="emersione",
            topic="general",
            convenor=convenor,
            recurrence=2,
            first_day=today - timedelta(days=1),
            start_time=time(10, 0),
            duration=120,
            place="Sala riunioni, via Prova 1",
        )
        table.users.set(users)
        table.referents.set(referents)
        starts = local_instant(today - timedelta(days=1), time(10, 0))
        meeting = Meeting.objects.create(
            table=table,
            starts_at=starts,
            ends_at=starts + timedelta(hours=2),
            place=table.place,
            agenda="1. Segnalazioni dalla Commissione\n2. Varie",
            status="held",
            minutes="Discusso il caso P-0001; da seguire con la Questura.",
            decisions="Riunione straordinaria a marzo\nScheda comune di invio",
            created_by=convenor,
        )
        meeting.present_users.set(users)
        meeting.present_referents.set(referents)
        action = MeetingAction.objects.create(
            meeting=meeting,
            description="Inviare la scheda comune ai CAS",
            owner=action_owner or convenor,
            due=today + timedelta(days=14),
        )
    return Governance(table, meeting, action)
