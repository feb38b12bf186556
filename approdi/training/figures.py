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

from .models import Event, EventKind, Participation

KEYS = ("events", "participants", "bodies")


def dated(events: QuerySet[Event], *, start: date, end: date) -> QuerySet[Event]:
    return events.filter(date__gte=start, date__lte=end)


def training_figures(events: QuerySet[Event], *, start: date, end: date) -> dict[str, int]:
    """{"events": N, "participants": M, "bodies": K} of ``events`` dated in the period."""
    counted = dated(events, start=start, end=end)
    taking_part = Participation.objects.filter(event__in=counted.values("pk")).aggregate(
        participants=Sum("participants"),
        directory=Count("body", distinct=True),
        typed=Count(Lower("organisation_name"), distinct=True, filter=Q(body__isnull=True)),
    )
    return {
        "events": counted.count(),
        "participants": taking_part["participants"] or 0,
        "bodies": taking_part["directory"] + taking_part["typed"],
    }


def by_kind(events: QuerySet[Event], *, start: date, end: date) -> dict[str, Counter]:
    """Events and participants by type of event, every type present (zeros included), in the types' order."""
    split: dict[str, Counter] = {kind: Counter() for kind in EventKind.values}
    counted = dated(events, start=start, end=end).order_by()
    for kind, held in counted.values_list("kind").annotate(held=Count("id")):
        split[kind]["events"] = held
    participations = Participation.objects.filter(event__in=counted.values("pk")).order_by()
    for kind, participants in participations.values_list("event__kind").annotate(participants=Sum("participants")):
        split[kind]["participants"] = participants or 0
    return split
