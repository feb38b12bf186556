"""A structure never has fewer beds than the people living in it, and the board shows the capacity saved."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from approdi.shelter import services
from approdi.shelter.models import CapacityChange, Structure
from tests.builders import acting, verified_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def small(network):
    """A structure of two beds, managed by the filtro's lead entity (it may change its capacity)."""
    with scopes_disabled():
        made = Structure.objects.create(
            code="S-DUE", name="Casa Due", organisation=network.partner, type="women", area=network.area, beds=2
        )
        made.programmes.add(network.programme)
        services.sync_beds(made)
    return made


def place(filtro, person, structure):
    with acting(filtro):
        return services.place(actor=filtro, person=person, structure=structure, stage="first", start=date(2024, 3, 1))


def board_row(client, code):
    return {r.code: r for r in client.get(reverse("shelter:board")).context["rows"]}[code]


def capacity(client, structure, beds):
    return client.post(
        reverse("shelter:structure_detail", args=[structure.code]), {"day": str(timezone.localdate()), "beds": beds}
    )


def test_capacity_below_the_residents_is_refused_and_nothing_changes(small, filtro, make_person):
    client = verified_client(filtro)
    place(filtro, make_person("AP-CAPAC-CAPA1"), small)
    response = capacity(client, small, 0)
    assert response.status_code == 200
    assert "1" in response.context["capacity_form"].errors["beds"][0]
    with scopes_disabled():
        assert not CapacityChange.objects.filter(structure=small).exists()
    row = board_row(client, "S-DUE")
    assert (row.beds_in_use, row.occupied, row.free) == (2, 1, 1)


def test_the_board_shows_the_capacity_saved(small, filtro, make_person):
    client = verified_client(filtro)
    # She sleeps in bed 1; a second resident in bed 2 leaves: one bed is enough for the one left.
    place(filtro, make_person("AP-CAPAC-CAPA2"), small)
    second = place(filtro, make_person("AP-CAPAC-CAPA3"), small)
    with acting(filtro):
        services.end_placement(actor=filtro, placement=second, day=date(2024, 3, 5), reason="autonomy")
    assert capacity(client, small, 1).status_code == 302
    row = board_row(client, "S-DUE")
    assert (row.beds_in_use, row.occupied, row.free) == (1, 1, 0)


def test_closing_an_empty_structure_takes_its_beds_off_the_board(small, filtro, make_person):
    client = verified_client(filtro)
    assert capacity(client, small, 0).status_code == 302
    row = board_row(client, "S-DUE")
    assert (row.beds_in_use, row.free) == (0, 0)
    with pytest.raises(services.PlacementConflict):
        place(filtro, make_person("AP-CAPAC-CAPA4"), small)
    assert capacity(client, small, 2).status_code == 302  # reopened
    assert board_row(client, "S-DUE").free == 2


def test_a_resident_in_a_high_numbered_bed_keeps_it_when_beds_are_cut(small, filtro, make_person):
    client = verified_client(filtro)
    first = place(filtro, make_person("AP-CAPAC-CAPA5"), small)
    second = place(filtro, make_person("AP-CAPAC-CAPA6"), small)
    assert second.bed.label == "2"
    with acting(filtro):
        services.end_placement(actor=filtro, placement=first, day=date(2024, 3, 5), reason="autonomy")
    assert capacity(client, small, 1).status_code == 302
    row = board_row(client, "S-DUE")
    assert (row.beds_in_use, row.occupied, row.free) == (1, 1, 0)
