"""On a 360-px phone the Ufficio Filtro's tables keep what she acts on in view (issue #19): the waiting list its
code and the free beds that fit, the queue its referral link, code and status; a person code on one line."""

from __future__ import annotations

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled

from approdi.outreach.models import Referral
from approdi.people.person_code import code_from_facts

from .conftest import expect
from .test_filtro_and_shelter import beds, waiting_woman  # noqa: F401  # the fixture

pytestmark = pytest.mark.browser

IN_VIEW = """(el) => { const r = el.getBoundingClientRect();
  return r.left >= 0 && r.right <= window.innerWidth; }"""
ONE_LINE = """(el) => { const range = document.createRange(); range.selectNodeContents(el);
  return new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size === 1; }"""


def assert_in_view(cell, what: str) -> None:
    expect(cell).to_be_visible()
    assert cell.evaluate(IN_VIEW), f"{what} is off screen: {cell.bounding_box()}"


@pytest.mark.parametrize("viewport", ["phone"])
def test_the_waiting_list_keeps_the_code_and_the_beds_in_view(page, viewport, live_network, beds, signed_in):  # noqa: F811
    filtro = signed_in("filtro", at="lead")
    request = waiting_woman(live_network, filtro)
    page.goto("/shelter/waiting-list/")
    row = page.locator("main table tbody tr", has_text=request.person.code)
    code = row.locator("td .person-code")  # the code, with her safety flags beside it in the same cell
    assert_in_view(code, "the person code")
    assert code.evaluate(ONE_LINE), "the person code breaks over lines"
    assert_in_view(row.locator("[data-testid=proposals] a").first, "the first free bed that fits")


@pytest.mark.parametrize("viewport", ["phone"])
def test_the_queue_keeps_the_link_code_and_status_in_view(page, viewport, live_network, signed_in):
    filtro = signed_in("filtro", at="lead")
    code = code_from_facts(nickname="Stella", nationality="RO")
    with scopes_disabled():
        Referral.objects.create(
            programme=live_network.programme,
            organisation=live_network.partner,
            date=timezone.localdate(),
            source_type="outreach",
            urgency="immediate",
            referring_body="Unità di strada della Cooperativa Alfa, turno di notte",
            person_code=code,
            created_by=filtro,
        )
    page.goto("/filtro/")
    row = page.locator("main table tbody tr", has_text=code)
    assert_in_view(row.locator("td a").first, "the link to the referral")
    assert_in_view(row.locator("td.person-code"), "the person code")
    assert row.locator("td.person-code").evaluate(ONE_LINE), "the person code breaks over lines"
    assert_in_view(row.locator("[data-testid=status]"), "the status")


@pytest.mark.parametrize("viewport", ["phone"])
def test_a_long_unbroken_text_wraps_instead_of_widening_the_page(page, viewport, live_network, signed_in):
    from approdi.outreach.models import Contact

    operator = signed_in("outreach", at="partner")
    with scopes_disabled():
        contact = Contact.objects.create(
            programme=live_network.programme,
            organisation=live_network.partner,
            channel="street",
            date=timezone.localdate(),
            referred_to="x" * 200,  # what a hurried paste leaves in a field: no space to break at
            created_by=operator,
        )
    page.goto(f"/outreach/contacts/{contact.pk}/")
    widest = page.evaluate("() => document.documentElement.scrollWidth")
    assert widest <= 360, f"the page is {widest} px wide on a 360-px phone"
