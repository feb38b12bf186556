"""The lead entity's coordinators and administrators manage the partners of their edition, with dates."""

from datetime import date

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from approdi.audit.models import Action, AuditEntry
from approdi.network.models import Organisation, Partnership
from tests.builders import verified_client

pytestmark = pytest.mark.django_db
URL = reverse("network:partners")


def post(client, **data):
    client.cookies["django_language"] = "en"
    return client.post(URL, data)


def test_the_lead_coordinator_ends_a_partnership_and_it_is_audited(network, people):
    owner = people("coordinator", at=network.lead).owner
    client = verified_client(owner)
    page = client.get(URL)
    assert page.status_code == 200 and 'data-testid="partner-other"' in page.content.decode()
    response = post(client, action="leave", organisation="other", day="2025-03-01")
    assert response.status_code == 302
    partnership = Partnership.objects.get(programme=network.programme, organisation=network.other)
    assert partnership.left == date(2025, 3, 1)
    with scopes_disabled():
        entry = AuditEntry.objects.get(object_type="network.partnership", object_id=str(partnership.pk))
    assert (entry.actor, entry.action, entry.fields) == (owner, Action.CHANGE, ["left"])
    # Another edition's partnership is untouched.
    assert Partnership.objects.get(programme=network.other_programme, organisation=network.other).left is None


def test_an_organisation_joins_on_a_day(network, people):
    newcomer = Organisation.objects.create(code="new", name="Cooperativa Nuova", type="partner")
    client = verified_client(people("admin", at=network.lead).owner)
    assert post(client, action="join", organisation="new", day="2025-02-01").status_code == 302
    partnership = Partnership.objects.get(programme=network.programme, organisation=newcomer)
    assert (partnership.joined, partnership.left) == (date(2025, 2, 1), None)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"action": "leave", "organisation": "lead", "day": "2025-03-01"}, "The lead entity cannot leave"),
        ({"action": "leave", "organisation": "other", "day": "2000-01-01"}, "A partner cannot leave before it joined"),
        ({"action": "join", "organisation": "partner", "day": "2025-03-01"}, "is a partner of this programme already"),
        ({"action": "leave", "organisation": "nobody", "day": "2025-03-01"}, "Select a valid choice"),
    ],
)
def test_a_refused_change_says_why_and_changes_nothing(network, people, data, expected):
    client = verified_client(people("coordinator", at=network.lead).owner)
    before = list(Partnership.objects.values_list("organisation_id", "joined", "left"))
    response = post(client, **data)
    assert response.status_code == 200 and expected in response.content.decode()
    assert list(Partnership.objects.values_list("organisation_id", "joined", "left")) == before


def test_only_the_lead_entity_s_coordinators_and_administrators_may(network, people):
    trio = people(
        "coordinator", at=network.lead
    )  # member: a case worker at the lead; outsider: a partner's coordinator
    for user in (trio.member, trio.outsider):
        client = verified_client(user)
        assert client.get(URL).status_code == 403
        assert post(client, action="leave", organisation="other", day="2025-03-01").status_code == 403
    assert Partnership.objects.filter(left__isnull=False).count() == 0
