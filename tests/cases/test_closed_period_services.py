"""A service delivered in a closed period: refused for the case team, corrected by the lead coordinator.

The lead coordinator corrects it from a role that sees the case (here the Ufficio Filtro), with a reason.
"""

from datetime import date

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from approdi.accounts.models import Membership
from approdi.cases.models import ServiceDelivery
from tests.builders import verified_client
from tests.reports.test_closed_period_corrections import acting_as, api, approve_march, last_audit
from tests.reports.test_closed_periods import REASON, files

pytestmark = pytest.mark.django_db


def test_a_back_dated_service_is_refused_for_the_case_team_and_corrected_by_the_lead_coordinator(
    case_world, network, make_user
):
    world = case_world
    second = make_user("lead-coordinator-two", network.lead, "coordinator", network.programme)
    report = approve_march(network, world.coordinator, second)
    before = files(verified_client(world.coordinator), report)
    Membership.objects.create(
        user=world.filtro, organisation=network.lead, role="coordinator", programme=network.programme
    )
    url = reverse("cases:service_add", args=[world.case.pk])
    body = {"service_type": world.interview.pk, "day": "2024-03-15", "quantity": "1"}

    manager = verified_client(world.manager)
    refused = manager.post(url, body)
    assert refused.status_code == 200 and refused.context["form"].errors["day"]
    assert "amend_reason" not in refused.context["form"].fields
    refused_api = api(
        world.manager, f"/api/v1/cases/{world.case.pk}/services", {"service_type": "interview", "date": "2024-03-15"}
    )
    assert refused_api.status_code == 409 and refused_api.json()["error"]["code"] == "closed_period"

    head = acting_as(world.filtro, "filtro")
    no_reason = head.post(url, body)
    assert no_reason.status_code == 200 and no_reason.context["form"].errors["amend_reason"]
    assert head.post(url, {**body, "amend_reason": REASON}).status_code == 302
    with scopes_disabled():
        assert ServiceDelivery.objects.get().date == date(2024, 3, 15)
    assert REASON in last_audit("cases.servicedelivery", world.filtro).reason
    assert files(verified_client(world.coordinator), report) == before
