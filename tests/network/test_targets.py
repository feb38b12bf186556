"""Targets: the lead entity's coordinator sets them; the dashboard compares results with them."""

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from approdi.audit.models import AuditEntry
from approdi.network.models import Target
from tests.builders import verified_client

pytestmark = pytest.mark.django_db


def test_the_lead_coordinator_sets_changes_and_removes_targets(network, people):
    trio = people("coordinator", at=network.lead)
    client = verified_client(trio.owner)
    url = reverse("network:targets")
    answer = client.post(url, {"street_contacts-value": "4.000", "street_contacts-description": "Seed 000"})
    assert answer.status_code == 302
    assert list(network.programme.targets.values_list("indicator", "value")) == [("street_contacts", 4000)]
    client.post(url, {"street_contacts-value": "4500", "reception_total-value": "200"})
    assert dict(network.programme.targets.values_list("indicator", "value")) == {
        "street_contacts": 4500,
        "reception_total": 200,
    }
    client.post(url, {"reception_total-value": "200"})
    assert list(network.programme.targets.values_list("indicator", flat=True)) == ["reception_total"]
    with scopes_disabled():
        actions = list(AuditEntry.objects.filter(object_type="network.target").values_list("action", flat=True))
    assert sorted(actions) == ["change", "create", "create", "delete"]
    page = client.get(reverse("reports:dashboard")).content.decode()
    assert reverse("network:targets") in page


def test_bad_values_change_nothing(network, people):
    trio = people("coordinator", at=network.lead)
    Target.objects.create(programme=network.programme, indicator="street_contacts", value=10)
    answer = verified_client(trio.owner).post(reverse("network:targets"), {"street_contacts-value": "-3"})
    assert answer.status_code == 200
    assert "street_contacts-value" in answer.context["form"].errors
    assert network.programme.targets.get().value == 10


def test_who_may_set_targets(network, people):
    lead = people("coordinator", at=network.lead)
    assert verified_client(lead.member).get(reverse("network:targets")).status_code == 403
    # A partner's coordinator does not set the programme's targets.
    assert verified_client(lead.outsider).get(reverse("network:targets")).status_code == 403
