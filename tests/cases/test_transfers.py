"""Transfers from the pages: proposed by the case manager, answered by the named receiver only."""

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from approdi.cases.models import Case, Transfer
from tests.builders.cases import consent_to_sharing
from tests.builders.pages import open_as, options_of

pytestmark = pytest.mark.django_db


def propose(case_world, *, language: str = "en"):
    return open_as(case_world.manager, language=language).post(
        reverse("cases:transfer_request", args=[case_world.case.pk]),
        {"to_user": case_world.outsider.pk, "reason": "La persona si trasferisce a Bergamo"},
    )


def sent_transfer(case_world) -> Transfer:
    consent_to_sharing(case_world)
    assert propose(case_world).status_code == 302
    with scopes_disabled():
        return Transfer.objects.get()


def test_without_consent_the_transfer_is_refused_on_the_page_and_nothing_changes(case_world):
    answer = propose(case_world, language="it")
    text = answer.content.decode()
    assert answer.status_code == 200
    assert 'id="transfer_to_user-error"' in text
    assert "La persona non ha dato il consenso alla condivisione del suo caso" in text  # translated
    with scopes_disabled():
        assert not Transfer.objects.exists()
        assert Case.objects.get(pk=case_world.case.pk).lead_organisation_id == case_world.case.lead_organisation_id


def test_the_receiver_sees_what_she_is_asked_and_nobody_else_opens_it(case_world):
    transfer = sent_transfer(case_world)
    url = reverse("cases:transfer", args=[transfer.pk])
    page = open_as(case_world.outsider).get(url)
    text = page.content.decode()
    assert page.status_code == 200
    assert case_world.person.code in text
    assert "La persona si trasferisce a Bergamo" in text
    assert "manager" in text and "Cooperativa Alfa" in text  # who sent it
    for user in (case_world.manager, case_world.colleague, case_world.filtro):
        assert open_as(user).get(url).status_code == 404, user.username
    assert open_as(case_world.coordinator).get(url).status_code == 403
    # The receiver does not open the case itself before accepting it.
    assert open_as(case_world.outsider).get(reverse("cases:case_detail", args=[case_world.case.pk])).status_code == 404
    # The sender's page shows the pending transfer, and no second one can be proposed meanwhile.
    sender_page = open_as(case_world.manager).get(reverse("cases:case_detail", args=[case_world.case.pk]))
    assert "Pending" in sender_page.content.decode()
    assert 'id="transfer_to_user"' not in sender_page.content.decode()
    # My work lists it for the receiver.
    assert url in open_as(case_world.outsider).get(reverse("cases:my_work")).content.decode()


def test_accepting_moves_the_case_and_the_sender_loses_access(case_world, network):
    transfer = sent_transfer(case_world)
    answer = open_as(case_world.outsider).post(
        reverse("cases:transfer", args=[transfer.pk]), {"decision": "accept", "answer": ""}, follow=True
    )
    case_url = reverse("cases:case_detail", args=[case_world.case.pk])
    assert answer.redirect_chain[-1][0] == case_url
    assert answer.status_code == 200
    assert 'data-testid="lead-organisation">Cooperativa Beta' in answer.content.decode()
    with scopes_disabled():
        case = Case.objects.get(pk=case_world.case.pk)
        assert case.lead_organisation == network.other
        assert case.case_manager == case_world.outsider
        assert Transfer.objects.get().status == "accepted"
    for user in (case_world.manager, case_world.educator, case_world.legal):
        assert open_as(user).get(case_url).status_code == 404, user.username


def test_refusing_needs_a_reason(case_world):
    transfer = sent_transfer(case_world)
    url = reverse("cases:transfer", args=[transfer.pk])
    refused = open_as(case_world.outsider).post(url, {"decision": "reject", "answer": "  "})
    assert refused.status_code == 200
    assert 'id="reject_answer-error"' in refused.content.decode()
    with scopes_disabled():
        assert Transfer.objects.get().status == "pending"
    answer = open_as(case_world.outsider).post(url, {"decision": "reject", "answer": "Non abbiamo posti"})
    assert answer.status_code == 302 and answer["Location"] == reverse("cases:my_work")
    with scopes_disabled():
        assert Transfer.objects.get().status == "rejected"
        assert Case.objects.get(pk=case_world.case.pk).case_manager == case_world.manager
    sender_page = open_as(case_world.manager).get(reverse("cases:case_detail", args=[case_world.case.pk]))
    assert "Non abbiamo posti" in sender_page.content.decode()
    assert open_as(case_world.outsider).post(url, {"decision": "accept"}).status_code == 200  # answered already
    with scopes_disabled():
        assert Transfer.objects.get().status == "rejected"


def test_the_sender_revokes_a_pending_transfer(case_world):
    transfer = sent_transfer(case_world)
    revoke = reverse("cases:transfer_revoke", args=[case_world.case.pk, transfer.pk])
    assert open_as(case_world.educator).post(revoke).status_code == 403
    assert open_as(case_world.outsider).post(revoke).status_code == 404
    assert open_as(case_world.manager).post(revoke).status_code == 302
    with scopes_disabled():
        assert Transfer.objects.get().status == "revoked"
    page = open_as(case_world.outsider).get(reverse("cases:transfer", args=[transfer.pk])).content.decode()
    assert 'name="decision"' not in page


def test_only_other_organisations_are_offered(case_world):
    page = open_as(case_world.manager).get(reverse("cases:case_detail", args=[case_world.case.pk])).content.decode()
    offered = options_of(page, "transfer_to_user")
    assert f'value="{case_world.outsider.pk}"' in offered
    assert f'value="{case_world.filtro.pk}"' in offered  # the lead entity is another organisation
    assert f'value="{case_world.colleague.pk}"' not in offered
