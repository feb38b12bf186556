"""The shelter educator finishes her own work (issue #19): she records a resident's exit and her move to the next
stage from the placement page, and sees the bed board and the waiting list of her own structures."""

from datetime import date

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from approdi.audit.models import AuditEntry
from approdi.shelter.models import Placement, PlacementRequest
from tests.builders import verified_client
from tests.builders.shelter import place

pytestmark = pytest.mark.django_db


@pytest.fixture
def stay(beds, filtro, make_person, network):
    return place(filtro, make_person("AP-EDU-1"), network.structure)  # Casa Alfa, the partner's


@pytest.fixture
def educators(people):
    """Owner: an educator of the partner (Casa Alfa); member: the partner without the role; outsider: Beta's."""
    return people("shelter")


def end(client, stay):
    return client.post(
        reverse("shelter:placement_end", args=[stay.pk]), {"day": date(2024, 3, 10).isoformat(), "reason": "autonomy"}
    )


def test_the_educator_of_the_structure_records_the_exit(stay, educators, network):
    client = verified_client(educators.owner)
    page = client.get(reverse("shelter:placement", args=[stay.pk])).content.decode()
    assert 'data-testid="end-form"' in page
    assert 'data-testid="move-form"' in page
    assert network.other_structure.code not in page  # she moves her residents within her own structures only
    assert end(client, stay).status_code == 302
    with scopes_disabled():
        stay.refresh_from_db()
        assert (stay.end, stay.exit_reason) == (date(2024, 3, 10), "autonomy")
        entry = AuditEntry.objects.filter(object_type="shelter.placement", action="change").latest("id")
    assert entry.actor_id == educators.owner.pk and set(entry.fields) == {"end", "exit_reason"}


def test_nobody_else_ends_her_stay(stay, educators):
    # The educator of another organisation does not see the placement; a colleague without the role is refused.
    assert end(verified_client(educators.outsider), stay).status_code in (403, 404)
    assert end(verified_client(educators.member), stay).status_code == 403
    with scopes_disabled():
        stay.refresh_from_db()
    assert stay.end is None


def move(client, stay, structure=None):
    data = {"day": date(2024, 3, 10).isoformat(), "structure": structure.pk if structure else ""}
    return client.post(reverse("shelter:placement_move", args=[stay.pk]), data)


def test_the_educator_moves_her_resident_to_the_next_stage(stay, educators):
    assert move(verified_client(educators.owner), stay).status_code == 302
    with scopes_disabled():
        stay.refresh_from_db()
        following = Placement.objects.get(previous=stay)
        entry = AuditEntry.objects.filter(object_type="shelter.placement", action="create").latest("id")
    assert (stay.end, stay.exit_reason) == (date(2024, 3, 10), "next_stage")
    assert (following.stage, following.structure_id, following.end) == ("second", stay.structure_id, None)
    assert entry.actor_id == educators.owner.pk and entry.object_id == str(following.pk)


def test_nobody_else_moves_her_resident(stay, educators, network):
    assert move(verified_client(educators.outsider), stay).status_code == 404  # another organisation's placement
    assert move(verified_client(educators.member), stay).status_code == 403  # the organisation, not the role
    # Her own resident into another organisation's structure: the Filtro's move, not hers.
    move(verified_client(educators.owner), stay, structure=network.other_structure)
    with scopes_disabled():
        stay.refresh_from_db()
        assert stay.end is None and not Placement.objects.filter(previous=stay).exists()


@pytest.fixture
def waiting(network, make_person):
    with scopes_disabled():
        return PlacementRequest.objects.create(
            programme=network.programme, person=make_person("AP-EDU-W"), stage="first", gender="woman"
        )


def test_the_educator_sees_the_board_and_the_waiting_list_of_her_structures(beds, network, educators, waiting):
    client = verified_client(educators.owner)
    board = client.get(reverse("shelter:board"))
    assert board.status_code == 200
    page = board.content.decode()
    assert f'data-code="{network.structure.code}"' in page and network.other_structure.code not in page
    listing = client.get(reverse("shelter:waiting_list"))
    page = listing.content.decode()
    assert listing.status_code == 200 and "AP-EDU-W" in page and network.structure.code in page
    assert network.other_structure.code not in page
    assert reverse("shelter:place", args=[waiting.pk]) not in page  # placing stays the Filtro's


def test_the_board_is_refused_to_a_colleague_without_the_role(beds, educators, waiting):
    for name in ("shelter:board", "shelter:waiting_list"):
        assert verified_client(educators.member).get(reverse(name)).status_code == 403


def test_an_educator_whose_structures_fit_nobody_sees_an_empty_waiting_list(beds, network, educators, waiting):
    with scopes_disabled():
        waiting.avoid_area = network.structure.area
        waiting.save()
    page = verified_client(educators.owner).get(reverse("shelter:waiting_list")).content.decode()
    assert "AP-EDU-W" not in page
