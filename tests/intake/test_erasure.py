"""A person's request of erasure (issue 17, point 2): the DPO records it, a lead coordinator approves it; nothing
goes without the second person, the DPO cannot approve her own; anonymising leaves no identity nor blind index in
the database and every funder figure as it was; erasing is refused where the law keeps her records."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django_scopes import scopes_disabled

from approdi.audit.models import Action, AuditEntry
from approdi.intake.erasure import decide_erasure, request_erasure
from approdi.intake.models import ErasureRequest
from approdi.people.models import Person, PersonKey
from approdi.people.services import index_person
from approdi.reports.funder.summary import funder_summary
from tests.builders import acting
from tests.builders.people import registered_person

NAME = "Zainab"


@pytest.fixture
def dpo(network, make_user):
    return make_user("dpo", network.lead, "dpo", network.programme)


@pytest.fixture
def lead_coordinator(network, make_user):
    return make_user("lead-coord", network.lead, "coordinator", network.programme)


def _identify(person):
    with scopes_disabled():
        person = Person.objects.get(pk=person.pk)
        person.given_name, person.family_name, person.birth_date = NAME, "Abubakar", date(1999, 5, 4)
        person.phone, person.identity_index, person.birth_index = "+39 333 1234567", "a" * 64, "b" * 64
        person.save()
        index_person(person)
        assert PersonKey.objects.filter(person=person).exists()
    return person


def _ask(dpo, person, kind=ErasureRequest.Kind.ANONYMISE):
    with acting(dpo) as actor:
        return request_erasure(actor=actor, code=person.code, kind=kind, received_on=timezone.localdate())


def _raw_row(person) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM intake_person WHERE id = %s", [person.pk])
        person_row = " ".join(str(v) for v in cursor.fetchone())
        cursor.execute("SELECT COUNT(*) FROM intake_personkey WHERE person_id = %s", [person.pk])
        return f"{person_row} keys={cursor.fetchone()[0]}"


def test_without_approval_nothing_is_removed(case_world, dpo):
    person = _identify(case_world.person)
    request = _ask(dpo, person)
    assert request.status == ErasureRequest.Status.PENDING
    with scopes_disabled():
        assert Person.objects.get(pk=person.pk).given_name == NAME


def test_the_dpo_cannot_approve_her_own_not_even_holding_the_coordinator_role(case_world, dpo):
    person = _identify(case_world.person)
    request = _ask(dpo, person)
    with acting(dpo) as actor, pytest.raises(PermissionDenied):
        decide_erasure(actor=actor, request=request, approve=True)
    dpo.memberships.update(role="coordinator")  # whom recorded it, later a lead coordinator: still refused
    with acting(dpo) as actor, pytest.raises(PermissionDenied):
        decide_erasure(actor=actor, request=request, approve=True)
    with scopes_disabled(), pytest.raises(IntegrityError), transaction.atomic():  # nor behind the service's back
        ErasureRequest.objects.filter(pk=request.pk).update(
            status="done", decided_by=request.requested_by, decided_at=timezone.now()
        )
    with scopes_disabled():
        assert Person.objects.get(pk=person.pk).given_name == NAME


def test_approved_anonymisation_leaves_no_identity_nor_blind_index_and_the_figures_stay(
    case_world, dpo, lead_coordinator, network
):
    person = _identify(case_world.person)
    before_raw = _raw_row(person)
    assert "keys=0" not in before_raw
    period = {"programme": network.programme, "start": date(2024, 1, 1), "end": date(2024, 12, 31)}
    figures = funder_summary(**period)
    request = _ask(dpo, person)
    with acting(lead_coordinator) as actor:
        decide_erasure(actor=actor, request=request, approve=True)
    raw = _raw_row(person)
    for gone in ("a" * 64, "b" * 64, "1999"):
        assert gone not in raw
    assert "keys=0" in raw and person.code in raw  # the code stays, for the figures
    with scopes_disabled():
        kept = Person.objects.get(pk=person.pk)
        assert (kept.given_name, kept.family_name, kept.phone, kept.birth_date) == ("", "", "", None)
        entry = AuditEntry.objects.get(action=Action.DELETE, object_type="intake.erasurerequest")
        assert NAME not in entry.reason and person.code in entry.reason
        assert ErasureRequest.objects.get(pk=request.pk).status == ErasureRequest.Status.DONE
    assert funder_summary(**period) == figures


def test_erasing_entirely_is_refused_where_the_law_keeps_her_records(case_world, dpo):
    _identify(case_world.person)
    with pytest.raises(ValidationError) as refused:
        _ask(dpo, case_world.person, kind=ErasureRequest.Kind.ERASE)
    assert list(refused.value.message_dict) == ["kind"]  # in words on the page: tests/intake/test_erasure_pages.py
    with scopes_disabled():
        assert not ErasureRequest.objects.exists()


def test_erasing_entirely_someone_without_kept_records_after_approval(network, case_world, dpo, lead_coordinator):
    person = _identify(registered_person(network, code="AP-ERASE-00009", created_by=case_world.filtro))
    request = _ask(dpo, person, kind=ErasureRequest.Kind.ERASE)
    with acting(lead_coordinator) as actor:
        decide_erasure(actor=actor, request=request, approve=True)
    with scopes_disabled():
        assert not Person.objects.filter(pk=person.pk).exists()
        assert not PersonKey.objects.filter(person_id=person.pk).exists()
        done = ErasureRequest.objects.get(pk=request.pk)
        assert done.status == ErasureRequest.Status.DONE and done.person is None


def test_a_rejected_request_removes_nothing(case_world, dpo, lead_coordinator):
    person = _identify(case_world.person)
    request = _ask(dpo, person)
    with acting(lead_coordinator) as actor:
        decide_erasure(actor=actor, request=request, approve=False)
        with pytest.raises((ValidationError, PermissionDenied)):
            decide_erasure(actor=actor, request=request, approve=True)
    with scopes_disabled():
        assert Person.objects.get(pk=person.pk).given_name == NAME
