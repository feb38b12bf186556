"""A territorial case at the partner: the Ufficio Filtro, a case manager, an educator and a legal advisor
on the team, and the same roles at another partner for the outsider's view.

``open_territorial_case`` is the Ufficio Filtro's part, shared with the browser's case path
(case_path.py): consent, decision, the case dated and given to a case manager.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django_scopes import scopes_disabled

from approdi.accounts.models import User
from approdi.cases.models import Case, ServiceType
from approdi.cases.services import case as case_services
from approdi.intake.models import Decision
from approdi.intake.services import decide, record_consent
from approdi.people.models import ConsentPurpose, Person, ProgrammeRecord

from .acting import acting
from .people import registered_person


def open_territorial_case(
    *, filtro: User, person: Person, start: date, case_manager: User, reason: str, entry_on_start: bool = False
) -> Case:
    """The Ufficio Filtro records consent to services on ``start`` and decides for territorial case management;
    the case the decision opens (today) is moved to ``start`` (with the entry record, if ``entry_on_start``)
    and given to ``case_manager``."""
    with acting(filtro):
        record_consent(actor=filtro, person=person, purpose=ConsentPurpose.SERVICES, granted=True, day=start)
        decide(actor=filtro, person=person, kind=Decision.Kind.TERRITORIAL, reason=reason)
        with scopes_disabled():
            case = Case.objects.get(person=person)
            Case.objects.filter(pk=case.pk).update(start=start)
            if entry_on_start:
                ProgrammeRecord.objects.filter(person=person, kind=ProgrammeRecord.Kind.ENTRY).update(date=start)
            case.refresh_from_db()
        case_services.assign_case(actor=filtro, case=case, case_manager=case_manager)
    return case


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


def build_case_world(network, make_user) -> CaseWorld:
    filtro = make_user("filtro", network.lead, "filtro", network.programme)
    manager = make_user("manager", network.partner, "case_worker", network.programme)
    educator = make_user("educator", network.partner, "shelter", network.programme)
    legal = make_user("legal", network.partner, "legal", network.programme)
    colleague = make_user("colleague", network.partner, "case_worker", network.programme)
    coordinator = make_user("coordinator", network.lead, "coordinator", network.programme)
    outsider = make_user("outsider", network.other, "case_worker", network.programme)
    person = registered_person(network, code="AP-CASE1-00001", created_by=filtro)
    with scopes_disabled():
        interview = ServiceType.objects.create(
            programme=network.programme, code="interview", name="Colloquio", unit="session", unit_cost="35.00"
        )
    case = open_territorial_case(
        filtro=filtro, person=person, start=date(2024, 2, 1), case_manager=manager, reason="Percorso territoriale"
    )
    with acting(manager):
        case = Case.objects.get(pk=case.pk)
        case_services.add_team_member(actor=manager, case=case, user=educator, role="educator")
        case_services.add_team_member(actor=manager, case=case, user=legal, role="legal")
    return CaseWorld(case, person, filtro, manager, educator, legal, colleague, coordinator, outsider, interview)
