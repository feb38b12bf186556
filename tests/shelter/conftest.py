import pytest
from django_scopes import scopes_disabled

from approdi.people.models import Person
from approdi.shelter.services import sync_beds


@pytest.fixture
def beds(network):
    """Bed rows for the two structures of the network fixture (4 and 3 beds)."""
    with scopes_disabled():
        sync_beds(network.structure)
        sync_beds(network.other_structure)
    return network


@pytest.fixture
def filtro(network, make_user):
    return make_user("filtro", network.lead, "filtro", network.programme)


@pytest.fixture
def make_person(network, filtro):
    def make(code: str, gender: str = "woman") -> Person:
        with scopes_disabled():
            return Person.objects.create(
                programme=network.programme, organisation=network.lead, code=code, gender=gender, created_by=filtro
            )

    return make
