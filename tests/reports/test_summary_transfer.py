"""The funder summary for a person who leaves by a transfer to another project: her stay here counts once in the
period it overlaps, and not after she arrived elsewhere (her bed is freed before her arrival is recorded)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from approdi.cases.models import Case, ExternalTransfer
from approdi.directory.models import Body
from approdi.reports.funder.summary import funder_summary
from approdi.shelter.models import Bed, Placement
from approdi.shelter.services import sync_beds
from tests.builders.pages import open_as

pytestmark = pytest.mark.django_db


def test_a_person_transferred_counts_once_in_the_period_of_her_stay_and_not_after(case_world, network):
    today = timezone.localdate()
    with scopes_disabled():
        body = Body.objects.create(programme=network.programme, name="Progetto Sud", type="network")
        sync_beds(network.structure, 2)
        bed = Bed.objects.filter(structure=network.structure).order_by("id").first()
        stay = Placement.objects.create(
            programme=network.programme,
            person=case_world.person,
            bed=bed,
            structure=bed.structure,
            stage="first",
            start=today - timedelta(days=20),
        )
    client = open_as(case_world.manager)
    case_url = [case_world.case.pk]
    client.post(reverse("cases:onward_send", args=case_url), {"body": body.pk, "sent_on": today.isoformat()})
    with scopes_disabled():
        transfer = ExternalTransfer.objects.get()
    client.post(
        reverse("cases:onward_answer", args=[*case_url, transfer.pk]), {"answer": "accepted", "day": today.isoformat()}
    )
    arrived = reverse("cases:onward_arrived", args=[*case_url, transfer.pk])
    text = client.post(arrived, {"day": today.isoformat()}).content.decode()
    assert "She still has a bed in one of this programme" in text  # her bed first
    with scopes_disabled():
        assert Case.objects.get(pk=case_world.case.pk).status == "active"
        Placement.objects.filter(pk=stay.pk).update(end=today, exit_reason="transfer")  # the shelter frees it
    assert client.post(arrived, {"day": today.isoformat()}).status_code == 302
    with scopes_disabled():
        assert Case.objects.get(pk=case_world.case.pk).outcome == "transfer"

    during = funder_summary(programme=network.programme, start=today - timedelta(days=30), end=today)
    assert during["reception"] == {"women": 1, "men": 0, "transgender": 0, "total": 1}
    after = funder_summary(programme=network.programme, start=today + timedelta(days=1), end=today + timedelta(days=31))
    assert after["reception"] == {"women": 0, "men": 0, "transgender": 0, "total": 0}
