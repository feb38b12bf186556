"""Every entry of the main menu opens a page, for each kind of user (the menu depends on the role)."""

import pytest
from django.urls import reverse

from .conftest import MENU_ROLE_IDS, MENU_ROLES, menu_links, open_menu, path_of

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(("role", "at"), MENU_ROLES, ids=MENU_ROLE_IDS)
def test_every_menu_entry_opens_a_page(page, viewport, signed_in, role, at):
    signed_in(role, at=at)

    links = menu_links(page, viewport)
    hrefs = [href for _text, href in links]

    # The menu offers what the role may open, and hides what it may not.
    assert reverse("core:home") in hrefs
    assert reverse("accounts:my_account") in hrefs
    assert (reverse("audit:log") in hrefs) == (role == "dpo"), hrefs
    assert (reverse("accounts:users") in hrefs) == (role == "admin"), hrefs

    problems = []
    for text, href in links:
        menu = open_menu(page, viewport)  # as a user does: through the menu, on every page
        with page.expect_navigation() as navigation:
            menu.locator(f'a[href="{href}"]').click()
        response = navigation.value
        if response is None or response.status != 200:
            problems.append(f"{text} ({href}): HTTP {response.status if response else 'no response'}")
            continue
        if path_of(page) != href:
            problems.append(f"{text} ({href}): landed on {page.url}")
        headings = page.locator("h1")
        if headings.count() == 0 or not headings.first.is_visible() or not headings.first.inner_text().strip():
            problems.append(f"{text} ({href}): no visible h1")
    if problems:
        pytest.fail(f"menu of {role}@{at} on {viewport}:\n" + "\n".join(problems), pytrace=False)
