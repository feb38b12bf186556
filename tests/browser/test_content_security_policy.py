"""The strict Content-Security-Policy breaks nothing: no violation on the main pages, and what used inline
code (the programme switch, "Use this code", htmx's swaps and polling, the progress bars) still works."""

import re

import pytest
from django_scopes import scopes_disabled

from approdi.accounts.models import Membership
from approdi.reports.models import ExportJob

from .conftest import expect, path_of

pytestmark = pytest.mark.browser

# Playwright adds this through the DevTools protocol, so the policy does not stop it.
LISTEN = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) =>
  window.__violations.push(
    `${location.pathname}: ${e.violatedDirective} blocked ${e.blockedURI || "inline"} (${e.sourceFile}:${e.lineNumber})`
  ));
"""


@pytest.fixture
def watched(page):
    """The page, with every CSP violation and console error it reports collected in ``page.problems``."""
    page.problems = []
    page.add_init_script(LISTEN)
    page.on("console", lambda m: page.problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: page.problems.append(str(error)))
    return page


def visit(page, path: str) -> None:
    response = page.goto(path)
    assert response.status == 200, (path, response.status)
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.wait_for_load_state("load")
    collect(page)


def collect(page) -> None:
    page.problems.extend(page.evaluate("window.__violations.splice(0)"))


@pytest.mark.parametrize("viewport", ["desktop"])
def test_outreach_pages_and_htmx_work_without_violations(watched, viewport, live_network, signed_in):
    page = watched
    user = signed_in("outreach", at="partner")
    Membership.objects.create(
        user=user, organisation=live_network.partner, role="outreach", programme=live_network.other_programme
    )
    for path in ("/", "/outreach/", "/outreach/contacts/", "/outreach/counts/", "/accounts/me/"):
        visit(page, path)

    # A street outing: a contact added through htmx, without reloading the page.
    visit(page, "/outreach/outings/new/")
    page.locator("input[name=team]").fill("Unità Nord")
    page.locator("select[name=area]").select_option(str(live_network.area.pk))
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert re.fullmatch(r"/outreach/outings/\d+/", path_of(page))
    page.evaluate("window.__sameDocument = true")
    contact = page.locator("[data-testid=contact-form]")
    contact.locator("[name=gender][value=woman] + label").click()
    contact.locator("button[type=submit]").click()
    expect(page.locator("[data-testid=contact-total]")).to_have_text(re.compile(r"^\s*1\s"))

    # The person code from the facts (htmx), then "Use this code" fills the contact form (approdi.js).
    page.locator("#contact-entry [data-testid=code-calculator] > summary").click()
    facts = page.locator("[data-testid=facts-form]")
    facts.locator("[name=given_name]").fill("Joy")
    facts.locator("[name=family_name]").fill("Osas")
    facts.locator("[name=mother_name]").fill("Ngozi")
    facts.locator("[name=birth_year]").fill("1999")
    facts.locator("[name=nationality]").select_option("NG")
    facts.locator("[name=gender][value=woman] + label").click()
    facts.locator("button[type=submit]").click()
    use = page.locator("[data-testid=computed-code] button[data-fill-target]")
    use.click()
    expect(page.locator("[data-testid=contact-form] [name=person_code]")).to_have_value(
        use.get_attribute("data-fill-value")
    )
    assert page.evaluate("window.__sameDocument") is True
    collect(page)

    # The programme switch submits on change (approdi.js, not onchange=).
    switch = page.locator("#programme-switch")
    other = Membership.objects.get(user=user, programme=live_network.other_programme)
    with page.expect_navigation():
        switch.select_option(str(other.pk))
    expect(page.locator("#programme-switch")).to_have_value(str(other.pk))
    collect(page)

    assert not page.problems, "\n".join(page.problems)


@pytest.mark.parametrize("viewport", ["desktop"])
def test_coordinator_pages_and_polling_work_without_violations(watched, viewport, live_network, signed_in):
    page = watched
    user = signed_in("coordinator", at="lead")
    for path in (
        "/reports/",
        "/reports/summary/",
        "/reports/services/",
        "/reports/funder/",
        "/network/programmes/",
        "/api/v1/docs",
    ):
        visit(page, path)

    # An export half done: its <progress> bar, polled by htmx every 2 seconds until it is ready.
    with scopes_disabled():
        job = ExportJob.objects.create(
            requested_by=user,
            membership=user.memberships.get(),
            programme=live_network.programme,
            kind="summary",
            fmt="csv",
            language="it",
            status="running",
            done=3,
            total=10,
        )
    visit(page, f"/reports/exports/{job.pk}/")
    expect(page.locator("#job-progress progress")).to_have_attribute("value", "30")
    with scopes_disabled():
        ExportJob.objects.filter(pk=job.pk).update(done=9)
    expect(page.locator("#job-progress progress")).to_have_attribute("value", "90", timeout=10_000)
    collect(page)

    assert not page.problems, "\n".join(page.problems)
