"""Reading the acting programme's training and awareness events (counts by organisation and role, no people)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.db.models import Prefetch, QuerySet, Sum
from django.http import Http404

from approdi.core.permissions import ensure

from . import figures
from .models import Event, EventMaterial, Participation

if TYPE_CHECKING:
    from approdi.accounts.actor import Actor

VIEW = "training.view_events"


def _programme_id(actor: Actor) -> int:
    return actor.active_membership.programme_id


def events(*, actor: Actor, kind: str = "", start: date | None = None, end: date | None = None) -> QuerySet[Event]:
    """The programme's events, newest first, narrowed by type and period, each with its participants' total."""
    ensure(actor, VIEW)
    found = Event.objects.filter(programme_id=_programme_id(actor))
    if kind:
        found = found.filter(kind=kind)
    if start is not None:
        found = found.filter(date__gte=start)
    if end is not None:
        found = found.filter(date__lte=end)
    return (
        found.select_related("organiser", "area")
        .annotate(total_participants=Sum("participations__participants"))
        .order_by("-date", "title", "id")
    )


def with_participations(found: QuerySet[Event]) -> QuerySet[Event]:
    """For the CSV: every event's rows of participants, with their bodies, in two more queries."""
    rows = Participation.objects.select_related("body").order_by("id")
    return found.prefetch_related(Prefetch("participations", queryset=rows))


def event(*, actor: Actor, pk: int) -> Event:
    ensure(actor, VIEW)
    found = (
        Event.objects.filter(programme_id=_programme_id(actor), pk=pk)
        .select_related("organiser", "area", "programme")
        .prefetch_related(Prefetch("participations", queryset=Participation.objects.select_related("body")))
        .first()
    )
    if found is None:
        raise Http404
    return found


def figures_of(*, actor: Actor, start: date, end: date, kind: str = "") -> dict[str, int]:
    """The counting rule's figures (``figures.training_figures``) over the list's events."""
    ensure(actor, VIEW)
    found = Event.objects.filter(programme_id=_programme_id(actor))
    if kind:
        found = found.filter(kind=kind)
    return figures.training_figures(found, start=start, end=end)


def material_of(*, actor: Actor, event: Event) -> EventMaterial | None:
    """The material's name and size, without its bytes."""
    ensure(actor, VIEW)
    return EventMaterial.objects.filter(event=event).defer("content").first()


def material(*, actor: Actor, pk: int) -> EventMaterial:
    ensure(actor, VIEW)
    found = EventMaterial.objects.filter(event__programme_id=_programme_id(actor), event_id=pk).first()
    if found is None:
        raise Http404
    return found
