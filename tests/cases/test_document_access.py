"""Who reads a document: the case's readers by the notes' rule (legal, psychological and health documents only by
the author's role on the team), the person's record's by the Ufficio Filtro; anyone else gets 404, as for a
document that does not exist. Every download is audited."""

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from approdi.audit.models import AuditEntry
from approdi.cases.models import Document
from tests.builders.documents import MARKER, form, pdf_with_marker
from tests.builders.pages import open_as

pytestmark = pytest.mark.django_db


def keep(user, case, **fields) -> Document:
    answer = open_as(user).post(reverse("cases:document_add", args=[case.pk]), form(pdf_with_marker(), **fields))
    assert answer.status_code == 302, answer.content.decode()
    with scopes_disabled():
        return Document.objects.latest("pk")


def download_url(document) -> str:
    return reverse("cases:document_download", args=[document.pk])


def test_the_team_and_the_filtro_download_others_get_404(case_world):
    document = keep(case_world.manager, case_world.case)
    for user in (case_world.manager, case_world.educator, case_world.legal, case_world.filtro):
        assert open_as(user).get(download_url(document)).status_code == 200, user.username
    # Same organisation off the team, another partner, a role without cases: as if it did not exist.
    missing = reverse("cases:document_download", args=[987654321])
    for user in (case_world.colleague, case_world.outsider, case_world.coordinator):
        refused = open_as(user).get(download_url(document))
        assert refused.status_code == 404, user.username
        assert MARKER not in refused.content
        assert open_as(user).get(missing).status_code == 404


def test_every_download_is_audited(case_world):
    document = keep(case_world.manager, case_world.case)

    def downloads() -> list[AuditEntry]:
        with scopes_disabled():
            return list(
                AuditEntry.objects.filter(action="view", object_type="cases.document", object_id=str(document.pk))
            )

    open_as(case_world.educator).get(download_url(document))
    open_as(case_world.educator).get(download_url(document))
    open_as(case_world.filtro).get(download_url(document))
    entries = downloads()
    assert [e.actor for e in entries].count(case_world.educator) == 2
    assert [e.actor for e in entries].count(case_world.filtro) == 1
    assert all(e.fields == ["file"] for e in entries)
    # A refused download reads nothing and is not a download.
    open_as(case_world.outsider).get(download_url(document))
    assert len(downloads()) == 3


def test_a_legal_document_is_not_readable_by_a_non_legal_team_member(case_world):
    document = keep(case_world.legal, case_world.case, kind="court_papers", domain="legal", confidentiality="team")
    assert document.confidentiality == "role" and document.author_role == "legal"
    page = reverse("cases:case_detail", args=[case_world.case.pk])
    assert "Court papers" in open_as(case_world.legal).get(page).content.decode()
    assert open_as(case_world.legal).get(download_url(document)).status_code == 200
    for user in (case_world.educator, case_world.manager, case_world.filtro):
        assert "Court papers" not in open_as(user).get(page).content.decode(), user.username
        assert open_as(user).get(download_url(document)).status_code == 404, user.username


def test_a_general_document_for_the_authors_role_only(case_world):
    document = keep(case_world.educator, case_world.case, confidentiality="role")
    assert open_as(case_world.educator).get(download_url(document)).status_code == 200
    assert open_as(case_world.manager).get(download_url(document)).status_code == 404


def test_off_the_team_no_legal_document_is_kept(case_world):
    answer = open_as(case_world.filtro).post(
        reverse("cases:document_add", args=[case_world.case.pk]),
        form(pdf_with_marker(), kind="court_papers", domain="legal"),
    )
    assert answer.status_code == 400
    assert "Only a member of the case team keeps a legal, psychological or health document" in answer.content.decode()
    with scopes_disabled():
        assert not Document.objects.exists()


def test_who_may_not_read_the_case_keeps_nothing_on_it(case_world):
    url = reverse("cases:document_add", args=[case_world.case.pk])
    assert open_as(case_world.colleague).post(url, form(pdf_with_marker())).status_code == 404
    assert open_as(case_world.outsider).post(url, form(pdf_with_marker())).status_code == 404
    assert open_as(case_world.coordinator).post(url, form(pdf_with_marker())).status_code == 403
    with scopes_disabled():
        assert not Document.objects.exists()


def test_the_case_page_lists_the_documents_and_offers_the_form(case_world):
    keep(case_world.manager, case_world.case)
    page = open_as(case_world.educator).get(reverse("cases:case_detail", args=[case_world.case.pk])).content.decode()
    assert 'id="documents"' in page and "Copy of the residence permit" in page
    assert reverse("cases:document_add", args=[case_world.case.pk]) in page
    form_page = open_as(case_world.educator).get(reverse("cases:document_add", args=[case_world.case.pk]))
    assert 'enctype="multipart/form-data"' in form_page.content.decode()


def test_the_persons_record_keeps_documents_for_the_filtro_alone(case_world, network, make_user):
    person = case_world.person
    url = reverse("intake:document_add", args=[person.pk])
    answer = open_as(case_world.filtro).post(url, form(pdf_with_marker(), kind="identity"), follow=True)
    assert answer.status_code == 200
    assert "Identity document" in answer.content.decode()
    with scopes_disabled():
        document = Document.objects.get()
    assert document.case is None
    assert open_as(case_world.filtro).get(download_url(document)).status_code == 200
    # Her case team does not read her record; nor does the Ufficio Filtro of another programme.
    elsewhere = make_user("filtro-elsewhere", network.lead, "filtro", network.other_programme)
    for user in (case_world.manager, case_world.legal, elsewhere):
        assert open_as(user).get(download_url(document)).status_code == 404, user.username
    assert open_as(elsewhere).get(url).status_code == 404
    assert open_as(case_world.manager).get(url).status_code == 403
    case_page = reverse("cases:case_detail", args=[case_world.case.pk])
    assert "Identity document" not in open_as(case_world.manager).get(case_page).content.decode()


def test_the_persons_record_keeps_no_legal_document(case_world):
    url = reverse("intake:document_add", args=[case_world.person.pk])
    page = open_as(case_world.filtro).get(url).content.decode()
    assert 'name="domain"' not in page and 'name="confidentiality"' not in page
    assert "is kept with her case" in page
