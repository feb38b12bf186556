"""Every entry of the main menu opens a page, for each kind of user (the menu depends on the role)."""

import pytest
from django.urls import reverse

from .conftest import menu_links, open_menu, path_of

pytestmark = pytest.mark.browser

ROLES = [
    ("coordinator", "lead"),
    ("dpo", "lead"),
    ("admin", "lead"),
    ("outreach", "partner"),
]


@pytest.mark.parametrize(("role", "at"), ROLES, ids=[f"{role}@{at}" for role, at in ROLES])
def test_every_menu_entry_opens_a_page(page, viewport, signed_in, role, at):
    signed_in(role, at=at)

    links = menu_links(page, viewport)
    hrefs = [href for _text, href in links]

    # What the role may reach shows in the menu, and nothing else does.
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
    assert not problems, f"menu of {role}@{at} on {viewport}:\n" + "\n".join(problems)
