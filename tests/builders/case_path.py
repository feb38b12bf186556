"""What comes before the case worker, set up with the services as the people before her would:
the programme's list of services, a person registered by the Ufficio Filtro with her consent, its
decision for territorial case management, and the case given to a case worker with a legal advisor
on the team. Shared by the case-path, keyboard and accessibility browser tests; the Ufficio Filtro's part
is the case world's (case_world.py).

The path began some ``DAYS_AGO`` days ago: the case (and the person's entry record, which the
decision writes today) are moved to that day, so that the browser can record a year of work with
real past dates.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone
from django_scopes import scopes_disabled

from approdi.accounts.models import User
from approdi.cases.models import Case, ServiceType
from approdi.cases.services import case as case_services
from approdi.cases.services import delivery as delivery_services
from approdi.intake.services import register_person
from approdi.network.models import Programme
from approdi.people.models import Person

from .acting import acting
from .case_world import open_territorial_case

DAYS_AGO = 300
# The programme's reference list: code, name, unit, unit cost (EUR).
SERVICE_TYPES = [
    ("colloquio", "Colloquio", "session", Decimal("35.00")),
    ("lezione-italiano", "Lezione di italiano", "hour", Decimal("18.50")),
    ("ricerca-lavoro", "Supporto alla ricerca del lavoro", "session", Decimal("40.00")),
    ("accompagnamento-sanitario", "Accompagnamento a visita medica", "session", Decimal("30.00")),
]


@dataclass
class CasePath:
    case: Case
    person: Person
    start: date  # the day the case opened
    filtro: User
    worker: User  # the case worker, case manager of the case
    legal: User
    coordinator: User
    types: dict[str, ServiceType]

    def day(self, n: int) -> date:
        """The n-th day of the path (day 0 is the case's start)."""
        return self.start + timedelta(days=n)


def named(user: User, first: str, last: str) -> User:
    user.first_name, user.last_name = first, last
    user.save(update_fields=["first_name", "last_name"])
    return user


def build_case_path(network, make_user) -> CasePath:
    today = timezone.localdate()
    start = today - timedelta(days=DAYS_AGO)
    # The programme runs around today, so the reports' default period (the programme's) holds the path.
    Programme.objects.filter(pk=network.programme.pk).update(
        start=min(network.programme.start, start - timedelta(days=60)), end=today + timedelta(days=365)
    )
    network.programme.refresh_from_db()

    filtro = named(make_user("filtro", network.lead, "filtro", network.programme), "Franca", "Filtri")
    worker = named(make_user("operatrice", network.partner, "case_worker", network.programme), "Sara", "Bianchi")
    legal = named(make_user("legale", network.partner, "legal", network.programme), "Luca", "Neri")
    coordinator = named(make_user("coordinatrice", network.lead, "coordinator", network.programme), "Carla", "Rossi")

    with acting(coordinator):
        types = {
            code: delivery_services.save_service_type(
                actor=coordinator, programme=network.programme, code=code, name=name, unit=unit, unit_cost=cost
            )
            for code, name, unit, cost in SERVICE_TYPES
        }
    with acting(filtro):
        person = register_person(
            actor=filtro,
            given_name="Grace",
            family_name="Osagie",
            birth_date=date(1998, 6, 14),
            nationality="NG",
            gender="woman",
        )
    case = open_territorial_case(
        filtro=filtro,
        person=person,
        start=start,
        case_manager=worker,
        reason="Percorso di presa in carico",
        entry_on_start=True,
    )
    with acting(filtro):
        case_services.add_team_member(actor=filtro, case=case, user=legal, role="legal")
    with scopes_disabled():
        case = Case.objects.select_related("person").get(pk=case.pk)
    return CasePath(case, person, start, filtro, worker, legal, coordinator, types)
