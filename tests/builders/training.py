"""Training events for the test network: an event with its participants and its material (written directly)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django_scopes import scopes_disabled

from approdi.directory.models import Body
from approdi.training.models import Event, EventMaterial, Participation
from tests.builders.directory import PDF


@dataclass
class Training:
    event: Event
    body: Body
    from_directory: Participation
    typed: Participation


def build_training(programme, *, organiser, uploaded_by, day: date | None = None) -> Training:
    with scopes_disabled():
        body = Body.objects.get_or_create(
            programme=programme, name="Prefettura di Prova", defaults={"type": "prefettura", "phone": "02 1"}
        )[0]
        event = Event.objects.create(
            programme=programme,
            kind="cas_training",
            title="Formazione operatori CAS di prova",
            organiser=organiser,
            date=day or max(programme.start, date(2024, 3, 5)),
            audience="reception_staff",
            hours=Decimal("4"),
            trainers="Équipe di prova",
        )
        from_directory = Participation.objects.create(event=event, body=body, role="coordinator", participants=2)
        typed = Participation.objects.create(
            event=event, organisation_name="CAS Via di Prova", role="operator", participants=10
        )
        EventMaterial.objects.create(
            event=event, filename="dispense.pdf", content=PDF, size=len(PDF), uploaded_by=uploaded_by
        )
    return Training(event, body, from_directory, typed)
