"""Where a user writes the referring body (an outreach referral, a night emergency entry), the directory's bodies
are offered, and a body outside the directory may still be typed."""

import pytest
from django.urls import reverse

from tests.builders import verified_client
from tests.builders.directory import build_directory

pytestmark = pytest.mark.django_db


def datalist(page: str, field_id: str) -> str:
    start = page.index(f'<datalist id="{field_id}-directory"')
    return page[start : page.index("</datalist>", start)]


def test_the_referral_form_offers_the_directorys_bodies(network, make_user):
    worker = make_user("street", network.partner, "outreach", network.programme)
    build_directory(network.programme, follower=worker)
    page = verified_client(worker).get(reverse("outreach:referral_create")).content.decode()
    assert 'list="id_referring_body-directory"' in page
    offered = datalist(page, "id_referring_body")
    assert "Questura di Prova · Ufficio Immigrazione" in offered and "Commissione Territoriale di Prova" in offered


def test_another_programmes_directory_is_not_offered(network, make_user):
    worker = make_user("street", network.partner, "outreach", network.programme)
    elsewhere = make_user("street2", network.partner, "outreach", network.other_programme)
    build_directory(network.other_programme, follower=elsewhere)
    page = verified_client(worker).get(reverse("outreach:referral_create")).content.decode()
    assert "Questura di Prova" not in page and "-directory" not in page
