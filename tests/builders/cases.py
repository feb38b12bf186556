"""Things the case tests build again and again on the case world (case_world.py), each built one way."""

from __future__ import annotations

from datetime import date

from approdi.cases import selectors
from approdi.cases.models import Case, Note, Permit
from approdi.cases.services import case as case_services
from approdi.cases.services import legal as legal_services
from approdi.intake.services import record_consent
from approdi.people.models import ConsentPurpose

from .acting import acting


def consent_to_sharing(world, *, granted: bool = True, day: date = date(2024, 3, 1)) -> None:
    """The Ufficio Filtro records the person's consent (or its withdrawal) to share her case with other partners."""
    with acting(world.filtro) as filtro:
        record_consent(
            actor=filtro, person=world.person, purpose=ConsentPurpose.NETWORK_SHARING, granted=granted, day=day
        )


def legal_and_general_notes(world) -> None:
    """The legal advisor writes, for the team, a legal note (1 March 2024) and a general one (2 March 2024)."""
    with acting(world.legal) as legal:
        case = selectors.case_detail(actor=legal, pk=world.case.pk)
        case_services.write_note(
            actor=legal,
            case=case,
            day=date(2024, 3, 1),
            text="Denuncia depositata in Procura",
            domain=Note.Domain.LEGAL,
            confidentiality=Note.Confidentiality.TEAM,
        )
        case_services.write_note(
            actor=legal,
            case=case,
            day=date(2024, 3, 2),
            text="Colloquio di verifica",
            domain="general",
            confidentiality=Note.Confidentiality.TEAM,
        )


def apply_for_permit(user, case_pk: int, **overrides) -> Permit:
    """An application for an art. 18 social-path permit (10 February 2024, Questura di Milano) unless overridden."""
    with acting(user):
        case = Case.objects.get(pk=case_pk)
        values = {"type": "art18_social", "application_date": date(2024, 2, 10), "questura": "Questura di Milano"}
        return legal_services.apply_for_permit(actor=user, case=case, **{**values, **overrides})


def issue_permit(
    user, permit: Permit, *, issue_date: date = date(2024, 3, 1), expiry: date = date(2024, 9, 1)
) -> Permit:
    """The permit applied for, issued."""
    with acting(user):
        return legal_services.issue_permit(
            actor=user, permit=Permit.objects.get(pk=permit.pk), issue_date=issue_date, expiry=expiry
        )
