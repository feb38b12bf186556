"""Transfers, consent withdrawal and closure, at the service level."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from django_scopes import scopes_disabled

from approdi.audit.models import AuditEntry
from approdi.cases import selectors
from approdi.cases.models import Case, Transfer
from approdi.cases.services import case as case_services
from approdi.people.models import ProgrammeRecord
from tests.builders import acting
from tests.builders.cases import consent_to_sharing

pytestmark = pytest.mark.django_db


def the_case(world, user) -> Case:
    return selectors.case_detail(actor=user, pk=world.case.pk)


def test_a_transfer_without_consent_is_refused_and_changes_nothing(case_world):
    with acting(case_world.manager) as manager:
        with pytest.raises(ValidationError) as refused:
            case_services.request_transfer(
                actor=manager, case=the_case(case_world, manager), to_user=case_world.outsider, reason="Trasloca"
            )
        assert "to_user" in refused.value.message_dict
    with scopes_disabled():
        assert not Transfer.objects.exists()
        assert Case.objects.get().lead_organisation == case_world.manager.memberships.get().organisation


def test_an_accepted_transfer_moves_the_case_and_the_sender_loses_access(case_world, network):
    consent_to_sharing(case_world, day=timezone.localdate())
    with acting(case_world.manager) as manager:
        transfer = case_services.request_transfer(
            actor=manager,
            case=the_case(case_world, manager),
            to_user=case_world.outsider,
            reason="Si trasferisce a Como",
        )
        # Nothing moves before the receiver answers.
        assert the_case(case_world, manager).lead_organisation == network.partner
    with acting(case_world.colleague) as colleague, pytest.raises(ValidationError):
        case_services.accept_transfer(actor=colleague, transfer=transfer)
    with acting(case_world.outsider) as receiver:
        case_services.accept_transfer(actor=receiver, transfer=transfer, answer="Presa in carico")
        case = the_case(case_world, receiver)
        assert case.lead_organisation == network.other
        assert case.case_manager == receiver
    with acting(case_world.manager) as manager:
        assert list(selectors.case_list(actor=manager)) == []
    with scopes_disabled():
        audited = set(AuditEntry.objects.filter(object_type="cases.transfer").values_list("action", flat=True))
    assert audited == {"create", "change"}


def test_withdrawing_consent_ends_shares_and_pending_transfers(case_world):
    consent_to_sharing(case_world, day=timezone.localdate())
    with acting(case_world.manager) as manager:
        case = the_case(case_world, manager)
        case_services.add_team_member(actor=manager, case=case, user=case_world.outsider, role="mediator")
        transfer = case_services.request_transfer(
            actor=manager, case=case, to_user=case_world.outsider, reason="Proposta"
        )
    consent_to_sharing(case_world, granted=False, day=timezone.localdate())
    with acting(case_world.outsider) as outsider:
        assert list(selectors.case_list(actor=outsider)) == []
    with scopes_disabled():
        transfer.refresh_from_db()
    assert transfer.status == Transfer.Status.REVOKED


def test_closing_the_last_case_writes_the_exit_record(case_world):
    today = timezone.localdate()
    with acting(case_world.manager) as manager:
        with pytest.raises(ValidationError):
            case_services.close_case(
                actor=manager, case=the_case(case_world, manager), day=today + timedelta(days=1), outcome="autonomy"
            )
        case_services.close_case(actor=manager, case=the_case(case_world, manager), day=today, outcome="autonomy")
        case = the_case(case_world, manager)
    assert (case.status, case.end, case.outcome) == ("closed", today, "autonomy")
    with scopes_disabled():
        exit_record = ProgrammeRecord.objects.get(person=case_world.person, kind="exit")
    assert (exit_record.date, exit_record.outcome) == (today, "autonomy")
    # A closed case can be read, not changed.
    with acting(case_world.manager) as manager, pytest.raises(ValidationError):
        case_services.write_note(
            actor=manager,
            case=the_case(case_world, manager),
            day=today,
            text="x",
            domain="general",
            confidentiality="team",
        )


def test_the_educator_may_not_manage_the_case(case_world):
    from django.core.exceptions import PermissionDenied

    with acting(case_world.educator) as educator, pytest.raises(PermissionDenied):
        case_services.set_status(actor=educator, case=the_case(case_world, educator), status="suspended")


def test_a_closed_case_and_the_date_rules(case_world):
    with acting(case_world.manager) as manager, pytest.raises(ValidationError):
        case_services.close_case(
            actor=manager, case=the_case(case_world, manager), day=date(2024, 1, 1), outcome="autonomy"
        )
