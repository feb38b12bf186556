"""The permit rules of the legal services: issue, refusal, renewal and conversion as a chain of applications."""

from datetime import date, datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django_scopes import scopes_disabled

from approdi.cases.models import Case, Permit
from approdi.cases.services import legal as legal_services
from tests.builders import acting
from tests.builders.cases import apply_for_permit, issue_permit

pytestmark = pytest.mark.django_db


def test_the_same_type_renews_and_the_issue_retires_the_previous(case_world):
    first = issue_permit(case_world.legal, apply_for_permit(case_world.legal, case_world.case.pk))
    renewal = apply_for_permit(case_world.legal, case_world.case.pk, application_date=date(2024, 8, 1), previous=first)
    assert renewal.change == "renewal" and renewal.previous_id == first.pk
    with scopes_disabled():
        assert Permit.objects.get(pk=first.pk).status == "issued"  # until the renewal is issued
    issue_permit(case_world.legal, renewal, issue_date=date(2024, 9, 1), expiry=date(2025, 3, 1))
    with scopes_disabled():
        assert Permit.objects.get(pk=first.pk).status == "renewed"


def test_another_type_converts(case_world):
    first = issue_permit(case_world.legal, apply_for_permit(case_world.legal, case_world.case.pk))
    work = apply_for_permit(
        case_world.legal, case_world.case.pk, type="work", application_date=date(2024, 8, 1), previous=first
    )
    assert work.change == "conversion"
    issue_permit(case_world.legal, work, issue_date=date(2024, 8, 20), expiry=date(2026, 8, 20))
    with scopes_disabled():
        assert Permit.objects.get(pk=first.pk).status == "converted"


def test_only_an_issued_permit_of_the_same_case_is_renewed(case_world, network):
    applied = apply_for_permit(case_world.legal, case_world.case.pk)
    with pytest.raises(ValidationError, match="Solo un permesso rilasciato"):
        apply_for_permit(case_world.legal, case_world.case.pk, previous=applied)
    with scopes_disabled():
        other = Case.objects.create(
            programme=network.programme,
            person=case_world.person,
            lead_organisation=network.partner,
            type="residential",
            status="suspended",
            start=date(2024, 1, 1),
        )
        other.members.create(
            user=case_world.legal, organisation=network.partner, role="legal", added_by=case_world.legal
        )
    issued = issue_permit(case_world.legal, applied)
    with pytest.raises(ValidationError) as refused:
        apply_for_permit(case_world.legal, other.pk, previous=issued)
    assert "previous" in refused.value.message_dict


def test_issue_and_refusal_only_of_an_application(case_world):
    permit = apply_for_permit(case_world.legal, case_world.case.pk)
    with acting(case_world.legal) as legal:
        legal_services.refuse_permit(actor=legal, permit=Permit.objects.get(pk=permit.pk))
        with pytest.raises(ValidationError, match="Solo un permesso richiesto può essere rifiutato"):
            legal_services.refuse_permit(actor=legal, permit=Permit.objects.get(pk=permit.pk))
    with pytest.raises(ValidationError, match="Solo un permesso richiesto può essere rilasciato"):
        issue_permit(case_world.legal, permit)


@pytest.mark.parametrize(
    ("issue_date", "expiry"),
    [(date(2024, 2, 1), date(2024, 8, 1)), (date(2024, 3, 1), date(2024, 3, 1)), (date(2024, 3, 1), date(2024, 2, 1))],
)
def test_the_dates_of_an_issue_are_checked(case_world, issue_date, expiry):
    permit = apply_for_permit(case_world.legal, case_world.case.pk)
    with pytest.raises(ValidationError):
        issue_permit(case_world.legal, permit, issue_date=issue_date, expiry=expiry)
    with scopes_disabled():
        assert Permit.objects.get(pk=permit.pk).status == "applied"


def test_the_educator_on_the_team_records_no_legal_matter(case_world):
    with pytest.raises(PermissionDenied):
        apply_for_permit(case_world.educator, case_world.case.pk)
    permit = apply_for_permit(case_world.legal, case_world.case.pk)
    with pytest.raises(PermissionDenied):
        issue_permit(case_world.educator, permit)
    with acting(case_world.educator) as educator, pytest.raises(PermissionDenied):
        legal_services.open_matter(
            actor=educator,
            case=Case.objects.get(pk=case_world.case.pk),
            kind="complaint",
            day=date(2024, 3, 1),
            authority="Questura",
        )


def test_a_complaint_gets_no_hearing_a_proceeding_does(case_world):
    with acting(case_world.legal) as legal:
        case = Case.objects.get(pk=case_world.case.pk)
        complaint = legal_services.open_matter(
            actor=legal, case=case, kind="complaint", day=date(2024, 3, 1), authority="Questura di Milano"
        )
        proceeding = legal_services.open_matter(
            actor=legal, case=case, kind="criminal_proceeding", day=date(2024, 4, 1), authority="Tribunale di Milano"
        )
        when = timezone.make_aware(datetime(2024, 11, 5, 9, 30))
        with pytest.raises(ValidationError, match="Una denuncia non ha udienze"):
            legal_services.schedule_hearing(actor=legal, matter=complaint, starts_at=when, place="Tribunale")
        hearing = legal_services.schedule_hearing(actor=legal, matter=proceeding, starts_at=when, place="Aula 3")
        closed = legal_services.close_matter(actor=legal, matter=proceeding, outcome="Condanna in primo grado")
    assert hearing.matter_id == proceeding.pk and closed.status == "closed"
