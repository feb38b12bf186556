"""Lists count their rows only up to a cap, and still page forward past it (issue #20)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_scopes import scopes_disabled

from approdi.audit.models import AuditEntry
from approdi.core import paginator
from approdi.core.paginator import CappedPaginator
from tests.builders import verified_client
from tests.outreach.test_outings import create_outing

pytestmark = pytest.mark.django_db


def test_a_short_list_is_counted_and_paged_as_before():
    pages = CappedPaginator(list(range(7)), 3, cap=10)
    assert (pages.capped, pages.count, pages.num_pages) == (False, 7, 3)
    assert list(pages.get_page(3)) == [6] and not pages.get_page(3).has_next()


def test_past_the_cap_pages_go_forward_until_the_rows_end():
    pages = CappedPaginator(list(range(125)), 10, cap=50)
    assert pages.capped
    assert pages.get_page(1).has_next() and not pages.get_page(1).has_previous()
    last = pages.get_page(13)
    assert list(last) == [120, 121, 122, 123, 124] and not last.has_next() and last.has_previous()
    assert list(pages.get_page("nonsense")) == list(range(10))
    assert pages.get_page(10**30).number >= 1  # an offset no database takes is no 500


def test_the_count_reads_at_most_the_cap_plus_one_row(network, make_user):
    with scopes_disabled():
        entries = AuditEntry.objects.order_by("pk")
        with CaptureQueriesContext(connection) as queries:
            assert CappedPaginator(entries, 50, cap=3).count <= 4
    assert "LIMIT 4" in queries.captured_queries[-1]["sql"]


def test_the_contact_list_says_more_than_the_cap(network, people, monkeypatch):
    client = verified_client(people("outreach").owner)
    create_outing(client, network)
    with scopes_disabled():
        from approdi.outreach.models import Outing

        outing = Outing.objects.get()
    for _ in range(5):
        client.post(
            reverse("outreach:outing_add_headcount", args=[outing.pk]), {"headcount": 2}, HTTP_HX_REQUEST="true"
        )
    page = client.get(reverse("outreach:contact_list")).content.decode()
    assert "<caption>5 registrazioni</caption>" in page
    monkeypatch.setattr(paginator, "COUNT_CAP", 3)
    page = client.get(reverse("outreach:contact_list")).content.decode()
    assert "<caption>Più di 3 registrazioni</caption>" in page


def _many_contacts(network, user, n: int) -> list[int]:
    """``n`` contacts of the partner, three a day (so that a day's rows are told apart by id); ids newest first."""
    from datetime import date, timedelta

    from approdi.outreach.models import Contact

    with scopes_disabled():
        Contact.objects.bulk_create(
            Contact(
                programme=network.programme,
                organisation=network.partner,
                channel="street",
                date=date(2024, 1, 1) + timedelta(days=i // 3),
                area=network.area,
                created_by=user,
            )
            for i in range(n)
        )
        return list(Contact.objects.order_by("-date", "-id").values_list("pk", flat=True))


def _shown(response) -> list[int]:
    return [contact.pk for contact in response.context["page"]]


def _link(response, label: str) -> str:
    import html
    import re

    found = re.search(rf'href="(\?[^"]*)">{label}</a>', response.content.decode())
    assert found, f"no link {label}"
    return html.unescape(found.group(1))


def test_the_contact_list_pages_on_from_a_row_not_an_offset(network, people):
    """Next and Previous carry the position of the page's last or first row: the same rows in the same order as the
    numbered pages, read in as many queries at any depth, with the filters kept; a position that is none is page 1."""
    user = people("outreach").owner
    newest_first = _many_contacts(network, user, 160)
    client = verified_client(user)
    url = reverse("outreach:contact_list")
    first = client.get(url, {"channel": "street"})
    assert _shown(first) == newest_first[:50]
    second = client.get(url + _link(first, "Successiva"))
    assert "channel=street" in _link(first, "Successiva") and "after=" in _link(first, "Successiva")
    assert _shown(second) == newest_first[50:100] and second.context["page"].number == 2
    third = client.get(url + _link(second, "Successiva"))
    assert _shown(third) == newest_first[100:150]
    fourth = client.get(url + _link(third, "Successiva"))
    assert _shown(fourth) == newest_first[150:] and "Successiva</a>" not in fourth.content.decode()
    back = client.get(url + _link(third, "Precedente"))
    assert _shown(back) == newest_first[50:100] and "before=" in _link(third, "Precedente")
    assert _shown(client.get(url + _link(back, "Precedente"))) == newest_first[:50]
    assert _shown(client.get(url, {"page": 3})) == newest_first[100:150]  # old links: the numbered page
    for nonsense in ("x.1", "2024-01-05.0", "2024-01-05.99999999999999999999", "2024-13-01.5"):
        assert _shown(client.get(url, {"after": nonsense})) == newest_first[:50]

    def queries(path: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url + path).status_code == 200
        return len(captured)

    assert (
        queries(_link(first, "Successiva"))
        == queries(_link(third, "Successiva"))
        == queries(_link(third, "Precedente"))
    )


def test_a_numbered_contact_page_reads_only_its_own_rows(network, people, monkeypatch):
    """``?page=N`` (an old link) shows the N-th fifty newest first, below and past the cap, in as many queries as
    page 2; the offset skips ids only, never whole rows."""
    user = people("outreach").owner
    newest_first = _many_contacts(network, user, 160)
    client = verified_client(user)
    url = reverse("outreach:contact_list")

    def page(n: int) -> tuple[list[int], int, str]:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url, {"page": n})
        listed = [q["sql"] for q in captured.captured_queries if "OFFSET" in q["sql"]]
        return _shown(response), len(captured), "\n".join(listed)

    client.get(url)  # warm up: what the session caches
    shown, second, sql = page(2)
    assert shown == newest_first[50:100]
    assert "OFFSET 50)" in sql and 'U0."id" DESC LIMIT' in sql  # the offset is taken in the subquery of ids
    shown, fourth, _sql = page(4)
    assert shown == newest_first[150:] and fourth == second
    monkeypatch.setattr(paginator, "COUNT_CAP", 60)  # past the cap: pages read one row more to know if one follows
    assert page(3)[0] == newest_first[100:150] and page(4)[0] == newest_first[150:]
