"""Services delivered on a case's pages: recorded from the programme's list, with totals per type."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from approdi.cases.models import ServiceDelivery, ServiceType
from tests.builders.pages import open_as

pytestmark = pytest.mark.django_db


def url(name, case, *args) -> str:
    return reverse(f"cases:{name}", args=[case.pk, *args])


def record(client, case, service_type, *, quantity="1", day=None, duration=""):
    day = day or timezone.localdate()
    return client.post(
        url("service_add", case),
        {"service_type": service_type.pk, "day": day.isoformat(), "quantity": quantity, "duration_minutes": duration},
    )


def test_the_form_offers_the_active_list_with_unit_and_cost(case_world, network):
    with scopes_disabled():
        ServiceType.objects.create(
            programme=network.programme, code="psy", name="Seduta psicologica", unit="session", unit_cost="60.00"
        )
        ServiceType.objects.create(
            programme=network.programme, code="old", name="Servizio dismesso", unit="hour", unit_cost="10", active=False
        )
        ServiceType.objects.create(
            programme=network.other_programme, code="elsewhere", name="Altro programma", unit="hour", unit_cost="9"
        )
    page = open_as(case_world.educator).get(url("service_add", case_world.case)).content.decode()
    assert "Colloquio · € 35.00 per session" in page
    assert "Seduta psicologica · € 60.00 per session" in page
    assert "Servizio dismesso" not in page and "Altro programma" not in page


def test_services_are_recorded_and_totalled_per_type(case_world, network):
    world = case_world
    with scopes_disabled():
        mediation = ServiceType.objects.create(
            programme=network.programme, code="mediation", name="Mediazione linguistica", unit="hour", unit_cost="25.50"
        )
    client = open_as(world.manager)
    answer = record(client, world.case, world.interview, quantity="2", duration="90")
    assert answer.status_code == 302 and answer["Location"].endswith("#services")
    record(client, world.case, world.interview)
    record(client, world.case, mediation, quantity="1.5")
    with scopes_disabled():
        first = ServiceDelivery.objects.filter(service_type=world.interview).order_by("id").first()
    assert first.operator == world.manager and first.organisation == network.partner and first.unit_cost == 35

    page = open_as(world.educator).get(reverse("cases:case_detail", args=[world.case.pk])).content.decode()
    totals = page[page.index('data-testid="service-totals"') :]
    totals = totals[: totals.index("</table>")]
    # Colloquio: 3 sessions × 35 = 105; mediation: 1.5 hours × 25.50 = 38.25; total 143.25.
    assert "105.00" in totals and "38.25" in totals and "143.25" in totals
    assert "1.5 hour" in totals and "3 session" in totals

    listing = client.get(url("service_list", world.case)).content.decode()
    assert "143.25" in listing and listing.count("Colloquio") >= 3
    assert "90 minutes" in listing


def test_a_cost_changed_later_keeps_what_was_recorded(case_world):
    world = case_world
    client = open_as(world.manager)
    record(client, world.case, world.interview, quantity="2")
    with scopes_disabled():
        ServiceType.objects.filter(pk=world.interview.pk).update(unit_cost="40.00")
    record(client, world.case, world.interview)
    listing = client.get(url("service_list", world.case)).content.decode()
    assert "110.00" in listing  # 2 × 35 + 1 × 40


def test_a_future_date_or_an_inactive_type_is_refused_on_the_form(case_world):
    world = case_world
    client = open_as(world.manager)
    answer = record(client, world.case, world.interview, day=timezone.localdate() + timedelta(days=1))
    assert answer.status_code == 200 and "The date cannot be in the future." in answer.content.decode()
    with scopes_disabled():
        ServiceType.objects.filter(pk=world.interview.pk).update(active=False)
        ServiceType.objects.create(
            programme=world.case.programme, code="psy", name="Seduta psicologica", unit="session", unit_cost="60"
        )
    answer = record(client, world.case, world.interview)
    assert answer.status_code == 200 and "Select a valid choice" in answer.content.decode()
    with scopes_disabled():
        assert not ServiceDelivery.objects.exists()


def test_a_service_before_the_case_started_gets_the_services_error(case_world):
    answer = record(
        open_as(case_world.manager),
        case_world.case,
        case_world.interview,
        day=case_world.case.start - timedelta(days=1),
    )
    assert answer.status_code == 200 and "The service cannot come before the case starts." in answer.content.decode()


@pytest.mark.parametrize("name", ["service_add", "service_list"])
def test_who_opens_the_service_pages(case_world, name):
    target = url(name, case_world.case)
    assert open_as(case_world.educator).get(target).status_code == 200
    assert open_as(case_world.colleague).get(target).status_code == 404
    assert open_as(case_world.outsider).get(target).status_code == 404
    assert open_as(case_world.coordinator).get(target).status_code == 403


def test_outsiders_record_nothing(case_world):
    for user in (case_world.colleague, case_world.outsider):
        assert record(open_as(user), case_world.case, case_world.interview).status_code == 404
    with scopes_disabled():
        assert not ServiceDelivery.objects.exists()
