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
