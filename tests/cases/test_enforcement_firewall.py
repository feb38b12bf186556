"""The firewall of seed 003's safe-reporting promise (DESIGN.md §5): a law-enforcement or immigration body
holds no account, never sits on a case team, never receives a case and never takes part in a case conference,
even if a membership there were made behind the services' back."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from approdi.accounts import services as account_services
from approdi.accounts.models import Membership
from approdi.accounts.scoping import memberships_of
from approdi.cases import selectors
from approdi.cases.services import case as case_services
from approdi.intake.forms import ConferenceForm
from approdi.network.models import Organisation
from tests.builders import acting
from tests.builders.cases import consent_to_sharing

from .test_api import Api

pytestmark = pytest.mark.django_db


@pytest.fixture
def questura(network):
    body = Organisation.objects.create(code="questura", name="Questura – Ufficio Immigrazione", type="enforcement")
    network.programme.partners.add(body)
    return body


@pytest.fixture
def agente(network, questura, make_user):
    """An account made while the office was filed as another kind of body, then reclassified in the database
    behind the import's back (the database refuses a membership at an enforcement body outright)."""
    Organisation.objects.filter(pk=questura.pk).update(type="network_body")
    user = make_user("agente", questura, "case_worker", network.programme)
    Organisation.objects.filter(pk=questura.pk).update(type="enforcement")
    return user


def test_the_organisation_type_exists_and_others_are_refused(db):
    Organisation.objects.create(code="cc", name="Carabinieri", type="enforcement")
    with pytest.raises(IntegrityError), transaction.atomic():
        Organisation.objects.create(code="x", name="X", type="police-ish")


def test_the_database_refuses_a_membership_there(network, questura, case_world):
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(
            user=case_world.manager, organisation=questura, programme=network.programme, role="case_worker"
        )
    seat = case_world.manager.memberships.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.filter(pk=seat.pk).update(organisation=questura)


def test_no_account_or_role_is_granted_at_a_law_enforcement_body(network, questura, case_world):
    admin = case_world.coordinator
    with pytest.raises(ValidationError) as refused:
        account_services.invite_user(
            actor=None, username="agente", organisation=questura, programme=network.programme, role="case_worker"
        )
    assert "organisation" in refused.value.message_dict
    with pytest.raises(ValidationError):
        account_services.add_membership(
            actor=None, user=admin, organisation=questura, programme=network.programme, role="legal"
        )
    assert not Membership.objects.filter(organisation=questura).exists()


def test_a_membership_there_gives_no_scope(agente):
    assert memberships_of(agente) == []


def test_never_offered_for_the_team_the_case_or_a_transfer(case_world, agente):
    consent_to_sharing(case_world)
    with acting(case_world.manager) as manager:
        case = selectors.case_detail(actor=manager, pk=case_world.case.pk)
        assert agente not in selectors.team_candidates(actor=manager, case=case)
        assert agente not in selectors.transfer_candidates(actor=manager, case=case)
        assert case_world.outsider in selectors.transfer_candidates(actor=manager, case=case)
        with pytest.raises(ValidationError):
            case_services.add_team_member(actor=manager, case=case, user=agente, role="case_worker")
        with pytest.raises(ValidationError):
            case_services.request_transfer(actor=manager, case=case, to_user=agente, reason="Trasferimento")
    with acting(case_world.filtro) as filtro:
        case = selectors.case_detail(actor=filtro, pk=case_world.case.pk)
        assert agente not in selectors.case_manager_candidates(actor=filtro, case=case)
        assert not case.members.filter(user=agente).exists()


def test_the_api_refuses_them_as_team_members_and_receivers(case_world, agente):
    consent_to_sharing(case_world)
    manager = Api(case_world.manager)
    url = f"/api/v1/cases/{case_world.case.pk}"
    seat = manager.post(f"{url}/team", {"user": "agente", "role": "case_worker"})
    assert seat.status_code == 400 and list(seat.json()["error"]["fields"]) == ["user"]
    transfer = manager.post(f"{url}/transfers", {"to_user": "agente", "reason": "Trasferimento"})
    assert transfer.status_code == 400 and list(transfer.json()["error"]["fields"]) == ["to_user"]


def test_no_case_conference_with_them(network, questura, agente):
    form = ConferenceForm(programme=network.programme)
    assert questura not in form.fields["organisations"].queryset
    assert agente not in form.fields["participants"].queryset
    assert network.partner in form.fields["organisations"].queryset


def test_no_follow_up_action_is_given_to_them(network, agente, make_user):
    make_user("operatrice", network.partner, "case_worker", network.programme)
    data = {"day": "2024-03-01", "organisations": [network.partner.pk], "decisions": "Accoglienza"}
    refused = ConferenceForm(
        data | {"follow_up": "Sentire la persona ; agente ; 2024-03-10"}, programme=network.programme
    )
    assert not refused.is_valid() and "follow_up" in refused.errors
    accepted = ConferenceForm(
        data | {"follow_up": "Sentire la persona ; operatrice ; 2024-03-10"}, programme=network.programme
    )
    assert accepted.is_valid(), accepted.errors
