"""Documents kept with a case are encrypted at rest, checked by their first bytes, bounded in size, and images lose
their metadata (EXIF, GPS) before they are kept."""

from pathlib import Path

import pytest
from django.db import connection
from django.urls import reverse
from django_scopes import scopes_disabled

from approdi.audit.models import AuditEntry
from approdi.cases.models import Document
from approdi.core import files
from tests.builders.documents import MARKER, executable, form, has_gps, jpeg_with_gps, pdf_with_marker, png_with_gps
from tests.builders.pages import open_as

pytestmark = pytest.mark.django_db


@pytest.fixture
def store(settings, tmp_path) -> Path:
    settings.APPRODI_DOCUMENTS_DIR = tmp_path / "documents"
    return settings.APPRODI_DOCUMENTS_DIR


def add_url(case) -> str:
    return reverse("cases:document_add", args=[case.pk])


def everything_stored(store: Path) -> bytes:
    return b"".join(path.read_bytes() for path in store.iterdir()) if store.exists() else b""


def database_dump() -> bytes:
    """Every value of every table, as stored (ciphertext stays ciphertext)."""
    dumped = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            quoted = connection.ops.quote_name(table)
            cursor.execute(f"SELECT * FROM {quoted}")  # noqa: S608 - names from the introspection
            dumped.extend(repr(row) for row in cursor.fetchall())
    return "\n".join(dumped).encode()


def test_a_pdfs_text_is_neither_in_the_storage_nor_in_the_database(case_world, store):
    answer = open_as(case_world.manager).post(add_url(case_world.case), form(pdf_with_marker()), follow=True)
    assert answer.status_code == 200
    assert "Document kept, encrypted." in answer.content.decode()
    assert "Copy of the residence permit" in answer.content.decode()
    with scopes_disabled():
        document = Document.objects.get()
    assert document.content_type == "application/pdf" and document.author_role == "case_manager"
    stored = everything_stored(store)
    assert stored and MARKER not in stored
    dump = database_dump()
    assert MARKER not in dump
    assert b"permesso-okoro" not in dump  # the file's own name is encrypted too
    # Yet the team reads it back whole.
    assert MARKER in files.load(document.stored_as)
    download = open_as(case_world.educator).get(reverse("cases:document_download", args=[document.pk]))
    assert MARKER in download.content


def test_the_download_is_an_attachment_never_cached(case_world):
    open_as(case_world.manager).post(add_url(case_world.case), form(pdf_with_marker()))
    with scopes_disabled():
        document = Document.objects.get()
    answer = open_as(case_world.manager).get(reverse("cases:document_download", args=[document.pk]))
    assert answer.status_code == 200
    assert answer["Content-Type"] == "application/pdf"
    assert (
        answer["Content-Disposition"] == f'attachment; filename="{case_world.person.code}-permit_copy-2024-03-05.pdf"'
    )
    assert "no-store" in answer["Cache-Control"]
    assert answer["X-Content-Type-Options"] == "nosniff"


def test_a_program_renamed_pdf_is_refused_with_a_clear_message(case_world, store):
    answer = open_as(case_world.manager).post(add_url(case_world.case), form(executable(), name="permesso.pdf"))
    assert answer.status_code == 400
    assert "This file is not a PDF, JPEG or PNG (whatever its name says): it was not saved." in answer.content.decode()
    with scopes_disabled():
        assert not Document.objects.exists()
    assert everything_stored(store) == b""


@pytest.mark.parametrize(
    ("content", "name", "content_type"),
    [(jpeg_with_gps, "foto.jpg", "image/jpeg"), (png_with_gps, "foto.png", "image/png")],
)
def test_a_photo_is_kept_without_its_gps_position_and_camera(content, name, content_type, case_world):
    original = content()
    assert has_gps(original)
    answer = open_as(case_world.manager).post(add_url(case_world.case), form(original, name=name, kind="identity"))
    assert answer.status_code == 302
    with scopes_disabled():
        document = Document.objects.get()
    assert document.content_type == content_type
    downloaded = open_as(case_world.manager).get(reverse("cases:document_download", args=[document.pk])).content
    assert not has_gps(downloaded)
    assert b"PhoneMaker" not in downloaded and b"Camera-Model-XY" not in downloaded and b"Via Roma" not in downloaded


def test_a_file_over_the_limit_is_refused(case_world, settings, store):
    settings.APPRODI_DOCUMENT_MAX_BYTES = 200
    answer = open_as(case_world.manager).post(add_url(case_world.case), form(pdf_with_marker() + b" " * 300))
    assert answer.status_code == 400
    assert "The file is larger than 0.0002 MB: it was not saved." in answer.content.decode()
    assert everything_stored(store) == b""


def test_an_expiry_before_the_documents_date_is_refused(case_world):
    answer = open_as(case_world.manager).post(add_url(case_world.case), form(pdf_with_marker(), expiry="2024-01-01"))
    assert answer.status_code == 400
    assert "A document cannot expire before its date." in answer.content.decode()


def test_keeping_a_document_is_audited_without_its_content(case_world):
    open_as(case_world.manager).post(add_url(case_world.case), form(pdf_with_marker()))
    with scopes_disabled():
        document = Document.objects.get()
        entry = AuditEntry.objects.get(object_type="cases.document", action="create")
    assert entry.object_id == str(document.pk) and entry.actor == case_world.manager
    assert "file" in entry.fields


def test_a_missing_file_is_a_clear_message_not_an_error(case_world, store):
    open_as(case_world.manager).post(add_url(case_world.case), form(pdf_with_marker()))
    with scopes_disabled():
        document = Document.objects.get()
    (store / document.stored_as).unlink()
    answer = open_as(case_world.manager).get(reverse("cases:document_download", args=[document.pk]), follow=True)
    assert answer.status_code == 200
    assert "The file of this document cannot be read" in answer.content.decode()
    with scopes_disabled():
        assert not AuditEntry.objects.filter(object_type="cases.document", action="view").exists()
