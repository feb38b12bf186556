"""Pages: what each role finds, with the number of queries of every list pinned."""

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from approdi.shelter.models import Structure
from tests.builders import verified_client

pytestmark = pytest.mark.django_db


def more_structures(network, count: int) -> None:
    with scopes_disabled():
        for number in range(count):
            structure = Structure.objects.create(
                code=f"S-X{number}",
                name=f"Casa {number}",
                organisation=network.partner,
                type="women",
                area=network.area,
                beds=2,
                address=f"Via {number}",
            )
            structure.programmes.add(network.programme)


def test_structure_list_queries_do_not_grow_with_rows(network, people, max_queries):
    trio = people("filtro", at=network.lead)
    client = verified_client(trio.owner)
    client.get("/")  # warm the session
    with max_queries(14):
        assert client.get(reverse("shelter:structure_list")).status_code == 200
    more_structures(network, 30)
    with max_queries(14):
        page = client.get(reverse("shelter:structure_list"))
    assert page.content.decode().count("Casa ") >= 32


def test_programme_list_queries_are_pinned(network, people, max_queries):
    client = verified_client(people("coordinator", at=network.lead).owner)
    client.get("/")
    with max_queries(14):
        page = client.get(reverse("network:programme_list"))
    assert "P-1" in page.content.decode() and "Cooperativa Beta" in page.content.decode()


def test_audit_log_queries_are_pinned(network, people, max_queries):
    trio = people("dpo", at=network.lead)
    client = verified_client(trio.owner)
    for _ in range(5):
        verified_client(trio.member).get(reverse("audit:log"))  # refused: 5 audit rows
    with max_queries(15):
        page = client.get(reverse("audit:log"))
    assert page.context["page"].paginator.count >= 5


def test_users_page_queries_are_pinned(network, people, make_user, max_queries):
    trio = people("admin")
    for number in range(10):
        make_user(f"extra{number}", network.partner, "outreach", network.programme)
    client = verified_client(trio.owner)
    client.get("/")
    with max_queries(15):
        page = client.get(reverse("accounts:users"))
    assert page.content.decode().count("extra") >= 10


def test_programme_detail_shows_targets(network, people):
    from approdi.network.models import Target

    Target.objects.create(programme=network.programme, indicator="street_contacts", value=4000)
    page = verified_client(people("outreach").owner).get(reverse("network:programme_detail", args=["p-1"]))
    assert "4000" in page.content.decode()
    missing = verified_client(people("legal").owner).get(reverse("network:programme_detail", args=["nope"]))
    assert missing.status_code == 404


def test_menu_follows_the_role(network, people):
    dpo = verified_client(people("dpo", at=network.lead).owner).get("/").content.decode()
    admin = verified_client(people("admin", at=network.lead).owner).get("/").content.decode()
    assert reverse("audit:log") in dpo and reverse("accounts:users") not in dpo
    assert reverse("accounts:users") in admin and reverse("audit:log") not in admin


def test_header_shows_organisation_and_programme_switch(network, make_user):
    from approdi.accounts.models import Membership

    user = make_user("marta", network.lead, "filtro", network.programme)
    Membership.objects.create(user=user, organisation=network.lead, programme=network.other_programme, role="filtro")
    page = verified_client(user).get("/").content.decode()
    assert "Comune di Prova" in page and 'id="programme-switch"' in page and "P-2" in page


def test_errors_pages_share_the_look(network, people):
    client = verified_client(people("outreach").owner)
    not_found = client.get("/nowhere/")
    assert not_found.status_code == 404 and "it-header-wrapper" in not_found.content.decode()
    forbidden = client.get(reverse("audit:log"))
    assert forbidden.status_code == 403 and "it-header-wrapper" in forbidden.content.decode()
