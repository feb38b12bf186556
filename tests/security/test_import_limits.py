"""Imports sized to the rows, written a chunk at a time and still all or nothing (issue #20)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from django_scopes import scopes_disabled

from approdi.core import importing
from approdi.core.importing import ImportFailed
from approdi.core.models import ImportedFile
from approdi.outreach.models import Contact
from tests.builders import verified_client

from .test_bad_imports import CONTACT_HEADER, contacts, messages, run

pytestmark = [pytest.mark.django_db, pytest.mark.security]

LINE = "2024-03-01,partner,street,MI,,woman,21-23,NG,sexual,yes\n"


def test_a_file_over_the_row_limit_is_refused_in_words_and_changes_nothing(network, people, monkeypatch):
    monkeypatch.setattr(importing, "CHUNK_ROWS", 2)  # earlier chunks are written before the limit is met
    content = (CONTACT_HEADER + "\n" + LINE * 6).encode()
    with override_settings(APPRODI_IMPORT_MAX_ROWS=5):
        with pytest.raises(ImportFailed) as failure:
            run("contacts", content, "c.csv", network)
        assert messages(failure) == ["row 0, column -: the file has more than 5 rows: split it"]
        client = verified_client(people("coordinator", at=network.lead).owner)
        client.cookies["django_language"] = "it"
        answer = client.post(
            reverse("outreach:import"),
            {"kind": "contacts", "file": SimpleUploadedFile("c.csv", content)},
        )
        page = answer.content.decode()
        assert "più di 5 righe" in page
        assert "al massimo 5 righe" in page  # the page says the limits before any upload
    assert contacts(network) == 0
    assert not ImportedFile.objects.exists()


def test_an_error_in_the_last_chunk_undoes_the_chunks_written_before(network, monkeypatch):
    monkeypatch.setattr(importing, "CHUNK_ROWS", 3)
    rows = [LINE] * 7 + ["2024-03-01,partner,bus,MI,,woman,21-23,NG,sexual,yes\n"]
    with pytest.raises(ImportFailed) as failure:
        run("contacts", (CONTACT_HEADER + "\n" + "".join(rows)).encode(), "c.csv", network)
    assert [m[:36] for m in messages(failure)] == ["row 9, column channel: 'bus' is not "]
    assert contacts(network) == 0
    assert not ImportedFile.objects.exists()


def test_errors_are_reported_from_every_chunk_up_to_a_bound(network, monkeypatch):
    monkeypatch.setattr(importing, "CHUNK_ROWS", 2)
    monkeypatch.setattr(importing, "MAX_ERRORS", 3)
    bad = "2024-03-01,partner,bus\n"
    with pytest.raises(ImportFailed) as failure:
        run("contacts", (CONTACT_HEADER + "\n" + bad * 10).encode(), "c.csv", network)
    found = messages(failure)
    assert [m[:6] for m in found[:4]] == ["row 2,", "row 3,", "row 4,", "row 5,"]
    assert found[-1] == "row 5, column -: more than 3 errors: the rest of the file was not checked"
    assert contacts(network) == 0


def test_first_contacts_across_chunks_are_those_of_one_batch(network, monkeypatch):
    """A code met in a later chunk on an earlier day: that later row is the first contact, not the earlier one."""
    rows = [
        "2024-03-05,partner,street,MI,AP-AAAAA-BBBBB,woman,21-23,NG,sexual,\n",
        "2024-03-06,partner,street,MI,AP-CCCCC-DDDDD,woman,21-23,NG,sexual,no\n",
        "2024-03-02,partner,street,MI,AP-AAAAA-BBBBB,woman,21-23,NG,sexual,\n",
        "2024-03-01,partner,street,MI,AP-CCCCC-DDDDD,woman,21-23,NG,sexual,\n",
    ]
    monkeypatch.setattr(importing, "CHUNK_ROWS", 1)
    run("contacts", (CONTACT_HEADER + "\n" + "".join(rows)).encode(), "c.csv", network)
    with scopes_disabled():
        found = list(Contact.objects.order_by("id").values_list("person_code", "first_contact"))
    # As one batch: by date, C on 1 March and A on 2 March are the firsts; A on the 5th a repeat; C "no" as given.
    assert found == [
        ("AP-AAAAA-BBBBB", False),
        ("AP-CCCCC-DDDDD", False),
        ("AP-AAAAA-BBBBB", True),
        ("AP-CCCCC-DDDDD", True),
    ]
