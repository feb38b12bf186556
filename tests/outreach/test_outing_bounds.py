"""An outing's figures have a bound wherever they enter: the page, the API (tests/outreach/test_api.py), the service
and the database. A night's street work is never a census: beyond the bound a figure is refused with a clear error
and nothing is written."""

import pytest
from django.db import DataError, IntegrityError, transaction
from django_scopes import scopes_disabled

from approdi.outreach.models import MAX_MATERIAL_QUANTITY, MAX_PEOPLE_SEEN, Material, Outing, OutingMaterial, OutingSite
from tests.builders import verified_client

from .test_outings import create_outing

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator(network, people):
    return people("outreach")


def english(client):
    client.cookies["django_language"] = "en"
    return client


def outings() -> int:
    with scopes_disabled():
        return Outing.objects.count()


def test_the_page_refuses_too_many_people_at_a_site(network, operator):
    answer = create_outing(english(verified_client(operator.owner)), network, sites="Viale Monza: 10001")
    assert answer.status_code == 200
    assert answer.context["form"].errors["sites"] == [f"Line 1: at most {MAX_PEOPLE_SEEN:,} people seen at one site."]
    assert outings() == 0


def test_the_page_refuses_too_many_sites(network, operator):
    sites = "\n".join(f"Site {n}: 1" for n in range(101))
    answer = create_outing(english(verified_client(operator.owner)), network, sites=sites)
    assert answer.context["form"].errors["sites"] == ["At most 100 sites in one outing."]
    assert outings() == 0


def test_the_page_refuses_a_material_quantity_beyond_the_bound(network, operator):
    Material.objects.create(code="condoms", name="Condoms")
    answer = create_outing(
        english(verified_client(operator.owner)), network, material_condoms=MAX_MATERIAL_QUANTITY + 1
    )
    assert "material_condoms" in answer.context["form"].errors
    assert outings() == 0


def test_the_database_refuses_what_a_page_would(network, operator):
    create_outing(verified_client(operator.owner), network, sites="Viale Monza: 1")
    with scopes_disabled():
        outing = Outing.objects.get()
        material = Material.objects.create(code="condoms", name="Condoms")
        with transaction.atomic(), pytest.raises((IntegrityError, DataError)):
            OutingSite.objects.create(outing=outing, name="Via Padova", people_seen=MAX_PEOPLE_SEEN + 1)
        with transaction.atomic(), pytest.raises((IntegrityError, DataError)):
            OutingMaterial.objects.create(outing=outing, material=material, quantity=MAX_MATERIAL_QUANTITY + 1)
        assert [s.name for s in outing.sites.all()] == ["Viale Monza"]
