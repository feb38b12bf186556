"""The demo's training and awareness events (seeds 001 and 004), written through the services.

Seed 001 plans training for the staff of the reception centres (CAS) with the Prefettura, and mutual training
between the anti-trafficking and the anti-violence networks; seed 004 funds awareness and capacity building of the
territorial networks. The events are dated before the day of loading (one is planned after it), inside the running
edition; the participants are counts by organisation and role, never names. Trainers and places are invented.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from approdi.accounts.models import User
from approdi.directory.models import Body
from approdi.network import dates
from approdi.network.models import Area, Organisation, Programme
from approdi.training import services
from approdi.training.models import Event

from .directory import _pdf

# days before loading, kind, title, organiser, area, audience, hours, trainers, questionnaires (n, mean) or None,
# participants: (body of the directory, or a name outside it; role; count)
EVENTS = [
    (
        300, "cas_training", "Riconoscere le vittime di tratta nei CAS – primo modulo", "comune-milano", "MI",
        "reception_staff", "6", "Équipe Ufficio Filtro; avv. Paolo Rinaldi (CeAS)", (38, "4.3"),
        [
            ("Prefettura di Milano – Area IV Immigrazione", "coordinator", 3),
            ("CAS Via Corelli", "operator", 18),
            ("CAS Casa Suraya", "operator", 12),
            ("CAS Casa Suraya", "mediator", 4),
            ("CAS Via Corelli", "coordinator", 5),
        ],
    ),
    (
        240, "cas_training", "Riconoscere le vittime di tratta nei CAS – secondo modulo", "comune-milano", "MB",
        "reception_staff", "4", "Équipe Ufficio Filtro", (22, "4.1"),
        [
            ("CAS Monza – Cooperativa Il Sentiero", "operator", 14),
            ("CAS Monza – Cooperativa Il Sentiero", "social_worker", 3),
            ("Prefettura di Milano – Area IV Immigrazione", "coordinator", 2),
            ("Questura di Milano – Ufficio Immigrazione", "officer", 4),
        ],
    ),
    (
        180, "mutual_training", "Rete antitratta e rete antiviolenza: segnali comuni e invii", "farsi-prossimo", "MI",
        "anti_violence", "3.5", "Operatrici Farsi Prossimo; Centro antiviolenza Casa delle Donne", (30, "4.6"),
        [
            ("Centro antiviolenza Casa delle Donne", "operator", 12),
            ("Centro antiviolenza Casa delle Donne", "legal", 2),
            ("ATS Città Metropolitana di Milano – Servizio MTS", "health", 5),
            ("Comune di Milano – Ufficio Filtro Derive e Approdi", "operator", 8),
            ("Cooperativa Sociale Farsi Prossimo", "operator", 6),
        ],
    ),
    (
        120, "awareness", "Tratta e sfruttamento: incontro pubblico a Sondrio", "lotta-emarginazione", "SO",
        "community", "2", "Unità di strada Lotta contro l'Emarginazione", None,
        [("Cittadinanza di Sondrio", "citizen", 45), ("Parrocchie e associazioni di Sondrio", "volunteer", 15)],
    ),
    (
        60, "capacity_building", "Capacity building delle reti territoriali di Como e Varese", "comune-milano", "CO",
        "public_services", "8", "Città Metropolitana di Milano – Settore politiche del lavoro e welfare", (20, "3.9"),
        [
            ("Servizi sociali del Comune di Como", "social_worker", 9),
            ("Servizi sociali del Comune di Varese", "social_worker", 7),
            ("CPIA 5 Milano", "teacher", 3),
            ("OIM – Organizzazione Internazionale per le Migrazioni", "coordinator", 2),
        ],
    ),
    (
        -30, "awareness", "Sfruttamento lavorativo: incontro con i sindacati", "ceas", "MI",
        "mixed", "3", "Consulenti legali CeAS", None, [],
    ),
]  # fmt: skip

# Seed 004 funds training and awareness: the running edition's targets for them.
TARGETS = [
    ("training_events", 8, "percorsi di formazione e sensibilizzazione nei territori"),
    ("training_participants", 250, "operatori e cittadini raggiunti"),
]


def load(programme: Programme) -> int:
    """Writes the events once, as the lead entity's coordinator; returns the events written."""
    if Event.objects.filter(programme=programme).exists():
        return 0
    coordinator = User.objects.get(username="coordinatrice")
    coordinator.active_membership = coordinator.memberships.select_related("organisation", "programme").get(
        programme=programme
    )
    areas = {a.code: a for a in Area.objects.all()}
    organisations = {o.code: o for o in Organisation.objects.all()}
    bodies = {b.name: b for b in Body.objects.filter(programme=programme)}
    today = dates.today()
    written = 0
    for days, kind, title, organiser, area, audience, hours, trainers, questionnaire, rows in EVENTS:
        day = today - timedelta(days=days)
        if not programme.start <= day <= programme.end:
            continue
        event = services.save_event(
            actor=coordinator,
            kind=kind,
            title=title,
            organiser=organisations[organiser],
            date=day,
            area=areas.get(area),
            audience=audience,
            hours=Decimal(hours),
            trainers=trainers,
            materials="Slide e dispense: https://approdi.invalid/formazione",
            material=_pdf(title.replace("–", "-"), ["Materiale di prova per la demo."])
            if kind == "cas_training"
            else None,
            material_name="dispense.pdf",
        )
        for name, role, count in rows:
            services.add_participation(
                actor=coordinator,
                event=event,
                body=bodies.get(name),
                organisation_name="" if name in bodies else name,
                role=role,
                participants=count,
            )
        if questionnaire is not None:
            respondents, mean = questionnaire
            services.save_event(
                actor=coordinator,
                event=event,
                kind=kind,
                title=title,
                organiser=organisations[organiser],
                date=day,
                area=areas.get(area),
                audience=audience,
                hours=Decimal(hours),
                trainers=trainers,
                materials=event.materials,
                respondents=respondents,
                mean_score=Decimal(mean),
            )
        written += 1
    return written
