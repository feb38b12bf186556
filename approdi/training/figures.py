"""The counting rule of training and awareness, written once: the dashboard, the funder summary, the events'
page and the CSV export all take their figures from here (docs/contracts.md, "Counting rules").

For programme P and a period (both days included):
- ``events``: the events of P dated in the period;
- ``participants``: the sum of the participants recorded at those events;
- ``bodies``: the distinct organisations they came from: each body of the directory once, and each name typed
  outside the directory once, whatever its capitals (the service links a typed name to the directory's body of
  that name, so a body is never counted twice).
"""

from __future__ import annotations

from collections import Counter
from datetime import date

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Lower

from .models import Event, EventKind

KEYS = ("events", "participants", "bodies")


def dated(events: QuerySet[Event], *, start: date, end: date) -> QuerySet[Event]:
    return events.filter(date__gte=start, date__lte=end)


def training_figures(events: QuerySet[Event], *, start: date, end: date) -> dict[str, int]:
    """{"events": N, "participants": M, "bodies": K} of ``events`` dated in the period, in one query.

    One join to the rows of participants: each row is met once, so their sum is the participants, and the events
    are counted distinct (an event without participants is still an event).
    """
    counted = (
        dated(events, start=start, end=end)
        .order_by()
        .aggregate(
            events=Count("id", distinct=True),
            participants=Sum("participations__participants"),
            directory=Count("participations__body", distinct=True),
            typed=Count(
                Lower("participations__organisation_name"),
                distinct=True,
                filter=Q(participations__isnull=False, participations__body__isnull=True),
            ),
        )
    )
    return {
        "events": counted["events"],
        "participants": counted["participants"] or 0,
        "bodies": counted["directory"] + counted["typed"],
    }


def by_kind(events: QuerySet[Event], *, start: date, end: date) -> dict[str, Counter]:
    """Events and participants by type of event, every type present (zeros included), in the types' order."""
    split: dict[str, Counter] = {kind: Counter() for kind in EventKind.values}
    rows = (
        dated(events, start=start, end=end)
        .order_by()
        .values_list("kind")
        .annotate(held=Count("id", distinct=True), participants=Sum("participations__participants"))
    )
    for kind, held, participants in rows:
        split[kind]["events"] = held
        split[kind]["participants"] = participants or 0
    return split
