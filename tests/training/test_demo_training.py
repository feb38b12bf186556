"""The demo's running edition has training and awareness events (seeds 001 and 004) with participants from the
directory's bodies and from organisations outside it, questionnaires, a material file and targets: the events'
page, the dashboard and the funder summary show them; loading twice adds nothing."""

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from approdi.accounts.models import User
from approdi.network.models import Target
from approdi.training.models import Event, EventMaterial, Participation

pytestmark = pytest.mark.django_db


def test_the_demo_training_events():
    from tests.builders import verified_client

    call_command("load_demo", "--quiet")
    call_command("load_demo", "--quiet")
    coordinator = User.objects.get(username="coordinatrice")
    with scopes_disabled():
        programme = coordinator.memberships.order_by("-programme__start").first().programme
        events = Event.objects.filter(programme=programme)
        assert events.count() >= 4 and EventMaterial.objects.filter(event__programme=programme).exists()
        rows = Participation.objects.filter(event__programme=programme)
        assert rows.filter(body__isnull=False).exists() and rows.filter(body__isnull=True).exists()
        assert events.filter(respondents__gt=0, mean_score__isnull=False).exists()
        targets = set(Target.objects.filter(programme=programme).values_list("indicator", flat=True))
        assert {"training_events", "training_participants"} <= targets
    client = verified_client(coordinator)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("training:event_list"))
    assert page.status_code == 200 and page.context["figures"]["participants"] > 0
    assert "Riconoscere le vittime di tratta nei CAS" in page.content.decode()
    period = {"start": programme.start.isoformat(), "end": timezone.localdate().isoformat()}
    summary = client.get(reverse("reports:summary"), period)
    training = summary.context["result"]["training"]
    assert training["events"] >= 4 and training["bodies"] >= 5
    assert f"{training['events']} training events, {training['participants']} participants" in summary.content.decode()
    dashboard = client.get(reverse("reports:dashboard"), period).content.decode()
    assert "Training and awareness events" in dashboard
