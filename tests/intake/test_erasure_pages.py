"""The pages of the requests of erasure: the DPO records, a lead coordinator decides; nobody else opens them."""

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from approdi.intake.models import ErasureRequest
from approdi.people.models import Person
from tests.builders.pages import open_as

LIST = "access:erasure_requests"


@pytest.fixture
def dpo(network, make_user):
    return make_user("dpo", network.lead, "dpo", network.programme)


@pytest.fixture
def lead_coordinator(network, make_user):
    return make_user("lead-coord", network.lead, "coordinator", network.programme)


def _record(dpo, code, kind="anonymise"):
    data = {"code": code, "received_on": timezone.localdate().isoformat(), "kind": kind, "reason": "Art. 17"}
    return open_as(dpo).post(reverse(LIST), data)


def test_the_dpo_records_and_a_lead_coordinator_approves_on_the_page(case_world, dpo, lead_coordinator):
    with scopes_disabled():
        Person.objects.filter(pk=case_world.person.pk).update(given_name="Grace")
    assert _record(dpo, case_world.person.code).status_code == 302
    with scopes_disabled():
        request = ErasureRequest.objects.get()
    own = open_as(dpo).get(reverse(LIST)).content.decode()
    assert case_world.person.code in own and "Approve and carry out" not in own
    decide = reverse("access:erasure_decide", args=[request.pk])
    assert open_as(dpo).post(decide, {"decision": "approve"}).status_code == 403
    page = open_as(lead_coordinator).get(reverse(LIST)).content.decode()
    assert "Approve and carry out" in page and "Record the request" not in page
    undecided = open_as(lead_coordinator).post(decide, {}, follow=True).content.decode()
    assert "Choose whether to approve or reject the request." in undecided
    with scopes_disabled():
        assert ErasureRequest.objects.get().status == ErasureRequest.Status.PENDING
    answer = open_as(lead_coordinator).post(decide, {"decision": "approve"}, follow=True)
    assert "Request approved and carried out." in answer.content.decode()
    with scopes_disabled():
        assert Person.objects.get(pk=case_world.person.pk).given_name == ""


def test_erasing_someone_with_a_case_is_refused_in_words(case_world, dpo):
    answer = _record(dpo, case_world.person.code, kind="erase")
    assert answer.status_code == 200 and "the law keeps a case" in answer.content.decode()
    assert "No person of this programme has this code." in _record(dpo, "AP-NOBODY").content.decode()
    assert "checked" not in open_as(dpo).get(reverse(LIST)).content.decode()  # nothing preselected


def test_nobody_else_opens_or_decides(case_world, network, make_user, dpo):
    _record(dpo, case_world.person.code)
    with scopes_disabled():
        pk = ErasureRequest.objects.get().pk
    filtro_member = case_world.filtro  # same organisation as the DPO, another role
    partner_dpo = make_user("dpo-partner", network.other, "dpo", network.programme)
    elsewhere = make_user("coord-elsewhere", network.lead, "coordinator", network.other_programme)
    for user in (filtro_member, partner_dpo, case_world.manager):
        assert open_as(user).get(reverse(LIST)).status_code == 403
        assert _record(user, case_world.person.code).status_code == 403
    assert (
        open_as(elsewhere).post(reverse("access:erasure_decide", args=[pk]), {"decision": "approve"}).status_code == 404
    )
    with scopes_disabled():
        assert ErasureRequest.objects.get().status == ErasureRequest.Status.PENDING
