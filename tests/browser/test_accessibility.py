"""axe-core on every page a user meets: no critical or serious WCAG 2.1 AA violation."""

import pytest

from .conftest import (
    MENU_ROLE_IDS,
    MENU_ROLES,
    blocking_violations,
    expect,
    menu_links,
    sign_in_password,
    submit,
    totp_code,
    wait_for_path,
    wait_for_throttle,
    wrong_code,
)

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
