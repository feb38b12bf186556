"""Removing a document is a soft delete (nobody reads it any more); the lead entity's DPO purges its file."""

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from approdi.audit.models import AuditEntry
from approdi.cases.models import Document
from tests.builders.documents import form, pdf_with_marker
from tests.builders.pages import open_as

pytestmark = pytest.mark.django_db


@pytest.fixture
def kept(case_world, settings, tmp_path) -> Document:
    settings.APPRODI_DOCUMENTS_DIR = tmp_path / "documents"
    answer = open_as(case_world.educator).post(
        reverse("cases:document_add", args=[case_world.case.pk]), form(pdf_with_marker())
    )
    assert answer.status_code == 302
    with scopes_disabled():
        return Document.objects.get()


@pytest.fixture
def dpo(network, make_user):
    return make_user("dpo", network.lead, "dpo", network.programme)


def remove(user, document):
    return open_as(user).post(reverse("cases:document_remove", args=[document.pk]))


def test_the_author_removes_it_and_nobody_reads_it_any_more(case_world, kept, settings):
    assert remove(case_world.educator, kept).status_code == 302
    assert open_as(case_world.educator).get(reverse("cases:document_download", args=[kept.pk])).status_code == 404
    page = open_as(case_world.manager).get(reverse("cases:case_detail", args=[case_world.case.pk])).content.decode()
    assert "Copy of the residence permit" not in page
    # Soft: the row and the encrypted file stay until the purge.
    with scopes_disabled():
        kept.refresh_from_db()
        assert kept.removed_by == case_world.educator
        assert AuditEntry.objects.filter(object_type="cases.document", action="change").exists()
    assert (settings.APPRODI_DOCUMENTS_DIR / kept.stored_as).exists()


def test_the_case_manager_removes_a_document_another_member_may_not(case_world, kept):
    assert remove(case_world.legal, kept).status_code == 403
    assert remove(case_world.outsider, kept).status_code == 404
    assert remove(case_world.manager, kept).status_code == 302
    with scopes_disabled():
        assert Document.objects.get().removed_at is not None


def test_the_dpo_purges_the_file_and_its_name(case_world, kept, dpo, settings):
    remove(case_world.educator, kept)
    client = open_as(dpo)
    listing = client.get(reverse("cases:removed_documents"))
    assert listing.status_code == 200
    assert case_world.person.code in listing.content.decode()
    answer = client.post(reverse("cases:document_purge", args=[kept.pk]), follow=True)
    assert "The document&#x27;s file is deleted for good." in answer.content.decode()
    assert not (settings.APPRODI_DOCUMENTS_DIR / kept.stored_as).exists()
    with scopes_disabled():
        purged = Document.objects.get()
        assert purged.stored_as == "" and purged.filename == "" and purged.purged_by == dpo
        assert AuditEntry.objects.filter(object_type="cases.document", action="delete", actor=dpo).exists()
    assert case_world.person.code not in client.get(reverse("cases:removed_documents")).content.decode()


def test_the_dpo_purges_only_removed_documents(case_world, kept, dpo, settings):
    assert open_as(dpo).post(reverse("cases:document_purge", args=[kept.pk])).status_code == 404
    assert (settings.APPRODI_DOCUMENTS_DIR / kept.stored_as).exists()


def test_only_the_lead_entitys_dpo_purges(case_world, kept, network, make_user):
    remove(case_world.educator, kept)
    partner_dpo = make_user("dpo-partner", network.partner, "dpo", network.programme)
    other_dpo = make_user("dpo-elsewhere", network.lead, "dpo", network.other_programme)
    for user in (case_world.filtro, case_world.manager, partner_dpo):
        assert open_as(user).get(reverse("cases:removed_documents")).status_code == 403
        assert open_as(user).post(reverse("cases:document_purge", args=[kept.pk])).status_code == 403
    assert open_as(other_dpo).post(reverse("cases:document_purge", args=[kept.pk])).status_code == 404
    with scopes_disabled():
        assert Document.objects.get().purged_at is None


def test_the_menu_offers_the_purge_to_the_dpo_alone(case_world, dpo):
    url = reverse("cases:removed_documents")
    assert url in open_as(dpo).get(reverse("core:home")).content.decode()
    assert url not in open_as(case_world.filtro).get(reverse("core:home")).content.decode()


def test_the_remove_button_shows_to_whom_may_remove(case_world, kept):
    page = reverse("cases:case_detail", args=[case_world.case.pk])
    button = reverse("cases:document_remove", args=[kept.pk])
    assert button in open_as(case_world.educator).get(page).content.decode()
    assert button in open_as(case_world.manager).get(page).content.decode()
    assert button not in open_as(case_world.legal).get(page).content.decode()
