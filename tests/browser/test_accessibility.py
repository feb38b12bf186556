"""axe-core on every page a user meets: no critical or serious WCAG 2.1 AA violation."""

from datetime import timedelta

import pytest
from django.utils import timezone

from approdi.cases.services import delivery, integration, legal, plan
from approdi.reports.funder import approval
from tests.builders import acting
from tests.builders.case_path import build_case_path

from .conftest import (
    MENU_ROLE_IDS,
    MENU_ROLES,
    blocking_violations,
    expect,
    menu_links,
    sign_in,
    sign_in_password,
    submit,
    totp_code,
    wait_for_path,
    wait_for_throttle,
    wrong_code,
)
from .test_case_path import fits_the_screen

pytestmark = pytest.mark.browser


def fail_on(found: list[str]) -> None:
    if found:
        pytest.fail(f"{len(found)} critical/serious accessibility violation(s):\n" + "\n".join(found), pytrace=False)


def test_sign_in_steps_are_accessible(page, axe, live_network, make_user):
    user = make_user("coordinatrice", live_network.lead, "coordinator", live_network.programme)
    found = []

    page.goto("/accounts/login/")
    found += blocking_violations(axe, page)  # sign-in page

    page.locator("input[name=username]").fill(user.username)
    page.locator("input[name=password]").fill("not the password")
    submit(page)
    expect(page.locator("main [role=alert]").first).to_be_visible()
    found += blocking_violations(axe, page)  # sign-in page with an error

    sign_in_password(page, user.username)
    found += blocking_violations(axe, page)  # code page

    page.locator("input[name=code]").fill(wrong_code())
    submit(page)
    expect(page.locator("#id_code-error")).to_be_visible()
    found += blocking_violations(axe, page)  # code page with an error

    wait_for_throttle()
    page.locator("input[name=code]").fill(totp_code())
    submit(page)
    wait_for_path(page, "/")
    found += blocking_violations(axe, page)  # home page

    fail_on(found)


@pytest.mark.parametrize(("role", "at"), MENU_ROLES, ids=MENU_ROLE_IDS)
def test_home_and_every_menu_page_are_accessible(page, viewport, axe, signed_in, role, at):
    signed_in(role, at=at)
    found = blocking_violations(axe, page)  # home page, menu closed

    links = menu_links(page, viewport)
    if viewport == "phone":
        found += blocking_violations(axe, page)  # home page, menu open

    for _text, href in links:
        response = page.goto(href)
        assert response is not None and response.status == 200, f"{href}: HTTP {response.status if response else '-'}"
        found += blocking_violations(axe, page)

    fail_on(found)


# --- Case paths and reports (issues 6 and 7) ----------------------------------------------------------


@pytest.fixture
def case_pages(live_network, make_user):
    """The case world of tests/builders/case_path.py, with something in every section of the case page."""
    world = build_case_path(live_network, make_user)
    case, worker = world.case, world.worker
    with acting(worker):
        goal = plan.add_goal(actor=worker, case=case, domain="language", description="Parlare italiano")
        plan.add_action(actor=worker, goal=goal, description="Iscrizione al CPIA", owner=worker, due=world.day(10))
        delivery.record_service(actor=worker, case=case, service_type=world.types["colloquio"], day=world.day(0))
        integration.record_activity(
            actor=worker, case=case, kind="italian_course", provider="CPIA 5 Milano", level="A2", start=world.day(14)
        )
        permit = legal.apply_for_permit(
            actor=worker, case=case, type="art18_social", application_date=world.day(3), questura="Questura di Milano"
        )
        legal.issue_permit(
            actor=worker, permit=permit, issue_date=world.day(35), expiry=timezone.localdate() + timedelta(days=20)
        )
        legal.apply_for_permit(
            actor=worker,
            case=case,
            type="work",
            application_date=world.day(280),
            questura="Questura di Milano",
            previous=permit,
        )
    return world


def test_the_case_pages_are_accessible(page, viewport, axe, case_pages):
    pk = case_pages.case.pk
    sign_in(page, case_pages.worker.username)
    found = []
    for path in (
        "/cases/",
        "/cases/my-work/",
        f"/cases/{pk}/",
        f"/cases/{pk}/services/",
        f"/cases/{pk}/services/add/",
        f"/cases/{pk}/plan/goals/add/",
        f"/cases/{pk}/plan/review/",
        f"/cases/{pk}/plan/history/",
        f"/cases/{pk}/integration/add/?kind=internship",
        f"/cases/{pk}/legal/permits/",
        f"/cases/{pk}/legal/permits/apply/",
    ):
        response = page.goto(path)
        assert response is not None and response.status == 200, f"{path}: HTTP {response.status if response else '-'}"
        found += blocking_violations(axe, page)
        fits_the_screen(page)
    # A form with its errors, as the case worker meets it.
    page.goto(f"/cases/{pk}/services/add/")
    page.locator("main form[method=post] [name=quantity]").fill("")
    submit(page)
    expect(page.locator("main .invalid-feedback").first).to_be_visible()
    found += blocking_violations(axe, page)
    fail_on(found)


def test_the_report_pages_are_accessible(page, viewport, axe, case_pages, make_user, live_network):
    coordinator = case_pages.coordinator
    second = make_user("coordinatore-2", live_network.lead, "coordinator", live_network.programme)
    programme = live_network.programme
    with acting(coordinator):
        approved = approval.prepare(actor=coordinator, start=programme.start, end=timezone.localdate())
        draft = approval.prepare(
            actor=coordinator, start=programme.start, end=programme.start.replace(month=12, day=31)
        )
    with acting(second):
        approval.approve(actor=second, report=approved)

    sign_in(page, coordinator.username)
    found = []
    for path in (
        "/reports/",
        "/reports/services/",
        "/reports/funder/",
        "/reports/funder/new/",
        f"/reports/funder/{draft.pk}/",
        f"/reports/funder/{approved.pk}/",
        "/reports/publication/",
        "/reports/htcds/",
        "/cases/service-types/",
    ):
        response = page.goto(path)
        assert response is not None and response.status == 200, f"{path}: HTTP {response.status if response else '-'}"
        found += blocking_violations(axe, page)
        fits_the_screen(page)
    fail_on(found)
