"""The edition page in place: co-funding lines changed, beds changed from the set-up pages, a missing approver named."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from approdi.accounts import network_setup
from approdi.accounts.middleware import SESSION_MEMBERSHIP_KEY
from approdi.accounts.models import Membership
from approdi.audit.models import Action, AuditEntry
from approdi.network import closing
from approdi.network.models import CoFunding
from approdi.shelter.models import CapacityChange, Structure
from tests.builders import verified_client
from tests.network.test_set_up import THIS_YEAR, audit_rows

pytestmark = pytest.mark.django_db


def line_data(**change) -> dict:
    values = {"contributor": "Città Metropolitana", "kind": "in_kind", "amount": "39166.67", "description": "Staff"}
    return {f"line-{k}": v for k, v in (values | change).items()}


def english(client):
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def line(network):
    line = CoFunding.objects.create(
        programme=network.programme, contributor="Città Metropolitana", kind="money", amount=Decimal("30000")
    )
    CoFunding.objects.create(programme=network.programme, contributor="Comune", kind="money", amount=Decimal("20000"))
    return line


def test_a_co_funding_line_is_changed_in_place_and_the_edition_s_sum_follows(network, people, line):
    client = english(verified_client(people("coordinator", at=network.lead).owner))
    url = reverse("network:change_co_funding", args=[line.pk])
    page = client.get(url)
    assert page.status_code == 200 and page.context["line_form"].initial["contributor"] == "Città Metropolitana"
    assert f'href="{url}#line-form"' in client.get(reverse("network:edition")).content.decode()

    assert client.post(url, line_data()).status_code == 302
    line.refresh_from_db()
    assert (line.kind, line.amount, line.description) == ("in_kind", Decimal("39166.67"), "Staff")
    network.programme.refresh_from_db()
    assert network.programme.co_funding == Decimal("59166.67")
    assert audit_rows(line) == [Action.CHANGE]
    with scopes_disabled():
        entry = AuditEntry.objects.filter(object_type="network.cofunding").latest("id")
    assert {"kind", "amount", "description"} <= set(entry.fields)


@pytest.mark.parametrize(
    ("amount", "expected"), [("-5", "greater than or equal to 0"), ("1" * 13, "no more than 12 digits")]
)
def test_a_changed_line_stays_bounded(network, people, line, amount, expected):
    client = english(verified_client(people("coordinator", at=network.lead).owner))
    answer = client.post(reverse("network:change_co_funding", args=[line.pk]), line_data(amount=amount))
    assert answer.status_code == 200 and expected in answer.content.decode()
    line.refresh_from_db()
    assert line.amount == Decimal("30000")


def test_changing_a_line_is_the_lead_entity_s_set_up_and_another_edition_s_line_is_not_found(network, people, line):
    trio = people("coordinator", at=network.lead)  # member: a case worker at the lead; outsider: a partner's
    url = reverse("network:change_co_funding", args=[line.pk])
    for user in (trio.member, trio.outsider):
        client = verified_client(user)
        assert client.get(url).status_code == 403
        assert client.post(url, line_data(amount="1")).status_code == 403
    elsewhere = CoFunding.objects.create(
        programme=network.other_programme, contributor="Comune", kind="money", amount=Decimal("1")
    )
    owner = verified_client(trio.owner)
    assert owner.get(reverse("network:change_co_funding", args=[elsewhere.pk])).status_code == 404
    assert owner.post(reverse("network:change_co_funding", args=[elsewhere.pk]), line_data()).status_code == 404
    line.refresh_from_db()
    elsewhere.refresh_from_db()
    assert (line.amount, elsewhere.amount) == (Decimal("30000"), Decimal("1"))


def capacity(client, code: str, beds: int):
    return client.post(
        reverse("shelter:structure_detail", args=[code]), {"day": timezone.localdate().isoformat(), "beds": beds}
    )


def test_the_set_up_manager_changes_a_structure_s_beds_from_a_date(network, people):
    trio = people("coordinator", at=network.lead)
    client = english(verified_client(trio.owner))
    settings_page = client.get(reverse("shelter:structure_settings", args=["S-ALFA"])).content.decode()
    assert 'data-testid="change-beds"' in settings_page and "#capacity" in settings_page
    page = client.get(reverse("shelter:structure_detail", args=["S-ALFA"]))
    assert page.context["capacity_form"] is not None
    assert "reason" in page.context["capacity_form"].fields  # for a date in a closed period

    assert capacity(client, "S-ALFA", 6).status_code == 302
    with scopes_disabled():
        structure = Structure.objects.get(code="S-ALFA")
        assert structure.beds == 6 and CapacityChange.objects.get(structure=structure).beds == 6
    assert audit_rows(structure)[-1] == Action.CHANGE


def test_the_beds_stay_with_the_set_up_managers_and_the_structure_s_own(network, people):
    trio = people("coordinator")  # owner: a partner's coordinator; member: a partner's case worker
    lead_member = people("coordinator", at=network.lead).member  # a case worker at the lead
    for user in (trio.owner, trio.member, lead_member):
        client = verified_client(user)
        page = client.get(reverse("shelter:structure_detail", args=["S-ALFA"]))
        # Out of her scope the structure does not exist (404); in it, she sees no capacity form and is refused.
        assert page.status_code == 404 or page.context["capacity_form"] is None
        assert capacity(client, "S-ALFA", 9).status_code == (404 if page.status_code == 404 else 403)
    with scopes_disabled():
        assert not CapacityChange.objects.exists() and Structure.objects.get(code="S-ALFA").beds == 4


def test_an_edition_without_a_lead_coordinator_says_who_can_approve_its_roles_and_how(network, people):
    people("coordinator", at=network.lead)  # P-1 has its lead coordinator
    admin = people("admin", at=network.lead).owner
    admin.active_membership = Membership.objects.select_related("programme", "organisation").get(user=admin)
    edition = network_setup.create_edition(
        actor=admin,
        code="P-ADMIN",
        name="Edizione dell'amministratrice",
        start=date(THIS_YEAR, 1, 1),
        end=date(THIS_YEAR + 1, 12, 31),
    )
    client = english(verified_client(admin))
    for code, warned in (("P-1", False), ("P-ADMIN", True)):
        session = client.session
        session[SESSION_MEMBERSHIP_KEY] = Membership.objects.get(user=admin, programme__code=code).pk
        session.save()
        for name in ("network:edition", "accounts:users"):
            page = client.get(reverse(name)).content.decode()
            assert ('data-testid="no-approver"' in page) is warned, (code, name)
    page = client.get(reverse("network:edition")).content.decode()
    assert "--organisation lead --role coordinator --programme P-ADMIN" in page and "Roles to approve" in page
    assert closing.lead_approver_missing(edition)
