"""The newest-first API lists page on from a cursor (``next`` → ``after``), as fast at any depth (issue #20).

``GET /contacts``, ``/accesses`` and ``/referrals``: the rows of the pages walked by ``next`` are the rows of the
pages by ``offset``, in the same order, ties on one day included; ``offset`` still works; a cursor that this list
did not give answers 400; ``count`` is exact by offset and stops at the cap along a cursor.
"""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_scopes import scopes_disabled

from approdi.core import paginator
from approdi.outreach.models import Contact, Referral
from tests.outreach.test_api import Api, filtro_user

pytestmark = pytest.mark.django_db


def _contacts(network, user, n: int, channel: str) -> None:
    with scopes_disabled():
        Contact.objects.bulk_create(
            # Three a day: the id orders the rows of one day, and a page often ends mid-day.
            Contact(
                programme=network.programme,
                organisation=network.partner,
                channel=channel,
                date=date(2024, 3, 1) + timedelta(days=i // 3),
                area=network.area,
                created_by=user,
            )
            for i in range(n)
        )


def _referrals(network, user, n: int) -> None:
    with scopes_disabled():
        Referral.objects.bulk_create(
            Referral(
                programme=network.programme,
                organisation=network.partner,
                date=date(2024, 3, 1) + timedelta(days=i // 3),
                source_type="police",
                person_code=f"AP-CUR{i:05d}",
                created_by=user,
            )
            for i in range(n)
        )


def _walk(api, path: str, limit: int) -> list[list[int]]:
    pages, after = [], ""
    while True:
        body = api.get(path, {"limit": limit, **({"after": after} if after else {})}).json()
        pages.append([item["id"] for item in body["items"]])
        after = body["next"]
        if not after:
            return pages


def _by_offset(api, path: str, limit: int, pages: int) -> list[list[int]]:
    return [
        [item["id"] for item in api.get(path, {"limit": limit, "offset": limit * n}).json()["items"]]
        for n in range(pages)
    ]


@pytest.fixture
def outreach(network, people):
    roles = people("outreach")
    _contacts(network, roles.owner, 23, "street")
    _contacts(network, roles.owner, 11, "drop_in")
    _referrals(network, roles.owner, 17)
    return roles


@pytest.mark.parametrize(("path", "rows"), [("/api/v1/contacts", 34), ("/api/v1/accesses", 11)])
def test_pages_by_next_are_the_pages_by_offset(path, rows, network, outreach):
    api = Api(outreach.owner)
    pages = _walk(api, path, limit=4)
    assert pages == _by_offset(api, path, limit=4, pages=len(pages))
    assert [len(page) for page in pages] == [4] * (rows // 4) + [rows % 4]
    everything = [pk for page in pages for pk in page]
    with scopes_disabled():
        newest_first = Contact.objects.order_by("-date", "-id")
        if path.endswith("accesses"):
            newest_first = newest_first.filter(channel="drop_in")
        assert everything == list(newest_first.values_list("id", flat=True))


def test_the_referrals_by_next_are_the_same_for_the_partner_and_the_filtro(network, outreach, make_user):
    with scopes_disabled():
        newest_first = list(Referral.objects.order_by("-date", "-id").values_list("id", flat=True))
    for user in (outreach.owner, filtro_user(network, make_user)):
        api = Api(user)
        pages = _walk(api, "/api/v1/referrals", limit=5)
        assert pages == _by_offset(api, "/api/v1/referrals", limit=5, pages=len(pages))
        assert [pk for page in pages for pk in page] == newest_first


def test_the_last_page_has_no_next_and_offset_still_answers(network, outreach):
    body = Api(outreach.owner).get("/api/v1/contacts", {"limit": 100}).json()
    assert (body["count"], len(body["items"]), body["next"]) == (34, 34, None)
    body = Api(outreach.owner).get("/api/v1/contacts", {"limit": 10, "offset": 30}).json()
    assert (body["count"], len(body["items"]), body["next"]) == (34, 4, None)


def test_a_cursor_this_list_did_not_give_answers_400(network, outreach):
    api = Api(outreach.owner)
    cursor = api.get("/api/v1/contacts", {"limit": 2}).json()["next"]
    forged = cursor.replace(cursor.split(":")[0], "WyIyMDk5LTAxLTAxIiwgMV0")  # another position, same signature
    for path, after in [
        ("/api/v1/contacts", "2024-03-05.12"),  # the list pages' plain position is no API cursor
        ("/api/v1/contacts", forged),
        ("/api/v1/accesses", cursor),  # another list's
        ("/api/v1/referrals", cursor),
    ]:
        response = api.get(path, {"after": after})
        assert response.status_code == 400, (path, after)
        assert response.json()["error"]["fields"]["after"] == [
            "This is not a cursor of this list: ask its first page again."
        ]
    both = api.get("/api/v1/contacts", {"after": cursor, "offset": 2})
    assert both.status_code == 400
    assert both.json()["error"]["fields"]["after"] == ["Give either after or offset, not both."]


def test_a_deep_page_by_next_costs_what_the_second_page_costs(network, outreach):
    api = Api(outreach.owner)
    api.get("/api/v1/contacts")  # warm up: the token's last use
    cursors = [api.get("/api/v1/contacts", {"limit": 2}).json()["next"]]
    for _ in range(12):
        cursors.append(api.get("/api/v1/contacts", {"limit": 2, "after": cursors[-1]}).json()["next"])
    statements = []
    for cursor in (cursors[0], cursors[-1]):
        with CaptureQueriesContext(connection) as captured:
            assert api.get("/api/v1/contacts", {"limit": 2, "after": cursor}).status_code == 200
        statements.append(len(captured))
        assert "OFFSET" not in captured.captured_queries[-2]["sql"] + captured.captured_queries[-1]["sql"]
    assert statements[0] == statements[1]


def test_the_count_is_exact_by_offset_and_capped_along_a_cursor(network, outreach, monkeypatch):
    """A caller paging by offset reads up to ``count`` (DESIGN.md §9): it stays the list's length. One that follows
    ``next`` needs none: its pages count up to the cap, as the list pages do."""
    monkeypatch.setattr(paginator, "COUNT_CAP", 10)
    api = Api(outreach.owner)
    first = api.get("/api/v1/contacts", {"limit": 4}).json()
    assert first["count"] == 34 and first["next"]
    assert api.get("/api/v1/contacts", {"limit": 4, "offset": 8}).json()["count"] == 34
    assert api.get("/api/v1/contacts", {"limit": 4, "after": first["next"]}).json()["count"] == 11  # more than 10
    assert api.get("/api/v1/accesses", {"limit": 20}).json()["count"] == 11  # a list that ends on the page: exact
    assert api.get("/api/v1/contacts", {"limit": 10, "offset": 30}).json()["count"] == 34
