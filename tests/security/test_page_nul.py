"""A NUL character in a page's filter or form gets a clear 400 page and changes nothing (it was a 500 on PostgreSQL)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from approdi.outreach.models import Referral
from tests.builders import verified_client

pytestmark = [pytest.mark.django_db, pytest.mark.security]


@pytest.mark.parametrize(
    ("role", "name", "query"),
    [
        ("filtro", "intake:queue", {"status": "new\x00"}),
        ("outreach", "outreach:contact_list", {"code": "A\x00"}),
        ("coordinator", "reports:drilldown", {"measure": "contacts", "value": "x\x00"}),
    ],
)
def test_a_nul_in_a_filter_is_a_400_page(network, people, role, name, query):
    client = verified_client(people(role, at=network.lead).owner)
    client.cookies["django_language"] = "en"
    response = client.get(reverse(name), query)
    assert response.status_code == 400
    assert "It contains a NUL character" in response.content.decode()


def test_a_nul_in_a_form_saves_nothing(network, people):
    client = verified_client(people("outreach", at=network.lead).owner)
    client.cookies["django_language"] = "it"
    response = client.post(
        reverse("outreach:referral_create"),
        {"date": "2024-03-01", "source_type": "police", "referring_body": "Questura\x00", "organisation": "x\x00"},
    )
    assert response.status_code == 400
    assert "carattere NUL" in response.content.decode()
    with scopes_disabled():
        assert not Referral.objects.exists()
