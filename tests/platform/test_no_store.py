"""Nothing about people stays in a cache: every answer to a signed-in user, and every download, is no-store."""

import pytest
from django.test import Client
from django.urls import reverse

from approdi.accounts.services import issue_token
from tests.builders.pages import open_as

pytestmark = pytest.mark.django_db


def assert_no_store(response) -> None:
    assert response.status_code == 200, response.status_code
    assert "no-store" in response["Cache-Control"], response.get("Cache-Control")
    assert "private" in response["Cache-Control"]
    assert response["Pragma"] == "no-cache"


def test_person_page_record_sheet_and_its_pdf_are_not_stored(case_world):
    client = open_as(case_world.filtro)
    assert_no_store(client.get(reverse("intake:person", args=[case_world.person.pk])))
    sheet = reverse("intake:record_sheet", args=[case_world.person.pk, "entry"])
    assert_no_store(client.get(sheet))
    pdf = client.get(sheet, {"format": "pdf"})
    assert pdf["Content-Type"] == "application/pdf"
    assert_no_store(pdf)


def test_case_page_is_not_stored(case_world):
    assert_no_store(open_as(case_world.manager).get(reverse("cases:case_detail", args=[case_world.case.pk])))


def test_export_downloads_are_not_stored(network, people):
    client = open_as(people("outreach").owner)
    for fmt in ("csv", "xlsx"):
        download = client.get(reverse("outreach:export", args=["contacts", fmt]))
        assert download.has_header("Content-Disposition")
        assert_no_store(download)


def test_api_answers_about_people_are_not_stored(case_world):
    _, key = issue_token(user=case_world.manager)
    answer = Client().get(f"/api/v1/cases/{case_world.case.pk}", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert_no_store(answer)


def test_static_files_keep_their_caching(case_world, settings):
    settings.WHITENOISE_USE_FINDERS = True  # served from the sources, as embedded, also on CI's PostgreSQL pass
    client = open_as(case_world.manager)  # signed in, yet the theme's files are no one's data
    answer = client.get("/static/approdi/approdi.css")
    assert answer.status_code == 200
    assert "no-store" not in answer.get("Cache-Control", "")
