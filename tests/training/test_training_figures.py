"""The training figures ("N training events, M participants from K bodies") follow one rule, written once
(approdi/training/figures.py): on seeded random data they equal a hand-written SQL count, and the dashboard (in
each user's scope), the funder summary and the events' page show those very numbers."""

import random
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.urls import reverse
from django_scopes import scopes_disabled

from approdi.directory.models import Body
from approdi.reports.dashboard.selectors import dashboard
from approdi.reports.funder.summary import funder_summary
from approdi.training.figures import by_kind, training_figures
from approdi.training.models import Event, EventKind, ParticipantRole, Participation
from tests.builders import acting, verified_client

pytestmark = pytest.mark.django_db
START, END = date(2024, 3, 1), date(2024, 9, 30)
NAMES = ["CAS Alfa", "cas alfa", "CAS ALFA", "Scuola Beta", "Parrocchia Gamma", "scuola beta"]

EVENTS_SQL = "SELECT COUNT(*) FROM training_event WHERE programme_id = %s AND date >= %s AND date <= %s"
PEOPLE_SQL = """
SELECT COALESCE(SUM(p.participants), 0),
       COUNT(DISTINCT p.body_id),
       COUNT(DISTINCT CASE WHEN p.body_id IS NULL THEN LOWER(p.organisation_name) END)
FROM training_participation p JOIN training_event e ON e.id = p.event_id
WHERE e.programme_id = %s AND e.date >= %s AND e.date <= %s
"""


def by_hand(programme_id: int, organiser_id: int | None = None) -> dict[str, int]:
    narrow = "" if organiser_id is None else f" AND organiser_id = {int(organiser_id)}"
    with connection.cursor() as cursor:
        cursor.execute(EVENTS_SQL + narrow, [programme_id, START.isoformat(), END.isoformat()])
        events = cursor.fetchone()[0]
        cursor.execute(
            PEOPLE_SQL + narrow.replace("organiser_id", "e.organiser_id"),
            [programme_id, START.isoformat(), END.isoformat()],
        )
        participants, bodies, names = cursor.fetchone()
    return {"events": events, "participants": participants, "bodies": bodies + names}


def random_events(rng: random.Random, programme, organisations, bodies) -> None:
    for n in range(rng.randint(0, 14)):
        event = Event.objects.create(
            programme=programme,
            kind=rng.choice(EventKind.values),
            title=f"Evento {n}",
            organiser=rng.choice(organisations),
            date=date(2024, 1, 15) + timedelta(days=rng.randint(0, 300)),  # around the period, both sides
            audience="mixed",
            hours=Decimal(rng.randint(1, 400)) / 2,
        )
        for _row in range(rng.randint(0, 5)):
            from_directory = rng.random() < 0.5
            Participation.objects.create(
                event=event,
                body=rng.choice(bodies) if from_directory else None,
                organisation_name="" if from_directory else rng.choice(NAMES),
                role=rng.choice(ParticipantRole.values),
                participants=rng.randint(1, 1000),
            )


@pytest.fixture
def coordinators(network, make_user):
    return (
        make_user("coord-lead", network.lead, "coordinator", network.programme),
        make_user("coord-partner", network.partner, "coordinator", network.programme),
    )


@pytest.mark.parametrize("seed", [1, 7, 2024])
def test_the_figures_equal_a_hand_written_sql_count(network, coordinators, seed):
    rng = random.Random(seed)
    with scopes_disabled():
        bodies = [
            Body.objects.create(programme=network.programme, name=f"Ente {n}", type="ngo", phone="02 1")
            for n in range(4)
        ]
        other_bodies = [Body.objects.create(programme=network.other_programme, name="Altro", type="ngo", phone="02 2")]
        organisations = [network.lead, network.partner, network.other]
        random_events(rng, network.programme, organisations, bodies)
        random_events(rng, network.other_programme, organisations, other_bodies)  # never counted in P-1
        expected = by_hand(network.programme.pk)
        counted = training_figures(Event.objects.filter(programme=network.programme), start=START, end=END)
        split = by_kind(Event.objects.filter(programme=network.programme), start=START, end=END)
    assert counted == expected
    assert sum(c["events"] for c in split.values()) == expected["events"]
    assert sum(c["participants"] for c in split.values()) == expected["participants"]
    # The funder summary's activity section, the dashboard (network-wide for the lead, her own events for a
    # partner's coordinator) and the events' page: the same rule.
    assert funder_summary(programme=network.programme, start=START, end=END)["training"] == expected
    lead, partner = coordinators
    with acting(lead):
        figures = dashboard(actor=lead, start=START, end=END).figures
    assert [figures[f"training_{k}"] for k in expected] == list(expected.values())
    own = by_hand(network.programme.pk, organiser_id=network.partner.pk)
    with acting(partner):
        figures = dashboard(actor=partner, start=START, end=END).figures
    assert [figures[f"training_{k}"] for k in own] == list(own.values())
    page = verified_client(lead).get(reverse("training:event_list"), {"start": START, "end": END})
    assert page.context["figures"] == expected


def test_a_typed_name_of_the_directory_counts_as_its_body(network, coordinators):
    """The service links "prefettura di prova" to the directory's body: one body, not two."""
    from approdi.training import services

    lead, _partner = coordinators
    with scopes_disabled():
        body = Body.objects.create(
            programme=network.programme, name="Prefettura di Prova", type="prefettura", phone="1"
        )
    with acting(lead):
        event = services.save_event(
            actor=lead, kind="cas_training", title="Modulo", organiser=network.lead, date=START,
            audience="reception_staff", hours=Decimal("3"),
        )  # fmt: skip
        services.add_participation(actor=lead, event=event, body=body, role="coordinator", participants=2)
        typed = services.add_participation(
            actor=lead, event=event, organisation_name="  prefettura   di prova ", role="officer", participants=3
        )
        services.add_participation(
            actor=lead, event=event, organisation_name="CAS Uno", role="operator", participants=5
        )
        assert typed.body == body and typed.organisation_name == ""
        counted = training_figures(Event.objects.filter(programme=network.programme), start=START, end=END)
    assert counted == {"events": 1, "participants": 10, "bodies": 2}
