"""The shelter educator finishes her own work (issue #19): she records a resident's exit from the placement
page, and the bed board and the waiting list send her to her structures instead of a bare refusal."""

from datetime import date

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from approdi.audit.models import AuditEntry
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


def test_the_educator_of_the_structure_records_the_exit(stay, educators):
    client = verified_client(educators.owner)
    page = client.get(reverse("shelter:placement", args=[stay.pk])).content.decode()
    assert 'data-testid="end-form"' in page
    assert reverse("shelter:placement_move", args=[stay.pk]) not in page  # moving to a bed is the Filtro's
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


def test_the_board_sends_the_educator_to_her_structures(network, educators):
    client = verified_client(educators.owner)
    for name in ("shelter:board", "shelter:waiting_list"):
        response = client.get(reverse(name))
        page = response.content.decode()
        assert response.status_code == 403 and 'data-testid="not-the-board"' in page
        assert reverse("shelter:structure_detail", args=[network.structure.code]) in page
        assert network.other_structure.code not in page  # another organisation's structure
