"""The demo's governance tables (seed 001): the Tavolo emersione every two months, the Tavolo tecnico di
coordinamento about monthly and the four working groups, written through the services as the lead coordinator.

Each table meets on the same weekday of the same week of the month as its first meeting. The Tavolo emersione and
the Tavolo tecnico held a meeting a few weeks before the day of loading (attendance, minutes naming a woman by her
code only, decisions, actions for `operatrice`, `legale` and `strada` on their My work or home page) and have their
next meeting scheduled; each working group has its next meeting scheduled.
"""

from __future__ import annotations

from datetime import time, timedelta

from django.utils import timezone

from approdi.accounts.models import User
from approdi.directory.models import Referent
from approdi.governance import selectors, services
from approdi.governance.models import Table
from approdi.network.models import Programme
from approdi.people.models import Person

# name, kind, topic, recurrence (months), weeks before today of the first meeting, hour, members, referents' bodies
TABLES = [
    ("Tavolo emersione", "emersione", "general", 2, 9, time(10), ["filtro", "strada", "operatrice", "legale"],
     ["Commissione Territoriale", "Questura", "Prefettura"],
     "Segnalazioni dalla Commissione Territoriale e dai CAS, emersione delle vittime tra i richiedenti asilo."),
    ("Tavolo tecnico di coordinamento", "technical", "general", 1, 4, time(14, 30),
     ["referente", "filtro", "accoglienza", "operatrice"], ["Prefettura"],
     "Coordinamento tecnico dei partner: posti, inserimenti, andamento delle azioni di progetto."),
    ("Gruppo di lavoro sfruttamento lavorativo", "working_group", "labour", 1, 2, time(9, 30),
     ["strada", "operatrice"], ["Carabinieri", "Guardia di Finanza"],
     "Settori edilizia, ristorazione, alberghi, logistica; raccordo con gli sportelli cittadini."),
    ("Gruppo di lavoro accoglienza", "working_group", "reception", 2, 3, time(10), ["accoglienza", "filtro"], [],
     "Standard delle strutture, passaggi tra prima e seconda accoglienza."),
    ("Gruppo di lavoro formazione", "working_group", "training", 3, 5, time(14), ["operatrice", "legale"], ["CPIA"],
     "Formazione degli operatori dei CAS e sensibilizzazione nei territori."),
    ("Gruppo di lavoro reti antitratta e antiviolenza", "working_group", "networks", 2, 6, time(11),
     ["operatrice", "accoglienza"], ["ATS"],
     "Raccordo con la rete antiviolenza e con le altre reti antitratta regionali."),
]  # fmt: skip


def _actor(username: str, programme: Programme) -> User:
    user = User.objects.get(username=username)
    user.active_membership = user.memberships.select_related("organisation", "programme").get(programme=programme)
    return user


def load(programme: Programme) -> int:
    """Writes the tables once; returns the tables written."""
    if Table.objects.filter(programme=programme).exists():
        return 0
    coordinator = _actor("coordinatrice", programme)
    today = timezone.localdate()
    referents = list(Referent.objects.filter(body__programme=programme).select_related("body"))
    person = Person.objects.filter(programme=programme).order_by("pk").first()
    code = person.code if person else "AP-XXXX"
    written = 0
    for name, kind, topic, every, weeks, hour, members, bodies, purpose in TABLES:
        users = [User.objects.get(username=u) for u in members]
        # A weekday (Tuesday to Thursday, by table), in the week ``weeks`` weeks before today.
        start = today - timedelta(weeks=weeks)
        first = start - timedelta(days=start.weekday()) + timedelta(days=1 + written % 3)
        chosen = [r for r in referents if any(b.lower() in r.body.name.lower() for b in bodies)]
        table = services.save_table(
            actor=coordinator,
            name=name,
            kind=kind,
            topic=topic,
            convenor=coordinator,
            first_day=first,
            start_time=hour,
            recurrence=every,
            duration=120,
            place="Comune di Milano, Via Prova 1, sala 3 (o in videochiamata)",
            purpose=purpose,
            users=users,
            referents=chosen,
        )
        written += 1
        if kind in ("emersione", "technical"):
            _held(coordinator, table, users, chosen, code)
        nxt = selectors.planned(table=table, count=1)
        if nxt:
            day, at = services.schedule_at(nxt[0])
            services.schedule_meeting(
                actor=coordinator,
                table=table,
                day=day,
                start_time=at,
                duration=table.duration,
                agenda="1. Aggiornamento dai partner\n2. Azioni in corso\n3. Varie ed eventuali",
            )
    return written


def _held(coordinator: User, table: Table, users: list[User], referents: list[Referent], code: str) -> None:
    """The table's first meeting, held: attendance, minutes (the woman by her code), decisions and actions."""
    meeting = services.schedule_meeting(
        actor=coordinator,
        table=table,
        day=table.first_day,
        start_time=table.start_time,
        duration=table.duration,
        agenda="1. Segnalazioni del periodo\n2. Protocollo art. 10 con la Commissione\n3. Varie",
    )
    services.record_meeting(
        actor=coordinator,
        meeting=meeting,
        status="held",
        agenda=meeting.agenda,
        minutes=(
            f"Esaminate le segnalazioni del periodo. Per {code} si conferma il percorso in casa protetta; "
            "la Commissione segnala due audizioni con indicatori di tratta, da approfondire con il colloquio "
            "dell'Ufficio Filtro."
        ),
        decisions="Scheda di invio comune per le segnalazioni dei CAS\nProssimo incontro dedicato al lavoro",
        present_users=users[:-1],
        present_referents=referents[:1],
    )
    owners = [u for u in users if u.username in ("operatrice", "legale", "strada")] or users[:1]
    for owner, what, days in zip(
        owners,
        ("Diffondere la scheda di invio comune ai CAS", "Preparare la nota sul permesso art. 18 per il tavolo",
         "Mappare i luoghi di aggancio nella zona nord"),
        (10, 20, 30),
        strict=False,
    ):  # fmt: skip
        services.add_action(
            actor=coordinator,
            meeting=meeting,
            description=what,
            owner=owner,
            due=timezone.localdate() + timedelta(days=days),
        )
