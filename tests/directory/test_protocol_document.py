"""A protocol's document is a PDF (its first bytes say so) of at most 10 MB, and is served only to members of the
programme; a protocol is not signed in the future and does not expire before it is signed."""

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django_scopes import scopes_disabled

from approdi.directory import services
from approdi.directory.models import Protocol, ProtocolDocument
from approdi.network.dates import today
from tests.builders import verified_client
from tests.builders.directory import PDF, build_directory

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(network, make_user):
    owner = make_user("coord-lead", network.lead, "coordinator", network.programme)
    d = build_directory(network.programme, follower=owner)
    client = verified_client(owner)
    client.cookies["django_language"] = "en"
    return owner, d, client


def _post(client, d, **changes):
    data = {
        "kind": "protocol",
        "title": "Protocollo nuovo",
        "subject": "Oggetto",
        "parties": [d.commissione.pk],
        "signed_on": "2024-01-10",
        "valid_until": "",
    } | changes
    return client.post(reverse("directory:protocol_new"), data)


def test_a_file_that_is_not_a_pdf_is_refused_whatever_its_name(setup):
    _owner, d, client = setup
    fake = SimpleUploadedFile("protocollo.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    answer = _post(client, d, document=fake)
    assert answer.status_code == 200
    assert "The document is not a PDF file." in answer.content.decode()
    with scopes_disabled():
        assert not Protocol.objects.filter(title="Protocollo nuovo").exists()


def test_a_document_larger_than_the_limit_is_refused(setup, monkeypatch):
    _owner, d, client = setup
    monkeypatch.setattr(services, "MAX_DOCUMENT_BYTES", 100)
    monkeypatch.setattr("approdi.directory.forms.MAX_DOCUMENT_BYTES", 100)
    big = SimpleUploadedFile("grande.pdf", PDF + b" " * 200, content_type="application/pdf")
    answer = _post(client, d, document=big)
    assert answer.status_code == 200
    assert "The document is larger than" in answer.content.decode()


def test_a_pdf_is_kept_and_a_new_one_replaces_it(setup):
    _owner, d, client = setup
    answer = _post(client, d, document=SimpleUploadedFile("uno.pdf", PDF))
    assert answer.status_code == 302
    with scopes_disabled():
        protocol = Protocol.objects.get(title="Protocollo nuovo")
    second = PDF.replace(b"1.4", b"1.7")
    answer = client.post(
        reverse("directory:protocol_edit", args=[protocol.pk]),
        {
            "kind": "protocol",
            "title": "Protocollo nuovo",
            "subject": "Oggetto",
            "parties": [d.commissione.pk],
            "signed_on": "2024-01-10",
            "document": SimpleUploadedFile("../../due.pdf", second),
        },
    )
    assert answer.status_code == 302
    with scopes_disabled():
        document = ProtocolDocument.objects.get(protocol=protocol)
    assert (document.filename, bytes(document.content)) == ("due.pdf", second)
    assert client.get(reverse("directory:protocol_document", args=[protocol.pk])).content == second


def test_a_protocol_without_a_document_has_no_download(setup):
    _owner, d, client = setup
    _post(client, d)
    with scopes_disabled():
        protocol = Protocol.objects.get(title="Protocollo nuovo")
    assert client.get(reverse("directory:protocol_document", args=[protocol.pk])).status_code == 404


def test_a_protocol_is_not_signed_in_the_future_nor_expires_before_signing(setup):
    _owner, d, client = setup
    tomorrow = today() + timedelta(days=1)
    answer = _post(client, d, signed_on=tomorrow.isoformat())
    assert "The date cannot be in the future." in answer.content.decode()
    answer = _post(client, d, signed_on="2024-01-10", valid_until="2023-12-31")
    assert "A protocol cannot expire before it is signed." in answer.content.decode()
    answer = _post(client, d, signed_on="1899-01-10")
    assert answer.status_code == 200
    with scopes_disabled():
        assert not Protocol.objects.filter(title="Protocollo nuovo").exists()
    assert _post(client, d, signed_on=date(2024, 1, 10).isoformat(), valid_until="2099-12-31").status_code == 302


def test_parties_come_from_this_programmes_directory(setup, network, make_user):
    _owner, d, client = setup
    elsewhere = make_user("coord-p2", network.lead, "coordinator", network.other_programme)
    other = build_directory(network.other_programme, follower=elsewhere)
    answer = _post(client, d, parties=[other.commissione.pk])
    assert answer.status_code == 200
    with scopes_disabled():
        assert not Protocol.objects.filter(title="Protocollo nuovo").exists()
