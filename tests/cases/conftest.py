"""A territorial case at the partner: the Ufficio Filtro, a case manager, an educator and a legal advisor
on the team, and the same roles at another partner for the outsider's view."""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date

import pytest
from django_scopes import scopes_disabled

from approdi.accounts.models import User
from approdi.accounts.scoping import membership_scope
from approdi.cases.models import Case, ServiceType
from approdi.cases.services import case as case_services
from approdi.intake.models import Decision
from approdi.intake.services import decide, record_consent
from approdi.people.models import ConsentPurpose, Person


@contextmanager
def acting(user: User):
    """Runs service calls as the user, inside her membership's scope, as a request would."""
    user.active_membership = user.memberships.select_related("organisation", "programme").get()
    with membership_scope(user.active_membership):
        yield user


@dataclass
class CaseWorld:
    case: Case
    person: Person
    filtro: User
    manager: User
    educator: User
    legal: User
    colleague: User  # same organisation, another case worker, not on the team
    coordinator: User  # same organisation as the filtro, no case role
    outsider: User  # a case worker at another partner
    interview: ServiceType


@pytest.fixture
def case_world(network, make_user) -> CaseWorld:
    filtro = make_user("filtro", network.lead, "filtro", network.programme)
    manager = make_user("manager", network.partner, "case_worker", network.programme)
    educator = make_user("educator", network.partner, "shelter", network.programme)
    legal = make_user("legal", network.partner, "legal", network.programme)
    colleague = make_user("colleague", network.partner, "case_worker", network.programme)
    coordinator = make_user("coordinator", network.lead, "coordinator", network.programme)
    outsider = make_user("outsider", network.other, "case_worker", network.programme)
    with scopes_disabled():
        person = Person.objects.create(
            programme=network.programme,
            organisation=network.lead,
            code="AP-CASE1-00001",
            gender="woman",
            created_by=filtro,
        )
        interview = ServiceType.objects.create(
            programme=network.programme, code="interview", name="Colloquio", unit="session", unit_cost="35.00"
        )
    with acting(filtro):
        record_consent(actor=filtro, person=person, purpose=ConsentPurpose.SERVICES, granted=True, day=date(2024, 2, 1))
        decide(actor=filtro, person=person, kind=Decision.Kind.TERRITORIAL, reason="Percorso territoriale")
        case = Case.objects.get(person=person)
        Case.objects.filter(pk=case.pk).update(start=date(2024, 2, 1))
        case.refresh_from_db()
        case_services.assign_case(actor=filtro, case=case, case_manager=manager)
    with acting(manager):
        case = Case.objects.get(pk=case.pk)
        case_services.add_team_member(actor=manager, case=case, user=educator, role="educator")
        case_services.add_team_member(actor=manager, case=case, user=legal, role="legal")
    return CaseWorld(case, person, filtro, manager, educator, legal, colleague, coordinator, outsider, interview)
