"""The DPO reads the register of processing activities as a page and files it as a PDF; no one else does."""

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from approdi.audit.models import Action, AuditEntry
from tests.builders.pages import open_as
from tests.pdftext import pdf_text

pytestmark = pytest.mark.django_db

PAGE, PDF = "audit:processing_record", "audit:processing_record_pdf"


@pytest.fixture
def dpo(network, make_user):
    user = make_user("dpo", network.lead, "dpo", network.programme)
    user.email = "dpo@example.org"
    user.save()
    return user


def test_the_dpo_reads_every_activity_with_its_encrypted_fields(dpo, network):
    page = open_as(dpo).get(reverse(PAGE))
    assert page.status_code == 200
    text = page.content.decode()
    for heading in ("Outreach and referral", "Case management and integration", "Legal support", "Security measures"):
        assert heading in text
    assert network.lead.name in text and "dpo@example.org" in text
    assert "given name" in text  # read from people.Person's encrypted fields
    assert reverse("audit:processing_record") in text  # the menu entry


def test_the_pdf_is_the_dpo_s_and_its_download_is_audited(dpo):
    answer = open_as(dpo).get(reverse(PDF))
    assert answer.status_code == 200
    assert answer["Content-Type"] == "application/pdf"
    text = pdf_text(answer.content)
    assert "Record of processing activities" in text and "Legal support" in text
    with scopes_disabled():
        assert AuditEntry.objects.filter(action=Action.EXPORT, object_type="core.processingrecord").count() == 1


@pytest.mark.parametrize("name", [PAGE, PDF])
def test_others_are_refused(name, network, make_user):
    same_organisation = make_user("coordinator", network.lead, "coordinator", network.programme)
    filtro = make_user("filtro", network.lead, "filtro", network.programme)
    case_worker = make_user("worker", network.other, "case_worker", network.programme)
    for user in (same_organisation, filtro, case_worker):
        assert open_as(user).get(reverse(name)).status_code == 403, user.username


def test_a_dpo_of_another_programme_reads_her_own_programme(network, make_user, dpo):
    elsewhere = make_user("dpo-elsewhere", network.other, "dpo", network.other_programme)
    page = open_as(elsewhere).get(reverse(PAGE)).content.decode()
    assert network.other_programme.code in page and "dpo@example.org" not in page
