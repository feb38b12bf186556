import pytest
from django_scopes import scopes_disabled

from approdi.people.models import Person
from approdi.shelter.services import sync_beds
from tests.builders import registered_person


@pytest.fixture
def beds(network):
    """Bed rows for the two structures of the network fixture (4 and 3 beds)."""
    with scopes_disabled():
        sync_beds(network.structure)
        sync_beds(network.other_structure)
    return network


@pytest.fixture
def make_person(network, filtro):
    def make(code: str, gender: str = "woman") -> Person:
        return registered_person(network, code=code, gender=gender, created_by=filtro)

    return make
