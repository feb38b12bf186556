from datetime import date

import pytest
from django.utils import timezone

from approdi.network.models import Programme


@pytest.fixture
def running(network) -> Programme:
    """P-1 ended on 30 June 2025; P-3 is the edition running today."""
    today = timezone.localdate()
    Programme.objects.filter(pk=network.programme.pk).update(end=date(2025, 6, 30))
    network.programme.refresh_from_db()
    edition = Programme.objects.create(
        code="P-3",
        name="Programma tre",
        start=date(today.year, 1, 1),
        end=date(today.year + 1, 12, 31),
        lead_organisation=network.lead,
    )
    edition.partners.set([network.lead, network.partner, network.other])
    return edition
