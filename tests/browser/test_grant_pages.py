"""The pages of granting roles, as people use them: the administrator gives a colleague another role, the lead
coordinator approves it; both pages pass axe (no critical or serious WCAG 2.1 AA violation)."""

import pytest
from django.urls import reverse

from .conftest import blocking_violations, sign_in, submit

pytestmark = pytest.mark.browser


def test_a_role_granted_then_approved_through_the_pages(page, axe, live_server, live_network, make_user):
    admin = make_user("admin-lead", live_network.lead, "admin", live_network.programme)
    colleague = make_user("operatrice", live_network.lead, "outreach", live_network.programme)
    coordinator = make_user("coord-lead", live_network.lead, "coordinator", live_network.programme)

    sign_in(page, admin.username)
    page.goto(f"{live_server.url}{reverse('accounts:add_role', args=[colleague.pk])}")
    found = blocking_violations(axe, page)
    page.get_by_label("Programma").select_option(str(live_network.programme.pk))
    page.get_by_label("Ruolo").select_option("case_worker")
    submit(page)
    assert page.url.endswith(reverse("accounts:users"))
    assert "in attesa di approvazione" in page.locator("main").inner_text()
    found += blocking_violations(axe, page)

    page.context.clear_cookies()
    sign_in(page, coordinator.username)
    page.goto(f"{live_server.url}{reverse('accounts:grants')}")
    found += blocking_violations(axe, page)
    with page.expect_navigation():
        page.get_by_role("button", name="Approva operatrice").click()
    assert colleague.memberships.get(role="case_worker").status == "active"
    assert not found, "\n".join(found)
